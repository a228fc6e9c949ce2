import { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import {
  approveApplicationUpdate,
  cancelApplicationUpdate,
  choosePartnershipUpdate,
  confirmCompanyUpdate,
  recordVideoProgressUpdate,
  rejectApplicationUpdate,
  submitApplicationUpdate,
  submitBillingAccountUpdate,
  type ApplicationState,
} from '../../../workflows/partner-onboarding.contracts';
import type { Role } from '../../http/auth';
import { defineRoute, type AnyRoute } from '../../http/route';
import {
  applicationIdParams,
  applicationList,
  applicationView,
  approveApplicationBody,
  billingAccountBody,
  billingVerificationBody,
  cancelApplicationBody,
  choosePartnershipBody,
  confirmCompanyBody,
  listApplicationsQuery,
  rejectApplicationBody,
  startApplicationBody,
  submitApplicationBody,
  videoProgressBody,
} from './applications.schemas';
import type { ApplicationService } from './applications.service';

const STEP_RESPONSES = {
  200: { description: 'The application after the step', schema: applicationView },
  404: { description: 'No such application (or not your organization’s)' },
  409: {
    description:
      'Not possible at the application’s current step or status (approve: the organization ' +
      'already has a partner record)',
  },
  422: { description: 'The input breaks a business rule; `errors` names the fields' },
};

/** One application step: a POST that sends a workflow update and answers with the new state. */
function stepRoute<B extends z.ZodType, Arg>(
  service: ApplicationService,
  spec: {
    path: string;
    operationId: string;
    summary: string;
    roles: readonly Role[];
    body: B;
    update: UpdateDefinition<ApplicationState, [Arg]>;
    toArg?: (body: z.output<B>) => Omit<Arg, 'actor'>;
  },
): AnyRoute {
  return defineRoute({
    method: 'post',
    path: `/v1/applications/:applicationId/${spec.path}`,
    operationId: spec.operationId,
    summary: spec.summary,
    tags: ['Onboarding'],
    roles: spec.roles,
    params: applicationIdParams,
    body: spec.body,
    responses: STEP_RESPONSES,
    handler: async ({ principal, params, body }) => ({
      status: 200,
      body: await service.update(
        principal,
        params.applicationId,
        spec.update,
        spec.toArg ? spec.toArg(body) : (body as Omit<Arg, 'actor'>),
      ),
    }),
  });
}

export function applicationRoutes(service: ApplicationService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/applications',
      operationId: 'startApplication',
      summary: 'Start a partner application for your organization (steps 1–2)',
      description:
        'Starts the onboarding workflow for the organization in the token. An organization has at most ' +
        'one open application: starting again returns the open one with 200. An organization that ' +
        'is a partner (active or leaving) gets 409: it can apply again once it has left.',
      tags: ['Onboarding'],
      roles: ['partner'],
      body: startApplicationBody,
      responses: {
        201: { description: 'Application started', schema: applicationView },
        200: { description: 'The organization’s open application', schema: applicationView },
        409: { description: 'The organization is already a partner (active or leaving)' },
      },
      handler: async ({ principal, body }) => {
        const { created, application } = await service.start(principal, body);
        return {
          status: created ? 201 : 200,
          headers: { Location: `/v1/applications/${application.applicationId}` },
          body: application,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/applications',
      operationId: 'listApplications',
      summary: 'List applications (managers: all; partners: their own)',
      tags: ['Onboarding'],
      roles: ['partner', 'manager'],
      query: listApplicationsQuery,
      responses: {
        200: {
          description: 'Applications, oldest first unless order=newest',
          schema: applicationList,
        },
      },
      handler: async ({ principal, query }) => ({
        status: 200,
        body: await service.list(principal, query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/applications/:applicationId',
      operationId: 'getApplication',
      summary: 'Where an application stands: status, step, what is missing next, history',
      tags: ['Onboarding'],
      roles: ['partner', 'manager'],
      params: applicationIdParams,
      responses: {
        200: { description: 'The application', schema: applicationView },
        404: { description: 'No such application (or not your organization’s)' },
      },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.get(principal, params.applicationId),
      }),
    }),
    stepRoute(service, {
      path: 'application',
      operationId: 'submitApplication',
      summary: 'Step 3: contact details and the company (an existing billing account, or the INN)',
      roles: ['partner'],
      body: submitApplicationBody,
      update: submitApplicationUpdate,
    }),
    stepRoute(service, {
      path: 'company-confirmation',
      operationId: 'confirmCompany',
      summary: 'Step 3: confirm (or decline) the company card found in the registry',
      roles: ['partner'],
      body: confirmCompanyBody,
      update: confirmCompanyUpdate,
    }),
    stepRoute(service, {
      path: 'video-progress',
      operationId: 'recordVideoProgress',
      summary: 'Step 4: report how far the information video was watched',
      roles: ['partner'],
      body: videoProgressBody,
      update: recordVideoProgressUpdate,
    }),
    stepRoute(service, {
      path: 'partnership',
      operationId: 'choosePartnership',
      summary:
        'Step 4: partnership type, taxation type, questionnaire (and bank details for referral)',
      roles: ['partner'],
      body: choosePartnershipBody,
      update: choosePartnershipUpdate,
    }),
    stepRoute(service, {
      path: 'billing-account',
      operationId: 'submitBillingAccount',
      summary: 'Step 5: create the billing account (or correct it after a failed verification)',
      roles: ['partner'],
      body: billingAccountBody,
      update: submitBillingAccountUpdate,
    }),
    stepRoute(service, {
      path: 'cancel',
      operationId: 'cancelApplication',
      summary: 'Cancel your open application',
      roles: ['partner'],
      body: cancelApplicationBody,
      update: cancelApplicationUpdate,
    }),
    stepRoute(service, {
      path: 'approve',
      operationId: 'approveApplication',
      summary: 'Step 7: approve — the organization becomes a partner',
      roles: ['manager'],
      body: approveApplicationBody,
      update: approveApplicationUpdate,
    }),
    stepRoute(service, {
      path: 'reject',
      operationId: 'rejectApplication',
      summary: 'Step 7: reject with a reason',
      roles: ['manager'],
      body: rejectApplicationBody,
      update: rejectApplicationUpdate,
    }),
    defineRoute({
      method: 'post',
      path: '/v1/billing-verifications',
      operationId: 'reportBillingVerification',
      summary: 'The billing system reports the result of a billing-account verification',
      tags: ['Onboarding'],
      roles: ['billing-system'],
      body: billingVerificationBody,
      responses: {
        202: {
          description: 'Delivered to the waiting application',
          schema: z.object({ applicationId: z.guid() }),
        },
        404: { description: 'No application waits for this billing account' },
      },
      handler: async ({ body }) => ({
        status: 202,
        body: await service.reportBillingVerification(body),
      }),
    }),
  ];
}
