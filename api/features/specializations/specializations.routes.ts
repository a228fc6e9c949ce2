import { z } from 'zod';
import { MAX_EVIDENCE_LENGTH, MAX_REASON_LENGTH } from '../../../domain/specializations';
import { ROLES } from '../../http/auth';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { SpecializationService } from './specializations.service';

// The schemas check the form (400); the catalogue's requirements and the closed months are
// the domain's and answer 422 with the field that breaks them.
const code = z.string().trim().min(1, 'must not be empty').max(100);
const reason = z.string().max(MAX_REASON_LENGTH);
const applicationParams = z.object({
  applicationId: z.uuid({ message: 'must be an application id (UUID)' }),
});

const catalogueView = z.object({
  code: z.string().describe('The specialization, e.g. "data-platform"'),
  nameRu: z.string(),
  nameEn: z.string(),
  serviceIds: z.array(z.string()).describe('Services whose consumption earns the rebate'),
  rate: z.string().describe('Quarterly rebate: a fraction of the eligible consumption, "0.05"'),
  requirements: z.string(),
  minCertifiedEngineers: z.number().int(),
  validFrom: z.iso.date().describe('First day this version applies'),
  validTo: z.iso.date().nullable().describe('Last day it applies; null while it does'),
});

const applicationView = z.object({
  id: z.guid(),
  partnerId: z.guid(),
  code: z.string(),
  evidence: z.string(),
  certifiedEngineers: z.number().int(),
  status: z.enum(['open', 'granted', 'refused']),
  submittedBy: z.string(),
  submittedAt: z.iso.datetime(),
  reviewDeadline: z.iso
    .datetime()
    .nullable()
    .describe('When the review is late: 00:00 Moscow after the SLA’s last business day'),
  decidedBy: z.string().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  reason: z.string().nullable().describe('The manager’s reason for the decision'),
  specializationId: z.string().nullable().describe('The grant a granted application created'),
});

const heldView = z.object({
  id: z.string().describe('The grant’s id'),
  partnerId: z.guid(),
  code: z.string(),
  rate: z.string(),
  serviceIds: z.array(z.string()),
  validFrom: z.iso.date().describe('First day held'),
  validTo: z.iso.date().nullable().describe('Last day held; null while it is held'),
});

const historyView = z.object({
  actor: z.string(),
  action: z.string().describe('submit, grant, refuse or withdraw'),
  from: z.string().nullable(),
  to: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.iso.datetime(),
});

const CLOSED_MONTH =
  'A date in a closed month is refused with 422, naming the first open date: issued ' +
  'documents are never rewritten.';

/** The specialization catalogue, partners' applications and managers' decisions. */
export function specializationRoutes(service: SpecializationService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/specializations/catalogue',
      operationId: 'specializationCatalogue',
      summary: 'The specialization catalogue: services, quarterly rate, requirements, dates',
      tags: ['Specializations'],
      roles: ROLES,
      query: z.object({
        on: z.iso
          .date()
          .optional()
          .describe('Only the versions valid on this day; every version when left out'),
      }),
      responses: {
        200: {
          description: 'Catalogue versions, by code and first day',
          schema: z.object({ items: z.array(catalogueView) }),
        },
      },
      handler: async ({ query }) => ({ status: 200, body: await service.catalogue(query.on) }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/specialization-applications',
      operationId: 'applyForSpecialization',
      summary: 'Apply for a specialization of the catalogue',
      description:
        'The partner must be active and in the VAR program, have at least the catalogue’s ' +
        'minimum of certified engineers, not hold the specialization already, and have no ' +
        'other open application for it. A manager then grants or refuses it.',
      tags: ['Specializations'],
      roles: ['partner'],
      body: z
        .object({
          code,
          evidence: z
            .string()
            .max(MAX_EVIDENCE_LENGTH)
            .describe('Certificates, customer projects: what the manager reviews'),
          certifiedEngineers: z.number().int().min(0).max(100_000),
        })
        .strict(),
      responses: {
        201: { description: 'The application, open', schema: applicationView },
        404: { description: 'The organization is not a partner' },
        409: {
          description:
            'An application for it is open already, the partner holds it, or the partner is leaving or not in VAR',
        },
        422: {
          description:
            'The code is not in today’s catalogue, the evidence is empty, or too few certified engineers',
        },
      },
      handler: async ({ principal, body }) => ({
        status: 201,
        body: await service.apply(principal, body),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/specialization-applications',
      operationId: 'mySpecializationApplications',
      summary: 'Your specialization applications and their decisions, newest first',
      tags: ['Specializations'],
      roles: ['partner'],
      responses: {
        200: { description: 'Applications', schema: z.object({ items: z.array(applicationView) }) },
        404: { description: 'The organization is not a partner' },
      },
      handler: async ({ principal }) => ({
        status: 200,
        body: await service.myApplications(principal),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/specializations',
      operationId: 'mySpecializations',
      summary: 'The specializations you hold or held, latest first day first',
      tags: ['Specializations'],
      roles: ['partner'],
      responses: {
        200: { description: 'Grants', schema: z.object({ items: z.array(heldView) }) },
        404: { description: 'The organization is not a partner' },
      },
      handler: async ({ principal }) => ({
        status: 200,
        body: await service.mySpecializations(principal),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/specialization-applications',
      operationId: 'specializationApplications',
      summary: 'Specialization applications in a status; open ones are the review queue',
      tags: ['Specializations'],
      roles: ['manager', 'finance'],
      query: z.object({
        status: z.enum(['open', 'granted', 'refused']).default('open'),
      }),
      responses: {
        200: {
          description: 'Applications, oldest first (at most 500)',
          schema: z.object({ items: z.array(applicationView) }),
        },
      },
      handler: async ({ query }) => ({
        status: 200,
        body: await service.applications(query.status),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/specialization-applications/:applicationId',
      operationId: 'specializationApplication',
      summary: 'A specialization application with its audit trail',
      tags: ['Specializations'],
      roles: ['manager', 'finance', 'partner'],
      params: applicationParams,
      responses: {
        200: {
          description: 'The application and who did what, when, from, to and why',
          schema: applicationView.extend({ history: z.array(historyView) }),
        },
        404: { description: 'No such application (or not yours)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.application(principal, params.applicationId),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/specialization-applications/:applicationId/grant',
      operationId: 'grantSpecializationApplication',
      summary: 'Grant an application: the partner holds the specialization from validFrom',
      description:
        'The grant takes the rate and services of the catalogue version valid on validFrom ' +
        '(today in Moscow when left out); the quarter-end close credits rate × the customers’ ' +
        `eligible consumption of the services. ${CLOSED_MONTH}`,
      tags: ['Specializations'],
      roles: ['manager'],
      params: applicationParams,
      body: z
        .object({
          validFrom: z.iso.date().optional().describe('First day held; today when left out'),
          reason: reason.nullable().optional(),
        })
        .strict(),
      responses: {
        200: {
          description: 'The granted application and the grant',
          schema: z.object({ application: applicationView, specialization: heldView }),
        },
        404: { description: 'No such application' },
        409: {
          description:
            'The application is decided already, the partner holds it then, or is leaving or not in VAR',
        },
        422: {
          description:
            'validFrom is in a closed month or has no catalogue version, or the reason is too long',
        },
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.grant(principal, params.applicationId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/specialization-applications/:applicationId/refuse',
      operationId: 'refuseSpecializationApplication',
      summary: 'Refuse an application, saying why',
      tags: ['Specializations'],
      roles: ['manager'],
      params: applicationParams,
      body: z.object({ reason }).strict(),
      responses: {
        200: { description: 'The refused application', schema: applicationView },
        404: { description: 'No such application' },
        409: { description: 'The application is decided already' },
        422: { description: 'The reason is empty' },
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.refuse(principal, params.applicationId, body),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/specializations/:specializationId/withdraw',
      operationId: 'withdrawSpecialization',
      summary: 'Withdraw a specialization: the partner holds it up to and including validTo',
      description:
        'The same date again changes nothing; an earlier date shortens it. A date before its ' +
        'first day is refused (422), and a date after an ended grant’s end too (409). It may ' +
        'not end inside a closed month: the earliest last day is the day before the first ' +
        'open date (422). Audited with the manager’s reason.',
      tags: ['Specializations'],
      roles: ['manager'],
      params: z.object({
        specializationId: z
          .string()
          .regex(/^[1-9]\d{0,17}$/, 'must be a specialization id (a positive integer)'),
      }),
      body: z
        .object({
          validTo: z.iso.date().describe('Last day held'),
          reason: reason.nullable().optional(),
        })
        .strict(),
      responses: {
        200: { description: 'The specialization', schema: heldView },
        404: { description: 'No such specialization' },
        409: { description: 'It already ended earlier' },
        422: { description: 'The date is before its first day, or would end it in a closed month' },
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.withdraw(principal, params.specializationId, body),
      }),
    }),
  ];
}
