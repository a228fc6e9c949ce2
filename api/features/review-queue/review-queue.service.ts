import { reviewSla } from '../../../domain/calendar/production-calendar';
import { registrationSla } from '../../../domain/registrations';
import {
  compareQueueItems,
  presaleQueueDeadline,
  reviewCountdown,
  type ReviewQueueKind,
} from '../../../domain/review-queue';
import { specializationReviewDeadline } from '../../../domain/specializations';
import type { ApplicationRepository } from '../../../prisma/repositories/application.repository';
import type { PresaleRepository } from '../../../prisma/repositories/presale.repository';
import type { RegistrationRepository } from '../../../prisma/repositories/registration.repository';
import type { SpecializationRepository } from '../../../prisma/repositories/specialization.repository';
import type { Principal } from '../../http/auth';
import type { ReviewQueueItem } from './review-queue.schemas';

export interface ReviewQueueServiceDeps {
  applications: Pick<ApplicationRepository, 'reviewQueue'>;
  registrations: Pick<RegistrationRepository, 'pendingForReview'>;
  specializations: Pick<SpecializationRepository, 'openForReview'>;
  presales: Pick<PresaleRepository, 'openForReview'>;
  /** The SLAs, for a record whose deadline is not stored yet. */
  settings: { registrationSlaBusinessDays: number; specializationSlaBusinessDays: number };
  now?: () => Date;
}

/**
 * Presale requests answered already are due on their desired date, which the database does
 * not order by: the queue reads this many of them and orders them itself.
 */
const PRESALE_READ_LIMIT = 500;

type Timing = Pick<
  ReviewQueueItem,
  'deadline' | 'lastReviewDay' | 'businessDaysLeft' | 'overdue' | 'escalated'
>;

/**
 * The manager's one review queue: each repository gives its open records, this module puts
 * them in one list, nearest deadline first. The presale staff see the presale requests only.
 */
export function createReviewQueueService(deps: ReviewQueueServiceDeps) {
  const now = deps.now ?? (() => new Date());

  /** The countdown of a deadline; `escalated` is the record's own flag where it has one. */
  function timing(deadline: string, at: Date, escalated?: boolean): Timing {
    const countdown = reviewCountdown(deadline, at);
    return { deadline, ...countdown, escalated: escalated ?? countdown.overdue };
  }

  async function applicationItems(limit: number, at: Date): Promise<ReviewQueueItem[]> {
    const rows = await deps.applications.reviewQueue(limit);
    return rows.map((row) => {
      const deadline =
        row.reviewDeadline?.toISOString() ??
        (row.submittedAt ? reviewSla(row.submittedAt).deadline : at.toISOString());
      return {
        kind: 'application',
        id: row.id,
        title: row.companyName ?? row.companyInn ?? row.organizationId,
        partnerName: null,
        status: 'in_review',
        submittedAt: row.submittedAt?.toISOString() ?? null,
        ...timing(deadline, at, row.escalatedAt !== null),
        applicationId: row.id,
        organizationId: row.organizationId,
        companyName: row.companyName,
        companyInn: row.companyInn,
        programs: row.programs,
      };
    });
  }

  async function registrationItems(
    kinds: ReadonlySet<ReviewQueueKind>,
    limit: number,
    at: Date,
  ): Promise<ReviewQueueItem[]> {
    const rows = await deps.registrations.pendingForReview(limit);
    return rows
      .filter((row) => kinds.has(row.kind))
      .map((row): ReviewQueueItem => {
        const deadline =
          row.reviewDeadline ??
          registrationSla(row.submittedAt, deps.settings.registrationSlaBusinessDays).deadline;
        const shared = {
          id: row.id,
          partnerName: row.partnerName,
          status: 'pending' as const,
          submittedAt: row.submittedAt,
          ...timing(deadline, at, row.escalatedAt !== null),
          partnerId: row.partnerId,
        };
        if (row.kind === 'deal') {
          return {
            kind: 'deal',
            ...shared,
            title: row.customerName ?? row.customerInn ?? row.customerAccountId ?? row.id,
            customerInn: row.customerInn,
            expectedMonthlyConsumption: row.expectedMonthlyConsumption,
          };
        }
        const place = row.folderId ? `${row.cloudId ?? ''}/${row.folderId}` : row.cloudId;
        return {
          kind: 'project',
          ...shared,
          title: place ?? row.id,
          cloudId: row.cloudId,
          folderId: row.folderId,
        };
      });
  }

  async function specializationItems(limit: number, at: Date): Promise<ReviewQueueItem[]> {
    const rows = await deps.specializations.openForReview(limit);
    return rows.map((row) => {
      const deadline =
        row.reviewDeadline ??
        specializationReviewDeadline(row.submittedAt, deps.settings.specializationSlaBusinessDays);
      return {
        kind: 'specialization',
        id: row.id,
        title: row.name,
        partnerName: row.partnerName,
        status: 'open',
        submittedAt: row.submittedAt,
        ...timing(deadline, at),
        partnerId: row.partnerId,
        code: row.code,
        certifiedEngineers: row.certifiedEngineers,
      };
    });
  }

  async function presaleItems(at: Date): Promise<ReviewQueueItem[]> {
    const rows = await deps.presales.openForReview(PRESALE_READ_LIMIT);
    return rows.map((row) => {
      const deadline = presaleQueueDeadline(row);
      // The escalation the request records is its first answer's; once answered, the
      // desired date's deadline has none, so it is escalated when it is overdue.
      const escalated = row.firstAnsweredAt === null ? row.escalatedAt !== null : undefined;
      return {
        kind: 'presale',
        id: row.id,
        title: row.topic,
        partnerName: row.partnerName,
        status: row.status,
        submittedAt: row.createdAt,
        ...timing(deadline, at, escalated),
        partnerId: row.partnerId,
        assignee: row.assignee,
        desiredDate: row.desiredDate,
        firstAnsweredAt: row.firstAnsweredAt,
      };
    });
  }

  return {
    /**
     * The queue the caller may see, nearest deadline first, at most `limit` items. A manager
     * sees every kind; the presale staff see presale requests only.
     */
    async queue(principal: Principal, query: { kind?: ReviewQueueKind; limit: number }) {
      const at = now();
      const visible: ReviewQueueKind[] =
        principal.role === 'presale'
          ? ['presale']
          : ['application', 'deal', 'project', 'specialization', 'presale'];
      const kinds = new Set(
        visible.filter((kind) => query.kind === undefined || query.kind === kind),
      );
      const parts = await Promise.all([
        kinds.has('application') ? applicationItems(query.limit, at) : [],
        kinds.has('deal') || kinds.has('project') ? registrationItems(kinds, query.limit, at) : [],
        kinds.has('specialization') ? specializationItems(query.limit, at) : [],
        kinds.has('presale') ? presaleItems(at) : [],
      ]);
      const items = parts.flat().sort((a, b) => compareQueueItems(a, b));
      return { items: items.slice(0, query.limit) };
    },
  };
}

export type ReviewQueueService = ReturnType<typeof createReviewQueueService>;
