import { z } from 'zod';
import { LINE_KIND_LIST } from '../../../domain/settlement/line-codes';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { SettlementService } from './settlement.service';

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
  .meta({ examples: ['2025-03'] });
const money = z
  .string()
  .describe('Rubles, two decimals')
  .meta({ examples: ['125400.50'] });
const closeStatusName = z.enum(['running', 'completed']);
const invoiceKind = z.enum(['monthly', 'interim', 'final']);

const invoiceSummary = z.object({
  id: z.guid(),
  number: z.string(),
  partnerId: z.guid(),
  month: z.string(),
  kind: invoiceKind,
  sequence: z.number().int(),
  issuedAt: z.iso.datetime(),
  dueDate: z.iso.date().nullable(),
  consumptionTotal: money,
  grantsTotal: money,
  eligibleBase: money,
  discountTotal: money,
  payable: money,
  vatRate: z.string(),
  vatAmount: money,
});

const lineKind = z
  .enum(LINE_KIND_LIST)
  .describe('What the line is; the portal words it from the kind and its params');
const lineParams = z
  .record(z.string(), z.string())
  .describe(
    'The values the line’s description and rule name, by kind: month, rate (fraction) and ' +
      'percent, base (exact rubles), dealId, accountId; for an adjustment forMonth and adjusts',
  )
  .meta({ examples: [{ month: '2025-03', rate: '0.1', percent: '10', base: '125400.50' }] });

const invoiceLine = z
  .object({
    position: z.number().int(),
    kind: lineKind,
    description: z.string(),
    rule: z.string().describe('The rule that produced the line, in words'),
    rate: z.string().nullable(),
    base: z.string().nullable(),
    amount: money,
    dealId: z.string().nullable(),
    accountId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    params: lineParams,
  })
  .meta({ id: 'InvoiceLine' });

const exact = z.string().describe('Rubles, exact (up to 6 decimals)');
const figures = z.object({ lines: z.number().int(), amount: exact, grants: exact });
const reconciliation = z.object({
  month: z.string(),
  close: z
    .object({
      status: z.enum(['running', 'completed']),
      watermark: z.string(),
      completedAt: z.iso.datetime().nullable(),
      reconciledAt: z.iso.datetime().nullable(),
      differenceAtCompletion: z.string().nullable(),
    })
    .nullable(),
  consumption: figures,
  billed: z.array(
    figures.extend({
      invoiceId: z.guid(),
      number: z.string(),
      partnerId: z.guid(),
      invoiceMonth: z.string(),
      kind: z.string().describe('monthly, interim or final'),
      as: z.enum(['own_month', 'adjustment']),
    }),
  ),
  pending: figures,
  missingLines: z.number().int(),
  dueUpTo: z.string(),
  difference: exact,
  differenceRounded: money,
  lineDifference: z.number().int(),
  flagged: z.boolean(),
});

const closeStarted = z.object({
  month: z.string(),
  workflowId: z.string().describe('The close’s workflow, month-close:<YYYY-MM>'),
});

const closeSummary = z.object({
  month: z.string(),
  status: closeStatusName,
  partnersTotal: z.number().int(),
  partnersSettled: z.number().int(),
  invoices: z.number().int(),
  payableTotal: money,
  discountTotal: money,
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  workflowId: z.string(),
  workflowUrl: z.string().nullable().describe('The close’s workflow in the Temporal Web UI'),
});

const closeProgress = z.object({
  month: z.string(),
  status: closeStatusName,
  phase: z.enum(['var', 'referral']),
  partnersTotal: z.number().int(),
  partnersSettled: z.number().int(),
  invoicesCreated: z.number().int(),
  referralPartnersTotal: z.number().int(),
  referralPartnersSettled: z.number().int(),
  statementsCreated: z.number().int(),
});

const closeView = z.object({
  month: z.string(),
  status: closeStatusName,
  partnersTotal: z.number().int(),
  partnersSettled: z.number().int(),
  invoices: z.number().int(),
  consumptionTotal: money,
  discountTotal: money,
  payableTotal: money,
  commissionStatements: z.number().int(),
  commissionTotal: money,
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  progress: closeProgress.nullable().optional(),
});

/** A line of the running invoice, as the rules compute it (optional parts left out). */
const runningLine = z
  .object({
    kind: lineKind,
    description: z.string(),
    rule: z.string(),
    rate: z.string().optional(),
    base: z.string().optional(),
    amount: money,
    dealId: z.string().optional(),
    accountId: z.string().optional(),
    forMonth: z.string().optional(),
    adjusts: lineKind.optional(),
    params: lineParams,
  })
  .meta({ id: 'RunningInvoiceLine' });

const runningInvoice = z
  .object({
    month: z.string(),
    asOf: z.iso.datetime(),
    issued: z.boolean().describe('Always false: the invoice is not issued yet'),
    totals: z.object({
      consumptionTotal: money,
      grantsTotal: money,
      eligibleBase: money,
      discountTotal: money,
      rebateWithdrawn: money,
      payable: money,
      vatIncluded: money,
      relativeDiscount: z.string().nullable(),
    }),
    vatRate: z.string(),
    lines: z.array(runningLine).readonly(),
    rebateAccruals: z
      .array(
        z.object({
          kind: z.enum(['project_growth', 'specialization']),
          description: z.string(),
          rule: z.string(),
          rate: z.string(),
          base: z.string(),
          amount: money,
          period: z.string(),
          projectId: z.string().optional(),
          specialization: z.string().optional(),
          window: z.object({ firstMonth: z.string(), lastMonth: z.string() }).optional(),
        }),
      )
      .readonly(),
  })
  .meta({ id: 'RunningInvoice' });

/** Month closes (finance), invoices and the running invoice (partners). */
export function settlementRoutes(service: SettlementService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/closes',
      operationId: 'closeMonth',
      summary: 'Close a month now (the schedule does it on the 1st at 00:00 Moscow time)',
      tags: ['Settlement'],
      roles: ['finance'],
      body: z.object({ month: monthSchema }).strict(),
      responses: {
        202: {
          description: 'The close runs; follow it at /v1/closes/{month}',
          schema: closeStarted,
        },
        409: {
          description:
            'Months close in order: an earlier month with consumption has no close yet (the ' +
            'problem names it), or a later month is already closed',
        },
        422: {
          description:
            'The month is outside the closable range: from the program’s first month ' +
            '(PROGRAM_FIRST_MONTH) to the last full month in Moscow time',
        },
      },
      handler: async ({ body }) => {
        const started = await service.startClose(body.month);
        return { status: 202, headers: { Location: `/v1/closes/${body.month}` }, body: started };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/closes',
      operationId: 'listCloses',
      summary: 'Every month closed or being closed, newest first, with totals',
      tags: ['Settlement'],
      roles: ['finance', 'manager'],
      responses: {
        200: { description: 'Closes', schema: z.object({ items: z.array(closeSummary) }) },
      },
      handler: async () => ({ status: 200, body: await service.closes() }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/invoices',
      operationId: 'listMonthInvoices',
      summary: 'A month’s issued invoices (monthly, interim, final), by number',
      tags: ['Settlement'],
      roles: ['finance', 'manager'],
      query: z.object({ month: monthSchema }),
      responses: {
        200: {
          description: 'Invoices',
          schema: z.object({
            month: z.string(),
            items: z.array(invoiceSummary.extend({ partnerName: z.string().nullable() })),
          }),
        },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ query }) => ({
        status: 200,
        body: await service.monthInvoices(query.month),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/closes/:month',
      operationId: 'closeStatus',
      summary: 'Progress and result of a month’s close',
      tags: ['Settlement'],
      roles: ['finance', 'manager'],
      params: z.object({ month: monthSchema }),
      responses: {
        200: {
          description:
            'The close, from the database; `progress` is the workflow’s live progress while it ' +
            'runs and can answer, else null',
          schema: closeView,
        },
        404: { description: 'The month was never closed' },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params }) => ({
        status: 200,
        body: await service.closeStatus(params.month),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/closes/:month/reconciliation',
      operationId: 'closeReconciliation',
      summary: 'A month’s consumption beside everything billed for it, to the kopeck',
      description:
        'The month’s billable consumption (lines of VAR partners’ accounts dated in the month, ' +
        'within each partner’s billable period) beside what each invoice billed for it — the ' +
        'month’s own monthly, interim and final invoices and every later invoice’s adjustment ' +
        'lines — from the billing ledger, and the lines that arrived after the last close and ' +
        'wait for the next one. `difference` = consumption − billed − pending, exact; ' +
        '`flagged` is true when it, the line difference or the missing lines are not zero.',
      tags: ['Settlement'],
      roles: ['finance', 'manager'],
      params: z.object({ month: monthSchema }),
      responses: {
        200: { description: 'The reconciliation', schema: reconciliation },
        422: { description: 'The month is before the program’s first month' },
      },
      handler: async ({ params }) => ({
        status: 200,
        body: await service.reconciliation(params.month),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/invoices',
      operationId: 'myInvoices',
      summary: 'Your issued invoices, newest month first',
      tags: ['Settlement'],
      roles: ['partner'],
      responses: {
        200: { description: 'Invoices', schema: z.object({ items: z.array(invoiceSummary) }) },
      },
      handler: async ({ principal }) => ({
        status: 200,
        body: await service.myInvoices(principal),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/invoices/preview',
      operationId: 'runningInvoice',
      summary: 'The running, unissued invoice of the current month, net of the bonus',
      tags: ['Settlement'],
      roles: ['partner'],
      responses: {
        200: { description: 'The running invoice', schema: runningInvoice },
        404: { description: 'Your organization is not a partner' },
      },
      handler: async ({ principal }) => ({ status: 200, body: await service.preview(principal) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/invoices/:invoiceId',
      operationId: 'getInvoice',
      summary: 'An invoice with every line explained',
      tags: ['Settlement'],
      roles: ['partner', 'finance', 'manager'],
      params: z.object({ invoiceId: z.uuid({ message: 'must be an invoice id (UUID)' }) }),
      responses: {
        200: {
          description: 'The invoice',
          schema: invoiceSummary.extend({ lines: z.array(invoiceLine) }).meta({ id: 'Invoice' }),
        },
        404: { description: 'No such invoice (or not yours)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.invoice(principal, params.invoiceId),
      }),
    }),
  ];
}
