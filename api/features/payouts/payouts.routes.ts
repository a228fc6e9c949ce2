import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { PayoutService } from './payouts.service';

const money = z
  .string()
  .describe('Rubles, two decimals')
  .meta({ examples: ['18250.00'] });
const fieldProblem = z.object({
  field: z.string(),
  message: z.string(),
  code: z.string().optional().describe('Stable reason, as in a problem’s errors[]'),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

const finalPayoutResult = z
  .discriminatedUnion('status', [
    z.object({
      status: z.literal('paid'),
      amount: money,
      withdrawalId: z.guid(),
      bankBik: z.string().nullable(),
      bankAccount: z.string().nullable(),
    }),
    z.object({
      status: z.literal('awaiting_bank_details'),
      amount: money.describe('The balance kept, not paid'),
      problems: z.array(fieldProblem).describe('What is missing or wrong in the bank details'),
    }),
  ])
  .nullable()
  .describe('The final payout (on leaving), or null when none is due');

const bankDetailsBody = z
  .object({
    bik: z
      .string()
      .regex(/^\d{9}$/, 'must be 9 digits')
      .describe('The BIK of the bank: 9 digits')
      .meta({ examples: ['044525225'] }),
    account: z
      .string()
      .regex(/^\d{20}$/, 'must be 20 digits')
      .describe('The settlement account at that bank: 20 digits, its control key matching the BIK')
      .meta({ examples: ['40702810938000000001'] }),
  })
  .strict();

const bankDetailsView = z.object({
  partnerId: z.guid(),
  bankDetails: z.object({ bik: z.string(), account: z.string() }),
  changed: z.boolean().describe('False when these were already the details on file'),
  finalPayout: finalPayoutResult,
});

const payoutList = z.object({
  items: z.array(
    z.object({
      partnerId: z.guid(),
      partnerName: z.string(),
      organizationId: z.string(),
      partnerStatus: z.string(),
      status: z.enum(['awaiting_bank_details', 'paid']),
      amount: money.describe('Awaiting: the balance held; paid: the amount paid'),
      requestedBy: z.string().describe('exit or revocation'),
      heldBecause: z
        .array(fieldProblem)
        .nullable()
        .describe('Why it was held (kept once paid); null when it was paid at once'),
      dueAt: z.iso.datetime(),
      paidAt: z.iso.datetime().nullable(),
      withdrawalId: z.guid().nullable(),
      bankBik: z.string().nullable(),
      bankAccount: z.string().nullable(),
    }),
  ),
});

const GIVE_DESCRIPTION =
  'Sets the bank details of the partner’s billing account (the bank account of the partner ' +
  'agreement). A BIK that is not 9 digits or an account that is not 20 digits is a 400; an ' +
  'account whose control key does not match the BIK is a 422; either way nothing changes. When ' +
  'the partner has left and its final payout is awaiting bank details, the held rebate balance ' +
  'is paid out to them in the same transaction, once: a repeat, or two calls at once, pay nothing twice.';

const bankDetailsResponses = {
  200: { description: 'Recorded (and a held final payout paid)', schema: bankDetailsView },
  404: { description: 'Not a partner' },
  422: { description: 'The account’s control key does not match the BIK' },
};

/** Final payouts (SPEC §4): finance's view, and bank details given after the fact. */
export function payoutRoutes(service: PayoutService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/payouts',
      operationId: 'listFinalPayouts',
      summary: 'Final rebate payouts of partners who left, oldest due first',
      description:
        '`status=awaiting_bank_details` lists the balances held because the partner has no valid ' +
        'bank details; they are paid when the details are given.',
      tags: ['Rebates'],
      roles: ['finance', 'manager'],
      query: z.object({
        status: z.enum(['awaiting_bank_details', 'paid']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      responses: { 200: { description: 'Final payouts', schema: payoutList } },
      handler: async ({ query }) => ({
        status: 200,
        body: { items: await service.list(query) },
      }),
    }),
    // Before /v1/partners/:partnerId/bank-details, which would otherwise take "me" as an id.
    defineRoute({
      method: 'put',
      path: '/v1/partners/me/bank-details',
      operationId: 'giveMyBankDetails',
      summary: 'Give your bank details (also after leaving): a held final payout is paid to them',
      description: GIVE_DESCRIPTION,
      tags: ['Rebates'],
      roles: ['partner'],
      body: bankDetailsBody,
      responses: bankDetailsResponses,
      handler: async ({ principal, body }) => ({
        status: 200,
        body: await service.giveMyBankDetails(principal, body),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/v1/partners/:partnerId/bank-details',
      operationId: 'givePartnerBankDetails',
      summary: 'Give a partner’s bank details on its behalf: a held final payout is paid to them',
      description: GIVE_DESCRIPTION,
      tags: ['Rebates'],
      roles: ['manager'],
      params: z.object({ partnerId: z.uuid({ message: 'must be a partner id (UUID)' }) }),
      body: bankDetailsBody,
      responses: bankDetailsResponses,
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.givePartnerBankDetails(principal, params.partnerId, body),
      }),
    }),
  ];
}
