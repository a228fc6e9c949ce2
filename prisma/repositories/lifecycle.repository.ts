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
        await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'left', endedAt: at, endReason: 'exit notice' },
        });
      }),

    revoke: (partnerId: string, reason: string, effectiveDate: string, at: Date) =>
      change(partnerId, 'revoke', 'revoked', async (tx) => {
        await endProgramsAndLinks(tx, partnerId, effectiveDate);
        await tx.partner.update({
          where: { id: partnerId },
          data: { status: 'revoked', endedAt: at, endReason: reason, exitDate: day(effectiveDate) },
        });
      }),
  };
}

export type LifecycleRepository = ReturnType<typeof createLifecycleRepository>;
