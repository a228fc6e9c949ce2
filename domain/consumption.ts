import type { FieldProblem } from './errors';
import { Money } from './money';
import { addMonths, firstDayOf, type IsoDate, type YearMonth } from './settlement/dates';

/**
 * Consumption line items as billing reports them (SPEC §2): billing account, cloud and
 * folder, service, SKU, usage date, amount and the part of it paid by grants. Each line
 * carries the id billing gave it, which makes ingestion idempotent.
 *
 * Amounts travel as decimal strings, never JS numbers: the column is NUMERIC(20,6), so at
 * most 14 integer digits and 6 decimals fit.
 */
export interface ConsumptionLineInput {
  sourceId: string;
  billingAccountId: string;
  cloudId: string;
  folderId: string;
  serviceId: string;
  sku: string;
  /** YYYY-MM-DD */
  usageDate: string;
  amount: string;
  grantAmount: string;
}

export const CONSUMPTION_FIELDS = [
  'sourceId',
  'billingAccountId',
  'cloudId',
  'folderId',
  'serviceId',
  'sku',
  'usageDate',
  'amount',
  'grantAmount',
] as const satisfies readonly (keyof ConsumptionLineInput)[];

/** Longest id, SKU or source id accepted: keeps one line, and so a batch, bounded. */
export const MAX_ID_LENGTH = 200;
export const MAX_INTEGER_DIGITS = 14;
export const MAX_DECIMALS = 6;

const IDENTIFIERS = ['billingAccountId', 'cloudId', 'folderId', 'serviceId', 'sku'] as const;
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real day of the Gregorian calendar written as YYYY-MM-DD (2026-02-29 is not). */
export function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** The earliest usage date a line can have: there is no year 0 (isCalendarDate refuses it). */
export const EARLIEST_USAGE_DATE: IsoDate = '0001-01-01';

/**
 * The usage dates of a month as a half-open range [from, to), clamped to dates a line can
 * have: a month of year 0 is an empty range, not a date the database would refuse.
 * Dates compare as strings here: 'YYYY-MM-DD' order is chronological.
 */
export function usageDateRange(month: YearMonth): { from: IsoDate; to: IsoDate } {
  const clamp = (date: IsoDate) => (date < EARLIEST_USAGE_DATE ? EARLIEST_USAGE_DATE : date);
  // After 9999-12 comes 10000-01: not a YYYY-MM month, but a date PostgreSQL takes.
  return { from: clamp(firstDayOf(month)), to: clamp(`${addMonths(month, 1)}-01`) };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Why a non-negative amount string does not fit NUMERIC(20,6), or undefined if it does. */
function amountProblem(text: string): string | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return 'must be a non-negative decimal number such as "1234.567891"';
  const integerDigits = (match[1] ?? '').replace(/^0+(?=\d)/, '').length;
  if (integerDigits > MAX_INTEGER_DIGITS) {
    return `must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`;
  }
  if ((match[2] ?? '').length > MAX_DECIMALS) {
    return `must have at most ${MAX_DECIMALS} decimals`;
  }
  return undefined;
}

function textProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'must not be empty';
  if (value.length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters`;
  // PostgreSQL text cannot hold NUL; refuse it here rather than fail the whole batch there.
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  return undefined;
}

/**
 * Every broken rule of one line, with field paths like `lines.3.amount` (index is the line's
 * position in its batch). An empty list means the line can be stored. Whether the billing
 * account and the service exist is for the caller to check against the catalogue.
 */
export function consumptionLineProblems(line: ConsumptionLineInput, index: number): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: keyof ConsumptionLineInput, message: string) =>
    problems.push({ field: `lines.${index}.${field}`, message });

  const source = textProblem(line.sourceId);
  if (source) add('sourceId', source);
  for (const field of IDENTIFIERS) {
    const problem = textProblem(line[field]);
    if (problem) add(field, problem);
  }
  if (typeof line.usageDate !== 'string' || !isCalendarDate(line.usageDate)) {
    add('usageDate', 'must be a calendar date in the form YYYY-MM-DD');
  }
  const amount =
    typeof line.amount === 'string' ? amountProblem(line.amount) : 'must be a decimal string';
  if (amount) add('amount', amount);
  const grant =
    typeof line.grantAmount === 'string'
      ? amountProblem(line.grantAmount)
      : 'must be a decimal string';
  if (grant) add('grantAmount', grant);
  if (!amount && !grant && new Money(line.grantAmount).greaterThan(line.amount)) {
    add('grantAmount', 'must not exceed the amount');
  }
  return problems;
}
