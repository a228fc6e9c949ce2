/**
 * Parsing and printing of the settlement's decimal strings, and the collector that turns
 * every bad field into one validation error.
 *
 * Three shapes cross the boundary: consumption aggregates (up to 6 decimals, because line
 * items are priced in fractions of a kopeck and the SQL sums them exactly), money already on
 * an invoice or in a ledger (2 decimals), and rates (fractions such as "0.10").
 */
import { DomainError, type FieldProblem } from '../errors';
import { Money, roundKopecks } from '../money';

const AGGREGATE = /^\d{1,15}(\.\d{1,6})?$/;
const KOPECKS = /^\d{1,15}(\.\d{1,2})?$/;
const RATE = /^\d(\.\d{1,8})?$/;

/** Stop collecting after this many problems: one broken GROUP BY would otherwise list them all. */
const MAX_PROBLEMS = 100;

/** Collects field problems so that a caller sees every bad field at once, not the first. */
export class Problems {
  readonly list: FieldProblem[] = [];

  add(field: string, message: string): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push({ field, message });
  }

  /** Throws one `validation_failed` DomainError carrying all problems, if there are any. */
  throwIfAny(what: string): void {
    if (this.list.length === 0) return;
    const first = this.list[0]!;
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : '';
    throw new DomainError(
      'validation_failed',
      `${what}: ${first.field}: ${first.message}${more}`,
      this.list,
    );
  }
}

/** A non-negative consumption aggregate with up to 6 decimals; records a problem otherwise. */
export function aggregate(value: unknown, field: string, problems: Problems): Money | undefined {
  if (typeof value === 'string' && AGGREGATE.test(value)) return new Money(value);
  problems.add(field, 'must be a non-negative decimal string with at most 6 decimals');
  return undefined;
}

/** A non-negative amount in rubles with at most 2 decimals (ledger or request money). */
export function kopecksAmount(
  value: unknown,
  field: string,
  problems: Problems,
): Money | undefined {
  if (typeof value === 'string' && KOPECKS.test(value)) return new Money(value);
  problems.add(field, 'must be a non-negative amount in rubles with at most 2 decimals');
  return undefined;
}

/**
 * A rate as a fraction within (min, max] — or [min, max] when `minInclusive` — e.g. "0.15".
 * Rates above 1 are never meaningful here, so the pattern allows one integer digit only.
 */
export function rate(
  value: unknown,
  field: string,
  problems: Problems,
  bounds: { min: string; max: string; minInclusive: boolean },
): Money | undefined {
  const range = `${bounds.minInclusive ? '[' : '('}${bounds.min}, ${bounds.max}]`;
  if (typeof value !== 'string' || !RATE.test(value)) {
    problems.add(field, `must be a rate written as a decimal fraction in ${range}, e.g. "0.10"`);
    return undefined;
  }
  const parsed = new Money(value);
  const aboveMin = bounds.minInclusive ? parsed.gte(bounds.min) : parsed.gt(bounds.min);
  if (!aboveMin || parsed.gt(bounds.max)) {
    problems.add(field, `must be within ${range}, got ${value}`);
    return undefined;
  }
  return parsed;
}

/** Whether the value is a non-empty identifier string. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** A signed kopeck amount on the wire: "-12.30", "0.00" (never "-0.00"). */
export function kopecks(value: Money): string {
  const rounded = roundKopecks(value);
  return rounded.isZero() ? '0.00' : rounded.toFixed(2);
}

/**
 * An exact amount on the wire: all its decimals, but at least kopecks ("1234.50",
 * "150.123456"), so a base reads as money while amount = round(rate × base) stays checkable.
 */
export function exact(value: Money): string {
  const plain = value.abs().isZero() ? new Money(0) : value;
  return plain.decimalPlaces() < 2 ? plain.toFixed(2) : plain.toFixed();
}

/** A rate on the wire, as a plain fraction without trailing zeros ("0.1", "0.125"). */
export function rateText(value: Money): string {
  return value.toFixed();
}

/** A rate for people: "10%", "12.5%". */
export function percent(value: Money): string {
  return `${value.times(100).toFixed()}%`;
}

export const ZERO = new Money(0);
