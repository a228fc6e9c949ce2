import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { ReferralService } from './referrals.service';

const REFERRAL_CODE = /^[2-9A-HJKMNP-Z]{10}$/;
const codeSchema = z
  .string()
  .regex(REFERRAL_CODE, 'must be a referral code: 10 characters, capital letters and digits')
  .describe('The code of a referral link');
const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const linkView = z
  .object({
    partnerId: z.guid(),
    code: z.string(),
    url: z.url().describe('The link to share: it leads to the provider’s sign-up page'),
    signupUrl: z.url().describe('The sign-up page with the code, where the link redirects'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ReferralLink' });

const attributionView = z
  .object({
    customerAccountId: z.string(),
    customerName: z.string().nullable(),
    partnerId: z.guid(),
    referralCode: z.string(),
    signedUpAt: z.iso.datetime(),
    startDate: z.iso.date().describe('First day whose consumption earns commission'),
    endDate: z.iso.date().nullable().describe('Last such day; set when the partner leaves'),
  })
  .meta({ id: 'ReferralAttribution' });

const statementSummary = z
  .object({
    id: z.guid(),
    number: z.string(),
    partnerId: z.guid(),
    month: z.string(),
    kind: z.enum(['monthly', 'final']).describe('final: the partial month on leaving'),
    issuedAt: z.iso.datetime(),
    baseTotal: z.string().describe('Paid consumption (grants excluded) the commission is on'),
    total: z.string().describe('Commission paid out, rubles'),
    payout: z.object({ bik: z.string().nullable(), account: z.string().nullable() }),
  })
  .meta({ id: 'CommissionStatementSummary' });

const statementView = statementSummary.extend({
  lines: z.array(
    z.object({
      position: z.number().int(),
      customerAccountId: z.string(),
      forMonth: z.string().describe('The month of the consumption (earlier for late lines)'),
      base: z.string(),
      rate: z.string(),
      amount: z.string(),
      description: z.string(),
    }),
  ),
});

const signupBody = z
  .object({
    referralCode: codeSchema,
    customer: z
      .object({
        accountId: z
          .string()
          .regex(ACCOUNT_ID, 'must be a billing account id (letters, digits, . _ -; up to 64)'),
        organizationId: z.string().trim().min(1, 'is required').max(100),
        name: z.string().trim().min(1, 'is required').max(300),
        type: z.enum(['business', 'individual_entrepreneur', 'individual']).default('business'),
      })
      .strict(),
    signedUpAt: z.iso.datetime({ offset: true, message: 'must be an ISO instant with an offset' }),
  })
  .strict();

/** The referral program (SPEC §3): links, sign-ups, attributions and commission statements. */
export function referralRoutes(service: ReferralService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/referral-link',
      operationId: 'getMyReferralLink',
      summary: 'Your referral link (created on first request; it never changes)',
      tags: ['Referral program'],
      roles: ['partner'],
      responses: {
        200: { description: 'The link', schema: linkView },
        409: { description: 'Not a referral partner' },
      },
      handler: async ({ principal }) => ({ status: 200, body: await service.myLink(principal) }),
    }),
    defineRoute({
      method: 'get',
      path: '/r/:code',
      operationId: 'followReferralLink',
      summary: 'A referral link: redirects to the provider’s sign-up page with the code',
      tags: ['Referral program'],
      roles: 'public',
      params: z.object({ code: codeSchema }),
      responses: {
        302: { description: 'To the sign-up page' },
        404: { description: 'No such link, or the partner no longer refers customers' },
      },
      handler: async ({ params }) => ({
        status: 302,
        headers: { Location: await service.landing(params.code) },
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/referrals/signups',
      operationId: 'recordReferralSignup',
      summary:
        'Billing reports a customer who signed up through a referral link: attributed once, audited',
      tags: ['Referral program'],
      roles: ['billing-system'],
      body: signupBody,
      responses: {
        201: { description: 'Attributed', schema: attributionView },
        200: {
          description: 'The same sign-up again: the first attribution',
          schema: attributionView,
        },
        404: { description: 'No such referral code' },
        409: {
          description:
            'Attributed to another partner already, a partner’s or VAR customer’s account, or the partner no longer refers',
        },
        422: {
          description:
            'The sign-up time is in the future, or its Moscow date falls in a closed month (one ' +
            'with a month close, or before one); the answer names the first open date',
        },
      },
      handler: async ({ principal, body }) => {
        const { attribution, created } = await service.recordSignup(principal, body);
        return { status: created ? 201 : 200, body: attribution };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/referrals',
      operationId: 'listMyReferrals',
      summary: 'Customers attributed to you through your referral link',
      tags: ['Referral program'],
      roles: ['partner'],
      responses: {
        200: {
          description: 'Attributions, oldest first',
          schema: z.object({ partnerId: z.guid(), items: z.array(attributionView) }),
        },
      },
      handler: async ({ principal }) => ({
        status: 200,
        body: await service.myReferrals(principal),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/me/commission-statements',
      operationId: 'listMyCommissionStatements',
      summary: 'Your referral commission statements, newest month first',
      tags: ['Referral program'],
      roles: ['partner'],
      responses: {
        200: {
          description: 'Statements',
          schema: z.object({ partnerId: z.guid(), items: z.array(statementSummary) }),
        },
      },
      handler: async ({ principal }) => ({
        status: 200,
        body: await service.myStatements(principal),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/partners/:partnerId/commission-statements',
      operationId: 'listPartnerCommissionStatements',
      summary: 'A partner’s referral commission statements',
      tags: ['Referral program'],
      roles: ['manager', 'finance'],
      params: z.object({ partnerId: z.uuid({ message: 'must be a partner id (UUID)' }) }),
      responses: {
        200: {
          description: 'Statements',
          schema: z.object({ partnerId: z.guid(), items: z.array(statementSummary) }),
        },
      },
      handler: async ({ params }) => ({
        status: 200,
        body: await service.partnerStatements(params.partnerId),
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/commission-statements/:statementId',
      operationId: 'getCommissionStatement',
      summary: 'A commission statement with one line per customer and month',
      tags: ['Referral program'],
      roles: ['partner', 'manager', 'finance'],
      params: z.object({ statementId: z.uuid({ message: 'must be a statement id (UUID)' }) }),
      responses: { 200: { description: 'The statement', schema: statementView } },
      handler: async ({ principal, params }) => ({
        status: 200,
        body: await service.statement(principal, params.statementId),
      }),
    }),
  ];
}
