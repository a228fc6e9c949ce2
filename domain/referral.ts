/**
 * The referral program's commission (SPEC §3): 10% of the referred customers' paid
 * consumption, grants excluded, one statement line per customer and month.
 *
 * Pure rules: money is exact decimal (see ./money) and never a JS number.
 */
import type { ProblemReason } from './problem-codes';
import { DomainError, type FieldProblem } from './errors';
import { Money, formatMoney, roundKopecks, sumMoney } from './money';
import { isYearMonth } from './settlement/dates';

// ---------------------------------------------------------------------------------------
// Referral commission (SPEC §3)
// ---------------------------------------------------------------------------------------

/** 10% of the referred customers' paid consumption (grants excluded). */
export const REFERRAL_COMMISSION_RATE = '0.10';

export interface ReferralCustomerConsumption {
  customerAccountId: string;
  /** The month's consumption, grants included (decimal string, up to 6 decimals). */
  amount: string;
  /** The part of `amount` covered by grants (decimal string, up to 6 decimals). */
  grants: string;
}

export interface ReferralCommissionInput {
  /** 'YYYY-MM' */
  month: string;
  customers: ReferralCustomerConsumption[];
  /** Overrides REFERRAL_COMMISSION_RATE (decimal string in [0, 1]). */
  rate?: string;
}

export interface ReferralCommissionLine {
  customerAccountId: string;
  /** Paid consumption: amount − grants, exact. */
  base: string;
  rate: string;
  /** base × rate, rounded to kopecks half-up ("10.50"). */
  amount: string;
  description: string;
}

export interface ReferralCommission {
  lines: ReferralCommissionLine[];
  /** The sum of the rounded lines ("10.50"). */
  total: string;
}

const DECIMAL_INPUT = /^-?\d{1,15}(\.\d{1,6})?$/;

function parseDecimal(text: unknown, field: string, problems: FieldProblem[]): Money | null {
  if (typeof text !== 'string' || !DECIMAL_INPUT.test(text)) {
    problems.push({
      field,
      message: 'must be a decimal number with at most 6 decimals',
      code: 'invalid_format',
      params: { format: 'decimal' },
    });
    return null;
  }
  if (text.startsWith('-')) {
    problems.push({
      field,
      message: 'must not be negative',
      code: 'too_small',
      params: { minimum: 0, origin: 'number' },
    });
    return null;
  }
  return new Money(text);
}

/** An exact decimal with at least two decimals ("1134.56", "0.005000" → "0.005"). */
function exact(value: Money): string {
  return value.toFixed(Math.max(2, value.decimalPlaces()));
}

/**
 * The month's referral commission: one line per referred customer, sorted by account id.
 * Each line is round(base × rate) half-up to kopecks with base = amount − grants; a customer
 * with nothing paid gets a 0.00 line; the total is the sum of the rounded lines.
 *
 * @throws DomainError('validation_failed') listing every bad field
 *   (`month`, `rate`, `customers.N.amount`, `customers.N.grants`, `customers.N.customerAccountId`).
 */
export function referralCommission(input: ReferralCommissionInput): ReferralCommission {
  const problems: FieldProblem[] = [];
  if (!isYearMonth(input.month))
    problems.push({
      field: 'month',
      message: 'must be YYYY-MM',
      code: 'invalid_format',
      params: { format: 'year_month' },
    });
  const rateText = input.rate ?? REFERRAL_COMMISSION_RATE;
  const rate = parseDecimal(rateText, 'rate', problems);
  if (rate?.greaterThan(1))
    problems.push({
      field: 'rate',
      message: 'must be between 0 and 1',
      code: 'too_big',
      params: { maximum: 1, origin: 'number' },
    });

  const seen = new Set<string>();
  const parsed: { customerAccountId: string; base: Money }[] = [];
  input.customers.forEach((customer, index) => {
    const path = `customers.${index}`;
    const id = customer.customerAccountId;
    if (typeof id !== 'string' || id.trim() === '') {
      problems.push({
        field: `${path}.customerAccountId`,
        message: 'is required',
        code: 'required',
      });
    } else if (seen.has(id)) {
      problems.push({
        field: `${path}.customerAccountId`,
        message: `${id} is listed twice`,
        code: 'duplicate',
        params: { value: id },
      });
    } else {
      seen.add(id);
    }
    const amount = parseDecimal(customer.amount, `${path}.amount`, problems);
    const grants = parseDecimal(customer.grants, `${path}.grants`, problems);
    if (amount && grants) {
      if (grants.greaterThan(amount)) {
        problems.push({
          field: `${path}.grants`,
          message: `must not exceed the amount (${customer.amount})`,
          code: 'too_big',
          params: { maximum: customer.amount, origin: 'amount' },
        });
      } else {
        parsed.push({ customerAccountId: id, base: amount.minus(grants) });
      }
    }
  });
  if (problems.length > 0 || rate === null) {
    throw new DomainError('validation_failed', 'Invalid referral commission input', problems, {
      reason: 'referral_input_invalid',
    });
  }

  const percent = rate.times(100).toString();
  const lines = parsed
    .sort((a, b) =>
      a.customerAccountId < b.customerAccountId
        ? -1
        : a.customerAccountId > b.customerAccountId
          ? 1
          : 0,
    )
    .map(({ customerAccountId, base }): ReferralCommissionLine => {
      const amount =
        base.isPositive() && !base.isZero() ? roundKopecks(base.times(rate)) : new Money(0);
      return {
        customerAccountId,
        base: exact(base),
        rate: rateText,
        amount: formatMoney(amount),
        description: `Referral commission ${percent}% of paid consumption (grants excluded), ${input.month}, customer ${customerAccountId}`,
      };
    });
  return { lines, total: formatMoney(sumMoney(lines.map((line) => line.amount))) };
}

// ---------------------------------------------------------------------------------------
// The month's commission statement
// ---------------------------------------------------------------------------------------

export interface ReferralConsumption extends ReferralCustomerConsumption {
  /** The month the consumption is for ('YYYY-MM'); earlier than the statement's for late lines. */
  forMonth: string;
}

export interface ReferralStatementInput {
  /** The statement's month ('YYYY-MM'). */
  month: string;
  /** One entry per customer and month of consumption. */
  consumption: ReferralConsumption[];
  /** The commission rate in force for a month of consumption (decimal string). */
  rateFor: (month: string) => string;
}

export interface ReferralStatementLine extends ReferralCommissionLine {
  forMonth: string;
}

export interface ReferralStatement {
  lines: ReferralStatementLine[];
  /** Sum of the lines' exact bases. */
  baseTotal: string;
  /** Sum of the rounded lines. */
  total: string;
}

/**
 * A referral partner's statement for a month: the month's consumption first, one line per
 * customer, then consumption that arrived late for earlier months, oldest first, one line
 * per customer and month at that month's rate. Each line is rounded on its own; the total
 * is the sum of the rounded lines.
 *
 * @throws DomainError('validation_failed') as referralCommission does, with field paths
 *   prefixed by the month (`2026-10.customers.0.amount`), or on a `forMonth` after `month`.
 */
export function referralStatement(input: ReferralStatementInput): ReferralStatement {
  const byMonth = new Map<string, ReferralCustomerConsumption[]>();
  const problems: FieldProblem[] = [];
  input.consumption.forEach((entry, index) => {
    if (!isYearMonth(entry.forMonth) || entry.forMonth > input.month) {
      problems.push({
        field: `consumption.${index}.forMonth`,
        message: `must be ${input.month} or an earlier month (YYYY-MM)`,
        code: 'month_after',
        params: { month: input.month },
      });
      return;
    }
    const list = byMonth.get(entry.forMonth) ?? [];
    list.push({
      customerAccountId: entry.customerAccountId,
      amount: entry.amount,
      grants: entry.grants,
    });
    byMonth.set(entry.forMonth, list);
  });
  if (problems.length > 0) {
    throw new DomainError('validation_failed', 'Invalid referral statement input', problems, {
      reason: 'referral_input_invalid',
    });
  }
  const months = [...byMonth.keys()].sort((a, b) =>
    a === input.month ? -1 : b === input.month ? 1 : a < b ? -1 : 1,
  );
  const lines: ReferralStatementLine[] = [];
  for (const forMonth of months) {
    let commission: ReferralCommission;
    try {
      commission = referralCommission({
        month: forMonth,
        rate: input.rateFor(forMonth),
        customers: byMonth.get(forMonth) ?? [],
      });
    } catch (error) {
      if (error instanceof DomainError) {
        throw new DomainError(
          error.code,
          error.message,
          error.fields.map((p) => ({ ...p, field: `${forMonth}.${p.field}` })),
          { reason: error.reason, params: error.params } as ProblemReason,
        );
      }
      throw error;
    }
    for (const line of commission.lines) {
      lines.push({
        ...line,
        forMonth,
        description:
          forMonth === input.month
            ? line.description
            : `${line.description} — late consumption, settled in ${input.month}`,
      });
    }
  }
  return {
    lines,
    baseTotal: exact(sumMoney(lines.map((line) => line.base))),
    total: formatMoney(sumMoney(lines.map((line) => line.amount))),
  };
}
