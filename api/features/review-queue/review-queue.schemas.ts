import { z } from 'zod';
import { PROGRAMS } from '../../../domain/onboarding';
import { PRESALE_STATUSES } from '../../../domain/presales';
import { REVIEW_QUEUE_KINDS } from '../../../domain/review-queue';

export const reviewQueueQuery = z.object({
  kind: z
    .enum(REVIEW_QUEUE_KINDS)
    .optional()
    .describe('Only items of this kind; every kind the caller may see when left out'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** What every item of the queue has, whatever its kind. */
const common = {
  id: z.guid().describe('The record’s id (application, registration, request)'),
  title: z
    .string()
    .describe(
      'What a manager reads first: the company, the customer, the cloud or folder, the ' +
        'specialization’s name or the presale topic',
    ),
  partnerName: z
    .string()
    .nullable()
    .describe('The partner the record belongs to; null for an application (not a partner yet)'),
  submittedAt: z.iso.datetime().nullable(),
  deadline: z.iso.datetime().describe('When the item is late'),
  lastReviewDay: z.iso.date().describe('The Moscow date just before the deadline'),
  businessDaysLeft: z
    .number()
    .int()
    .describe('Business days left, today included; 0 once the deadline has passed'),
  overdue: z.boolean(),
  escalated: z
    .boolean()
    .describe(
      'Escalated to supervisors past its deadline where the record tracks it; else overdue',
    ),
};

const applicationItem = z
  .object({
    kind: z.literal('application'),
    ...common,
    status: z.literal('in_review'),
    applicationId: z.guid(),
    organizationId: z.string(),
    companyName: z.string().nullable(),
    companyInn: z.string().nullable(),
    programs: z.array(z.enum(PROGRAMS)),
  })
  .meta({ id: 'ReviewQueueApplication' });

const dealItem = z
  .object({
    kind: z.literal('deal'),
    ...common,
    status: z.literal('pending'),
    partnerId: z.guid(),
    customerInn: z.string().nullable(),
    expectedMonthlyConsumption: z.string().nullable().describe('Rubles per month'),
  })
  .meta({ id: 'ReviewQueueDeal' });

const projectItem = z
  .object({
    kind: z.literal('project'),
    ...common,
    status: z.literal('pending'),
    partnerId: z.guid(),
    cloudId: z.string().nullable(),
    folderId: z.string().nullable(),
  })
  .meta({ id: 'ReviewQueueProject' });

const specializationItem = z
  .object({
    kind: z.literal('specialization'),
    ...common,
    status: z.literal('open'),
    partnerId: z.guid(),
    code: z.string(),
    certifiedEngineers: z.number().int(),
  })
  .meta({ id: 'ReviewQueueSpecialization' });

const presaleItem = z
  .object({
    kind: z.literal('presale'),
    ...common,
    status: z.enum(PRESALE_STATUSES),
    partnerId: z.guid(),
    assignee: z.string().nullable(),
    desiredDate: z.iso.date(),
    firstAnsweredAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ReviewQueuePresale' });

export const reviewQueueItem = z.discriminatedUnion('kind', [
  applicationItem,
  dealItem,
  projectItem,
  specializationItem,
  presaleItem,
]);

export const reviewQueueView = z.object({ items: z.array(reviewQueueItem) });

export type ReviewQueueItem = z.infer<typeof reviewQueueItem>;
