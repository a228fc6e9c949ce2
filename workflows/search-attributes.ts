import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes the workflows set, so operators find runs in Temporal by business
 * identity: `temporal workflow list --query 'PartnerOrganizationId="org-1002"'`.
 */
/** Onboarding: the applying organization. */
export const PARTNER_ORGANIZATION_ID = defineSearchAttributeKey(
  'PartnerOrganizationId',
  SearchAttributeType.KEYWORD,
);
/** Onboarding: the application's status, kept current at every transition. */
export const APPLICATION_STATUS = defineSearchAttributeKey(
  'ApplicationStatus',
  SearchAttributeType.KEYWORD,
);
/** Exit, revocation, interim invoices, and an approved application: the partner. */
export const PARTNER_ID = defineSearchAttributeKey('PartnerId', SearchAttributeType.KEYWORD);
/** Month close and interim invoices: the month settled, 'YYYY-MM'. */
export const BILLING_MONTH = defineSearchAttributeKey('BillingMonth', SearchAttributeType.KEYWORD);

/** Set by Temporal on runs a schedule starts: the time the run was scheduled for. */
export const TEMPORAL_SCHEDULED_START_TIME = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

/**
 * The custom attributes by name and the type the Temporal CLI calls it; the dev server
 * registers them at start, a production namespace needs them once
 * (`temporal operator search-attribute create --name <name> --type Keyword`).
 */
export const CUSTOM_SEARCH_ATTRIBUTES = [
  PARTNER_ORGANIZATION_ID,
  APPLICATION_STATUS,
  PARTNER_ID,
  BILLING_MONTH,
] as const;

export const SEARCH_ATTRIBUTES: Record<string, string> = Object.fromEntries(
  CUSTOM_SEARCH_ATTRIBUTES.map((key) => [key.name, 'Keyword']),
);
