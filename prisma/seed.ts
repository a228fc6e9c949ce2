import { FIXTURE_INN } from '../activities/registry/fixtures';
import type { Database } from './client';

/**
 * Development data: billing accounts for the organizations of the development tokens, so
 * a new user can walk through onboarding at once. Idempotent; `npm start` runs it outside
 * production.
 */
export const SEED_BILLING_ACCOUNTS = {
  /** org-1001: a business account that meets the partner requirements, with bank details. */
  eligible: 'ba-1001-main',
  /** org-1002: an individual's card account, which does not qualify. */
  ineligible: 'ba-1002-card',
} as const;

export async function seedDevelopmentData(db: Database): Promise<void> {
  await db.billingAccount.upsert({
    where: { id: SEED_BILLING_ACCOUNTS.eligible },
    update: {},
    create: {
      id: SEED_BILLING_ACCOUNTS.eligible,
      organizationId: 'org-1001',
      name: 'Северная логистика — основной',
      type: 'business',
      ownerResident: true,
      paymentMethod: 'invoice',
      status: 'trial',
      verificationStatus: 'approved',
      inn: FIXTURE_INN.active,
      legalName: 'АО «Северная логистика»',
      bik: '044525225',
      settlementAccount: '40702810938000000001',
      contactName: 'Anna Petrova',
      contactEmail: 'anna@sev-logistics.example',
      contactPhone: '+7 495 123-45-67',
      grantBalance: '5000.00',
    },
  });
  await db.billingAccount.upsert({
    where: { id: SEED_BILLING_ACCOUNTS.ineligible },
    update: {},
    create: {
      id: SEED_BILLING_ACCOUNTS.ineligible,
      organizationId: 'org-1002',
      name: 'Personal card account',
      type: 'individual',
      ownerResident: true,
      paymentMethod: 'card',
      status: 'paid',
      verificationStatus: 'approved',
    },
  });
}
