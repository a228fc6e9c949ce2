import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { CompanyCard } from '../domain/company';
import { DomainError } from '../domain/errors';
import type {
  ApplicationStatus,
  BankDetails,
  BillingAccountFacts,
  Contact,
  OnboardingStep,
  Program,
} from '../domain/onboarding';
import type {
  ApplicationChanges,
  ApplicationRepository,
} from '../prisma/repositories/application.repository';
import type { BillingAccountRepository } from '../prisma/repositories/billing-account.repository';
import type { PartnerRepository } from '../prisma/repositories/partner.repository';
import type { CompanyRegistry } from './registry/company-registry';
import {
  ONBOARDING_FAILURES,
  onboardingWorkflowId,
  type StartOnboardingInput,
} from '../workflows/partner-onboarding.contracts';
import { holdsPartnerStatus } from '../domain/lifecycle';
import { reviewSla } from '../domain/calendar/production-calendar';

/** The review SLA of a submission, as the onboarding workflow records it. */
export interface ReviewSlaResult {
  /** Moscow date of the 7th business day after submission. */
  lastReviewDay: string;
  /** 00:00 Moscow of the last review day: the manager is reminded. */
  reminderAt: string;
  /** 00:00 Moscow of the day after it: the application is escalated. */
  deadline: string;
}

export interface OnboardingActivityDeps {
  applications: ApplicationRepository;
  billingAccounts: BillingAccountRepository;
  partners: PartnerRepository;
  registry: CompanyRegistry;
}

export interface RecordApplicationInput extends StartOnboardingInput {
  status: ApplicationStatus;
  step: OnboardingStep;
}

/** ISO-string form of ApplicationChanges, as it travels through workflow history. */
export type ApplicationChangesInput = Omit<
  ApplicationChanges,
  'submittedAt' | 'reviewDeadline' | 'reminderAt' | 'escalatedAt' | 'decidedAt'
> & {
  submittedAt?: string;
  reviewDeadline?: string;
  reminderAt?: string;
  escalatedAt?: string;
  decidedAt?: string;
};

export interface RecordApplicationEventInput {
  applicationId: string;
  sequence: number;
  actor: string;
  action: string;
  from: ApplicationStatus | null;
  to: ApplicationStatus;
  step: OnboardingStep;
  at: string;
  changes?: ApplicationChangesInput;
}

export interface SubmitBillingAccountInput {
  applicationId: string;
  organizationId: string;
  name: string;
  type: 'business' | 'individual_entrepreneur';
  company: CompanyCard;
  contact: Contact;
  bankDetails: BankDetails | null;
}

export interface CreatePartnerInput {
  applicationId: string;
  organizationId: string;
  name: string;
  inn: string | null;
  billingAccountId: string;
  taxationType: string;
  programs: Program[];
  startDate: string;
  approvedBy: string;
}

/** Failure types that retrying cannot fix; the workflow turns them into answers. */
export const ONBOARDING_NON_RETRYABLE_ERRORS = [
  'DomainError',
  'BillingAccountLocked',
  'RegistryResponseError',
  ONBOARDING_FAILURES.organizationIsPartner,
];

/** The run that owns the application, so reads reach that run even after a re-application. */
function currentRunId(): string {
  const runId = Context.current().info.workflowExecution?.runId;
  if (!runId) throw new Error('recordApplication must run as a workflow activity');
  return runId;
}

function toDates(changes: ApplicationChangesInput | undefined): ApplicationChanges | undefined {
  if (!changes) return undefined;
  const { submittedAt, reviewDeadline, reminderAt, escalatedAt, decidedAt, ...rest } = changes;
  const date = (v?: string) => (v ? new Date(v) : undefined);
  return {
    ...rest,
    submittedAt: date(submittedAt),
    reviewDeadline: date(reviewDeadline),
    reminderAt: date(reminderAt),
    escalatedAt: date(escalatedAt),
    decidedAt: date(decidedAt),
  };
}

/** Database and registry side effects of onboarding; each one idempotent by business key. */
export function createOnboardingActivities(deps: OnboardingActivityDeps) {
  return {
    /**
     * The manager's review deadline from the production calendar (seven business days). An
     * activity, so the result is recorded in history: correcting the calendar changes new
     * submissions, never what a running workflow replays. Missing calendar data fails the
     * attempt and is retried until the calendar is loaded.
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async computeReviewSla(input: { submittedAt: string }): Promise<ReviewSlaResult> {
      const { lastReviewDay, reminderAt, deadline } = reviewSla(input.submittedAt);
      return { lastReviewDay, reminderAt, deadline };
    },

    async recordApplication(input: RecordApplicationInput): Promise<void> {
      await deps.applications.create({
        id: input.applicationId,
        organizationId: input.organizationId,
        workflowId: onboardingWorkflowId(input.organizationId),
        workflowRunId: currentRunId(),
        identityMethod: input.identityMethod,
        status: input.status,
        step: input.step,
        startedBy: input.startedBy,
        startedAt: new Date(input.startedAt),
      });
    },

    async recordApplicationEvent(input: RecordApplicationEventInput): Promise<void> {
      await deps.applications.recordEvent({
        ...input,
        at: new Date(input.at),
        changes: toDates(input.changes),
      });
    },

    /** Looks the company up in the state registry; null when the INN is unknown there. */
    async lookupCompany(input: { inn: string }): Promise<CompanyCard | null> {
      return deps.registry.findByInn(input.inn);
    },

    async loadBillingAccount(input: {
      billingAccountId: string;
    }): Promise<(BillingAccountFacts & { legalName: string | null; inn: string | null }) | null> {
      const account = await deps.billingAccounts.findById(input.billingAccountId);
      if (!account) return null;
      return {
        id: account.id,
        organizationId: account.organizationId,
        type: account.type,
        ownerResident: account.ownerResident,
        paymentMethod: account.paymentMethod,
        lockedByApplication: account.lockedByApplication,
        bankDetails: account.bankDetails,
        legalName: account.legalName,
        inn: account.inn,
      };
    },

    async lockBillingAccount(input: {
      billingAccountId: string;
      applicationId: string;
    }): Promise<void> {
      try {
        await deps.billingAccounts.lock(input.billingAccountId, input.applicationId);
      } catch (error) {
        if (error instanceof DomainError) {
          throw ApplicationFailure.nonRetryable(error.message, 'BillingAccountLocked');
        }
        throw error;
      }
    },

    /** Creates (or corrects) the application's billing account and asks for verification. */
    async submitBillingAccount(
      input: SubmitBillingAccountInput,
    ): Promise<{ billingAccountId: string }> {
      const account = await deps.billingAccounts.submit({
        creationKey: `application:${input.applicationId}:billing-account`,
        id: `ba-${randomUUID()}`,
        organizationId: input.organizationId,
        applicationId: input.applicationId,
        name: input.name,
        type: input.type,
        company: input.company,
        contact: input.contact,
        bankDetails: input.bankDetails,
      });
      return { billingAccountId: account.id };
    },

    async recordBillingVerification(input: {
      billingAccountId: string;
      result: 'approved' | 'rejected';
      reason: string | null;
    }): Promise<void> {
      await deps.billingAccounts.recordVerification(
        input.billingAccountId,
        input.result,
        input.reason,
      );
    },

    /** Trial → paid after a successful verification: grants preserved, nothing charged. */
    async upgradeBillingAccount(input: {
      billingAccountId: string;
      at: string;
    }): Promise<{ grantBalance: string }> {
      const account = await deps.billingAccounts.upgradeToPaid(
        input.billingAccountId,
        new Date(input.at),
      );
      return { grantBalance: account.grantBalance };
    },

    /**
     * Grants partner status on approval. A retry of the same approval returns the partner it
     * created. An organization whose partner record belongs to another application is a
     * deterministic failure: retrying can never succeed, so it fails at once, non-retryable,
     * and the approval is refused with the reason.
     */
    async createPartner(input: CreatePartnerInput): Promise<{ partnerId: string }> {
      const outcome = await deps.partners.createFromApplication({ ...input, id: randomUUID() });
      if ('partnerId' in outcome) return outcome;
      const holder = outcome.organizationTakenBy;
      const message = holdsPartnerStatus(holder.status)
        ? `Organization ${input.organizationId} is already a partner (partner ${holder.partnerId}, ` +
          `status ${holder.status}); it can apply again once it has left the program`
        : `Organization ${input.organizationId} was a partner (partner ${holder.partnerId}, status ` +
          `${holder.status}) and the platform keeps one partner record per organization: a former ` +
          'partner cannot be admitted again yet. Reject this application, or have the records ' +
          'migrated first';
      throw ApplicationFailure.nonRetryable(message, ONBOARDING_FAILURES.organizationIsPartner, {
        organizationId: input.organizationId,
        applicationId: input.applicationId,
        partnerId: holder.partnerId,
        partnerApplicationId: holder.applicationId,
        partnerStatus: holder.status,
      });
    },
  };
}

export type OnboardingActivities = ReturnType<typeof createOnboardingActivities>;
