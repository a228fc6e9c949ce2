import { checkReasonCode } from './validators/codes';
import type { FieldProblem } from './errors';
import { formatMoney, Money } from './money';
import { validateBankDetails } from './validators/bank';

/**
 * Payouts to the bank (SPEC §2 withdrawals to the bank, SPEC §4 the rebate balance on
 * leaving): what counts as a destination, what is decided when the final payout falls due,
 * and what the partner is told. Pure: every caller that pays money to a bank account asks
 * `payoutDestination` first, so no payout is ever made to an empty or invalid account.
 */

/** The bank details on the partner's billing account, as stored (either may be missing). */
export interface BankDetailsOnFile {
  bik: string | null;
  account: string | null;
}

export type PayoutDestination =
  { ok: true; bik: string; account: string } | { ok: false; problems: FieldProblem[] };

/** What the partner has to provide, in the order asked, with the rule each must meet. */
export const BANK_DETAILS_REQUIRED: readonly { field: 'bik' | 'account'; rule: string }[] = [
  { field: 'bik', rule: 'the BIK of your bank: 9 digits' },
  {
    field: 'account',
    rule: 'your settlement account at that bank: 20 digits, its control key matching the BIK',
  },
];

const FIELD_NAMES: Record<string, string> = { bik: 'BIK', account: 'settlement account' };

/**
 * A destination is a BIK and a settlement account that are both recorded and valid together
 * (9-digit BIK, 20-digit account whose Bank of Russia control key matches the BIK). Anything
 * else is no destination, with one problem per field that is missing or wrong.
 */
export function payoutDestination(details: BankDetailsOnFile | null): PayoutDestination {
  const bik = details?.bik ?? '';
  const account = details?.account ?? '';
  const blank = (value: string) => value.trim() === '';
  const problems: FieldProblem[] = validateBankDetails({ bik, account }).map((p) =>
    blank(p.field === 'bik' ? bik : account)
      ? { field: p.field, message: 'is not recorded', code: 'required' }
      : { ...p, ...checkReasonCode(p.message) },
  );
  if (problems.length > 0) return { ok: false, problems };
  // Valid: the stored values without the outer spaces the validators allow.
  return { ok: true, bik: bik.trim(), account: account.trim() };
}

export type FinalPayoutDecision =
  | { action: 'none' }
  | { action: 'hold'; amount: string; problems: FieldProblem[] }
  | { action: 'pay'; amount: string; bik: string; account: string };

/**
 * When a partner leaves (SPEC §4) its rebate balance is paid out to the bank account of the
 * agreement: nothing when the balance is zero (or below), held — nothing paid, the balance
 * kept on the ledger — while there is no valid destination, paid in full otherwise.
 */
export function decideFinalPayout(input: {
  balance: string;
  bankDetails: BankDetailsOnFile | null;
}): FinalPayoutDecision {
  const balance = new Money(input.balance);
  if (!balance.gt(0)) return { action: 'none' };
  const amount = formatMoney(balance);
  const destination = payoutDestination(input.bankDetails);
  if (!destination.ok) return { action: 'hold', amount, problems: destination.problems };
  return { action: 'pay', amount, bik: destination.bik, account: destination.account };
}

/** "BIK: is not recorded; settlement account: must be 20 digits". */
export function describeProblems(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${FIELD_NAMES[p.field] ?? p.field}: ${p.message}`).join('; ');
}

/**
 * What the partner is told when its final payout is held: the amount kept, why, and exactly
 * what to provide and where.
 */
export function heldPayoutNotice(amount: string, problems: readonly FieldProblem[]): string {
  const wanted = BANK_DETAILS_REQUIRED.map((r) => r.rule).join(', and ');
  return (
    `Your rebate balance of ${amount} RUB is kept for you and not paid out yet: we have no valid ` +
    `bank account to pay it to (${describeProblems(problems)}). Send us ${wanted} ` +
    '(PUT /v1/partners/me/bank-details, or ask your manager), and the balance is paid out to ' +
    'that account once.'
  );
}

/** What the partner is told once a held final payout is paid. */
export function paidOutNotice(payout: { amount: string; bik: string; account: string }): string {
  return (
    `Your rebate balance of ${payout.amount} RUB is paid out to the settlement account ` +
    `${payout.account} (BIK ${payout.bik}).`
  );
}
