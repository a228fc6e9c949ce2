import { randomUUID } from 'node:crypto';
import { DomainError, fieldError } from '../../domain/errors';
import { formatMoney, Money, parseMoney } from '../../domain/money';
import { describeProblems, payoutDestination } from '../../domain/payouts';
import type { Database } from '../client';
import type { Prisma } from '../generated/client/client';

/**
 * The rebate accrual balance (SPEC §2): an append-only ledger whose sum is the balance, and
 * the withdrawals that debit it. Every change to a partner's balance that could overdraw it
 * runs under the partner's advisory lock, so concurrent withdrawals are serialized.
 */
export type WithdrawalTarget = 'bonus' | 'bank';
export type RebateEntryKind =
  | 'project_rebate'
  | 'specialization_rebate'
  | 'withdrawal_to_bonus'
  | 'withdrawal_to_bank'
  | 'final_payout';

export interface WithdrawalView {
  id: string;
  partnerId: string;
  target: WithdrawalTarget;
  amount: string;
  /** For target bonus: the month (YYYY-MM) whose invoice it reduces. */
  month: string | null;
  requestedBy: string;
  bankBik: string | null;
  bankAccount: string | null;
  createdAt: string;
}

export interface LedgerEntryView {
  id: string;
  kind: RebateEntryKind;
  /** Credits positive, withdrawals negative. */
  amount: string;
  /** The balance right after this entry. */
  balanceAfter: string;
  month: string | null;
  projectId: string | null;
  explanation: Record<string, unknown>;
  createdAt: string;
}

export interface WithdrawalRequest {
  partnerId: string;
  /** The caller's idempotency key (the Idempotency-Key header). */
  clientKey: string;
  target: WithdrawalTarget;
  /** Rubles, > 0, at most two decimals. */
  amount: string;
  /** Required for target bonus (the month whose invoice it reduces); ignored for bank. */
  month: string | null;
  requestedBy: string;
  /** The bank details of the partner agreement; required for target bank. */
  bank?: { bik: string; account: string } | null;
}

export interface RebateCredit {
  partnerId: string;
  /** Business identity of the credit, e.g. `project_growth:<projectId>:<month>`. */
  key: string;
  kind: 'project_rebate' | 'specialization_rebate';
  /** Rubles, > 0, at most two decimals. */
  amount: string;
  month: string | null;
  projectId?: string | null;
  explanation: Record<string, unknown>;
}

type WithdrawalRow = Awaited<ReturnType<Database['withdrawal']['findUniqueOrThrow']>>;

function withdrawalView(row: WithdrawalRow): WithdrawalView {
  return {
    id: row.id,
    partnerId: row.partnerId,
    target: row.target,
    amount: row.amount.toFixed(2),
    month: row.month,
    requestedBy: row.requestedBy,
    bankBik: row.bankBik,
    bankAccount: row.bankAccount,
    createdAt: row.createdAt.toISOString(),
  };
}

const json = (value: Record<string, unknown>) =>
  JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;

/** Interactive transactions here may queue behind the partner's lock: allow for that. */
const TX_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

function positiveAmount(text: string): Money {
  const amount = parseMoney(text);
  if (!amount.gt(0)) throw fieldError('amount', 'must be greater than 0', 'must_be_positive');
  return amount;
}

export function createRebateRepository(db: Database) {
  /** Serializes every balance-changing write of one partner until the transaction ends. */
  async function lockBalance(tx: Prisma.TransactionClient, partnerId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('rebate-balance:' || ${partnerId}::text))`;
  }

  async function balanceIn(
    client: Prisma.TransactionClient | Database,
    partnerId: string,
  ): Promise<Money> {
    const [row] = await client.$queryRaw<{ balance: string }[]>`
      SELECT coalesce(sum(amount), 0)::text AS balance
        FROM rebate_ledger WHERE partner_id = ${partnerId}::uuid`;
    return new Money(row?.balance ?? '0');
  }

  return {
    /** The rebate accrual balance: the sum of the partner's ledger entries. */
    async balance(partnerId: string): Promise<string> {
      return formatMoney(await balanceIn(db, partnerId));
    },

    /** The partner's ledger, newest first, each entry with the balance right after it. */
    async ledger(partnerId: string, options: { limit: number }): Promise<LedgerEntryView[]> {
      const rows = await db.$queryRaw<
        {
          id: string;
          kind: RebateEntryKind;
          amount: string;
          balance_after: string;
          month: string | null;
          project_id: string | null;
          explanation: Record<string, unknown>;
          created_at: Date;
        }[]
      >`
        SELECT id::text AS id, kind::text AS kind, amount::text AS amount,
               (sum(amount) OVER (ORDER BY id))::text AS balance_after,
               month, project_id::text AS project_id, explanation, created_at
          FROM rebate_ledger
         WHERE partner_id = ${partnerId}::uuid
         -- the table's numeric id, not the text alias above ("10" < "9" as text)
         ORDER BY rebate_ledger.id DESC
         LIMIT ${options.limit}::int`;
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        amount: formatMoney(r.amount),
        balanceAfter: formatMoney(r.balance_after),
        month: r.month,
        projectId: r.project_id,
        explanation: r.explanation,
        createdAt: r.created_at.toISOString(),
      }));
    },

    /**
     * Withdraws from the balance: a negative ledger entry and the Withdrawal row, in one
     * transaction under the partner's lock, so concurrent requests can never overdraw. The
     * same key again returns the first withdrawal (created: false); with another amount or
     * target it is a conflict. Refused above the balance and, to the bank, without bank details.
     */
    async withdraw(
      request: WithdrawalRequest,
    ): Promise<{ withdrawal: WithdrawalView; created: boolean }> {
      const { partnerId, clientKey, target } = request;
      const amount = positiveAmount(request.amount);
      const month = target === 'bonus' ? request.month : null;
      if (target === 'bonus' && !month) {
        throw new Error('A withdrawal to Bonus needs the month whose invoice it reduces');
      }
      const key = `${partnerId}:${clientKey}`;
      return db.$transaction(async (tx) => {
        await lockBalance(tx, partnerId);
        const existing = await tx.withdrawal.findUnique({ where: { idempotencyKey: key } });
        if (existing) {
          if (existing.target !== target || !new Money(existing.amount.toString()).eq(amount)) {
            const original = `a withdrawal of ${existing.amount.toFixed(2)} to ${existing.target}`;
            const message = `this idempotency key was used for a different request (${original}); use a new key for a new withdrawal`;
            throw new DomainError(
              'conflict',
              message,
              [{ field: 'header.Idempotency-Key', message, code: 'idempotency_key_reused' }],
              { reason: 'idempotency_key_reused' },
            );
          }
          return { withdrawal: withdrawalView(existing), created: false };
        }
        // Leaving takes this same lock: once the status is final, the balance was paid out.
        const partner = await tx.partner.findUnique({
          where: { id: partnerId },
          select: { status: true, endedAt: true },
        });
        if (partner && (partner.status === 'left' || partner.status === 'revoked')) {
          throw new DomainError(
            'invalid_state',
            `The partner status is ${partner.status}${partner.endedAt ? ` since ${partner.endedAt.toISOString().slice(0, 10)}` : ''}: ` +
              'the rebate balance was paid out to the bank account on leaving, and no withdrawals can be made',
            [],
            { reason: 'partner_left_no_withdrawals', params: { status: partner.status } },
          );
        }
        // Never a payout to an empty or invalid account: the destination rule of the domain.
        const destination = target === 'bank' ? payoutDestination(request.bank ?? null) : null;
        if (destination && !destination.ok) {
          throw fieldError(
            'target',
            'A payout to the bank needs valid bank details of the partner agreement (BIK and ' +
              'settlement account) on the partner’s billing account ' +
              `(${describeProblems(destination.problems)}); withdraw to Bonus instead, or give ` +
              'the bank details first (PUT /v1/partners/me/bank-details)',
            'bank_details_needed',
          );
        }
        const bank = destination?.ok
          ? { bik: destination.bik, account: destination.account }
          : null;
        const balance = await balanceIn(tx, partnerId);
        if (amount.gt(balance)) {
          throw fieldError(
            'amount',
            `The rebate balance is ${formatMoney(balance)}: at most ${formatMoney(balance)} can be ` +
              `withdrawn, not ${formatMoney(amount)}`,
            'exceeds_balance',
            { balance: formatMoney(balance) },
          );
        }
        const id = randomUUID();
        const row = await tx.withdrawal.create({
          data: {
            id,
            partnerId,
            idempotencyKey: key,
            target,
            amount: amount.toFixed(2),
            month,
            requestedBy: request.requestedBy,
            bankBik: bank?.bik ?? null,
            bankAccount: bank?.account ?? null,
          },
        });
        const description =
          target === 'bonus'
            ? `Withdrawal to Bonus: reduces the amount payable for the customer subaccounts’ ` +
              `consumption of ${month} (at most that amount)`
            : `Payout to the bank account ${bank!.account} (BIK ${bank!.bik}) of the partner agreement`;
        await tx.rebateLedgerEntry.create({
          data: {
            partnerId,
            idempotencyKey: `withdrawal:${partnerId}:${clientKey}`,
            kind: target === 'bonus' ? 'withdrawal_to_bonus' : 'withdrawal_to_bank',
            amount: amount.neg().toFixed(2),
            month,
            explanation: json({
              description,
              withdrawalId: id,
              target,
              requested: formatMoney(amount),
              balanceBefore: formatMoney(balance),
              requestedBy: request.requestedBy,
              ...(month ? { month } : {}),
              ...(bank ? { bankBik: bank.bik, bankAccount: bank.account } : {}),
            }),
          },
        });
        return { withdrawal: withdrawalView(row), created: true };
      }, TX_OPTIONS);
    },

    /** What the partner withdrew to Bonus for a month: the close deducts it from that invoice. */
    async withdrawalsToBonus(partnerId: string, month: string): Promise<string> {
      const total = await db.withdrawal.aggregate({
        where: { partnerId, month, target: 'bonus' },
        _sum: { amount: true },
      });
      return formatMoney(total._sum.amount?.toString() ?? '0');
    },

    /** Credits the balance once per key; a repeat returns the first entry (created: false). */
    async credit(entry: RebateCredit): Promise<{ entryId: string; created: boolean }> {
      const amount = positiveAmount(entry.amount);
      return db.$transaction(async (tx) => {
        await lockBalance(tx, entry.partnerId);
        const inserted = await tx.rebateLedgerEntry.createMany({
          data: [
            {
              partnerId: entry.partnerId,
              idempotencyKey: entry.key,
              kind: entry.kind,
              amount: amount.toFixed(2),
              month: entry.month,
              projectId: entry.projectId ?? null,
              explanation: json(entry.explanation),
            },
          ],
          skipDuplicates: true,
        });
        const row = await tx.rebateLedgerEntry.findUniqueOrThrow({
          where: { idempotencyKey: entry.key },
          select: { id: true },
        });
        return { entryId: row.id.toString(), created: inserted.count === 1 };
      }, TX_OPTIONS);
    },
  };
}

export type RebateRepository = ReturnType<typeof createRebateRepository>;
