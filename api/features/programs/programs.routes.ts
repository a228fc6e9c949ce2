import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { ProgramService } from './programs.service';

// The schemas check the form (400); the program's rules (rate caps, decimals, dates in order,
// folder or not) are the domain's and answer 422 with the field that breaks them.
const rateText = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,20})?$/, 'must be a decimal fraction such as "0.05"');
const moneyText = z
  .string()
  .regex(/^-?\d{1,15}(\.\d{1,20})?$/, 'must be an amount in rubles such as "5000.00"');
const accountId = z.string().trim().min(1, 'must not be empty').max(100);
const partnerParams = z.object({
  partnerId: z.uuid({ message: 'must be a partner id (UUID)' }),
});
const bonusQuery = z.object({
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(120)
    .default(12)
    .describe('How many reporting months to list, newest first'),
});

const customerView = z.object({
  id: z.string().describe('The subaccount id, cust-<uuid>'),
  name: z.string(),
  inn: z.string().nullable(),
  parentId: z.string().describe('The partner’s own billing account'),
  createdAt: z.iso.datetime(),
});

const dealView = z.object({
  id: z.guid(),
  partnerId: z.guid(),
  customerAccountId: z.string(),
  customerName: z.string().nullable(),
  upliftRate: z.string().describe('A fraction: "0.05" adds 5 percentage points'),
  startDate: z.iso.date().describe('First linked day'),
  endDate: z.iso.date().nullable().describe('Last linked day; null while the link is open'),
  registeredBy: z.string(),
  createdAt: z.iso.datetime(),
});

const projectView = z.object({
  id: z.guid(),
  partnerId: z.guid(),
  scope: z.enum(['cloud', 'folder']),
  cloudId: z.string(),
  folderId: z.string().nullable(),
  baselineMonthly: z.string().describe('Rubles per month, two decimals'),
  rate: z.string().describe('A fraction of the growth, e.g. "0.10"'),
  registeredOn: z.iso.date(),
  rebateMonths: z
    .object({ first: z.string(), last: z.string() })
    .describe('The 12 months (YYYY-MM) after registration whose growth earns the rebate'),
  registeredBy: z.string(),
  createdAt: z.iso.datetime(),
});

const specializationView = z.object({
  id: z.string().describe('The grant’s id'),
  partnerId: z.guid(),
  code: z.string().describe('The specialization’s name in the catalogue'),
  rate: z.string().describe('A fraction of the customers’ eligible consumption of its services'),
  serviceIds: z.array(z.string()),
  validFrom: z.iso.date().describe('First day held'),
  validTo: z.iso.date().nullable().describe('Last day held; null while it is held'),
});

/** Where a 422 may also come from: a date in a month that is already closed. */
const CLOSED_MONTH =
  'A date in a closed month (one that has a month close, or is before one) is refused with ' +
  '422, naming the first open date: issued documents are never rewritten.';

const bonusView = z.object({
  items: z
    .array(
      z.object({
        month: z.string().describe('Reporting month, YYYY-MM'),
        discount: z.string().describe('The partner bonus of the month’s invoices, rubles'),
        eligibleBase: z.string().describe('The eligible base of the month’s invoices, rubles'),
        relative: z
          .string()
          .nullable()
          .describe('discount ÷ eligibleBase, four decimals; null when the base is 0'),
      }),
    )
    .describe('Months with an issued month-end invoice (interim invoices included), newest first'),
});

/** Customers, deals, projects, specializations and the partner bonus view of the VAR program. */
export function programRoutes(service: ProgramService): AnyRoute[] {
  return [
    // The /me routes come before /:partnerId ones, which would otherwise take "me" as an id.
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/customers',
      operationId: 'myCustomers',
      summary: 'Your customers: the subaccounts of your own billing account',
      tags: ['Programs'],
      roles: ['partner'],
      responses: {
        200: { description: 'Customers', schema: z.object({ items: z.array(customerView) }) },
        404: { description: 'The organization is not a partner' },
      },
      handler: async ({ principal }) => ({
        status: 200,
        body: await service.myCustomers(principal),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/customers',
      operationId: 'createCustomer',
      summary: 'Open a customer subaccount under your own billing account',
      description:
        'A resident business paying by invoice. The INN, when given, must pass its check digits.',
      tags: ['Programs'],
      roles: ['partner'],
      body: z
        .object({
          name: z.string().trim().min(1, 'must not be empty').max(200),
          inn: z.string().max(20).nullable().optional().describe('10 or 12 digits'),
        })
        .strict(),
      responses: {
        201: { description: 'The customer', schema: customerView },
        404: { description: 'The organization is not a partner' },
        409: { description: 'The partner is not a current VAR partner' },
        422: { description: 'The INN is not valid' },
      },
      handler: async ({ principal, body }) => ({
        status: 201,
        body: await service.createCustomer(principal, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/bonus',
      operationId: 'myBonus',
      summary: 'Your partner bonus per reporting month: absolute and relative',
      tags: ['Programs'],
      roles: ['partner'],
      query: bonusQuery,
      responses: {
        200: { description: 'Bonus per month', schema: bonusView },
        404: { description: 'The organization is not a partner' },
      },
      handler: async ({ principal, query }) => ({
        status: 200,
        body: await service.myBonus(principal, query.months),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/bonus',
      operationId: 'partnerBonus',
      summary: 'A partner’s bonus per reporting month: absolute and relative',
      tags: ['Programs'],
      roles: ['manager', 'finance', 'partner'],
      params: partnerParams,
      query: bonusQuery,
      responses: {
        200: { description: 'Bonus per month', schema: bonusView },
        404: { description: 'No such partner (or not yours)' },
      },
      handler: async ({ principal, params, query }) => ({
        status: 200,
        body: await service.partnerBonus(principal, params.partnerId, query.months),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/deals',
      operationId: 'partnerDeals',
      summary: 'A partner’s registered deals, latest start first',
      tags: ['Programs'],
      roles: ['manager', 'finance', 'partner'],
      params: partnerParams,
      responses: {
        200: { description: 'Deals', schema: z.object({ items: z.array(dealView) }) },
        404: { description: 'No such partner (or not yours)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.deals(principal, params.partnerId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/:partnerId/deals',
      operationId: 'registerDeal',
      summary: 'Register a deal: link a customer to the partner with an uplift rate',
      description:
        'The uplift adds up to 15 percentage points on the customer’s eligible consumption ' +
        'for the days it is linked (startDate to endDate, both included). The customer must ' +
        'be a subaccount of the partner’s own account, and no other partner’s deal may link it ' +
        `on the same days. ${CLOSED_MONTH}`,
      tags: ['Programs'],
      roles: ['manager'],
      params: partnerParams,
      body: z
        .object({
          customerAccountId: accountId,
          upliftRate: rateText.describe('A fraction 0 < r ≤ 0.15, at most 4 decimals, e.g. "0.05"'),
          startDate: z.iso.date().describe('First linked day'),
          endDate: z.iso
            .date()
            .nullable()
            .optional()
            .describe('Last linked day; open when left out'),
        })
        .strict(),
      responses: {
        201: { description: 'The deal', schema: dealView },
        404: { description: 'No such partner' },
        409: {
          description:
            'Another partner’s deal links the customer then, or the partner is not a current VAR partner',
        },
        422: {
          description:
            'The rate, the dates or the customer break the rules, or startDate is in a closed month',
        },
      },
      handler: async ({ principal, params, body }) => ({
        status: 201,
        body: await service.registerDeal(principal, params.partnerId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/deals/:dealId/end',
      operationId: 'endDeal',
      summary: 'End a deal: the customer stays linked up to and including endDate',
      description:
        'The same date again changes nothing; an earlier date shortens the link. A date before ' +
        'the start is refused (422), and a date after an ended deal’s end too (409). The link ' +
        'may not be shortened inside a closed month: the earliest end is the day before the ' +
        'first open date (422).',
      tags: ['Programs'],
      roles: ['manager'],
      params: z.object({ dealId: z.uuid({ message: 'must be a deal id (UUID)' }) }),
      body: z.object({ endDate: z.iso.date().describe('Last linked day') }).strict(),
      responses: {
        200: { description: 'The deal', schema: dealView },
        404: { description: 'No such deal' },
        409: { description: 'The deal already ended earlier' },
        422: {
          description: 'The date is before the deal’s start, or would end it in a closed month',
        },
      },
      handler: async ({ params, body }) => ({
        status: 200,
        body: await service.endDeal(params.dealId, body.endDate),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/projects',
      operationId: 'partnerProjects',
      summary: 'A partner’s registered projects, latest registration first',
      tags: ['Programs'],
      roles: ['manager', 'finance', 'partner'],
      params: partnerParams,
      responses: {
        200: { description: 'Projects', schema: z.object({ items: z.array(projectView) }) },
        404: { description: 'No such partner (or not yours)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.projects(principal, params.partnerId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/:partnerId/projects',
      operationId: 'registerProject',
      summary: 'Register a cloud or folder project with its baseline monthly consumption',
      description:
        'For the 12 months after the registration month, the rebate is rate × max(0, the ' +
        'month’s consumption there − baseline), credited to the rebate balance. A project that ' +
        'overlaps a registered one of the partner (same cloud, same folder, or a folder of a ' +
        `registered cloud, in overlapping months) is refused. ${CLOSED_MONTH}`,
      tags: ['Programs'],
      roles: ['manager'],
      params: partnerParams,
      body: z
        .object({
          scope: z.enum(['cloud', 'folder']),
          cloudId: accountId,
          folderId: accountId
            .nullable()
            .optional()
            .describe('Required for scope folder; left out for scope cloud'),
          baselineMonthly: moneyText.describe('Rubles ≥ 0, at most 2 decimals, e.g. "5000.00"'),
          rate: rateText.describe('A fraction 0 < r ≤ 0.15, at most 4 decimals, e.g. "0.10"'),
          registeredOn: z.iso.date().optional().describe('Defaults to today in Moscow'),
        })
        .strict(),
      responses: {
        201: { description: 'The project', schema: projectView },
        404: { description: 'No such partner' },
        409: {
          description:
            'It overlaps a registered project, or the partner is not a current VAR partner',
        },
        422: {
          description:
            'The scope, baseline, rate or date break the rules, or registeredOn is in a closed month',
        },
      },
      handler: async ({ principal, params, body }) => ({
        status: 201,
        body: await service.registerProject(principal, params.partnerId, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/specializations',
      operationId: 'partnerSpecializations',
      summary: 'A partner’s specializations, latest first day first',
      tags: ['Programs'],
      roles: ['manager', 'finance', 'partner'],
      params: partnerParams,
      responses: {
        200: {
          description: 'Specializations',
          schema: z.object({ items: z.array(specializationView) }),
        },
        404: { description: 'No such partner (or not yours)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.specializations(principal, params.partnerId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/:partnerId/specializations',
      operationId: 'grantSpecialization',
      summary: 'Grant a specialization: its services and quarterly rebate rate, from a first day',
      description:
        'At each quarter’s end the partner is credited rate × its customers’ eligible ' +
        'consumption of the services in the quarter, for the specializations it holds. The ' +
        'same specialization may not be held twice on the same days. Partners normally apply ' +
        'against the catalogue; this direct grant is for corrections, and is audited. ' +
        CLOSED_MONTH,
      tags: ['Programs'],
      roles: ['manager'],
      params: partnerParams,
      body: z
        .object({
          code: z.string().trim().min(1, 'must not be empty').max(100),
          rate: rateText.describe('A fraction 0 < r ≤ 1, at most 4 decimals, e.g. "0.05"'),
          serviceIds: z
            .array(z.string().trim().min(1, 'must not be empty').max(100))
            .min(1, 'name at least one service')
            .max(100),
          validFrom: z.iso.date().describe('First day held'),
          validTo: z.iso
            .date()
            .nullable()
            .optional()
            .describe('Last day held; held until withdrawn when left out'),
          reason: z
            .string()
            .max(1000)
            .nullable()
            .optional()
            .describe('Why it is granted outside the catalogue; kept in the audit trail'),
        })
        .strict(),
      responses: {
        201: { description: 'The specialization', schema: specializationView },
        404: { description: 'No such partner' },
        409: {
          description:
            'The partner holds the specialization then already, or is not a current VAR partner',
        },
        422: {
          description:
            'The rate, services or dates break the rules, or validFrom is in a closed month',
        },
      },
      handler: async ({ principal, params, body }) => ({
        status: 201,
        body: await service.grantSpecialization(principal, params.partnerId, body),
      }),
    }),
  ];
}
