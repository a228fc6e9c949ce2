import { partnerTransition, type PartnerStatus } from '../../domain/lifecycle';
import { DomainError } from '../../domain/errors';
import type { Database } from '../client';
import type { Prisma } from '../generated/client/client';
import { payOutFinal } from './payout.repository';

type Tx = Parameters<Parameters<Database['$transaction']>[0]>[0];

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
    audit: { actor: string; key: string; at: Date; details?: Prisma.InputJsonObject },
    apply: (tx: Tx) => Promise<void>,
  ): Promise<PartnerStatus> {
    return db.$transaction(async (tx) => {
      // The rebate balance's lock first (withdrawals take it, then read the status), then
      // the partner row: no withdrawal slips in between leaving and the balance payout.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rebate-balance:${partnerId}`}))`;
      await tx.$executeRaw`SELECT 1 FROM partners WHERE id = ${partnerId}::uuid FOR UPDATE`;
      const partner = await tx.partner.findUnique({ where: { id: partnerId } });
      if (!partner)
        throw new DomainError('not_found', `No partner ${partnerId}`, [], {
          reason: 'partner_not_found',
          params: { partnerId },
        });
      if (partner.status === target) return partner.status; // already done: a retry
      partnerTransition(partner.status, event);
      await apply(tx);
      await tx.auditEvent.create({
        data: {
          idempotencyKey: `partner:${partnerId}:${audit.key}`,
          entityType: 'partner',
          entityId: partnerId,
          actor: audit.actor,
          action: event,
          fromState: partner.status,
          toState: target,
          details: audit.details ?? {},
          occurredAt: audit.at,
        },
      });
      return target;
    });
  }

  /**
   * Ends memberships and customer links (deals, referral attributions): the last day with
   * status is the day before `endDate`.
   */
  async function endProgramsAndLinks(tx: Tx, partnerId: string, endDate: string): Promise<void> {
    const last = dayBefore(endDate);
    await tx.programMembership.updateMany({
      where: { partnerId, OR: [{ endDate: null }, { endDate: { gt: last } }] },
      data: { endDate: last },
    });
    await tx.deal.updateMany({
      where: { partnerId, OR: [{ endDate: null }, { endDate: { gt: last } }] },
      data: { endDate: last },
    });
    await tx.referralAttribution.updateMany({
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

    recordNotice: (partnerId: string, noticeAt: string, exitDate: string, actor: string) =>
      change(
        partnerId,
        'notice',
        'leaving',
        { actor, key: `notice:${noticeAt}`, at: new Date(noticeAt), details: { exitDate } },
        async (tx) => {
          await tx.partner.update({
            where: { id: partnerId },
            data: {
              status: 'leaving',
              exitNoticeAt: new Date(noticeAt),
              exitDate: day(exitDate),
            },
          });
        },
      ),

    withdrawNotice: async (partnerId: string, actor: string, at: Date) => {
      const partner = await db.partner.findUnique({ where: { id: partnerId } });
      const noticeAt = partner?.exitNoticeAt?.toISOString() ?? 'none';
      return change(
        partnerId,
        'withdraw_notice',
        'active',
        { actor, key: `withdraw_notice:${noticeAt}`, at, details: { noticeAt } },
        async (tx) => {
          await tx.partner.update({
            where: { id: partnerId },
            data: { status: 'active', exitNoticeAt: null, exitDate: null },
          });
        },
      );
    },

    /** The exit date has come: status left, memberships and customer links end. */
    completeExit: (partnerId: string, exitDate: string, at: Date) =>
      change(
        partnerId,
        'exit',
        'left',
        { actor: 'system:partner-exit', key: 'exit', at, details: { exitDate } },
        async (tx) => {
          await endProgramsAndLinks(tx, partnerId, exitDate);
          await tx.partner.update({
            where: { id: partnerId },
            data: { status: 'left', endedAt: at, endReason: 'exit notice' },
          });
        },
      ),

    /** A manager revokes: effective at once, memberships and customer links end. */
    revoke: (partnerId: string, reason: string, effectiveDate: string, at: Date, actor: string) =>
      change(
        partnerId,
        'revoke',
        'revoked',
        { actor, key: 'revoke', at, details: { reason, effectiveDate } },
        async (tx) => {
          await endProgramsAndLinks(tx, partnerId, effectiveDate);
          await tx.partner.update({
            where: { id: partnerId },
            data: {
              status: 'revoked',
              endedAt: at,
              endReason: reason,
              exitDate: day(effectiveDate),
            },
          });
        },
      ),

    /**
     * After the final settlement: the rebate balance (with the partial month's accruals) is
     * paid out to the bank once, or held while there are no valid bank details
     * (`payout.repository.ts`). Only for a partner who left or was revoked.
     */
    payOutRebateBalance: (partnerId: string, at: Date = new Date()) =>
      db.$transaction(async (tx) => {
        const partner = await tx.partner.findUnique({ where: { id: partnerId } });
        if (!partner)
          throw new DomainError('not_found', `No partner ${partnerId}`, [], {
            reason: 'partner_not_found',
            params: { partnerId },
          });
        if (partner.status !== 'left' && partner.status !== 'revoked') {
          throw new DomainError(
            'invalid_state',
            `The rebate balance is paid out on leaving; the partner is ${partner.status}`,
            [],
            { reason: 'payout_needs_leaving', params: { status: partner.status } },
          );
        }
        return payOutFinal(tx, partnerId, partner.status === 'left' ? 'exit' : 'revocation', at);
      }),

    /** Who to tell and what about, for the partner's notifications. */
    async contact(partnerId: string) {
      const partner = await db.partner.findUnique({ where: { id: partnerId } });
      return partner
        ? { organizationId: partner.organizationId, name: partner.name, status: partner.status }
        : null;
    },

    async auditTrail(partnerId: string) {
      return db.auditEvent.findMany({
        where: { entityType: 'partner', entityId: partnerId },
        orderBy: { id: 'asc' },
      });
    },
  };
}

export type LifecycleRepository = ReturnType<typeof createLifecycleRepository>;
