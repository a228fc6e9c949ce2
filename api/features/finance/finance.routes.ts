import { z } from 'zod';
import { PAYOUT_KINDS, PAYOUT_STATUSES } from '../../../domain/finance';
import { defineRoute, type AnyRoute } from '../../http/route';
import {
  CSV_CONTENT_TYPE,
  XLSX_CONTENT_TYPE,
  invoicesCsv,
  invoicesXlsx,
  linesCsv,
  payoutsCsv,
} from './finance.export';
import type { FinanceService } from './finance.service';

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .meta({ examples: ['2025-03'] });
const money = z
  .string()
  .describe('Rubles, two decimals')
  .meta({ examples: ['125400.50'] });
const moneyCount = z.object({ count: z.number().int(), total: money });
const monthParams = z.object({ month: monthSchema });

const monthView = z
  .object({
    month: z.string(),
    close: z
      .object({
        status: z.enum(['running', 'completed']),
        startedAt: z.iso.datetime(),
        completedAt: z.iso.datetime().nullable(),
      })
      .nullable()
      .describe('The month’s close, or null when it was never closed'),
    totals: z.object({
      invoices: z.object({
        count: z.number().int(),
        monthly: z.number().int(),
        interim: z.number().int(),
        final: z.number().int(),
      }),
      consumptionTotal: money,
      grantsTotal: money,
      discountTotal: money.describe('The partner bonus (discount), rubles'),
      rebateWithdrawn: money.describe('Rebate withdrawn to Bonus, taken off the invoices'),
      payable: money,
      vatAmount: money,
      commission: moneyCount.describe('The month’s referral commission statements'),
      payouts: moneyCount
        .extend({
          byStatus: z
            .object({ awaiting_bank_details: moneyCount, payable: moneyCount, paid: moneyCount })
            .describe('By payout status'),
        })
        .describe('Payouts of the payout register dated in the month'),
    }),
  })
  .meta({ id: 'FinanceMonth' });

const financeInvoice = z
  .object({
    id: z.guid(),
    number: z.string(),
    partnerId: z.guid(),
    partnerName: z.string().nullable(),
    partnerInn: z.string().nullable(),
    month: z.string(),
    kind: z.enum(['monthly', 'interim', 'final']),
    sequence: z.number().int(),
    issuedAt: z.iso.datetime(),
    dueDate: z.iso.date().nullable(),
    consumptionTotal: money,
    grantsTotal: money,
    eligibleBase: money,
    discountTotal: money,
    rebateWithdrawn: money,
    payable: money,
    vatRate: z.string(),
    vatAmount: money,
    advanceCovered: money,
  })
  .meta({ id: 'FinanceInvoice' });

const payoutItem = z
  .object({
    kind: z.enum(PAYOUT_KINDS),
    status: z.enum(PAYOUT_STATUSES),
    month: z.string(),
    partnerId: z.guid(),
    partnerName: z.string().nullable(),
    partnerInn: z.string().nullable(),
    amount: money,
    at: z.iso.datetime().describe('Recorded (withdrawal, statement) or due (final payout)'),
    paidAt: z.iso.datetime().nullable(),
    reference: z.string().describe('Withdrawal id, statement number or final-payout:<partner>'),
    requestedBy: z.string().nullable(),
    bankBik: z.string().nullable(),
    bankAccount: z.string().nullable(),
  })
  .meta({ id: 'Payout' });

const payoutQuery = z.object({
  status: z
    .enum(PAYOUT_STATUSES, { message: `must be one of ${PAYOUT_STATUSES.join(', ')}` })
    .optional()
    .describe('awaiting_bank_details, payable or paid'),
  month: monthSchema.optional().describe('Only payouts dated in this month (Moscow time)'),
});

const CSV_NOTE =
  ' UTF-8 with a byte-order mark, `;` between fields, CRLF, money with a decimal comma ' +
  '("1234,50"), dates DD.MM.YYYY (Moscow), Russian headers — as Excel with Russian settings opens it.';
const PAYOUT_STATUS_NOTE =
  'Statuses: `awaiting_bank_details` — nothing can be paid until valid bank details are given ' +
  '(a held final payout; a commission statement without a payout account); `payable` — a ' +
  'commission statement to be paid to the account it recorded (the platform records no payment ' +
  'of it); `paid` — taken off the rebate balance and paid to the recorded account (a withdrawal ' +
  'to the bank, a paid final payout). The platform keeps no bank confirmation.';

const attachment = (name: string) => ({ 'Content-Disposition': `attachment; filename="${name}"` });

/** The finance console: month totals, invoices, exports, documents archive, payout register. */
export function financeRoutes(service: FinanceService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/finance/months/:month',
      operationId: 'financeMonth',
      summary: 'A month’s totals: invoices, bonus, rebate withdrawn, VAT, commissions, payouts',
      description:
        'Each total is the sum of that column over the month’s issued invoices (monthly, interim ' +
        'and final), the month’s commission statements and the payouts dated in the month.',
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      params: monthParams,
      responses: {
        200: { description: 'The month', schema: monthView },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params }) => ({ status: 200, body: await service.month(params.month) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/finance/months/:month/invoices',
      operationId: 'financeMonthInvoices',
      summary: 'A month’s issued invoices with partner name and INN, by number',
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      params: monthParams,
      responses: {
        200: {
          description: 'Invoices; each one’s lines at GET /v1/invoices/{invoiceId}',
          schema: z.object({ month: z.string(), items: z.array(financeInvoice) }),
        },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params }) => ({ status: 200, body: await service.invoices(params.month) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/finance/months/:month/invoices.csv',
      operationId: 'financeMonthInvoicesCsv',
      summary: 'A month’s invoices as CSV, one row per invoice',
      description: `The invoices of GET /v1/finance/months/{month}/invoices.${CSV_NOTE}`,
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      params: monthParams,
      responses: {
        200: { description: 'The CSV (a download)', contentType: 'text/csv' },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params }) => {
        const { invoices } = await service.exportRows(params.month);
        return {
          status: 200,
          contentType: CSV_CONTENT_TYPE,
          headers: attachment(`invoices-${params.month}.csv`),
          body: invoicesCsv(invoices),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/finance/months/:month/invoice-lines.csv',
      operationId: 'financeMonthLinesCsv',
      summary: 'The lines of a month’s invoices as CSV, one row per line',
      description: `Every line with its rule, rate, base and amount.${CSV_NOTE}`,
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      params: monthParams,
      responses: {
        200: { description: 'The CSV (a download)', contentType: 'text/csv' },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params }) => {
        const { lines } = await service.exportRows(params.month);
        return {
          status: 200,
          contentType: CSV_CONTENT_TYPE,
          headers: attachment(`invoice-lines-${params.month}.csv`),
          body: linesCsv(lines),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/finance/months/:month/invoices.xlsx',
      operationId: 'financeMonthInvoicesXlsx',
      summary: 'A month’s invoices and their lines as an Excel workbook',
      description:
        'Two sheets: «Счета» (one row per invoice) and «Строки» (one row per line), with the ' +
        'CSV’s columns; money and rates are numeric cells, dates are dates.',
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      params: monthParams,
      responses: {
        200: { description: 'The workbook (a download)', contentType: XLSX_CONTENT_TYPE },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params }) => {
        const { invoices, lines } = await service.exportRows(params.month);
        return {
          status: 200,
          contentType: XLSX_CONTENT_TYPE,
          headers: attachment(`invoices-${params.month}.xlsx`),
          body: await invoicesXlsx(invoices, lines),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/finance/months/:month/documents.zip',
      operationId: 'financeMonthDocumentsZip',
      summary: 'Every document of a month’s invoices as one zip',
      description:
        'One folder per invoice, `<invoice number>/<document>.pdf` (act, payment-invoice, ' +
        'vat-invoice), the same PDFs as GET /v1/invoices/{invoiceId}/documents/{kind}. Streamed ' +
        'as it is made: a failure half-way cuts the download short.',
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      params: monthParams,
      responses: {
        200: { description: 'The zip (a download)', contentType: 'application/zip' },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params, principal }) => ({
        status: 200,
        contentType: 'application/zip',
        headers: attachment(`documents-${params.month}.zip`),
        body: await service.documentsZip(principal, params.month),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/finance/payouts',
      operationId: 'financePayouts',
      summary: 'The payout register: withdrawals to the bank, commissions, final payouts',
      description: `Newest first. ${PAYOUT_STATUS_NOTE}`,
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      query: payoutQuery,
      responses: {
        200: { description: 'The register', schema: z.object({ items: z.array(payoutItem) }) },
      },
      handler: async ({ query }) => ({ status: 200, body: await service.payouts(query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/finance/payouts.csv',
      operationId: 'financePayoutsCsv',
      summary: 'The payout register as CSV, with the same filters',
      description: `${PAYOUT_STATUS_NOTE}${CSV_NOTE}`,
      tags: ['Finance'],
      roles: ['finance', 'manager'],
      query: payoutQuery,
      responses: {
        200: { description: 'The CSV (a download)', contentType: 'text/csv' },
      },
      handler: async ({ query }) => {
        const { items } = await service.payouts(query);
        const suffix = [query.month, query.status].filter(Boolean).join('-');
        return {
          status: 200,
          contentType: CSV_CONTENT_TYPE,
          headers: attachment(`payouts${suffix ? `-${suffix}` : ''}.csv`),
          body: payoutsCsv(items),
        };
      },
    }),
  ];
}
