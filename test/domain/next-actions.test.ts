import {
  NEXT_ACTION_CODES,
  nextActionOf,
  nextActionText,
  type NextActionCode,
} from '../../domain/next-actions';
import {
  APPLICATION_STATUSES,
  ONBOARDING_STEPS,
  type ApplicationStatus,
  type OnboardingStep,
} from '../../domain/onboarding';
import { templateParams } from '../../domain/templates';

const plain = { companyUnconfirmed: false, billingRejectionReason: null };

describe('the next action of an application', () => {
  it.each<[OnboardingStep, NextActionCode, string]>([
    ['start', 'start_application', 'Start the application'],
    ['sign_in', 'sign_in', 'Sign in'],
    [
      'application',
      'enter_application',
      'Enter contact details and choose a billing account or enter the company INN',
    ],
    [
      'partnership_type',
      'choose_partnership_type',
      'Watch the information video, then choose the partnership type',
    ],
    ['billing_account', 'create_billing_account', 'Create the billing account'],
    ['manager_review', 'manager_review', 'A partner manager reviews the application'],
    ['decision', 'decided', 'Decided'],
  ])('a draft at step %s: %s', (step, code, text) => {
    const action = nextActionOf({ status: 'draft', step, ...plain });
    expect(action).toEqual({ code, params: {} });
    expect(nextActionText(action)).toBe(text);
  });

  it.each<[ApplicationStatus, NextActionCode, string]>([
    [
      'awaiting_billing_verification',
      'await_billing_verification',
      'Wait for the billing verification (it takes a few days)',
    ],
    ['approved', 'partner_portal_open', 'Partner status granted: the partner portal is open'],
    ['rejected', 'rejected', 'Rejected'],
    ['cancelled', 'cancelled', 'Cancelled by the applicant'],
    ['expired', 'expired', 'Expired after 30 days without activity'],
  ])('%s reads the same at every step', (status, code, text) => {
    for (const step of ONBOARDING_STEPS) {
      const action = nextActionOf({
        status,
        step,
        companyUnconfirmed: true,
        billingRejectionReason: 'refused',
      });
      expect(action.code).toBe(code);
      expect(nextActionText(action)).toBe(text);
    }
  });

  it('an application in review follows its step', () => {
    const action = nextActionOf({ status: 'in_review', step: 'manager_review', ...plain });
    expect(action.code).toBe('manager_review');
  });

  it('asks a draft to confirm the company card found by INN', () => {
    const action = nextActionOf({
      status: 'draft',
      step: 'application',
      companyUnconfirmed: true,
      billingRejectionReason: null,
    });
    expect(nextActionText(action)).toBe('Confirm the company card from the registry');
  });

  it('asks to correct a refused billing account, naming the billing system’s reason', () => {
    const action = nextActionOf({
      status: 'draft',
      step: 'billing_account',
      companyUnconfirmed: false,
      billingRejectionReason: 'the payer address is incomplete',
    });
    expect(action).toEqual({
      code: 'correct_billing_account',
      params: { reason: 'the payer address is incomplete' },
    });
    expect(nextActionText(action)).toBe(
      'Correct the billing account: the payer address is incomplete',
    );
  });

  it('gives every status and step a catalogued code with exactly its parameters', () => {
    for (const status of APPLICATION_STATUSES) {
      for (const step of ONBOARDING_STEPS) {
        for (const companyUnconfirmed of [false, true]) {
          for (const billingRejectionReason of [null, 'refused']) {
            const action = nextActionOf({
              status,
              step,
              companyUnconfirmed,
              billingRejectionReason,
            });
            const entry = NEXT_ACTION_CODES[action.code];
            expect(Object.keys(action.params).sort()).toEqual([...entry.params].sort());
            expect(templateParams(entry.en).sort()).toEqual([...entry.params].sort());
          }
        }
      }
    }
  });
});
