/** What leaving (exit or revocation) produced: the partial month's documents and the payout. */
export interface FinalSettlementSummary {
  /** The partial month ('YYYY-MM'): the month of the last day with partner status. */
  month: string | null;
  /** The VAR final invoice, or the month's invoice that already covered it, or none. */
  invoice: { number: string; payable: string } | null;
  invoiceCoveredBy?: string;
  /** The referral final statement, or the month's statement that already covered it. */
  commissionStatement: { number: string; total: string } | null;
  commissionCoveredBy?: string;
  /** The rebate balance paid out to the bank account (null when it was zero or is held). */
  rebatePayout: string | null;
  /**
   * The rebate balance kept, not paid, because the partner has no valid bank details: what
   * is wrong with them. Paid once the partner gives them (`PUT …/bank-details`).
   */
  rebateAwaitingBankDetails?: { amount: string; problems: { field: string; message: string }[] };
}
