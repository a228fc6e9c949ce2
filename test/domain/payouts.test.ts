import {
  BANK_DETAILS_REQUIRED,
  decideFinalPayout,
  describeProblems,
  heldPayoutNotice,
  paidOutNotice,
  payoutDestination,
  type BankDetailsOnFile,
} from '../../domain/payouts';

/*
 * Valid pairs: 044525225 / 40702810938000000001 (a credit institution, constructed account
 * whose key was computed for the README walkthrough) and 044525000 / 40101810045250010041 (an
 * account in a Bank of Russia unit, from test/domain/validators.test.ts).
 */
const BIK = '044525225';
const ACCOUNT = '40702810938000000001';
const KEY_MISMATCH = 'control key does not match the BIK';

describe('payoutDestination: what counts as a bank account to pay to', () => {
  it.each<[string, BankDetailsOnFile | null, ReturnType<typeof payoutDestination>]>([
    ['both valid', { bik: BIK, account: ACCOUNT }, { ok: true, bik: BIK, account: ACCOUNT }],
    [
      'both valid, a Bank of Russia unit',
      { bik: '044525000', account: '40101810045250010041' },
      { ok: true, bik: '044525000', account: '40101810045250010041' },
    ],
    [
      'outer spaces removed',
      { bik: ` ${BIK} `, account: `${ACCOUNT}  ` },
      { ok: true, bik: BIK, account: ACCOUNT },
    ],
    [
      'no billing account at all',
      null,
      {
        ok: false,
        problems: [
          { field: 'bik', message: 'is not recorded' },
          { field: 'account', message: 'is not recorded' },
        ],
      },
    ],
    [
      'nothing recorded',
      { bik: null, account: null },
      {
        ok: false,
        problems: [
          { field: 'bik', message: 'is not recorded' },
          { field: 'account', message: 'is not recorded' },
        ],
      },
    ],
    [
      'empty strings',
      { bik: '', account: '  ' },
      {
        ok: false,
        problems: [
          { field: 'bik', message: 'is not recorded' },
          { field: 'account', message: 'is not recorded' },
        ],
      },
    ],
    [
      'only the BIK',
      { bik: BIK, account: null },
      { ok: false, problems: [{ field: 'account', message: 'is not recorded' }] },
    ],
    [
      'only the account',
      { bik: null, account: ACCOUNT },
      { ok: false, problems: [{ field: 'bik', message: 'is not recorded' }] },
    ],
    [
      'the account with a wrong control key',
      { bik: BIK, account: '40702810938000000002' },
      { ok: false, problems: [{ field: 'account', message: KEY_MISMATCH }] },
    ],
    [
      'the account of another bank (key against another BIK)',
      { bik: '044525000', account: ACCOUNT },
      { ok: false, problems: [{ field: 'account', message: KEY_MISMATCH }] },
    ],
    [
      'a short BIK and a short account',
      { bik: '04452522', account: '4070281093800000000' },
      {
        ok: false,
        problems: [
          { field: 'bik', message: 'must be 9 digits' },
          { field: 'account', message: 'must be 20 digits' },
        ],
      },
    ],
    [
      'letters',
      { bik: '04452522X', account: ACCOUNT },
      { ok: false, problems: [{ field: 'bik', message: 'must contain digits only' }] },
    ],
  ])('%s', (_case, details, expected) => {
    expect(payoutDestination(details)).toMatchObject(expected);
  });
});

describe('decideFinalPayout: the rebate balance on leaving', () => {
  const valid = { bik: BIK, account: ACCOUNT };
  const none = { bik: null, account: null };
  it.each<[string, string, BankDetailsOnFile | null, ReturnType<typeof decideFinalPayout>]>([
    ['a zero balance pays nothing', '0.00', valid, { action: 'none' }],
    ['a zero balance without details: nothing to hold', '0', none, { action: 'none' }],
    ['a negative balance pays nothing', '-5.00', valid, { action: 'none' }],
    [
      'a positive balance with valid details is paid in full',
      '1234.56',
      valid,
      { action: 'pay', amount: '1234.56', bik: BIK, account: ACCOUNT },
    ],
    [
      'one kopeck is paid too',
      '0.01',
      valid,
      { action: 'pay', amount: '0.01', bik: BIK, account: ACCOUNT },
    ],
    [
      'without details it is held, never paid to an empty account',
      '1234.56',
      none,
      {
        action: 'hold',
        amount: '1234.56',
        problems: [
          { field: 'bik', message: 'is not recorded' },
          { field: 'account', message: 'is not recorded' },
        ],
      },
    ],
    [
      'with an invalid account it is held',
      '10.5',
      { bik: BIK, account: '40702810938000000002' },
      { action: 'hold', amount: '10.50', problems: [{ field: 'account', message: KEY_MISMATCH }] },
    ],
  ])('%s', (_case, balance, bankDetails, expected) => {
    expect(decideFinalPayout({ balance, bankDetails })).toMatchObject(expected);
  });
});

describe('what the partner is told', () => {
  it('names the amount kept, why, and both fields with their rules', () => {
    const text = heldPayoutNotice('1234.56', [
      { field: 'bik', message: 'is not recorded' },
      { field: 'account', message: 'is not recorded' },
    ]);
    expect(text).toContain('1234.56 RUB is kept for you and not paid out yet');
    expect(text).toContain('(BIK: is not recorded; settlement account: is not recorded)');
    expect(text).toContain('9 digits');
    expect(text).toContain('20 digits, its control key matching the BIK');
    expect(text).toContain('PUT /v1/partners/me/bank-details');
    expect(BANK_DETAILS_REQUIRED.map((r) => r.field)).toEqual(['bik', 'account']);
  });

  it.each([
    [[{ field: 'account', message: KEY_MISMATCH }], `settlement account: ${KEY_MISMATCH}`],
    [[{ field: 'bik', message: 'must be 9 digits' }], 'BIK: must be 9 digits'],
    [[], ''],
  ])('describes the problems %j', (problems, expected) => {
    expect(describeProblems(problems)).toBe(expected);
  });

  it('says where the paid balance went', () => {
    expect(paidOutNotice({ amount: '5.00', bik: BIK, account: ACCOUNT })).toBe(
      `Your rebate balance of 5.00 RUB is paid out to the settlement account ${ACCOUNT} (BIK ${BIK}).`,
    );
  });
});
