/**
 * KPP (tax registration reason code) and OGRN / OGRNIP (primary state registration number).
 * Pure: no I/O, no dependencies.
 */

export type KppCheck = { ok: true; kpp: string } | { ok: false; reason: string };

export type OgrnKind = 'legal_entity' | 'individual_entrepreneur';

export type OgrnCheck = { ok: true; kind: OgrnKind; ogrn: string } | { ok: false; reason: string };

/** Removes leading and trailing U+0020 spaces only; any other character stays and is judged. */
function stripOuterSpaces(value: string): string {
  return value.replace(/^ +| +$/g, '');
}

/**
 * The remainder of the decimal number written in `digits` divided by `modulus`, computed digit by
 * digit (Horner's scheme) so that numbers of any length stay exact without BigInt.
 */
function decimalRemainder(digits: string, modulus: number): number {
  let remainder = 0;
  for (const digit of digits) {
    remainder = (remainder * 10 + Number(digit)) % modulus;
  }
  return remainder;
}

/**
 * Validates a KPP. Rule: 9 characters — 4 digits (tax office code), 2 characters that are digits
 * or Latin capital letters A–Z (reason for registration), 3 digits (serial number). KPP has no
 * check digit. Only leading/trailing spaces are removed before checking.
 */
export function validateKpp(value: string): KppCheck {
  const kpp = stripOuterSpaces(value);
  if (kpp === '') return { ok: false, reason: 'must not be empty' };
  if (kpp.length !== 9) return { ok: false, reason: 'must be 9 characters' };
  if (!/^[0-9]{4}[0-9A-Z]{2}[0-9]{3}$/.test(kpp)) {
    return {
      ok: false,
      reason: 'must be 4 digits, 2 digits or capital letters A-Z, then 3 digits',
    };
  }
  return { ok: true, kpp };
}

/**
 * Validates an OGRN or OGRNIP. Rule: OGRN (legal entity) is 13 digits and its last digit equals
 * (the number formed by the first 12 digits mod 11) mod 10; OGRNIP (individual entrepreneur) is
 * 15 digits and its last digit equals (the first 14 digits mod 13) mod 10. The remainder is taken
 * digit by digit, so no precision is lost. Only leading/trailing spaces are removed.
 */
export function validateOgrn(value: string): OgrnCheck {
  const ogrn = stripOuterSpaces(value);
  if (ogrn === '') return { ok: false, reason: 'must not be empty' };
  if (!/^[0-9]+$/.test(ogrn)) return { ok: false, reason: 'must contain digits only' };

  let kind: OgrnKind;
  let modulus: number;
  if (ogrn.length === 13) {
    kind = 'legal_entity';
    modulus = 11;
  } else if (ogrn.length === 15) {
    kind = 'individual_entrepreneur';
    modulus = 13;
  } else {
    return {
      ok: false,
      reason:
        'must be 13 digits (OGRN, legal entity) or 15 digits (OGRNIP, individual entrepreneur)',
    };
  }

  const body = ogrn.slice(0, -1);
  const check = ogrn.slice(-1);
  if (decimalRemainder(body, modulus) % 10 !== Number(check)) {
    return { ok: false, reason: 'check digit does not match' };
  }
  return { ok: true, kind, ogrn };
}
