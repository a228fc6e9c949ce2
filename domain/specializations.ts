/**
 * Specializations as a catalogue partners apply to (SPEC §2, specialization rebate). The
 * catalogue holds versions of each specialization with effective dates; a partner applies
 * with evidence and its number of certified engineers; a manager grants or refuses an open
 * application, and a grant copies the rate and services of the version valid on the grant
 * date. Pure rules: dates are passed in.
 */
import { DomainError, type FieldProblem } from './errors';
import { registrationSla } from './registrations';
import { isIsoDate } from './settlement/dates';

export interface CatalogueEntry {
  code: string;
  nameRu: string;
  nameEn: string;
  serviceIds: string[];
  /** A fraction of the customers' eligible consumption of the services, e.g. "0.05". */
  rate: string;
  requirements: string;
  minCertifiedEngineers: number;
  validFrom: string;
  /** Last day the version applies, inclusive; null while it applies. */
  validTo: string | null;
}

export type ApplicationStatus = 'open' | 'granted' | 'refused';
export type ApplicationDecision = 'grant' | 'refuse';

export interface ApplicationTerms {
  code: string;
  evidence: string;
  certifiedEngineers: number;
}

/** Business days a manager has to decide an application, unless configured otherwise. */
export const DEFAULT_SPECIALIZATION_SLA_BUSINESS_DAYS = 5;

/**
 * When the review of an application submitted at `submittedAt` is late: 00:00 Moscow after
 * the `businessDays`-th business day following the Moscow day of submission, on the
 * production calendar — the same window a deal or project registration gets.
 */
export function specializationReviewDeadline(submittedAt: string, businessDays: number): string {
  return registrationSla(submittedAt, businessDays).deadline;
}

/** The longest evidence text kept with an application. */
export const MAX_EVIDENCE_LENGTH = 4000;
/** The longest reason kept with a decision. */
export const MAX_REASON_LENGTH = 1000;

/** The version of `code` valid on `date`, or null when the catalogue has none then. */
export function catalogueEntryOn<T extends Pick<CatalogueEntry, 'code' | 'validFrom' | 'validTo'>>(
  entries: readonly T[],
  code: string,
  date: string,
): T | null {
  const valid = entries.filter(
    (e) => e.code === code && e.validFrom <= date && (e.validTo === null || e.validTo >= date),
  );
  // Versions of a code do not overlap; should they, the latest first day wins.
  valid.sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1));
  return valid[0] ?? null;
}

/** The catalogue as it stands on `date`: one version per code, ordered by code. */
export function catalogueOn<T extends Pick<CatalogueEntry, 'code' | 'validFrom' | 'validTo'>>(
  entries: readonly T[],
  date: string,
): T[] {
  const codes = [...new Set(entries.map((e) => e.code))].sort();
  return codes.flatMap((code) => {
    const entry = catalogueEntryOn(entries, code, date);
    return entry ? [entry] : [];
  });
}

/**
 * What is wrong with an application filed on `date` against the catalogue version valid
 * then (null when the code is not in the catalogue on that date): the evidence must say
 * something, and the partner must have at least the version's minimum of certified engineers.
 */
export function applicationProblems(
  application: ApplicationTerms,
  entry: Pick<CatalogueEntry, 'minCertifiedEngineers'> | null,
  date: string,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (entry === null) {
    problems.push({
      field: 'code',
      message: `${application.code} is not a specialization of the catalogue on ${date}`,
      code: 'not_in_catalogue',
      params: { code: application.code, date },
    });
  }
  const evidence = application.evidence.trim();
  if (evidence === '')
    problems.push({ field: 'evidence', message: 'must not be empty', code: 'required' });
  else if (evidence.length > MAX_EVIDENCE_LENGTH) {
    problems.push({
      field: 'evidence',
      message: `must be at most ${MAX_EVIDENCE_LENGTH} characters`,
      code: 'too_big',
      params: { maximum: MAX_EVIDENCE_LENGTH, origin: 'string' },
    });
  }
  const engineers = application.certifiedEngineers;
  if (!Number.isInteger(engineers) || engineers < 0) {
    problems.push({
      field: 'certifiedEngineers',
      message: 'must be a whole number ≥ 0',
      code: 'whole_number',
    });
  } else if (entry !== null && engineers < entry.minCertifiedEngineers) {
    problems.push({
      field: 'certifiedEngineers',
      message:
        `the specialization requires at least ${entry.minCertifiedEngineers} certified ` +
        `engineers; the application names ${engineers}`,
      code: 'too_few_engineers',
      params: { minimum: entry.minCertifiedEngineers, given: engineers },
    });
  }
  return problems;
}

/**
 * Whether a partner may apply, or be granted, a specialization: it must be active (a partner
 * who is leaving or has left earns no more rebates) and in the VAR program, whose quarterly
 * close credits the rebate. Throws invalid_state (409) otherwise.
 */
export function assertMayHoldSpecialization(partner: { status: string; inVar: boolean }): void {
  if (partner.status !== 'active') {
    throw new DomainError(
      'invalid_state',
      `The partner's status is ${partner.status}: it cannot apply for or be granted a specialization`,
      [],
      { reason: 'partner_status_forbids_specialization', params: { status: partner.status } },
    );
  }
  if (!partner.inVar) {
    throw new DomainError(
      'invalid_state',
      'The partner is not in the VAR program: specializations and their rebate belong to it',
      [],
      { reason: 'not_in_var_program' },
    );
  }
}

/** The state an application moves to on a decision; only an open application is decided. */
export function decide(
  status: ApplicationStatus,
  decision: ApplicationDecision,
): ApplicationStatus {
  if (status !== 'open') {
    throw new DomainError(
      'invalid_state',
      `The application is already ${status}; only an open application can be granted or refused`,
      [],
      { reason: 'specialization_application_decided', params: { status } },
    );
  }
  return decision === 'grant' ? 'granted' : 'refused';
}

/** A refusal or withdrawal names its reason: it is what the partner reads. */
export function reasonProblems(
  reason: string | null | undefined,
  required: boolean,
): FieldProblem[] {
  const text = (reason ?? '').trim();
  if (text === '')
    return required ? [{ field: 'reason', message: 'must not be empty', code: 'required' }] : [];
  if (text.length > MAX_REASON_LENGTH) {
    return [
      {
        field: 'reason',
        message: `must be at most ${MAX_REASON_LENGTH} characters`,
        code: 'too_big',
        params: { maximum: MAX_REASON_LENGTH, origin: 'string' },
      },
    ];
  }
  return [];
}

/** A grant date must be a real calendar date. */
export function grantDateProblems(validFrom: string): FieldProblem[] {
  return isIsoDate(validFrom)
    ? []
    : [
        {
          field: 'validFrom',
          message: 'must be a calendar date',
          code: 'invalid_format',
          params: { format: 'date' },
        },
      ];
}

/** The value of the unique key that admits one open application per partner and code. */
export function openApplicationKey(partnerId: string, code: string): string {
  return `${partnerId}:${code}`;
}

/** Throws a 422 DomainError listing the problems, if any. */
export function refuseProblems(what: string, problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const detail = problems.map((p) => `${p.field} ${p.message}`).join('; ');
  throw new DomainError('validation_failed', `${what}: ${detail}`, problems);
}
