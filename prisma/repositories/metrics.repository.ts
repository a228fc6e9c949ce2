import type { Database } from '../client';

/** The figures /metrics reports, read from the database at scrape time. */
export function createMetricsRepository(db: Database) {
  return {
    async applicationsByStatus(): Promise<{ status: string; count: number }[]> {
      const rows = await db.application.groupBy({ by: ['status'], _count: true });
      return rows.map((r) => ({ status: r.status, count: r._count }));
    },

    /** Applications in review past their deadline, and those escalated to the supervisors. */
    async reviewSla(now: Date): Promise<{ overdue: number; escalated: number }> {
      const [overdue, escalated] = await Promise.all([
        db.application.count({ where: { status: 'in_review', reviewDeadline: { lte: now } } }),
        db.application.count({ where: { escalatedAt: { not: null } } }),
      ]);
      return { overdue, escalated };
    },

    /**
     * Requests past their deadline with nobody's decision yet, per process: applications in
     * review, deal/project registrations pending, specialization applications open, and
     * presale requests without a first answer.
     */
    async slaBreaches(now: Date): Promise<Record<SlaProcess, number>> {
      const [application, registration, specialization, presale] = await Promise.all([
        db.application.count({ where: { status: 'in_review', reviewDeadline: { lte: now } } }),
        db.registration.count({ where: { status: 'pending', reviewDeadline: { lte: now } } }),
        db.specializationApplication.count({
          where: { status: 'open', reviewDeadline: { lte: now } },
        }),
        db.presaleRequest.count({
          where: {
            status: { in: ['new', 'assigned', 'in_progress'] },
            firstAnsweredAt: null,
            slaDeadline: { lte: now },
          },
        }),
      ]);
      return { application, registration, specialization, presale };
    },

    /** The newest completed closes: duration, consumption lines settled and invoices issued. */
    async recentCloses(limit = 12) {
      const closes = await db.monthClose.findMany({
        where: { status: 'completed' },
        orderBy: { month: 'desc' },
        take: limit,
      });
      return Promise.all(
        closes.map(async (c) => ({
          month: c.month,
          seconds: c.completedAt ? (c.completedAt.getTime() - c.startedAt.getTime()) / 1000 : 0,
          // Lines are numbered in ingestion order: the close covered (previous, watermark].
          lines: await db.consumptionLine.count({
            where: { seq: { gt: c.previousWatermark, lte: c.watermark } },
          }),
          invoices: await db.invoice.count({ where: { month: c.month } }),
          // Consumption − billed − pending at completion: zero unless a line was lost.
          difference: c.reconciliationDifference ? Number(c.reconciliationDifference) : 0,
        })),
      );
    },

    /** Closes still running, and for how long: one running for hours is stuck. */
    async runningCloses(now: Date): Promise<{ month: string; seconds: number }[]> {
      const rows = await db.monthClose.findMany({
        where: { status: 'running' },
        select: { month: true, startedAt: true },
      });
      return rows.map((r) => ({
        month: r.month,
        seconds: Math.max(0, (now.getTime() - r.startedAt.getTime()) / 1000),
      }));
    },

    /** Leavers' final payouts held for bank details, and those of them past their due date. */
    async finalPayoutsAwaitingBankDetails(now: Date): Promise<{ held: number; overdue: number }> {
      const [held, overdue] = await Promise.all([
        db.finalPayout.count({ where: { status: 'awaiting_bank_details' } }),
        db.finalPayout.count({ where: { status: 'awaiting_bank_details', dueAt: { lte: now } } }),
      ]);
      return { held, overdue };
    },
  };
}

export type SlaProcess = 'application' | 'registration' | 'specialization' | 'presale';

export type MetricsRepository = ReturnType<typeof createMetricsRepository>;
