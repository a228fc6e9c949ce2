import { randomUUID } from 'node:crypto';
import { DomainError, type FieldProblem } from '../../domain/errors';
import { decideFinalPayout, paidOutNotice, payoutDestination } from '../../domain/payouts';
import type { Database } from '../client';
import type { Prisma } from '../generated/client/client';

type Tx = Prisma.TransactionClient;

/** A final payout, as the workflow and the API report it. */
export type FinalPayoutResult =
  | {
      status: 'paid';
      amount: string;
      withdrawalId: string;
      bankBik: string | null;
      bankAccount: string | null;
    }
  | { status: 'awaiting_bank_details'; amount: string; problems: FieldProblem[] };

export type FinalPayoutStatus = 'awaiting_bank_details' | 'paid';

export interface FinalPayoutView {
  partnerId: string;
  partnerName: string;
  organizationId: string;
  partnerStatus: string;
  status: FinalPayoutStatus;
  /** While awaiting: the balance held; once paid: the amount paid. */
  amount: string;
  /** exit or revocation */
  requestedBy: string;
  /** Why it was held (kept after it is paid); null when it was paid at once. */
  heldBecause: FieldProblem[] | null;
  dueAt: string;
  paidAt: string | null;
  withdrawalId: string | null;
  bankBik: string | null;
  bankAccount: string | null;
}

/** The idempotency keys of a partner's one final payout: the withdrawal and its ledger entry. */
export const finalPayoutWithdrawalKey = (partnerId: string) => `${partnerId}:final-payout`;
const finalPayoutLedgerKey = (partnerId: string) => `final-payout:${partnerId}`;

/** The rebate balance's lock: withdrawals, leaving and the final payout all take it first. */
async function lockBalance(tx: Tx, partnerId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rebate-balance:${partnerId}`}))`;
}

function asProblems(value: Prisma.JsonValue | null): FieldProblem[] | null {
  return Array.isArray(value) ? (value as unknown as FieldProblem[]) : null;
}

/**
 * The rebate balance of a partner who left (SPEC §4), once: paid to the bank details of its
 * billing account when they are a valid destination (`domain/payouts.ts`), otherwise recorded
 * as awaiting bank details with nothing paid and the balance kept on the ledger. Idempotent:
 * the withdrawal's and the ledger entry's unique keys, and the final payout's primary key,
 * make a repeat — a retried activity, the details given twice or at once — pay nothing twice.
 * Runs inside the caller's transaction and takes the balance's lock.
 */
export async function payOutFinal(
  tx: Tx,
  partnerId: string,
  requestedBy: string,
  at: Date,
): Promise<FinalPayoutResult | null> {
  await lockBalance(tx, partnerId);
  const done = await tx.withdrawal.findUnique({
    where: { idempotencyKey: finalPayoutWithdrawalKey(partnerId) },
  });
  if (done) {
    return {
      status: 'paid',
      amount: done.amount.toFixed(2),
      withdrawalId: done.id,
      bankBik: done.bankBik,
      bankAccount: done.bankAccount,
    };
  }
  const sum = await tx.rebateLedgerEntry.aggregate({
    where: { partnerId },
    _sum: { amount: true },
  });
  const partner = await tx.partner.findUniqueOrThrow({ where: { id: partnerId } });
  const account = await tx.billingAccount.findUnique({ where: { id: partner.billingAccountId } });
  const decision = decideFinalPayout({
    balance: sum._sum.amount?.toFixed(2) ?? '0',
    bankDetails: account ? { bik: account.bik, account: account.settlementAccount } : null,
  });
  if (decision.action === 'none') return null;
  const existing = await tx.finalPayout.findUnique({ where: { partnerId } });
  const reason = existing?.requestedBy ?? requestedBy;

  if (decision.action === 'hold') {
    const heldBecause = decision.problems as unknown as Prisma.InputJsonValue;
    await tx.finalPayout.upsert({
      where: { partnerId },
      create: {
        partnerId,
        status: 'awaiting_bank_details',
        amount: decision.amount,
        requestedBy,
        heldBecause,
        dueAt: at,
      },
      update: { amount: decision.amount, heldBecause },
    });
    return {
      status: 'awaiting_bank_details',
      amount: decision.amount,
      problems: decision.problems,
    };
  }

  const withdrawalId = randomUUID();
  await tx.withdrawal.create({
    data: {
      id: withdrawalId,
      partnerId,
      idempotencyKey: finalPayoutWithdrawalKey(partnerId),
      target: 'bank',
      amount: decision.amount,
      requestedBy: reason,
      bankBik: decision.bik,
      bankAccount: decision.account,
    },
  });
  await tx.rebateLedgerEntry.create({
    data: {
      partnerId,
      idempotencyKey: finalPayoutLedgerKey(partnerId),
      kind: 'final_payout',
      amount: `-${decision.amount}`,
      explanation: {
        description: 'Rebate balance paid out to the bank account on leaving the program',
        withdrawalId,
        bankBik: decision.bik,
        bankAccount: decision.account,
        ...(existing ? { heldSince: existing.dueAt.toISOString() } : {}),
      },
    },
  });
  await tx.finalPayout.upsert({
    where: { partnerId },
    create: {
      partnerId,
      status: 'paid',
      amount: decision.amount,
      requestedBy,
      withdrawalId,
      dueAt: at,
      paidAt: at,
    },
    update: { status: 'paid', amount: decision.amount, withdrawalId, paidAt: at },
  });
  return {
    status: 'paid',
    amount: decision.amount,
    withdrawalId,
    bankBik: decision.bik,
    bankAccount: decision.account,
  };
}

/** Final payouts as finance follows them, and bank details given after the fact. */
export function createPayoutRepository(db: Database) {
  return {
    /** Final payouts, oldest due first; `status` narrows to those awaiting bank details or paid. */
    async list(filter: { status?: FinalPayoutStatus; limit: number }): Promise<FinalPayoutView[]> {
      const rows = await db.finalPayout.findMany({
        where: filter.status ? { status: filter.status } : {},
        orderBy: [{ dueAt: 'asc' }, { partnerId: 'asc' }],
        take: filter.limit,
      });
      const partners = await db.partner.findMany({
        where: { id: { in: rows.map((r) => r.partnerId) } },
        select: { id: true, name: true, organizationId: true, status: true },
      });
      const withdrawalIds = rows.flatMap((r) => (r.withdrawalId ? [r.withdrawalId] : []));
      const withdrawals = await db.withdrawal.findMany({ where: { id: { in: withdrawalIds } } });
      const partnerOf = new Map(partners.map((p) => [p.id, p]));
      const withdrawalOf = new Map(withdrawals.map((w) => [w.id, w]));
      return rows.map((row) => {
        const partner = partnerOf.get(row.partnerId);
        const withdrawal = row.withdrawalId ? withdrawalOf.get(row.withdrawalId) : undefined;
        return {
          partnerId: row.partnerId,
          partnerName: partner?.name ?? '',
          organizationId: partner?.organizationId ?? '',
          partnerStatus: partner?.status ?? 'unknown',
          status: row.status,
          amount: row.amount.toFixed(2),
          requestedBy: row.requestedBy,
          heldBecause: asProblems(row.heldBecause),
          dueAt: row.dueAt.toISOString(),
          paidAt: row.paidAt?.toISOString() ?? null,
          withdrawalId: row.withdrawalId,
          bankBik: withdrawal?.bankBik ?? null,
          bankAccount: withdrawal?.bankAccount ?? null,
        };
      });
    },

    /**
     * Records the partner's bank details on its billing account (audited when they change)
     * and, when its final payout awaits them, pays it in the same transaction and stores the
     * partner's notification. The caller validated the details; they are checked again here
     * with the same rule, so nothing is written for invalid ones. Under the balance's lock: a
     * final payout running at the same time either sees the new details or is paid here.
     */
    async giveBankDetails(input: {
      partnerId: string;
      bik: string;
      account: string;
      actor: string;
      at: Date;
    }): Promise<{ changed: boolean; finalPayout: FinalPayoutResult | null }> {
      const destination = payoutDestination({ bik: input.bik, account: input.account });
      if (!destination.ok) {
        throw new DomainError(
          'validation_failed',
          'The bank details are not valid',
          destination.problems,
          { reason: 'bank_details_invalid' },
        );
      }
      const { bik, account } = destination;
      return db.$transaction(
        async (tx) => {
          await lockBalance(tx, input.partnerId);
          const partner = await tx.partner.findUnique({ where: { id: input.partnerId } });
          if (!partner)
            throw new DomainError('not_found', `No partner ${input.partnerId}`, [], {
              reason: 'partner_not_found',
              params: { partnerId: input.partnerId },
            });
          const billing = await tx.billingAccount.findUniqueOrThrow({
            where: { id: partner.billingAccountId },
          });
          const changed = billing.bik !== bik || billing.settlementAccount !== account;
          if (changed) {
            await tx.billingAccount.update({
              where: { id: billing.id },
              data: { bik, settlementAccount: account },
            });
            await tx.auditEvent.create({
              data: {
                idempotencyKey: `partner:${partner.id}:bank-details:${bik}:${account}:${input.at.toISOString()}`,
                entityType: 'partner',
                entityId: partner.id,
                actor: input.actor,
                action: 'give_bank_details',
                details: {
                  billingAccountId: billing.id,
                  bik,
                  account,
                  previous: { bik: billing.bik, account: billing.settlementAccount },
                },
                occurredAt: input.at,
              },
            });
          }
          const held = await tx.finalPayout.findUnique({ where: { partnerId: partner.id } });
          if (!held) return { changed, finalPayout: null };
          const wasAwaiting = held.status === 'awaiting_bank_details';
          const finalPayout = await payOutFinal(tx, partner.id, held.requestedBy, input.at);
          if (wasAwaiting && finalPayout?.status === 'paid') {
            await tx.notification.createMany({
              data: {
                id: randomUUID(),
                idempotencyKey: `partner:${partner.id}:final-payout:paid`,
                recipientType: 'partner',
                recipient: `organization:${partner.organizationId}`,
                organizationId: partner.organizationId,
                kind: 'rebate_paid_out',
                subject: 'Your rebate balance is paid out',
                body: paidOutNotice({ amount: finalPayout.amount, bik, account }),
                payload: {
                  partnerId: partner.id,
                  amount: finalPayout.amount,
                  withdrawalId: finalPayout.withdrawalId,
                  bankBik: bik,
                  bankAccount: account,
                },
              },
              skipDuplicates: true,
            });
          }
          return { changed, finalPayout };
        },
        { maxWait: 15_000, timeout: 15_000 },
      );
    },
  };
}

export type PayoutRepository = ReturnType<typeof createPayoutRepository>;
