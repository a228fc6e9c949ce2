import { z } from 'zod';
import { DomainError } from '../../../domain/errors';
import { PROGRAMS } from '../../../domain/onboarding';
import type { BillingAccountRepository } from '../../../prisma/repositories/billing-account.repository';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type { ProgramRepository } from '../../../prisma/repositories/program.repository';
import type { SettlementRepository } from '../../../prisma/repositories/settlement.repository';
import { assertOrganizationAccess } from '../../http/auth';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { WorkflowUrl } from '../../http/temporal-links';
import { partnerExitWorkflowId } from '../../../workflows/partner-exit.contracts';
import { partnerRevocationWorkflowId } from '../../../workflows/partner-revocation.contracts';

const partnerView = z
  .object({
    id: z.guid(),
    organizationId: z.string(),
    name: z.string(),
    inn: z.string().nullable(),
    status: z.enum(['active', 'leaving', 'left', 'revoked']),
    startDate: z.iso.date(),
    exitDate: z.iso
      .date()
      .nullable()
      .describe('First day without partner status, once notice is given'),
    billingAccountId: z.string(),
    memberships: z.array(
      z.object({
        program: z.enum(PROGRAMS),
        startDate: z.iso.date(),
        endDate: z.iso.date().nullable(),
      }),
    ),
  })
  .meta({ id: 'Partner' });

const lifecycleWorkflows = z
  .object({ exitNotice: z.string(), revocation: z.string() })
  .describe('The partner’s lifecycle workflows in the Temporal Web UI');

const billingAccountList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      type: z.enum(['business', 'individual_entrepreneur', 'individual']),
      ownerResident: z.boolean(),
      paymentMethod: z.enum(['invoice', 'card']),
      status: z.enum(['trial', 'paid']),
      verificationStatus: z.enum(['not_requested', 'pending', 'approved', 'rejected']),
      inn: z.string().nullable(),
      legalName: z.string().nullable(),
      lockedByApplication: z.string().nullable(),
    }),
  ),
});

/** Partner status and the billing accounts an applicant can choose from. */
export function partnerRoutes(deps: {
  partners: PartnerRepository;
  billingAccounts: BillingAccountRepository;
  workflowUrl: WorkflowUrl;
}): AnyRoute[] {
  const workflowsOf = (partnerId: string) => ({
    exitNotice: deps.workflowUrl(partnerExitWorkflowId(partnerId)),
    revocation: deps.workflowUrl(partnerRevocationWorkflowId(partnerId)),
  });
  return [
    defineRoute({
      method: 'get',
      path: '/v1/partners',
      operationId: 'listPartners',
      summary: 'Partners by name, with their status and links to their lifecycle workflows',
      tags: ['Partners'],
      roles: ['manager', 'finance'],
      description:
        'A page of partners by name: `q` keeps those whose name, INN or organization id ' +
        'contains it (any case); `total` counts every match, so the next page starts at ' +
        '`offset + limit` while that is below `total`.',
      query: z.object({
        status: z.enum(['active', 'leaving', 'left', 'revoked']).optional(),
        q: z
          .string()
          .trim()
          .max(200)
          .optional()
          .describe('A part of the name, INN or organization id'),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
        offset: z.coerce
          .number()
          .int()
          .min(0)
          .max(1_000_000)
          .default(0)
          .describe('How many matches to skip'),
      }),
      responses: {
        200: {
          description: 'Partners',
          schema: z.object({
            total: z.number().int().describe('Partners matching the filter, on every page'),
            offset: z.number().int(),
            limit: z.number().int(),
            items: z.array(partnerView.extend({ workflows: lifecycleWorkflows })),
          }),
        },
      },
      handler: async ({ query }) => {
        const { items, total } = await deps.partners.list(query);
        return {
          status: 200,
          body: {
            total,
            offset: query.offset,
            limit: query.limit,
            items: items.map((p) => ({ ...p, workflows: workflowsOf(p.id) })),
          },
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me',
      operationId: 'myPartner',
      summary: 'Your organization’s partner status and program memberships',
      tags: ['Partners'],
      roles: ['partner'],
      responses: {
        200: { description: 'The partner', schema: partnerView },
        404: { description: 'The organization is not a partner (yet)' },
      },
      handler: async ({ principal }) => {
        const partner = await deps.partners.findByOrganization(principal.organizationId ?? '');
        if (!partner)
          throw new DomainError('not_found', 'Your organization is not a partner yet', [], {
            reason: 'not_a_partner',
          });
        return { status: 200, body: partner };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId',
      operationId: 'getPartner',
      summary: 'A partner’s status and program memberships',
      tags: ['Partners'],
      roles: ['partner', 'manager', 'finance'],
      params: z.object({ partnerId: z.uuid({ message: 'must be a partner id (UUID)' }) }),
      responses: {
        200: {
          description: 'The partner; staff also get the links to its lifecycle workflows',
          schema: partnerView.extend({ workflows: lifecycleWorkflows.optional() }),
        },
        404: { description: 'No such partner (or not yours)' },
      },
      handler: async ({ principal, params }) => {
        const partner = await deps.partners.findById(params.partnerId);
        if (!partner)
          throw new DomainError('not_found', `No partner ${params.partnerId}`, [], {
            reason: 'partner_not_found',
            params: { partnerId: params.partnerId },
          });
        assertOrganizationAccess(principal, partner.organizationId);
        if (principal.role === 'partner') return { status: 200, body: partner };
        return { status: 200, body: { ...partner, workflows: workflowsOf(partner.id) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/billing-accounts',
      operationId: 'myBillingAccounts',
      summary: 'Your organization’s billing accounts (to choose one in the application step)',
      tags: ['Partners'],
      roles: ['partner'],
      responses: { 200: { description: 'Billing accounts', schema: billingAccountList } },
      handler: async ({ principal }) => {
        const accounts = await deps.billingAccounts.listForOrganization(
          principal.organizationId ?? '',
        );
        return {
          status: 200,
          body: {
            items: accounts.map((a) => ({
              id: a.id,
              name: a.name,
              type: a.type,
              ownerResident: a.ownerResident,
              paymentMethod: a.paymentMethod,
              status: a.status,
              verificationStatus: a.verificationStatus,
              inn: a.inn,
              legalName: a.legalName,
              lockedByApplication: a.lockedByApplication,
            })),
          },
        };
      },
    }),
  ];
}

const invoiceSummary = z.object({
  id: z.guid(),
  number: z.string(),
  partnerId: z.guid(),
  month: z.string().describe('Reporting month, YYYY-MM'),
  kind: z.enum(['monthly', 'interim', 'final']),
  sequence: z.number().int(),
  issuedAt: z.iso.datetime(),
  dueDate: z.iso.date().nullable(),
  consumptionTotal: z.string().describe('Rubles, two decimals'),
  grantsTotal: z.string().describe('Rubles, two decimals'),
  eligibleBase: z.string().describe('Rubles, two decimals'),
  discountTotal: z.string().describe('Rubles, two decimals'),
  payable: z.string().describe('Rubles, two decimals'),
  vatRate: z.string(),
  vatAmount: z.string().describe('Rubles, two decimals'),
});

const customerView = z.object({
  id: z.string().describe('The subaccount id'),
  name: z.string(),
  inn: z.string().nullable(),
  parentId: z.string().describe('The partner’s own billing account'),
  createdAt: z.iso.datetime(),
});

const partnerParams = z.object({ partnerId: z.uuid({ message: 'must be a partner id (UUID)' }) });

/**
 * A partner's invoices and customers as staff read them on the partner's page. Mounted after
 * the features whose /v1/partners/me/… routes share these paths ("me" is no partner id).
 */
export function partnerRecordRoutes(deps: {
  partners: PartnerRepository;
  settlements: Pick<SettlementRepository, 'invoicesOf'>;
  programs: Pick<ProgramRepository, 'customersOf'>;
}): AnyRoute[] {
  async function partnerOrNotFound(partnerId: string) {
    const partner = await deps.partners.findById(partnerId);
    if (!partner)
      throw new DomainError('not_found', `No partner ${partnerId}`, [], {
        reason: 'partner_not_found',
        params: { partnerId },
      });
    return partner;
  }
  return [
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/invoices',
      operationId: 'partnerInvoices',
      summary: 'A partner’s issued invoices, newest month first',
      tags: ['Partners'],
      roles: ['manager', 'finance'],
      params: partnerParams,
      responses: {
        200: { description: 'Invoices', schema: z.object({ items: z.array(invoiceSummary) }) },
        404: { description: 'No such partner' },
      },
      handler: async ({ params }) => {
        const partner = await partnerOrNotFound(params.partnerId);
        return { status: 200, body: { items: await deps.settlements.invoicesOf(partner.id) } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/customers',
      operationId: 'partnerCustomers',
      summary: 'A partner’s customers: the subaccounts of its own billing account, oldest first',
      tags: ['Partners'],
      roles: ['manager', 'finance'],
      params: partnerParams,
      responses: {
        200: { description: 'Customers', schema: z.object({ items: z.array(customerView) }) },
        404: { description: 'No such partner' },
      },
      handler: async ({ params }) => {
        const partner = await partnerOrNotFound(params.partnerId);
        return {
          status: 200,
          body: { items: await deps.programs.customersOf(partner.billingAccountId) },
        };
      },
    }),
  ];
}
