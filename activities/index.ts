import type { Config } from '../config';
import type { Database } from '../prisma/client';
import { createApplicationRepository } from '../prisma/repositories/application.repository';
import { createBillingAccountRepository } from '../prisma/repositories/billing-account.repository';
import { createNotificationRepository } from '../prisma/repositories/notification.repository';
import { createPartnerRepository } from '../prisma/repositories/partner.repository';
import { createNotificationActivities } from './notifications/notification.activities';
import { createWebhookSender } from './notifications/webhook';
import { createOnboardingActivities } from './onboarding.activities';
import { createSettlementActivities } from './settlement.activities';
import { createLifecycleActivities } from './lifecycle.activities';
import { createLifecycleRepository } from '../prisma/repositories/lifecycle.repository';
import { createReferralRepository } from '../prisma/repositories/referral.repository';
import { createReferralActivities } from './referral.activities';
import { createSettlementRepository } from '../prisma/repositories/settlement.repository';
import { createCompanyRegistry, type CompanyRegistry } from './registry/company-registry';
import { createPresaleRepository } from '../prisma/repositories/presale.repository';
import { createPresaleActivities } from './presales.activities';
import { createRegistrationRepository } from '../prisma/repositories/registration.repository';
import { createRegistrationActivities } from './registrations.activities';

export interface ActivityDeps {
  db: Database;
  config: Pick<Config, 'companyRegistry' | 'notifications'> &
    Partial<Pick<Config, 'programFirstMonth'>>;
  /** Tests may pass their own registry; default: the configured one. */
  registry?: CompanyRegistry;
}

/** Every activity the worker registers, wired to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  const { webhookUrl, webhookSecret } = deps.config.notifications;
  const referrals = createReferralRepository(deps.db);
  return {
    ...createOnboardingActivities({
      applications: createApplicationRepository(deps.db),
      billingAccounts: createBillingAccountRepository(deps.db),
      partners: createPartnerRepository(deps.db),
      registry: deps.registry ?? createCompanyRegistry(deps.config.companyRegistry),
    }),
    ...createSettlementActivities({
      settlements: createSettlementRepository(deps.db, {
        programFirstMonth: deps.config.programFirstMonth,
      }),
      programFirstMonth: deps.config.programFirstMonth,
      countReferralPartners: (month) => referrals.countReferralPartners(month),
    }),
    ...createLifecycleActivities({ lifecycle: createLifecycleRepository(deps.db) }),
    ...createReferralActivities({ referrals }),
    ...createPresaleActivities({ presales: createPresaleRepository(deps.db) }),
    ...createRegistrationActivities({ registrations: createRegistrationRepository(deps.db) }),
    ...createNotificationActivities({
      notifications: createNotificationRepository(deps.db),
      webhook:
        webhookUrl && webhookSecret
          ? createWebhookSender({ url: webhookUrl, secret: webhookSecret })
          : undefined,
    }),
  };
}
