/**
 * VAR month-end settlement rules (SPEC §2): pure functions from SQL aggregates to invoice
 * lines, totals and rebate accruals.
 */
export {
  settleVarMonth,
  type AdjustedKind,
  type ConsumptionDay,
  type InvoiceLine,
  type InvoiceLineKind,
  type VarMonthInput,
  type VarSettlement,
  type VarTotals,
  type VatPart,
  type WithdrawalToBonus,
} from './settle';
export {
  MAX_BASE_BONUS_RATE,
  MAX_DEAL_UPLIFT_RATE,
  MAX_PROJECT_REBATE_RATE,
  monthlyRate,
  NoRateInForceError,
  rateOn,
  VAR_TERMS,
  type RateEntry,
  type RateSchedule,
  type VarTerms,
} from './terms';
export { isLinkedOn, linkedDaysInMonth, winningDeal, type Deal } from './deals';
export {
  capWithdrawalToBonus,
  isProjectRebateMonth,
  projectGrowthAccrual,
  projectRebateWindow,
  PROJECT_REBATE_MONTHS,
  specializationAccrual,
  type ProjectGrowth,
  type RebateAccrual,
  type SpecializationQuarter,
  type WithdrawalCap,
} from './rebates';
export type { IsoDate, YearMonth } from './dates';
export {
  BONUS_EXCLUDED_SERVICES,
  BONUS_EXCLUDED_SERVICE_IDS,
  billableFrom,
  catchUpMonths,
  closeOrderProblem,
  interimInvoiceDue,
  invoiceDueDate,
  invoiceNumber,
  isMonthClosed,
  issuesMonthlyInvoice,
  monthlyRanges,
  partialMonthRange,
  reconciliationDifference,
  recordedRanges,
  settledByFinalInvoice,
  LedgerOverlapError,
  type BilledRange,
  type CloseOrderProblem,
  type NewestClose,
} from './billing';
