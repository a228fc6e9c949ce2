/**
 * INN (taxpayer identification number) of a Russian organisation or individual entrepreneur.
 * Pure: no I/O, no dependencies.
 */

export type InnKind = 'legal_entity' | 'individual_entrepreneur';

export type InnCheck = { ok: true; kind: InnKind; inn: string } | { ok: false; reason: string };

const LEGAL_ENTITY_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const ENTREPRENEUR_FIRST_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;
const ENTREPRENEUR_SECOND_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8] as const;

/** Removes leading and trailing U+0020 spaces only; any other character stays and is judged. */
function stripOuterSpaces(value: string): string {
  return value.replace(/^ +| +$/g, '');
}

/**
 * One INN check digit: the digits before it weighted by `weights`, summed, then
 * (sum mod 11) mod 10. `digits` must hold at least `weights.length` ASCII digits.
 */
function innCheckDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((weight, index) => {
    sum += weight * Number(digits[index]);
  });
  return (sum % 11) % 10;
}

/**
 * Validates an INN. Rule: 10 digits for a legal entity, where digit 10 is the check digit over
 * digits 1–9 with weights 2,4,10,3,5,9,4,6,8; or 12 digits for an individual entrepreneur, where
 * digit 11 is the check over digits 1–10 (weights 7,2,4,10,3,5,9,4,6,8) and digit 12 the check
 * over digits 1–11 (weights 3,7,2,4,10,3,5,9,4,6,8). Each check digit is (weighted sum mod 11)
 * mod 10. Only leading/trailing spaces are removed before checking.
 */
export function validateInn(value: string): InnCheck {
  const inn = stripOuterSpaces(value);
  if (inn === '') return { ok: false, reason: 'must not be empty' };
  if (!/^[0-9]+$/.test(inn)) return { ok: false, reason: 'must contain digits only' };

  if (inn.length === 10) {
    if (innCheckDigit(inn, LEGAL_ENTITY_WEIGHTS) !== Number(inn[9])) {
      return { ok: false, reason: 'check digit does not match' };
    }
    return { ok: true, kind: 'legal_entity', inn };
  }

  if (inn.length === 12) {
    if (
      innCheckDigit(inn, ENTREPRENEUR_FIRST_WEIGHTS) !== Number(inn[10]) ||
      innCheckDigit(inn, ENTREPRENEUR_SECOND_WEIGHTS) !== Number(inn[11])
    ) {
      return { ok: false, reason: 'check digit does not match' };
    }
    return { ok: true, kind: 'individual_entrepreneur', inn };
  }

  return {
    ok: false,
    reason: 'must be 10 digits (legal entity) or 12 digits (individual entrepreneur)',
  };
}
