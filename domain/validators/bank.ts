/**
 * Russian bank identifiers: BIK (bank identification code) and 20-digit account numbers with the
 * Bank of Russia control key ("Порядок расчета контрольного ключа в номере лицевого счета",
 * Bank of Russia, 08.09.1997 N 515). Pure: no I/O, no dependencies.
 */

/**
 * Who a BIK belongs to. By the BIK structure (Bank of Russia Regulation 225-P), digits 7–9 are
 * "000" for a cash settlement centre (RKC), "001" for a head RKC or a unit doing its work and
 * "002" for other Bank of Russia units; otherwise they are the credit institution's number.
 */
export type BikKind = 'credit_institution' | 'bank_of_russia';

export type BikCheck = { ok: true; kind: BikKind; bik: string } | { ok: false; reason: string };

export type AccountCheck = { ok: true; account: string } | { ok: false; reason: string };

export interface BankDetailsProblem {
  field: 'bik' | 'account';
  message: string;
}

const BANK_OF_RUSSIA_SUFFIXES: readonly string[] = ['000', '001', '002'];
/** 7,1,3 repeated over the 23 digits of conditional number + account. */
const KEY_WEIGHTS = [7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1, 3, 7, 1] as const;
const KEY_MISMATCH = 'control key does not match the BIK';

/** Removes leading and trailing U+0020 spaces only; any other character stays and is judged. */
function stripOuterSpaces(value: string): string {
  return value.replace(/^ +| +$/g, '');
}

/** Empty / non-digit / wrong-length problem of a digit string, or null when it is well formed. */
function digitsProblem(value: string, length: number): string | null {
  if (value === '') return 'must not be empty';
  if (!/^[0-9]+$/.test(value)) return 'must contain digits only';
  if (value.length !== length) return `must be ${length} digits`;
  return null;
}

/**
 * The N 515 control: the 3-digit conditional number followed by the 20-digit account (23 digits,
 * key digit included) weighted 7,1,3,7,1,3,…; the account is correct when the sum ends in 0.
 * (Equivalent to N 515's forward calculation: with the key set to 0, key = (last digit of the
 * sum × 3) mod 10, because the key sits at a position of weight 3.)
 */
function keyMatches(conditionalNumber: string, account: string): boolean {
  const digits = conditionalNumber + account;
  let sum = 0;
  KEY_WEIGHTS.forEach((weight, index) => {
    sum += weight * Number(digits[index]);
  });
  return sum % 10 === 0;
}

/** The RKC conditional number of N 515: digits 5–6 of the BIK with a "0" in front. */
function rkcConditionalNumber(bik: string): string {
  return `0${bik.slice(4, 6)}`;
}

/**
 * Validates a BIK. Rule: exactly 9 digits (only leading/trailing spaces are removed). The result
 * tells a Bank of Russia unit (digits 7–9 "000", "001" or "002", Regulation 225-P) from a credit
 * institution, which decides how account keys are computed.
 */
export function validateBik(value: string): BikCheck {
  const bik = stripOuterSpaces(value);
  const problem = digitsProblem(bik, 9);
  if (problem !== null) return { ok: false, reason: problem };
  const kind: BikKind = BANK_OF_RUSSIA_SUFFIXES.includes(bik.slice(6))
    ? 'bank_of_russia'
    : 'credit_institution';
  return { ok: true, kind, bik };
}

/**
 * Validates a 20-digit settlement (client) account against the BIK of the institution where it is
 * opened, by the N 515 control key. For an account in a credit institution the conditional number
 * is BIK digits 7–9; for an account opened in a Bank of Russia unit (RKC: BIK digits 7–9 "000",
 * "001" or "002") it is "0" followed by BIK digits 5–6. Only leading/trailing spaces are removed.
 */
export function validateSettlementAccount(account: string, bik: string): AccountCheck {
  const number = stripOuterSpaces(account);
  const problem = digitsProblem(number, 20);
  if (problem !== null) return { ok: false, reason: problem };

  const bikCheck = validateBik(bik);
  if (!bikCheck.ok) return { ok: false, reason: `cannot be checked: the BIK ${bikCheck.reason}` };

  const conditionalNumber =
    bikCheck.kind === 'bank_of_russia' ? rkcConditionalNumber(bikCheck.bik) : bikCheck.bik.slice(6);
  if (!keyMatches(conditionalNumber, number)) return { ok: false, reason: KEY_MISMATCH };
  return { ok: true, account: number };
}

/**
 * Validates a credit institution's 20-digit correspondent account against that institution's own
 * BIK. A correspondent account is opened in a Bank of Russia unit (RKC), so N 515 uses the RKC
 * conditional number: "0" followed by BIK digits 5–6 (N 515, appendix, example 1).
 * Only leading/trailing spaces are removed.
 */
export function validateCorrespondentAccount(account: string, bik: string): AccountCheck {
  const number = stripOuterSpaces(account);
  const problem = digitsProblem(number, 20);
  if (problem !== null) return { ok: false, reason: problem };

  const bikCheck = validateBik(bik);
  if (!bikCheck.ok) return { ok: false, reason: `cannot be checked: the BIK ${bikCheck.reason}` };

  if (!keyMatches(rkcConditionalNumber(bikCheck.bik), number)) {
    return { ok: false, reason: KEY_MISMATCH };
  }
  return { ok: true, account: number };
}

/**
 * Checks a BIK and a settlement account together (rules of validateBik and
 * validateSettlementAccount) and lists every field problem; an empty list means both are valid.
 * The control key is only checked when both values are well formed, so a bad BIK is reported on
 * the BIK alone.
 */
export function validateBankDetails(details: {
  bik: string;
  account: string;
}): BankDetailsProblem[] {
  const problems: BankDetailsProblem[] = [];
  const bikCheck = validateBik(details.bik);
  if (!bikCheck.ok) problems.push({ field: 'bik', message: bikCheck.reason });

  const accountProblem = digitsProblem(stripOuterSpaces(details.account), 20);
  if (accountProblem !== null) {
    problems.push({ field: 'account', message: accountProblem });
  } else if (bikCheck.ok) {
    const accountCheck = validateSettlementAccount(details.account, bikCheck.bik);
    if (!accountCheck.ok) problems.push({ field: 'account', message: accountCheck.reason });
  }
  return problems;
}
