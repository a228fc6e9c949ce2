import { randomUUID } from 'node:crypto';
import { partnerTransition, type PartnerStatus } from '../../domain/lifecycle';
import { DomainError } from '../../domain/errors';
import type { Database } from '../client';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
function dayBefore(iso: string): Date {
  const d = day(iso);
  d.setUTCDate(d.getUTCDate() - 1);
  return d;
}

/**
 * A partner's status as one source of truth (SPEC §4): every change goes through the
 * domain's transition rules under a row lock, and is idempotent — repeating a change that
 * already happened returns quietly.
 */
export function createLifecycleRepository(db: Database) {
  async function change(
    partnerId: string,
    event: 'notice' | 'withdraw_notice' | 'exit' | 'revoke',
    target: PartnerStatus,
    apply: (tx: Parameters<Parameters<Database['$transaction']>[0]>[0]) => Promise<void>,
  ): Promise<PartnerStatus> {
    return db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1 FROM partners WHERE id = ${partnerId}::uuid FOR UPDATE`;
      const partner = await tx.partner.findUnique({ where: { id: partnerId } });
      if (!partner) throw new DomainError('not_found', `No partner ${partnerId}`);
      if (partner.status === target) return partner.status; // already done: a retry
      partnerTransition(partner.status, event);
      await apply(tx);
      return target;
    });
  }

  /** Ends memberships and customer links: the last day with status is the day before `endDate`. */
  async function endProgramsAndLinks(
    tx: Parameters<Parameters<Database['$transaction']>[0]>[0],
    partnerId: string,
    endDate: string,
  ): Promise<void> {
    const last = dayBefore(endDate);
    await tx.programMembership.updateMany({
      where: { partnerId, OR: [{ endDate: null }, { endDate: { gt: last } }] },
      data: { endDate: last },
    });
    await tx.deal.updateMany({
      where: { partnerId, OR: [{ endDate: null }, { endDate: { gt: last } }] },
      data: { endDate: last },
    });
  }

  /**
   * On exit or revocation the rebate balance is paid out to the bank account of the partner
   * agreement (SPEC §4): one payout record and one ledger entry that brings the balance to
   * zero, both keyed by the partner so a retry pays nothing twice.
   */
  async function payOutRebates(
    tx: Parameters<Parameters<Database['$transaction']>[0]>[0],
    partnerId: string,
    requestedBy: string,
  ): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rebate-balance:${partnerId}`}))`;
    const sum = await tx.rebateLedgerEntry.aggregate({
      where: { partnerId },
      _sum: { amount: true },
    });
    const balance = sum._sum.amount;
    if (!balance || balance.lessThanOrEqualTo(0)) return;
    const partner = await tx.partner.findUniqueOrThrow({ where: { id: partnerId } });
    const account = await tx.billingAccount.findUnique({ where: { id: partner.billingAccountId } });
    const withdrawalId = randomUUID();
    await tx.withdrawal.create({
      data: {
        id: withdrawalId,
        partnerId,
        idempotencyKey: `${partnerId}:final-payout`,
        target: 'bank',
        amount: balance,
        requestedBy,
        bankBik: account?.bik ?? null,
        bankAccount: account?.settlementAccount ?? null,
      },
    });
    await tx.rebateLedgerEntry.create({
      data: {
        partnerId,
        idempotencyKey: `final-payout:${partnerId}`,
        kind: 'final_payout',
        amount: balance.negated(),
        explanation: {
          description: 'Rebate balance paid out to the bank account on leaving the program',
          withdrawalId,
          bankBik: account?.bik ?? null,
          bankAccount: account?.settlementAccount ?? null,
        },
      },
    });
  }

  return {
    async status(partnerId: string) {
      const partner = await db.partner.findUnique({ where: { id: partnerId } });
      return partner
        ? {
            status: partner.status,
            exitDate: partner.exitDate?.toISOString().slice(0, 10) ?? null,
            endedAt: partner.endedAt?.toISOString() ?? null,
          }
        : null;
    },

    recordNotice: (partnerId: string, noticeAt: string, exitDate: string) =>
      change(partnerId, 'notice', 'leaving', async (tx) => {
        await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'leaving', exitNoticeAt: new Date(noticeAt), exitDate: day(exitDate) },
        });
      }),

    withdrawNotice: (partnerId: string) =>
      change(partnerId, 'withdraw_notice', 'active', async (tx) => {
        await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'active', exitNoticeAt: null, exitDate: null },
        });
      }),

    completeExit: (partnerId: string, exitDate: string, at: Date) =>
      change(partnerId, 'exit', 'left', async (tx) => {
        await endProgramsAndLinks(tx, partnerId, exitDate);
        await payOutRebates(tx, partnerId, 'exit');
        await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'left', endedAt: at, endReason: 'exit notice' },
        });
      }),

    revoke: (partnerId: string, reason: string, effectiveDate: string, at: Date) =>
      change(partnerId, 'revoke', 'revoked', async (tx) => {
        await endProgramsAndLinks(tx, partnerId, effectiveDate);
        await payOutRebates(tx, partnerId, 'revocation');
        await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'revoked', endedAt: at, endReason: reason, exitDate: day(effectiveDate) },
        });
      }),
  };
}

export type LifecycleRepository = ReturnType<typeof createLifecycleRepository>;
