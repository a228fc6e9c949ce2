import { defineQuery } from '@temporalio/workflow';

/** Message contracts of the VAR month-end close. */
export const MONTH_CLOSE_WORKFLOW_TYPE = 'monthCloseWorkflow';
export const MONTH_CLOSE_SCHEDULE_ID = 'var-month-close';

/** One close per month: on-demand runs of a month share this id. */
export function monthCloseWorkflowId(month: string): string {
  return `month-close:${month}`;
}

export interface MonthCloseInput {
  /** 'YYYY-MM'; omitted by the schedule, which settles the month before its fire time. */
  month?: string;
  /**
   * A scheduled run closing earlier open months first (months close in order): the month it
   * was fired for. Carried over by continue-as-new.
   */
  catchUpTo?: string;
  /** Carried over by continue-as-new. */
  resume?: {
    /** VAR invoices first, then referral commissions; absent means 'var'. */
    phase?: ClosePhase;
    cursor: string | null;
    settled: number;
    created: number;
    referralSettled?: number;
    statementsCreated?: number;
  };
}

export type ClosePhase = 'var' | 'referral';

export interface MonthCloseResult {
  month: string;
  /** Earlier open months a scheduled run closed first, in order. */
  caughtUp?: string[];
  /** The reconciliation's difference when the close completed: "0" when every line is billed. */
  reconciliationDifference?: string;
  partnersSettled: number;
  invoicesCreated: number;
  referralPartnersSettled: number;
  statementsCreated: number;
}

export interface CloseProgress {
  month: string;
  status: 'running' | 'completed';
  phase: ClosePhase;
  /** VAR partners (and partners who left with late consumption) and their invoices. */
  partnersTotal: number;
  partnersSettled: number;
  invoicesCreated: number;
  /** Referral partners and their commission statements. */
  referralPartnersTotal: number;
  referralPartnersSettled: number;
  statementsCreated: number;
}

export const closeProgressQuery = defineQuery<CloseProgress>('closeProgress');

/** Activity failures the close never retries: the same input would fail the same way. */
export const CLOSE_NON_RETRYABLE_ERRORS = ['CloseOrderError', 'LedgerOverlapError', 'InvalidMonth'];
