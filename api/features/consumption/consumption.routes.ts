import { z } from 'zod';
import {
  consumptionLineProblems,
  usageDateRange,
  type ConsumptionLineInput,
} from '../../../domain/consumption';
import { DomainError, type FieldProblem } from '../../../domain/errors';
import type { ConsumptionRepository } from '../../../prisma/repositories/consumption.repository';
import { defineRoute, type AnyRoute } from '../../http/route';

export const MAX_BATCH_LINES = 10_000;
/** 10,000 lines of at most ~1.4 kB each (ids are capped at 200 characters) fit. */
export const BATCH_BODY_LIMIT = '20mb';
/** A refused batch lists this many problems at most; the detail gives the full count. */
const MAX_LISTED_PROBLEMS = 100;

const decimalString = (description: string) =>
  z
    .string()
    .describe(`${description}: a decimal string, up to 14 digits and 6 decimals`)
    .meta({ examples: ['1520.456789'] });

/** The shape only; the rules (dates, amounts, lengths) are the domain's and answer 422. */
const consumptionLine = z
  .object({
    sourceId: z.string().describe('Billing’s id of the line: makes ingestion idempotent'),
    billingAccountId: z.string(),
    cloudId: z.string(),
    folderId: z.string(),
    serviceId: z.string().describe('A service of the catalogue, e.g. compute'),
    sku: z.string(),
    usageDate: z
      .string()
      .describe('YYYY-MM-DD')
      .meta({ examples: ['2025-03-14'] }),
    amount: decimalString('VAT-inclusive amount in rubles'),
    grantAmount: decimalString('The part of the amount paid by grants, at most the amount'),
  })
  .meta({ id: 'ConsumptionLine' });

const batchResult = z.object({
  received: z.number().int(),
  inserted: z.number().int(),
  duplicates: z.number().int().describe('Lines whose source id was already stored'),
  conflicts: z
    .array(z.string())
    .describe(
      'Source ids (up to 100) already stored with different content; the stored line was kept',
    ),
});

const summary = z.object({
  billingAccountId: z.string().nullable(),
  month: z.string(),
  lines: z.number().int(),
  amount: z.string(),
  grantAmount: z.string(),
});

/**
 * Every reason to refuse the batch, line by line: the domain rules, then billing accounts and
 * services that do not exist (one query each for the batch's distinct ids). Only ids that
 * passed the rules are looked up: an id PostgreSQL cannot hold (a NUL character) is the rule's
 * 422, never a failed query.
 */
async function batchProblems(
  lines: ConsumptionLineInput[],
  consumption: ConsumptionRepository,
): Promise<FieldProblem[]> {
  const own = lines.map((line, index) => consumptionLineProblems(line, index));
  const flagged = new Set(own.flat().map((p) => p.field));
  const valid = (field: 'billingAccountId' | 'serviceId') =>
    lines.filter((_, index) => !flagged.has(`lines.${index}.${field}`)).map((l) => l[field]);
  const [missingAccounts, missingServices] = await Promise.all([
    consumption.missingBillingAccounts(valid('billingAccountId')),
    consumption.missingServices(valid('serviceId')),
  ]);
  const problems: FieldProblem[] = [];
  lines.forEach((line, index) => {
    problems.push(...(own[index] ?? []));
    const account = `lines.${index}.billingAccountId`;
    if (!flagged.has(account) && missingAccounts.has(line.billingAccountId)) {
      problems.push({
        field: account,
        message: `no billing account ${line.billingAccountId}`,
        code: 'unknown_billing_account',
        params: { billingAccountId: line.billingAccountId },
      });
    }
    const service = `lines.${index}.serviceId`;
    if (!flagged.has(service) && missingServices.has(line.serviceId)) {
      problems.push({
        field: service,
        message: `no service ${line.serviceId} in the catalogue`,
        code: 'unknown_service',
        params: { serviceId: line.serviceId },
      });
    }
  });
  return problems;
}

/** Consumption from billing (SPEC §2): idempotent batch ingestion and monthly totals. */
export function consumptionRoutes(deps: {
  consumption: ConsumptionRepository;
  /** Runs after a batch is stored, with its billing accounts (billing-threshold checks). */
  afterIngest?: (billingAccountIds: string[]) => Promise<void>;
}): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/consumption/batches',
      operationId: 'ingestConsumption',
      summary: 'Report consumption line items (idempotent by source id)',
      description:
        `Up to ${MAX_BATCH_LINES} lines per request (body up to ${BATCH_BODY_LIMIT}). ` +
        'The batch is all or nothing: if any line breaks a rule or names an unknown billing ' +
        'account or service, nothing is stored and the answer lists the offending fields as ' +
        '`lines.<index>.<field>`. A line whose source id is already stored is counted as a ' +
        'duplicate and left as stored, so resending a batch is safe.',
      tags: ['Consumption'],
      roles: ['billing-system'],
      bodyLimit: BATCH_BODY_LIMIT,
      body: z.object({ lines: z.array(consumptionLine).min(1).max(MAX_BATCH_LINES) }),
      responses: {
        200: { description: 'Counts of stored and duplicate lines', schema: batchResult },
        413: { description: `The body exceeds ${BATCH_BODY_LIMIT}` },
        422: { description: 'Some lines break the rules; nothing was stored' },
      },
      handler: async ({ body }) => {
        const problems = await batchProblems(body.lines, deps.consumption);
        if (problems.length > 0) {
          const lineCount = new Set(problems.map((p) => p.field.split('.')[1])).size;
          throw new DomainError(
            'validation_failed',
            `${problems.length} problem(s) in ${lineCount} line(s); nothing was stored` +
              (problems.length > MAX_LISTED_PROBLEMS
                ? ` (the first ${MAX_LISTED_PROBLEMS} are listed)`
                : ''),
            problems.slice(0, MAX_LISTED_PROBLEMS),
            {
              reason: 'consumption_lines_invalid',
              params: { problems: problems.length, lines: lineCount },
            },
          );
        }
        const result = await deps.consumption.ingest(body.lines);
        if (result.inserted > 0 && deps.afterIngest) {
          await deps.afterIngest([...new Set(body.lines.map((l) => l.billingAccountId))]);
        }
        return { status: 200, body: result };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/consumption/summary',
      operationId: 'consumptionSummary',
      summary: 'Consumption of a month: line count, amount and grants',
      description:
        'Lines whose usage date falls in the month, for one billing account or (without ' +
        '`billingAccountId`) for all. Sums keep the 6 decimals billing reports.',
      tags: ['Consumption'],
      roles: ['finance', 'manager'],
      query: z.object({
        month: z
          .string()
          .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month in the form YYYY-MM' }),
        billingAccountId: z.string().min(1).max(200).optional(),
      }),
      responses: {
        200: { description: 'Totals of the month', schema: summary },
        404: { description: 'No such billing account' },
      },
      handler: async ({ query }) => {
        const { billingAccountId, month } = query;
        if (billingAccountId) {
          const missing = await deps.consumption.missingBillingAccounts([billingAccountId]);
          if (missing.size > 0) {
            throw new DomainError('not_found', `No billing account ${billingAccountId}`, [], {
              reason: 'billing_account_not_found',
              params: { billingAccountId },
            });
          }
        }
        const totals = await deps.consumption.totals({
          ...usageDateRange(month),
          billingAccountId,
        });
        return {
          status: 200,
          body: { billingAccountId: billingAccountId ?? null, month, ...totals },
        };
      },
    }),
  ];
}
