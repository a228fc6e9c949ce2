/**
 * Registration rules of the VAR program's deals, projects and specializations (SPEC §2), and
 * the relative partner bonus. Each check returns every field problem at once, so a manager
 * sees all that is wrong with a registration in one answer; an empty list means the input is
 * acceptable. Whether a date falls in a closed month is domain/closed-period.ts.
 */
import Decimal from 'decimal.js';
import type { FieldProblem } from './errors';
import { Money } from './money';
import { isIsoDate, monthOf, monthsBetween, type IsoDate } from './settlement/dates';
import { PROJECT_REBATE_MONTHS } from './settlement/rebates';
import { MAX_DEAL_UPLIFT_RATE, MAX_PROJECT_REBATE_RATE } from './settlement/terms';

export const PROJECT_SCOPES = ['cloud', 'folder'] as const;
export type ProjectScope = (typeof PROJECT_SCOPES)[number];

export interface DealTerms {
  /** A fraction, e.g. "0.05" for 5 percentage points. */
  upliftRate: string;
  startDate: string;
  /** Last linked day, inclusive; absent or null while the link is open. */
  endDate?: string | null;
}

export interface ProjectTerms {
  scope: string;
  cloudId: string;
  folderId?: string | null;
  /** Rubles per month, e.g. "5000.00". */
  baselineMonthly: string;
  /** A fraction, e.g. "0.10". */
  rate: string;
  registeredOn: string;
}

/** Where a project sits and when it was registered: what two registrations may not share. */
export interface ProjectPlace {
  scope: ProjectScope;
  cloudId: string;
  folderId: string | null;
  registeredOn: IsoDate;
}

const RATE = /^\d{1,9}(\.\d+)?$/;
const RATE_DECIMALS = 4;
const AMOUNT = /^\d{1,15}(\.\d+)?$/;
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/** A rate 0 < r ≤ max with at most four decimals, or the reason it is not one. */
function rateProblem(value: string, max: string, what: string): string | null {
  if (!RATE.test(value)) return 'must be a decimal fraction such as "0.05"';
  if ((value.split('.')[1] ?? '').length > RATE_DECIMALS) {
    return `must have at most ${RATE_DECIMALS} decimals`;
  }
  const rate = new Money(value);
  if (!rate.gt(0)) return 'must be greater than 0';
  if (rate.gt(max)) return `must be at most ${max} (${what})`;
  return null;
}

function dateProblem(value: string): string | null {
  return isIsoDate(value) ? null : 'must be a calendar date YYYY-MM-DD';
}

function push(problems: FieldProblem[], field: string, message: string | null): void {
  if (message !== null) problems.push({ field, message });
}

/** A deal: uplift 0 < r ≤ 0.15 (15 percentage points), real dates, end not before start. */
export function dealProblems(deal: DealTerms): FieldProblem[] {
  const problems: FieldProblem[] = [];
  push(
    problems,
    'upliftRate',
    rateProblem(deal.upliftRate, MAX_DEAL_UPLIFT_RATE, '15 percentage points'),
  );
  push(problems, 'startDate', dateProblem(deal.startDate));
  if (deal.endDate !== undefined && deal.endDate !== null) {
    problems.push(...dealEndProblems({ startDate: deal.startDate, endDate: deal.endDate }));
  }
  return problems;
}

/** Ending a deal: a real date, never before the deal's first linked day. */
export function dealEndProblems(deal: { startDate: string; endDate: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  push(problems, 'endDate', dateProblem(deal.endDate));
  if (problems.length === 0 && isIsoDate(deal.startDate) && deal.endDate < deal.startDate) {
    problems.push({
      field: 'endDate',
      message: `must not be before the deal's start date ${deal.startDate}`,
      code: 'before_start',
      params: { start: deal.startDate },
    });
  }
  return problems;
}

export interface SpecializationTerms {
  /** The specialization's name in the catalogue, e.g. "data-platform". */
  code: string;
  /** A fraction of the customers' eligible consumption of its services, e.g. "0.05". */
  rate: string;
  serviceIds: string[];
  validFrom: string;
  /** Last day held, inclusive; absent or null while it is held. */
  validTo?: string | null;
}

/** The largest specialization rebate rate: the whole eligible consumption of its services. */
export const MAX_SPECIALIZATION_RATE = '1';

/**
 * A specialization grant: a name, a rate 0 < r ≤ 1, at least one service (no blanks or
 * repeats), a real first day and, when given, a last day not before it.
 */
export function specializationProblems(grant: SpecializationTerms): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (grant.code.trim() === '')
    problems.push({ field: 'code', message: 'must not be empty', code: 'required' });
  push(problems, 'rate', rateProblem(grant.rate, MAX_SPECIALIZATION_RATE, '100%'));
  if (grant.serviceIds.length === 0) {
    problems.push({
      field: 'serviceIds',
      message: 'must name at least one service',
      code: 'too_small',
      params: { minimum: 1, origin: 'array' },
    });
  }
  const seen = new Set<string>();
  grant.serviceIds.forEach((id, i) => {
    if (id.trim() === '')
      problems.push({ field: `serviceIds.${i}`, message: 'must not be empty', code: 'required' });
    else if (seen.has(id))
      problems.push({
        field: `serviceIds.${i}`,
        message: `repeats ${id}`,
        code: 'duplicate',
        params: { value: id },
      });
    seen.add(id);
  });
  push(problems, 'validFrom', dateProblem(grant.validFrom));
  if (grant.validTo !== undefined && grant.validTo !== null) {
    problems.push(
      ...specializationEndProblems({ validFrom: grant.validFrom, validTo: grant.validTo }),
    );
  }
  return problems;
}

/** Withdrawing a specialization: a real last day, never before its first day. */
export function specializationEndProblems(grant: {
  validFrom: string;
  validTo: string;
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  push(problems, 'validTo', dateProblem(grant.validTo));
  if (problems.length === 0 && isIsoDate(grant.validFrom) && grant.validTo < grant.validFrom) {
    problems.push({
      field: 'validTo',
      message: `must not be before the specialization's first day ${grant.validFrom}`,
      code: 'before_start',
      params: { start: grant.validFrom },
    });
  }
  return problems;
}

/**
 * A project: a folder project names its folder, a cloud project none (the whole cloud
 * counts); baseline ≥ 0 in rubles with at most two decimals; rate 0 < r ≤ 0.15.
 */
export function projectProblems(project: ProjectTerms): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const scope = project.scope;
  if (!(PROJECT_SCOPES as readonly string[]).includes(scope)) {
    problems.push({
      field: 'scope',
      message: 'must be "cloud" or "folder"',
      code: 'invalid_value',
      params: { values: 'cloud, folder' },
    });
  }
  if (project.cloudId.trim() === '') {
    problems.push({ field: 'cloudId', message: 'must not be empty', code: 'required' });
  }
  const folderId = project.folderId ?? null;
  if (scope === 'folder' && (folderId === null || folderId.trim() === '')) {
    problems.push({
      field: 'folderId',
      message: 'is required for a folder project',
      code: 'required',
    });
  }
  if (scope === 'cloud' && folderId !== null) {
    problems.push({
      field: 'folderId',
      message: 'must be left out for a cloud project: the whole cloud counts',
      code: 'not_for_cloud_project',
    });
  }
  push(problems, 'baselineMonthly', baselineProblem(project.baselineMonthly));
  push(problems, 'rate', rateProblem(project.rate, MAX_PROJECT_REBATE_RATE, '15%'));
  push(problems, 'registeredOn', dateProblem(project.registeredOn));
  return problems;
}

function baselineProblem(value: string): string | null {
  if (value.startsWith('-') && AMOUNT.test(value.slice(1))) return 'must not be negative';
  if (!AMOUNT.test(value)) return 'must be an amount in rubles such as "5000.00"';
  if ((value.split('.')[1] ?? '').length > 2) return 'must have at most 2 decimals';
  return null;
}

/**
 * Whether two registrations of one partner would pay for the same growth twice: the same
 * cloud, where either covers the whole cloud or both cover the same folder, with 12-month
 * rebate windows that overlap (registrations less than 12 months apart).
 */
export function projectsCollide(a: ProjectPlace, b: ProjectPlace): boolean {
  if (a.cloudId !== b.cloudId) return false;
  if (a.scope === 'folder' && b.scope === 'folder' && a.folderId !== b.folderId) return false;
  const apart = Math.abs(monthsBetween(monthOf(a.registeredOn), monthOf(b.registeredOn)));
  return apart < PROJECT_REBATE_MONTHS;
}

/**
 * The relative partner bonus: discount ÷ eligible base, four decimals, half-up. Null when
 * the base is not positive, since no share of it can then be stated.
 */
export function relativeBonus(discount: string, eligibleBase: string): string | null {
  const base = new Money(eligibleBase);
  if (!base.gt(0)) return null;
  return new Money(discount).div(base).toFixed(4, Decimal.ROUND_HALF_UP);
}

/** The Moscow calendar date (UTC+3 all year) of an instant, YYYY-MM-DD. */
export function dateInMoscow(instant: Date): IsoDate {
  return new Date(instant.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}
