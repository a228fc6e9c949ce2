import {
  billingAccountProblems,
  contactProblems,
  partnershipProblems,
  questionnaireProblems,
  videoWatchedToEnd,
  type BillingAccountFacts,
  type Questionnaire,
} from '../../domain/onboarding';
import { companyRefusal, type CompanyCard } from '../../domain/company';

const account: BillingAccountFacts = {
  id: 'ba-1',
  organizationId: 'org-1',
  type: 'business',
  ownerResident: true,
  paymentMethod: 'invoice',
  lockedByApplication: null,
  bankDetails: null,
};
const context = { organizationId: 'org-1', applicationId: 'app-1' };
const questionnaire: Questionnaire = {
  companySize: '1-10',
  specializations: ['integration'],
  customerCount: 3,
  motivation: 'grow',
};
const ready = {
  videoWatched: true,
  programs: ['var' as const],
  referralProgramOpen: true,
  hasBankDetails: false,
  taxationType: 'simplified',
  questionnaire,
};

describe('existing billing account requirements (SPEC §1.3)', () => {
  it('accepts a business or individual-entrepreneur account of a resident paying by invoice', () => {
    expect(billingAccountProblems(account, context)).toEqual([]);
    expect(
      billingAccountProblems({ ...account, type: 'individual_entrepreneur' }, context),
    ).toEqual([]);
  });

  it.each([
    [
      { type: 'individual' as const },
      'must be a business account (legal entity or individual entrepreneur)',
    ],
    [{ ownerResident: false }, 'the owner must be a resident of the Russian Federation'],
    [{ paymentMethod: 'card' as const }, 'the payment method must be invoice / wire transfer'],
    [
      { lockedByApplication: 'app-2' },
      'this billing account is already used by another application',
    ],
    [{ organizationId: 'org-2' }, 'this billing account belongs to another organization'],
  ])('refuses %p', (change, message) => {
    expect(billingAccountProblems({ ...account, ...change }, context)).toMatchObject([
      { field: 'company.billingAccountId', message },
    ]);
  });

  it('lets the application that locked the account use it again', () => {
    expect(billingAccountProblems({ ...account, lockedByApplication: 'app-1' }, context)).toEqual(
      [],
    );
  });
});

describe('partnership type (SPEC §1.4)', () => {
  it('accepts VAR after the video with taxation type and questionnaire', () => {
    expect(partnershipProblems(ready)).toEqual([]);
  });

  it('requires the video to be watched to the end first', () => {
    expect(partnershipProblems({ ...ready, videoWatched: false })).toMatchObject([
      {
        field: 'programs',
        message: 'watch the information video to the end before choosing the partnership type',
      },
    ]);
    expect(videoWatchedToEnd(299.5, 300)).toBe(true);
    expect(videoWatchedToEnd(250, 300)).toBe(false);
    expect(videoWatchedToEnd(0, 0)).toBe(false);
  });

  it('requires bank details for referral, and accepts them', () => {
    expect(partnershipProblems({ ...ready, programs: ['var', 'referral'] })).toMatchObject([
      {
        field: 'bankDetails',
        message: 'the referral program requires bank details (BIK and settlement account)',
      },
    ]);
    expect(partnershipProblems({ ...ready, programs: ['referral'], hasBankDetails: true })).toEqual(
      [],
    );
  });

  it('refuses referral when the program is closed, but not VAR', () => {
    const closed = { ...ready, referralProgramOpen: false, hasBankDetails: true };
    expect(partnershipProblems({ ...closed, programs: ['referral'] })).toMatchObject([
      {
        field: 'programs',
        message: 'the referral program no longer accepts new partners; choose VAR',
      },
    ]);
    expect(partnershipProblems({ ...closed, programs: ['var'] })).toEqual([]);
  });

  it('requires a program, once each', () => {
    expect(partnershipProblems({ ...ready, programs: [] })).toMatchObject([
      { field: 'programs', message: 'choose VAR, referral or both' },
    ]);
    expect(partnershipProblems({ ...ready, programs: ['var', 'var'] })).toMatchObject([
      { field: 'programs', message: 'each program may be chosen once' },
    ]);
  });

  it('requires the taxation type and a complete questionnaire', () => {
    expect(
      partnershipProblems({ ...ready, taxationType: null, questionnaire: null }),
    ).toMatchObject([
      {
        field: 'taxationType',
        message: 'choose one of general_with_vat, simplified, patent, unified_agricultural',
      },
      { field: 'questionnaire', message: 'complete the questionnaire about the company profile' },
    ]);
    expect(
      questionnaireProblems({
        companySize: '1-10',
        specializations: [' '],
        customerCount: -1,
        motivation: '',
      }),
    ).toMatchObject([
      { field: 'questionnaire.specializations', message: 'name at least one specialization' },
      { field: 'questionnaire.customerCount', message: 'must be a whole number, zero or more' },
      { field: 'questionnaire.motivation', message: 'tell us why you want to become a partner' },
    ]);
  });
});

describe('contact details (SPEC §1.3)', () => {
  it('accepts a complete contact', () => {
    expect(
      contactProblems({ name: 'Anna', email: 'anna@example.com', phone: '+7 (495) 123-45-67' }),
    ).toEqual([]);
  });

  it('names every bad field', () => {
    expect(contactProblems({ name: ' ', email: 'anna@', phone: 'call me' })).toMatchObject([
      { field: 'contact.name', message: 'must not be empty', code: 'required' },
      {
        field: 'contact.email',
        message: 'must be an e-mail address',
        code: 'invalid_format',
        params: { format: 'email' },
      },
      {
        field: 'contact.phone',
        message: 'must be a phone number such as +7 495 123-45-67',
        code: 'invalid_format',
        params: { format: 'phone' },
      },
    ]);
  });
});

describe('company status (SPEC §1.3)', () => {
  const card: CompanyCard = {
    inn: '7704123450',
    kind: 'legal_entity',
    name: 'АО «Тест»',
    ogrn: '1157746123457',
    kpp: '770401001',
    address: 'Москва',
    status: 'active',
    registeredOn: '2015-01-01',
  };
  it('accepts an active company and refuses a liquidated one', () => {
    expect(companyRefusal(card)).toBeNull();
    expect(companyRefusal({ ...card, status: 'liquidated' })).toMatch(/liquidated/);
  });
});
