import { z } from 'zod';
import { REGISTRATION_STATUSES } from '../../../domain/registrations';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { RegistrationService } from './registrations.service';

// The schemas check the form (400); the program's rules (rate caps, customers of the partner,
// registry, closed months) are the domain's and answer 422 with the field that breaks them.
const rateText = z
  .string()
  .regex(/^\d{1,9}(\.\d{1,20})?$/, 'must be a decimal fraction such as "0.05"');
const moneyText = z
  .string()
  .regex(/^-?\d{1,15}(\.\d{1,20})?$/, 'must be an amount in rubles such as "5000.00"');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const idParams = z.object({ id: z.uuid({ message: 'must be a registration id (UUID)' }) });

const CLOSED_MONTH =
  'A start date in a closed month is refused with 422 naming the first open date.';

const registrationView = z
  .object({
    id: z.guid(),
    partnerId: z.guid(),
    kind: z.enum(['deal', 'project']),
    status: z.enum(REGISTRATION_STATUSES),
    customerAccountId: z
      .string()
      .nullable()
      .describe('Deal: the customer subaccount (a prospective customer gets one on approval)'),
    customerInn: z.string().nullable(),
    customerName: z.string().nullable(),
    expectedMonthlyConsumption: z.string().nullable().describe('Deal: rubles per month'),
    scope: z.enum(['cloud', 'folder']).nullable(),
    cloudId: z.string().nullable(),
    folderId: z.string().nullable(),
    expectedGrowth: z.string().nullable(),
    baselineDefault: z
      .string()
      .nullable()
      .describe('Project: the average monthly consumption of the three full months before'),
    description: z.string(),
    submittedBy: z.string(),
    submittedAt: z.iso.datetime(),
    reviewDeadline: z.iso
      .datetime()
      .nullable()
      .describe('When the review is escalated; null until the review workflow has computed it'),
    remindedAt: z.iso.datetime().nullable(),
    escalatedAt: z.iso.datetime().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    reason: z.string().nullable().describe('Why it was rejected'),
    upliftRate: z.string().nullable(),
    rate: z.string().nullable(),
    baselineMonthly: z.string().nullable().describe('Project: the approved baseline'),
    startDate: z.iso.date().nullable().describe('Deal: first linked day; project: registered on'),
    endDate: z.iso.date().nullable().describe('Deal: last linked day'),
    renewalOf: z.guid().nullable(),
  })
  .meta({ id: 'Registration' });
const registrationList = z.object({ items: z.array(registrationView) });
const auditedView = registrationView.extend({
  events: z.array(
    z.object({
      actor: z.string(),
      at: z.iso.datetime(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      reason: z.string().nullable(),
    }),
  ),
});

/** Deals and projects registered by partners, and the managers' review of them. */
export function registrationRoutes(service: RegistrationService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/deal-registrations',
      operationId: 'registerDealByPartner',
      summary: 'Register a deal: one of your customers, or a prospective one by INN',
      description:
        'Starts a review by managers within an SLA in business days. The first registration ' +
        'of a customer wins: a customer with another pending or active registration or deal ' +
        'is refused with 409, without saying who holds it. A partner that gave exit notice ' +
        'registers nothing (409). ' +
        CLOSED_MONTH,
      tags: ['Registrations'],
      roles: ['partner'],
      body: z
        .object({
          customerAccountId: z.string().trim().min(1).max(100).nullable().optional(),
          customerInn: z.string().trim().max(20).nullable().optional().describe('10 or 12 digits'),
          expectedMonthlyConsumption: moneyText,
          description: text(2000),
          startDate: z.iso.date().nullable().optional(),
        })
        .strict(),
      responses: {
        202: { description: 'The registration, pending review', schema: registrationView },
        404: { description: 'Your organization is not a partner' },
        409: { description: 'The customer is taken, or you may not register now' },
        422: { description: 'Unknown or foreign customer, unknown INN, closed month' },
      },
      handler: async ({ principal, body }) => ({
        status: 202,
        body: await service.registerDeal(principal, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/project-registrations',
      operationId: 'registerProjectByPartner',
      summary: 'Register a project: a cloud or folder of one of your customers',
      description:
        'The baseline defaults to the average monthly consumption there over the three full ' +
        'months before registration; the manager may adjust it and sets the rate (≤ 15%).',
      tags: ['Registrations'],
      roles: ['partner'],
      body: z
        .object({
          scope: z.enum(['cloud', 'folder']),
          cloudId: text(200),
          folderId: z.string().trim().min(1).max(200).nullable().optional(),
          description: text(2000),
          expectedGrowth: text(2000),
        })
        .strict(),
      responses: {
        202: { description: 'The registration, pending review', schema: registrationView },
        404: { description: 'Your organization is not a partner' },
        409: { description: 'The cloud or folder is taken, or you may not register now' },
        422: { description: 'Not a cloud or folder of your customers' },
      },
      handler: async ({ principal, body }) => ({
        status: 202,
        body: await service.registerProject(principal, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/registrations',
      operationId: 'myRegistrations',
      summary: 'Your deal and project registrations and their status, newest first',
      tags: ['Registrations'],
      roles: ['partner'],
      responses: {
        200: { description: 'Registrations', schema: registrationList },
        404: { description: 'Your organization is not a partner' },
      },
      handler: async ({ principal }) => ({ status: 200, body: await service.mine(principal) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/registrations',
      operationId: 'listRegistrations',
      summary: 'Registrations in a status, nearest review deadline first; or one partner’s',
      description:
        'Without partnerId: the registrations in `status` (pending when left out). With ' +
        'partnerId: that partner’s registrations, newest first, of every status unless ' +
        '`status` is given.',
      tags: ['Registrations'],
      roles: ['manager'],
      query: z.object({
        status: z.enum(REGISTRATION_STATUSES).optional(),
        partnerId: z.uuid({ message: 'must be a partner id (UUID)' }).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      responses: { 200: { description: 'Registrations', schema: registrationList } },
      handler: async ({ query }) => ({
        status: 200,
        body: await service.list(query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/registrations/:id',
      operationId: 'getRegistration',
      summary: 'A registration with every decision on it (who, when, from, to, why)',
      tags: ['Registrations'],
      roles: ['manager', 'partner'],
      params: idParams,
      responses: {
        200: { description: 'The registration and its audit', schema: auditedView },
        404: { description: 'No such registration (or not yours)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.get(principal, params.id),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/registrations/:id/approve',
      operationId: 'approveRegistration',
      summary: 'Approve a pending registration: a deal with its uplift, a project with its rate',
      description:
        'A deal takes upliftRate (at most 0.15, 15 percentage points) and links the customer ' +
        'from the approval date for the configured term; a project takes rate (at most 0.15) ' +
        'and optionally baselineMonthly (default: the registration’s three-month average).',
      tags: ['Registrations'],
      roles: ['manager'],
      params: idParams,
      body: z
        .object({
          upliftRate: rateText.nullable().optional(),
          rate: rateText.nullable().optional(),
          baselineMonthly: moneyText.nullable().optional(),
        })
        .strict(),
      responses: {
        200: { description: 'The approved registration', schema: registrationView },
        404: { description: 'No such registration' },
        409: { description: 'It is not pending' },
        422: { description: 'A rate above the cap, or a field of the other kind' },
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.approve(principal, params.id, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/registrations/:id/reject',
      operationId: 'rejectRegistration',
      summary: 'Reject a pending registration with a reason',
      tags: ['Registrations'],
      roles: ['manager'],
      params: idParams,
      body: z.object({ reason: text(2000) }).strict(),
      responses: {
        200: { description: 'The rejected registration', schema: registrationView },
        404: { description: 'No such registration' },
        409: { description: 'It is not pending' },
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.reject(principal, params.id, body.reason),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/registrations/:id/renew',
      operationId: 'renewRegistration',
      summary: 'Renew your deal: extended before expiry, registered again after it',
      description:
        'An approved deal runs one more term from its end date (200). An expired one is ' +
        'registered again for the same customer and reviewed like a new one (202); if another ' +
        'partner registered the customer meanwhile it is refused (409).',
      tags: ['Registrations'],
      roles: ['partner'],
      params: idParams,
      responses: {
        200: { description: 'The extended registration', schema: registrationView },
        202: { description: 'The new registration, pending review', schema: registrationView },
        404: { description: 'No such registration of yours' },
        409: { description: 'Not a deal, not approved or expired, or the customer is taken' },
      },
      handler: async ({ principal, params }) => {
        const result = await service.renew(principal, params.id);
        return result.status === 200
          ? { status: 200, body: result.body }
          : { status: 202, body: result.body };
      },
    }),
  ];
}
