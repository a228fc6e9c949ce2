import type { ProblemParams } from '../errors';
import type { FieldCode } from '../problem-codes';

/**
 * The stable code of a validator's refusal (INN, OGRN, KPP, BIK, account), read from the
 * validator's own wording, so a field problem built from `check.reason` carries a code the
 * portal translates.
 */
export function checkReasonCode(reason: string): { code: FieldCode; params?: ProblemParams } {
  if (reason === 'must not be empty') return { code: 'required' };
  if (reason === 'must contain digits only') return { code: 'digits_only' };
  const digits = /^must be (\d+) (digits|characters)$/.exec(reason);
  if (digits) return { code: 'length_exact', params: { length: Number(digits[1]) } };
  if (reason.startsWith('must be 10 digits')) return { code: 'inn_length' };
  if (reason === 'check digit does not match') return { code: 'check_digit' };
  if (reason === 'control key does not match the BIK') return { code: 'account_key' };
  if (reason.startsWith('cannot be checked: the BIK')) return { code: 'bik_invalid' };
  return { code: 'custom' };
}
