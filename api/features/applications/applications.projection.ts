import { moscowDateOf } from '../../../domain/calendar/production-calendar';
import { nextActionOf, nextActionText, type NextActionCode } from '../../../domain/next-actions';
import {
  APPLICANT_INACTIVITY_DAYS,
  type ApplicationStatus,
  type OnboardingStep,
} from '../../../domain/onboarding';
import type { ApplicationProjection } from '../../../prisma/repositories/application.repository';
import { applicationView, type ApplicationView } from './applications.schemas';

/**
 * An application's status built from the database alone: the `applications` projection and
 * the rows beside it that the onboarding workflow's activities write at every transition.
 * It answers with the same shape as the workflow's state, so a status read needs neither
 * Temporal nor a worker and keeps working while either is down.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Steps the applicant only reaches after the information video. */
const AFTER_VIDEO: readonly OnboardingStep[] = ['billing_account', 'manager_review', 'decision'];

const companySchema = applicationView.shape.company;
const questionnaireSchema = applicationView.shape.questionnaire;
const bankDetailsSchema = applicationView.shape.bankDetails;

/** A stored JSON value checked against the API's schema; null when absent or not that shape. */
function parsed<T>(
  schema: { safeParse(value: unknown): { success: boolean; data?: T } },
  value: unknown,
): T | null {
  if (value === undefined || value === null) return null;
  const result = schema.safeParse(value);
  return result.success ? (result.data ?? null) : null;
}

export function applicationFromProjection(
  p: ApplicationProjection,
  workflowUrl: string,
): ApplicationView {
  const { record } = p;
  const status = record.status;
  const step = record.step;
  const company = p.companyInn ? parsed(companySchema, p.details.company) : null;
  const companyConfirmed = company !== null && step !== 'application';
  const videoWatched =
    p.history.some((event) => event.action === 'information video watched') ||
    (AFTER_VIDEO.includes(step) && p.programs.length > 0);

  const account = p.billingAccount;
  const created = account?.creationKey === `application:${record.id}:billing-account`;
  const billingAccount = account
    ? {
        id: account.id,
        source: created ? ('created' as const) : ('existing' as const),
        // An existing account is checked when it is chosen; only a created one is verified.
        verification: created ? account.verificationStatus : ('approved' as const),
        rejectionReason:
          created && account.verificationStatus === 'rejected'
            ? (account.verificationReason ?? 'no reason given')
            : null,
        upgradedToPaid: created && account.upgradedAt !== null,
      }
    : null;

  const review =
    p.submittedAt && p.reviewDeadline && p.reminderAt
      ? {
          submittedAt: p.submittedAt.toISOString(),
          // The last review day is the Moscow date just before the deadline instant.
          lastReviewDay: moscowDateOf(new Date(p.reviewDeadline.getTime() - 1)),
          reminderAt: p.reminderAt.toISOString(),
          deadline: p.reviewDeadline.toISOString(),
          remindedAt: p.remindedAt?.toISOString() ?? null,
          escalatedAt: p.escalatedAt?.toISOString() ?? null,
        }
      : null;

  const outcome = status === 'approved' || status === 'rejected' ? status : null;
  const decision =
    outcome && p.decidedAt
      ? {
          outcome,
          by: p.decidedBy ?? 'unknown',
          at: p.decidedAt.toISOString(),
          reason: outcome === 'rejected' ? p.decisionReason : null,
          partnerId: p.partner?.id ?? null,
          startDate: p.partner?.startDate ?? null,
        }
      : null;

  // The applicant's 30 days run from their last recorded step while the application is a
  // draft (each of their steps, and a failed billing verification, is an audit event).
  const lastActivity = p.history.at(-1)?.at ?? record.startedAt;
  const expiresAt =
    status === 'draft'
      ? new Date(lastActivity.getTime() + APPLICANT_INACTIVITY_DAYS * DAY_MS).toISOString()
      : null;

  const next = nextActionOf({
    status,
    step,
    companyUnconfirmed: company !== null && !companyConfirmed,
    billingRejectionReason: billingAccount?.rejectionReason ?? null,
  });

  return {
    applicationId: record.id,
    organizationId: record.organizationId,
    identityMethod: record.identityMethod,
    status,
    step,
    nextAction: nextActionText(next),
    nextActionCode: next.code,
    nextActionParams: next.params,
    startedAt: record.startedAt.toISOString(),
    recorded: true,
    expiresAt,
    contact: p.contact,
    company,
    companyConfirmed,
    videoWatched,
    programs: p.programs,
    taxationType: parsed(applicationView.shape.taxationType, p.taxationType),
    questionnaire: parsed(questionnaireSchema, p.details.questionnaire),
    bankDetails:
      parsed(bankDetailsSchema, p.details.bankDetails) ??
      (billingAccount?.source === 'existing' ? (account?.bankDetails ?? null) : null),
    billingAccount,
    review,
    decision,
    history: p.history.map((event) => ({
      at: event.at.toISOString(),
      actor: event.actor,
      action: event.action,
      from: event.from,
      to: event.to,
    })),
    workflowId: record.workflowId,
    workflowUrl,
  };
}

/**
 * The next action of an application the workflow reports: its text as the workflow words it,
 * and the stable code and parameters derived from its status, step and fields.
 */
export function nextActionFields(state: {
  status: ApplicationStatus;
  step: OnboardingStep;
  company: unknown;
  companyConfirmed: boolean;
  billingAccount: { verification: string; rejectionReason: string | null } | null;
}): { nextActionCode: NextActionCode; nextActionParams: Record<string, string | number> } {
  const rejected = state.billingAccount?.verification === 'rejected';
  const next = nextActionOf({
    status: state.status,
    step: state.step,
    companyUnconfirmed: state.company !== null && !state.companyConfirmed,
    billingRejectionReason: rejected
      ? (state.billingAccount?.rejectionReason ?? 'no reason given')
      : null,
  });
  return { nextActionCode: next.code, nextActionParams: next.params };
}
