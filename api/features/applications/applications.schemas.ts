import { z } from 'zod';
import { COMPANY_STATUSES } from '../../../domain/company';
import { NEXT_ACTION_CODE_LIST } from '../../../domain/next-actions';
import {
  APPLICATION_STATUSES,
  IDENTITY_METHODS,
  ONBOARDING_STEPS,
  PROGRAMS,
  TAXATION_TYPES,
} from '../../../domain/onboarding';

const trimmed = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const digits = (n: number, what: string) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^\\d{${n}}$`), `${what} must be ${n} digits`);

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

export const contactSchema = z
  .object({
    name: trimmed(200).meta({ examples: ['Anna Petrova'] }),
    email: z
      .email({ message: 'must be an e-mail address' })
      .max(254)
      .meta({ examples: ['anna.petrova@example.ru'] }),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{7,20}$/, 'must be a phone number such as +7 495 123-45-67')
      .meta({ examples: ['+7 495 123-45-67'] }),
  })
  .strict();

export const bankDetailsSchema = z
  .object({
    bik: digits(9, 'BIK').meta({ examples: ['044525225'] }),
    account: digits(20, 'the settlement account').meta({ examples: ['40702810938000000001'] }),
  })
  .strict();

export const submitApplicationBody = z
  .object({
    contact: contactSchema,
    company: z.union([
      z
        .object({
          billingAccountId: trimmed(64).describe(
            'An existing billing account of your organization',
          ),
        })
        .strict(),
      z
        .object({
          inn: z
            .string()
            .trim()
            .describe('Company INN: 10 digits (legal entity) or 12 (individual entrepreneur)')
            .meta({ examples: ['7704123450'] }),
        })
        .strict(),
    ]),
  })
  .strict();

export const confirmCompanyBody = z.object({ confirmed: z.boolean() }).strict();

export const videoProgressBody = z
  .object({
    positionSeconds: z.number().min(0).max(36_000),
    durationSeconds: z.number().positive().max(36_000),
  })
  .strict();

export const questionnaireSchema = z
  .object({
    companySize: z.enum(['1-10', '11-50', '51-250', '251+']),
    specializations: z.array(trimmed(100)).min(1, 'name at least one').max(20),
    customerCount: z.number().int().min(0).max(1_000_000),
    motivation: trimmed(2000),
  })
  .strict();

export const choosePartnershipBody = z
  .object({
    programs: z.array(z.enum(PROGRAMS)).min(1, 'choose VAR, referral or both').max(2),
    taxationType: z.enum(TAXATION_TYPES),
    questionnaire: questionnaireSchema,
    bankDetails: bankDetailsSchema.optional(),
  })
  .strict();

export const billingAccountBody = z
  .object({
    name: trimmed(200),
    type: z.enum(['business', 'individual_entrepreneur']),
    contact: contactSchema.optional().describe('Defaults to the contact of the application step'),
  })
  .strict();

export const cancelApplicationBody = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict();

export const approveApplicationBody = z
  .object({
    startDate: z.iso.date().optional().describe('Partnership start (Moscow date); default today'),
  })
  .strict();

export const rejectApplicationBody = z.object({ reason: trimmed(2000) }).strict();

export const billingVerificationBody = z
  .object({
    billingAccountId: trimmed(64),
    result: z.enum(['approved', 'rejected']),
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((v) => v.result === 'approved' || Boolean(v.reason), {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });

export const listApplicationsQuery = z.object({
  status: z
    .enum(APPLICATION_STATUSES)
    .optional()
    .describe('Only applications in this status; all when left out'),
  order: z
    .enum(['oldest', 'newest'])
    .default('oldest')
    .describe('By when they were started: oldest first (the default) or newest first'),
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
    applicationId: z.guid(),
    organizationId: z.string(),
    identityMethod: z.enum(IDENTITY_METHODS),
    status: z.enum(APPLICATION_STATUSES),
    step: z.enum(ONBOARDING_STEPS),
    nextAction: z
      .string()
      .describe('The next action in English; nextActionCode is the stable form'),
    nextActionCode: z
      .enum(NEXT_ACTION_CODE_LIST)
      .describe('What happens next, as a stable code the portal translates'),
    nextActionParams: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .describe(
        'The values the next action’s text names, e.g. {reason} for a refused billing account',
      ),
    startedAt: z.iso.datetime(),
    recorded: z.boolean(),
    expiresAt: z.iso.datetime().nullable(),
    contact: contactSchema.nullable(),
    company: z
      .object({
        inn: z.string().meta({ examples: ['7704123450'] }),
        kind: z.enum(['legal_entity', 'individual_entrepreneur']),
        name: z.string(),
        ogrn: z.string(),
        kpp: z.string().nullable(),
        address: z.string(),
        status: z.enum(COMPANY_STATUSES),
        registeredOn: z.string(),
      })
      .nullable(),
    companyConfirmed: z.boolean(),
    videoWatched: z.boolean(),
    programs: z.array(z.enum(PROGRAMS)),
    taxationType: z.enum(TAXATION_TYPES).nullable(),
    questionnaire: questionnaireSchema.nullable(),
    bankDetails: bankDetailsSchema.nullable(),
    billingAccount: z
      .object({
        id: z.string(),
        source: z.enum(['existing', 'created']),
        verification: z.enum(['not_requested', 'pending', 'approved', 'rejected']),
        rejectionReason: z.string().nullable(),
        upgradedToPaid: z.boolean(),
      })
      .nullable(),
    review: z
      .object({
        submittedAt: z.iso.datetime(),
        lastReviewDay: z.iso.date(),
        reminderAt: z.iso.datetime(),
        deadline: z.iso.datetime(),
        remindedAt: z.iso.datetime().nullable(),
        escalatedAt: z.iso.datetime().nullable(),
      })
      .nullable(),
    decision: z
      .object({
        outcome: z.enum(['approved', 'rejected']),
        by: z.string(),
        at: z.iso.datetime(),
        reason: z.string().nullable(),
        partnerId: z.string().nullable(),
        startDate: z.iso.date().nullable(),
      })
      .nullable(),
    history: z.array(auditEntry),
    workflowId: z.string(),
    workflowUrl: z.string().describe('This application’s workflow in the Temporal Web UI'),
  })
  .meta({ id: 'Application' });

export const applicationSummary = z.object({
  applicationId: z.guid(),
  organizationId: z.string(),
  status: z.enum(APPLICATION_STATUSES),
  step: z.enum(ONBOARDING_STEPS),
  startedAt: z.iso.datetime(),
  companyName: z.string().nullable().describe('From the company registry, once the INN is given'),
  companyInn: z.string().nullable(),
  programs: z.array(z.enum(PROGRAMS)).describe('Chosen at the partnership step; empty before'),
  submittedAt: z.iso.datetime().nullable().describe('When it went to the manager review'),
});

export const applicationList = z.object({ items: z.array(applicationSummary) });

export type ApplicationView = z.infer<typeof applicationView>;
