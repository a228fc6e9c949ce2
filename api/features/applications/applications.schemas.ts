import { z } from 'zod';
import {
  APPLICATION_STATUSES,
  IDENTITY_METHODS,
  ONBOARDING_STEPS,
} from '../../../domain/onboarding';

export const startApplicationBody = z
  .object({
    identityMethod: z
      .enum(IDENTITY_METHODS)
      .describe(
        'How the applicant signed in: existing provider account, a new ID, or SSO federation',
      ),
  })
  .strict();

export const applicationIdParams = z.object({
  applicationId: z.uuid({ message: 'must be an application id (UUID)' }),
});

export const cancelApplicationBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict();

export const listApplicationsQuery = z.object({
  status: z.enum(APPLICATION_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const auditEntry = z.object({
  at: z.iso.datetime(),
  actor: z.string(),
  action: z.string(),
  from: z.enum(APPLICATION_STATUSES).nullable(),
  to: z.enum(APPLICATION_STATUSES),
});

export const applicationView = z
  .object({
    applicationId: z.uuid(),
    organizationId: z.string(),
    identityMethod: z.enum(IDENTITY_METHODS),
    status: z.enum(APPLICATION_STATUSES),
    step: z.enum(ONBOARDING_STEPS),
    startedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    workflowId: z.string(),
    history: z.array(auditEntry),
  })
  .meta({ id: 'Application' });

export const applicationSummary = z.object({
  applicationId: z.uuid(),
  organizationId: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  step: z.enum(ONBOARDING_STEPS),
  startedAt: z.iso.datetime(),
});

export const applicationList = z.object({ items: z.array(applicationSummary) });

export type ApplicationView = z.infer<typeof applicationView>;
