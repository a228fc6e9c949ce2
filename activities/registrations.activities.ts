import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors';
import { registrationSla, type RegistrationSla } from '../domain/registrations';
import type {
  Approval,
  RegistrationRepository,
  RegistrationView,
} from '../prisma/repositories/registration.repository';
import { REGISTRATION_FAILURES } from '../workflows/registration-review.contracts';

export interface RegistrationActivityDeps {
  registrations: RegistrationRepository;
}

/** A refusal by the database's rules is final: the workflow passes it to the caller. */
async function final<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) {
      const type =
        error.code === 'validation_failed'
          ? REGISTRATION_FAILURES.validation
          : error.code === 'conflict'
            ? REGISTRATION_FAILURES.conflict
            : REGISTRATION_FAILURES.invalidState;
      throw ApplicationFailure.create({
        message: error.message,
        type,
        nonRetryable: true,
        // The field problems, then the stable reason the API gives the caller.
        details: [error.fields, { reason: error.reason, params: error.params }],
      });
    }
    throw error;
  }
}

/** What the review of a registered deal or project does to the database. */
export function createRegistrationActivities({ registrations }: RegistrationActivityDeps) {
  return {
    /** The review window on the production calendar, stored on the registration. */
    async computeRegistrationSla(input: {
      registrationId: string;
      submittedAt: string;
      businessDays: number;
    }): Promise<RegistrationSla> {
      const sla = registrationSla(input.submittedAt, input.businessDays);
      await registrations.setReviewWindow(input.registrationId, sla.deadline, sla.reminderAt);
      return sla;
    },

    async recordRegistrationReminder(input: { registrationId: string; at: string }) {
      await registrations.markReminded(input.registrationId, input.at);
    },

    async escalateRegistration(input: { registrationId: string; at: string }) {
      await registrations.markEscalated(input.registrationId, input.at);
    },

    async approveRegistration(input: Approval): Promise<RegistrationView> {
      return final(() => registrations.approve(input));
    },

    async rejectRegistration(input: {
      registrationId: string;
      decidedBy: string;
      decidedAt: string;
      reason: string;
    }): Promise<RegistrationView> {
      return final(() => registrations.reject(input));
    },

    async expireRegistration(input: { registrationId: string; at: string }) {
      return final(() => registrations.expire(input.registrationId, input.at));
    },

    async extendRegistration(input: {
      registrationId: string;
      endDate: string;
      requestedBy: string;
      at: string;
    }): Promise<RegistrationView> {
      return final(() => registrations.extend(input));
    },
  };
}

export type RegistrationActivities = ReturnType<typeof createRegistrationActivities>;
