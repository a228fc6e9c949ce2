import type { Request } from 'express';
import { z } from 'zod';
import { Money } from '../../../domain/money';
import { HttpProblem } from '../../http/problem';
import { defineRoute, type AnyRoute } from '../../http/route';
import { MAX_WITHDRAWAL, type RebateService } from './rebates.service';

const money = z
  .string()
  .describe('Rubles, two decimals')
  .meta({ examples: ['12500.00'] });

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;
// zod runs every check even after the pattern failed: the refinements skip what it refused.
const amountSchema = z
  .string()
  .regex(AMOUNT, 'must be a positive amount in rubles with at most two decimals, e.g. "1500.50"')
  .refine((v) => !AMOUNT.test(v) || new Money(v).gt(0), {
    message: 'must be greater than 0',
    params: { code: 'must_be_positive' },
  })
  .refine((v) => !AMOUNT.test(v) || new Money(v).lte(MAX_WITHDRAWAL), {
    message: `must be at most ${MAX_WITHDRAWAL}`,
    params: { code: 'too_big', maximum: MAX_WITHDRAWAL.toString(), origin: 'amount' },
  })
  .describe('Rubles: a decimal string > 0 with at most two decimals, at most 1000000000.00');

const withdrawalBody = z
  .object({
    amount: amountSchema,
    target: z
      .enum(['bonus', 'bank'])
      .describe(
        'bonus: reduces this month’s invoice (customer subaccounts’ consumption, at most that); ' +
          'bank: a payout to the bank account of the partner agreement',
      ),
  })
  .strict();

const withdrawalView = z.object({
  id: z.guid(),
  partnerId: z.guid(),
  target: z.enum(['bonus', 'bank']),
  amount: money,
  month: z.string().nullable().describe('For bonus: the month (YYYY-MM) whose invoice it reduces'),
  requestedBy: z.string(),
  bankBik: z.string().nullable(),
  bankAccount: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

const rebateLedger = z
  .object({
    partnerId: z.guid(),
    balance: money.describe('The rebate accrual balance: the sum of all ledger entries'),
    entries: z
      .array(
        z.object({
          id: z.string(),
          kind: z.enum([
            'project_rebate',
            'specialization_rebate',
            'withdrawal_to_bonus',
            'withdrawal_to_bank',
            'final_payout',
          ]),
          amount: money.describe('Credits positive, withdrawals negative'),
          balanceAfter: money.describe('The balance right after this entry'),
          month: z.string().nullable(),
          projectId: z.string().nullable(),
          explanation: z.record(z.string(), z.unknown()).describe('Why: rule, rate, base, figures'),
          createdAt: z.iso.datetime(),
        }),
      )
      .describe('Newest first'),
  })
  .meta({ id: 'RebateLedger' });

const ledgerQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Newest entries to list'),
});

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,100}$/;

/** The Idempotency-Key header, required: the route kit validates no headers, so it is read here. */
function idempotencyKey(req: Request): string {
  const key = req.header('Idempotency-Key');
  if (key !== undefined && IDEMPOTENCY_KEY.test(key)) return key;
  const message =
    key === undefined
      ? 'is required: a key of your own (1–100 characters A-Z, a-z, 0-9, _ or -) that makes a retry safe'
      : 'must be 1–100 characters A-Z, a-z, 0-9, _ or -';
  throw new HttpProblem(
    400,
    'Invalid request',
    'The request header is not valid',
    [
      key === undefined
        ? { field: 'header.Idempotency-Key', message, code: 'required' }
        : {
            field: 'header.Idempotency-Key',
            message,
            code: 'invalid_format',
            params: { format: 'idempotency_key' },
          },
    ],
    {},
    'validation_failed',
  );
}

/** The rebate accrual balance, its ledger and withdrawals. */
export function rebateRoutes(service: RebateService): AnyRoute[] {
  return [
    // Before /v1/partners/:partnerId/rebates, which would otherwise take "me" as an id.
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/rebates',
      operationId: 'myRebates',
      summary: 'Your rebate balance and its ledger, newest first, each entry explained',
      tags: ['Rebates'],
      roles: ['partner'],
      query: ledgerQuery,
      responses: {
        200: { description: 'Balance and ledger', schema: rebateLedger },
        404: { description: 'The organization is not a partner' },
      },
      handler: async ({ principal, query }) => ({
        status: 200,
        body: await service.myRebates(principal, query),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/rebates/withdrawals',
      operationId: 'withdrawRebates',
      summary: 'Withdraw from your rebate balance to Bonus or to the bank',
      description:
        'Requires the header `Idempotency-Key` (1–100 characters A-Z, a-z, 0-9, _ or -). ' +
        'A repeat with the same key and body returns the first withdrawal (200) and changes ' +
        'nothing; the same key with another body is a 409. Never more than the balance.',
      tags: ['Rebates'],
      roles: ['partner'],
      body: withdrawalBody,
      responses: {
        201: { description: 'Withdrawn', schema: withdrawalView },
        200: { description: 'A repeat: the withdrawal made first', schema: withdrawalView },
        404: { description: 'The organization is not a partner' },
        409: { description: 'The idempotency key was used for a different request' },
        422: { description: 'More than the balance, or no bank details for a bank payout' },
      },
      handler: async ({ principal, body, req }) => {
        const key = idempotencyKey(req);
        const { withdrawal, created } = await service.withdraw(principal, {
          ...body,
          idempotencyKey: key,
        });
        return {
          status: created ? 201 : 200,
          headers: created ? undefined : { 'Idempotent-Replayed': 'true' },
          body: withdrawal,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/rebates',
      operationId: 'partnerRebates',
      summary: 'A partner’s rebate balance and ledger, newest first',
      tags: ['Rebates'],
      roles: ['manager', 'finance'],
      params: z.object({ partnerId: z.uuid({ message: 'must be a partner id (UUID)' }) }),
      query: ledgerQuery,
      responses: {
        200: { description: 'Balance and ledger', schema: rebateLedger },
        404: { description: 'No such partner' },
      },
      handler: async ({ params, query }) => ({
        status: 200,
        body: await service.partnerRebates(params.partnerId, query),
      }),
    }),
  ];
}
