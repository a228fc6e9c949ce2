import { defineRoute } from '../../http/route';
import {
  applicationIdParams,
  applicationList,
  applicationView,
  cancelApplicationBody,
  listApplicationsQuery,
  startApplicationBody,
} from './applications.schemas';
import type { ApplicationService } from './applications.service';

export function applicationRoutes(service: ApplicationService) {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/applications',
      operationId: 'startApplication',
      summary: 'Start a partner application for your organization',
      description:
        'Starts the onboarding workflow for the organization in the token. An organization has at most ' +
        'one open application: starting again returns the open one with 200.',
      tags: ['Onboarding'],
      roles: ['partner'],
      body: startApplicationBody,
      responses: {
        201: { description: 'Application started', schema: applicationView },
        200: { description: 'The organization’s open application', schema: applicationView },
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
      responses: { 200: { description: 'Applications, oldest first', schema: applicationList } },
      handler: async ({ principal, query }) => ({
        status: 200,
        body: await service.list(principal, query),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/applications/:applicationId',
      operationId: 'getApplication',
      summary: 'Where an application stands: status, current step and history',
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
    defineRoute({
      method: 'post',
      path: '/v1/applications/:applicationId/cancel',
      operationId: 'cancelApplication',
      summary: 'Cancel your open application',
      tags: ['Onboarding'],
      roles: ['partner'],
      params: applicationIdParams,
      body: cancelApplicationBody,
      responses: {
        200: { description: 'The cancelled application', schema: applicationView },
        404: { description: 'No such application (or not your organization’s)' },
        409: { description: 'The application is already closed' },
      },
      handler: async ({ principal, params, body }) => ({
        status: 200,
        body: await service.cancel(principal, params.applicationId, body.reason),
      }),
    }),
  ];
}
