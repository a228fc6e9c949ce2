import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FinalSettlementSummary } from './partner-final-steps.contracts';

/** Contracts of a partner's exit notice (SPEC §4). */
export const PARTNER_EXIT_WORKFLOW_TYPE = 'partnerExitWorkflow';

/** Only one open notice per partner: the workflow id is derived from the partner. */
export function partnerExitWorkflowId(partnerId: string): string {
  return `partner-exit:${partnerId}`;
}

export interface PartnerExitInput {
  partnerId: string;
  requestedBy: string;
  noticeAt: string;
  /** First day without partner status (Moscow date). */
  exitDate: string;
  /** 00:00 Moscow time on the exit date. */
  exitAt: string;
}

export interface PartnerExitState {
  partnerId: string;
  status: 'notice_open' | 'withdrawn' | 'superseded' | 'exited';
  exitDate: string;
  exitAt: string;
  /** After the exit date: what the final steps produced. */
  final?: FinalSettlementSummary;
}

export const exitNoticeStateQuery = defineQuery<PartnerExitState>('exitNoticeState');
export const withdrawExitNoticeUpdate = defineUpdate<PartnerExitState, [{ actor: string }]>(
  'withdrawExitNotice',
);
export const exitSupersededSignal = defineSignal<[{ reason: string }]>('exitSuperseded');
