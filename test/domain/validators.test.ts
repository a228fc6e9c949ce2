import {
  validateBankDetails,
  validateBik,
  validateCorrespondentAccount,
  validateInn,
  validateKpp,
  validateOgrn,
  validateSettlementAccount,
} from '../../domain/validators';

/*
 * Sources of the valid values:
 * - Company INN / OGRN / KPP: the companies' published registration details (Sberbank, Yandex LLC,
 *   VTB Bank, Alfa-Bank, T-Bank, Gazprom).
 * - Bank BIK + correspondent account: the banks' published requisites (Bank of Russia BIK directory).
 * - "N 515": the worked examples in the appendix of the Bank of Russia's "Порядок расчета
 *   контрольного ключа в номере лицевого счета" (08.09.1997 N 515).
 * - Pre-2021 Moscow tax payment requisites: account 40101810045250010041 of UFK for Moscow at
 *   "ГУ Банка России по ЦФО" (BIK 044525000) and its predecessor 40101810800000010041 at
 *   "Отделение 1 Москва" (BIK 044583001) — both accounts opened in Bank of Russia units (RKC).
 * - Values marked "constructed" are not real registrations; their check digits were computed
 *   by hand for these tests.
 */

const INN_LENGTH = 'must be 10 digits (legal entity) or 12 digits (individual entrepreneur)';
const OGRN_LENGTH =
  'must be 13 digits (OGRN, legal entity) or 15 digits (OGRNIP, individual entrepreneur)';
const KPP_PATTERN = 'must be 4 digits, 2 digits or capital letters A-Z, then 3 digits';
const KEY_MISMATCH = 'control key does not match the BIK';

describe('validateInn', () => {
  it.each([
    ['7707083893', 'legal_entity', '7707083893'], // Sberbank
    ['7736207543', 'legal_entity', '7736207543'], // Yandex LLC
    ['7702070139', 'legal_entity', '7702070139'], // VTB Bank
    ['7728168971', 'legal_entity', '7728168971'], // Alfa-Bank
    ['7710140679', 'legal_entity', '7710140679'], // T-Bank
    ['7736050003', 'legal_entity', '7736050003'], // Gazprom
    // Constructed: 7701234567 + check digits 0 (weighted sum 242, mod 11 = 0) and 3 (234, mod 11 = 3).
    ['770123456703', 'individual_entrepreneur', '770123456703'],
    [' 7707083893  ', 'legal_entity', '7707083893'], // outer spaces are removed
  ])('accepts %p as %s', (value, kind, inn) => {
    expect(validateInn(value)).toEqual({ ok: true, kind, inn });
  });

  it.each([
    ['7707083894', 'check digit does not match'], // Sberbank, check digit changed
    ['7707183893', 'check digit does not match'], // Sberbank, digit 5 changed
    ['7736207534', 'check digit does not match'], // Yandex, last two digits swapped
    ['770123456704', 'check digit does not match'], // second check digit changed
    ['770123456713', 'check digit does not match'], // first check digit changed
    ['770123457703', 'check digit does not match'], // digit 9 changed
    ['770708389', INN_LENGTH], // 9 digits
    ['77070838930', INN_LENGTH], // 11 digits
    ['7707083893000', INN_LENGTH], // 13 digits
    ['7707O83893', 'must contain digits only'], // Latin letter O instead of zero
    ['7707 083893', 'must contain digits only'], // inner space is not removed
    ['\t7707083893', 'must contain digits only'], // only spaces are trimmed, not tabs
    ['7707083893\n', 'must contain digits only'],
    ['770708389３', 'must contain digits only'], // full-width digit
    ['-707083893', 'must contain digits only'],
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
  ])('rejects %p: %s', (value, reason) => {
    expect(validateInn(value)).toEqual({ ok: false, reason });
  });
});

describe('validateOgrn', () => {
  it.each([
    ['1027700132195', 'legal_entity', '1027700132195'], // Sberbank
    ['1027700229193', 'legal_entity', '1027700229193'], // Yandex LLC
    ['1027700070518', 'legal_entity', '1027700070518'], // Gazprom
    // Constructed OGRNIP: 30477000012345 mod 13 = 3, so the check digit is 3.
    ['304770000123453', 'individual_entrepreneur', '304770000123453'],
    [' 1027700132195 ', 'legal_entity', '1027700132195'],
  ])('accepts %p as %s', (value, kind, ogrn) => {
    expect(validateOgrn(value)).toEqual({ ok: true, kind, ogrn });
  });

  it.each([
    ['1027700132196', 'check digit does not match'], // Sberbank, check digit changed
    ['1027700132185', 'check digit does not match'], // Sberbank, digit 12 changed
    ['1027700229194', 'check digit does not match'], // Yandex, check digit changed
    ['304770000123454', 'check digit does not match'], // OGRNIP, check digit changed
    ['304770000124453', 'check digit does not match'], // OGRNIP, digit 12 changed
    ['102770013219', OGRN_LENGTH], // 12 digits
    ['10277001321950', OGRN_LENGTH], // 14 digits
    ['3047700001234530', OGRN_LENGTH], // 16 digits
    ['1O27700132195', 'must contain digits only'],
    ['1027700 132195', 'must contain digits only'],
    ['', 'must not be empty'],
  ])('rejects %p: %s', (value, reason) => {
    expect(validateOgrn(value)).toEqual({ ok: false, reason });
  });
});

describe('validateKpp', () => {
  it.each([
    ['773601001', '773601001'], // Sberbank
    ['7701AB001', '7701AB001'], // constructed: letters in the reason code
    ['7701Z1001', '7701Z1001'], // constructed: letter and digit in the reason code
    [' 773601001 ', '773601001'],
  ])('accepts %p', (value, kpp) => {
    expect(validateKpp(value)).toEqual({ ok: true, kpp });
  });

  it.each([
    ['77360100', 'must be 9 characters'],
    ['7736010011', 'must be 9 characters'],
    ['7701ab001', KPP_PATTERN], // lower-case letters
    ['7736О1001', KPP_PATTERN], // Cyrillic О
    ['A73601001', KPP_PATTERN], // letter in the tax office code
    ['77360100A', KPP_PATTERN], // letter in the serial number
    ['7736-1001', KPP_PATTERN],
    ['', 'must not be empty'],
  ])('rejects %p: %s', (value, reason) => {
    expect(validateKpp(value)).toEqual({ ok: false, reason });
  });
});

describe('validateBik', () => {
  it.each([
    ['044525225', 'credit_institution', '044525225'], // Sberbank
    ['044525593', 'credit_institution', '044525593'], // Alfa-Bank
    ['049805746', 'credit_institution', '049805746'], // N 515, example 3
    ['044525000', 'bank_of_russia', '044525000'], // ГУ Банка России по ЦФО
    ['044583001', 'bank_of_russia', '044583001'], // Отделение 1 Москва
    ['049805000', 'bank_of_russia', '049805000'], // N 515, example 1 (an RKC)
    ['044525002', 'bank_of_russia', '044525002'], // constructed: "002" suffix
    [' 044525225 ', 'credit_institution', '044525225'],
  ])('accepts %p as %s', (value, kind, bik) => {
    expect(validateBik(value)).toEqual({ ok: true, kind, bik });
  });

  it.each([
    ['04452522', 'must be 9 digits'],
    ['0445252250', 'must be 9 digits'],
    ['04452522S', 'must contain digits only'],
    ['044 525 225', 'must contain digits only'],
    ['', 'must not be empty'],
  ])('rejects %p: %s', (value, reason) => {
    expect(validateBik(value)).toEqual({ ok: false, reason });
  });
});

describe('validateSettlementAccount', () => {
  it.each([
    // Constructed account at Sberbank. "225" + "40702810K38000000001" with K = 0 weighs
    // 7,1,3,… to 143; key = 3 × 3 = 9, and with K = 9 the weighted sum is 170 (ends in 0).
    ['40702810938000000001', '044525225', '40702810938000000001'],
    ['40602810700000000025', '049805746', '40602810700000000025'], // N 515, example 3
    // Accounts in Bank of Russia units: the key uses "0" + BIK digits 5–6 ("025", "083").
    ['40101810045250010041', '044525000', '40101810045250010041'],
    ['40101810800000010041', '044583001', '40101810800000010041'],
    [' 40702810938000000001 ', ' 044525225 ', '40702810938000000001'],
  ])('accepts %p at BIK %p', (account, bik, expected) => {
    expect(validateSettlementAccount(account, bik)).toEqual({ ok: true, account: expected });
  });

  it.each([
    ['40702810038000000001', '044525225', KEY_MISMATCH], // key digit changed
    ['40702810938000000002', '044525225', KEY_MISMATCH], // last digit changed
    ['40702810938000000001', '044525226', KEY_MISMATCH], // BIK digit 9 changed
    ['40602810700000000025', '049805000', KEY_MISMATCH], // right account, RKC instead of bank
    ['40101810045250010041', '044525225', KEY_MISMATCH], // RKC account, credit institution BIK
    // A correspondent account is keyed with the RKC number, so it is no settlement account here.
    ['30101810400000000225', '044525225', KEY_MISMATCH],
    ['4070281093800000000', '044525225', 'must be 20 digits'],
    ['407028109380000000011', '044525225', 'must be 20 digits'],
    ['40702810938000000OO1', '044525225', 'must contain digits only'],
    ['', '044525225', 'must not be empty'],
    ['40702810938000000001', '04452522', 'cannot be checked: the BIK must be 9 digits'],
    ['40702810938000000001', '', 'cannot be checked: the BIK must not be empty'],
  ])('rejects %p at BIK %p: %s', (account, bik, reason) => {
    expect(validateSettlementAccount(account, bik)).toEqual({ ok: false, reason });
  });
});

describe('validateCorrespondentAccount', () => {
  it.each([
    ['30101810400000000225', '044525225'], // Sberbank
    ['30101810200000000593', '044525593'], // Alfa-Bank
    ['30101810700000000187', '044525187'], // VTB Bank
    ['30101810145250000974', '044525974'], // T-Bank
    ['30101810800000000746', '049805746'], // N 515, example 1
  ])('accepts %p for BIK %p', (account, bik) => {
    expect(validateCorrespondentAccount(account, bik)).toEqual({ ok: true, account });
  });

  it.each([
    ['30101810500000000225', '044525225', KEY_MISMATCH], // key digit changed
    ['30101810400000000226', '044525225', KEY_MISMATCH], // last digit changed
    ['30101810400000000225', '044599225', KEY_MISMATCH], // BIK digits 5–6 changed
    ['3010181040000000022', '044525225', 'must be 20 digits'],
    ['3010181040000000022X', '044525225', 'must contain digits only'],
    ['30101810400000000225', '04452522X', 'cannot be checked: the BIK must contain digits only'],
  ])('rejects %p for BIK %p: %s', (account, bik, reason) => {
    expect(validateCorrespondentAccount(account, bik)).toEqual({ ok: false, reason });
  });
});

describe('validateBankDetails', () => {
  it.each([
    [{ bik: '044525225', account: '40702810938000000001' }, []],
    [{ bik: '044525000', account: '40101810045250010041' }, []],
    [
      { bik: '044525225', account: '40702810038000000001' },
      [{ field: 'account', message: KEY_MISMATCH }],
    ],
    [
      { bik: '04452522', account: '40702810938000000001' },
      [{ field: 'bik', message: 'must be 9 digits' }],
    ],
    [
      { bik: 'BIK', account: '40702810938000000001' },
      [{ field: 'bik', message: 'must contain digits only' }],
    ],
    [
      { bik: '044525225', account: '407028109380' },
      [{ field: 'account', message: 'must be 20 digits' }],
    ],
    [
      { bik: '04452522', account: '4070281093800000000A' },
      [
        { field: 'bik', message: 'must be 9 digits' },
        { field: 'account', message: 'must contain digits only' },
      ],
    ],
    [
      { bik: '', account: '' },
      [
        { field: 'bik', message: 'must not be empty' },
        { field: 'account', message: 'must not be empty' },
      ],
    ],
  ])('checks %j', (details, problems) => {
    expect(validateBankDetails(details)).toEqual(problems);
  });
});
