import type { Database } from '../prisma/client';
import { createApplicationRepository } from '../prisma/repositories/application.repository';
import { createOnboardingActivities } from './onboarding.activities';

/** Every activity the worker registers, wired to its dependencies. */
export function createActivities(deps: { db: Database }) {
  return {
    ...createOnboardingActivities({ applications: createApplicationRepository(deps.db) }),
  };
}
