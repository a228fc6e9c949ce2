import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type WorkflowClient,
} from '@temporalio/client';
import { z } from 'zod';
import { DomainError } from '../../../domain/errors';
import { exitDateFor, partnerTransition } from '../../../domain/lifecycle';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import {
  PARTNER_EXIT_WORKFLOW_TYPE,
  partnerExitWorkflowId,
  exitNoticeStateQuery,
  withdrawExitNoticeUpdate,
  type PartnerExitInput,
} from '../../../workflows/partner-exit.contracts';
import {
  PARTNER_REVOCATION_WORKFLOW_TYPE,
  partnerRevocationWorkflowId,
  type PartnerRevocationInput,
} from '../../../workflows/partner-revocation.contracts';
import { defineRoute, type AnyRoute } from '../../http/route';
import { updateFailureToDomainError } from '../applications/applications.service';

const noticeView = z.object({
  partnerId: z.guid(),
  exitDate: z.iso.date().describe('First day without partner status'),
  exitAt: z.iso.datetime(),
  workflowId: z.string(),
});

const exitState = z.object({
  partnerId: z.guid(),
  status: z.enum(['notice_open', 'withdrawn', 'superseded', 'exited']),
  exitDate: z.iso.date(),
  exitAt: z.iso.datetime(),
  final: z
    .object({
      month: z.string().nullable(),
      invoice: z.object({ number: z.string(), payable: z.string() }).nullable(),
      invoiceCoveredBy: z.string().optional(),
      commissionStatement: z.object({ number: z.string(), total: z.string() }).nullable(),
      commissionCoveredBy: z.string().optional(),
      rebatePayout: z.string().nullable(),
      rebateAwaitingBankDetails: z
        .object({
          amount: z.string(),
          problems: z.array(z.object({ field: z.string(), message: z.string() })),
        })
        .optional(),
    })
    .optional()
    .describe('After the exit date: what the final steps produced'),
});

const revocationView = z.object({
  partnerId: z.guid(),
  status: z.literal('revoked'),
  reason: z.string(),
});

/** The exit notice (partner) and revocation (manager), SPEC §4. */
export function lifecycleRoutes(deps: {
  workflows: WorkflowClient;
  taskQueue: string;
  partners: PartnerRepository;
  now?: () => Date;
}): AnyRoute[] {
  const now = deps.now ?? (() => new Date());
  async function myPartner(organizationId: string | undefined) {
    const partner = await deps.partners.findByOrganization(organizationId ?? '');
    if (!partner)
      throw new DomainError('not_found', 'Your organization is not a partner', [], {
        reason: 'not_a_partner',
      });
    return partner;
  }

  /** True when the notice workflow is no longer open and closes within a few seconds. */
  async function finishesSoon(workflowId: string): Promise<boolean> {
    const handle = deps.workflows.getHandle(workflowId);
    const state = await handle.query(exitNoticeStateQuery).catch(() => null);
    if (state?.status === 'notice_open') return false;
    for (let i = 0; i < 50; i++) {
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  return [
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/exit-notice',
      operationId: 'giveExitNotice',
      summary: 'Give notice to leave the partner program (at least 30 days ahead)',
      tags: ['Partner lifecycle'],
      roles: ['partner'],
      body: z
        .object({
          exitDate: z
            .string()
            .optional()
            .describe('YYYY-MM-DD; default: 30 days after today (Moscow)'),
        })
        .strict(),
      responses: {
        202: { description: 'The notice runs until the exit date', schema: noticeView },
        409: { description: 'A notice is already open, or the partner is not active' },
        422: {
          description:
            'The exit date is less than 30 days ahead; the message names the earliest date',
        },
      },
      handler: async ({ principal, body }) => {
        const partner = await myPartner(principal.organizationId);
        partnerTransition(partner.status, 'notice');
        const { exitDate, exitAt } = exitDateFor({
          noticeAt: now().toISOString(),
          requestedExitDate: body.exitDate,
        });
        const input: PartnerExitInput = {
          partnerId: partner.id,
          requestedBy: principal.subject,
          noticeAt: now().toISOString(),
          exitDate,
          exitAt,
        };
        const workflowId = partnerExitWorkflowId(partner.id);
        const start = () =>
          deps.workflows.start(PARTNER_EXIT_WORKFLOW_TYPE, {
            taskQueue: deps.taskQueue,
            workflowId,
            args: [input],
            workflowIdConflictPolicy: 'FAIL',
            workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          });
        try {
          await start();
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
          // A notice withdrawn a moment ago may still be finishing (its notification):
          // wait for it briefly, then give the new notice.
          if (!(await finishesSoon(workflowId))) {
            throw new DomainError('conflict', 'An exit notice is already open', [], {
              reason: 'exit_notice_open',
            });
          }
          await start();
        }
        return { status: 202, body: { partnerId: partner.id, exitDate, exitAt, workflowId } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/me/exit-notice/withdraw',
      operationId: 'withdrawExitNotice',
      summary: 'Withdraw your exit notice before the exit date',
      tags: ['Partner lifecycle'],
      roles: ['partner'],
      responses: {
        200: { description: 'Withdrawn', schema: exitState },
        409: { description: 'No open notice, or past its date' },
      },
      handler: async ({ principal }) => {
        const partner = await myPartner(principal.organizationId);
        try {
          const state = await deps.workflows
            .getHandle(partnerExitWorkflowId(partner.id))
            .executeUpdate(withdrawExitNoticeUpdate, { args: [{ actor: principal.subject }] });
          return { status: 200, body: state };
        } catch (error) {
          const mapped = updateFailureToDomainError(error);
          if (mapped) throw mapped;
          if (error instanceof WorkflowNotFoundError)
            throw new DomainError('invalid_state', 'There is no open exit notice', [], {
              reason: 'no_exit_notice',
            });
          throw error;
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/partners/:partnerId/revoke',
      operationId: 'revokePartner',
      summary: 'Revoke partner status for non-compliance (effective at once)',
      tags: ['Partner lifecycle'],
      roles: ['manager'],
      params: z.object({ partnerId: z.uuid({ message: 'must be a partner id (UUID)' }) }),
      body: z.object({ reason: z.string().trim().min(1, 'give the reason').max(2000) }).strict(),
      responses: {
        202: { description: 'Revoked; the final steps run', schema: revocationView },
        404: { description: 'No such partner' },
        409: { description: 'Already left or revoked' },
      },
      handler: async ({ principal, params, body }) => {
        const partner = await deps.partners.findById(params.partnerId);
        if (!partner)
          throw new DomainError('not_found', `No partner ${params.partnerId}`, [], {
            reason: 'partner_not_found',
            params: { partnerId: params.partnerId },
          });
        partnerTransition(partner.status, 'revoke');
        const input: PartnerRevocationInput = {
          partnerId: partner.id,
          reason: body.reason,
          revokedBy: principal.subject,
          effectiveDate: new Date(now().getTime() + 3 * 60 * 60 * 1000).toISOString().slice(0, 10),
        };
        await deps.workflows.start(PARTNER_REVOCATION_WORKFLOW_TYPE, {
          taskQueue: deps.taskQueue,
          workflowId: partnerRevocationWorkflowId(partner.id),
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        });
        return {
          status: 202,
          body: { partnerId: partner.id, status: 'revoked' as const, reason: body.reason },
        };
      },
    }),
  ];
}
