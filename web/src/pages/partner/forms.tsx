import { type ReactNode } from 'react';
import { ApiError, type FieldProblem } from '../../api';
import { fieldPath, formatDate, formatDateTime, useCodes, useLanguage } from '../../i18n';
import { ErrorBox } from '../../ui';

/**
 * Form helpers of the partner's registration, presale and specialization pages: the API's
 * field problems (problem+json `errors[]`) shown beside the inputs they name, and numbers as
 * the API sends them (decimal strings) written for reading.
 */

/** The API names body fields as `body.<name>` (form checks) or `<name>` (program rules). */
const fieldName = fieldPath;

/** What the API said about one field of the last submission, if anything. */
export function problemFor(error: ApiError | null, name: string): FieldProblem | null {
  return error?.fields.find((f) => fieldName(f.field) === name) ?? null;
}

/** A labelled input with the API's message about it underneath. */
export function ProblemField({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error: ApiError | null;
  hint?: string;
  children: ReactNode;
}) {
  const codes = useCodes();
  const problem = problemFor(error, name);
  return (
    <label className={problem ? 'field invalid' : 'field'}>
      <span>{label}</span>
      {children}
      {hint && <small className="muted">{hint}</small>}
      {problem && (
        <small className="field-error" data-testid={`problem-${name}`}>
          {codes.fieldProblem(problem)}
        </small>
      )}
    </label>
  );
}

/** The refusal's message and the field problems no input of the form shows. */
export function FormErrors({ error, shown }: { error: ApiError | null; shown: string[] }) {
  if (!error) return null;
  const rest = error.fields.filter((f) => !shown.includes(fieldName(f.field)));
  return (
    <ErrorBox error={new ApiError(error.status, error.message, rest, error.code, error.params)} />
  );
}

/** "150 000,50" typed by a person → "150000.50" as the API takes money. */
export function decimalText(input: string): string {
  return input.replace(/[\s\u00a0]/g, '').replace(',', '.');
}

/** A fraction as the API gives it ("0.0525") as a percentage for reading: "5,25 %". */
export function usePercent(): (rate: string | null | undefined) => string {
  const language = useLanguage();
  return (rate) => {
    if (rate === null || rate === undefined || !/^\d+(\.\d+)?$/.test(rate)) return rate ?? '—';
    const [whole = '0', fraction = ''] = rate.split('.');
    const digits = fraction.padEnd(2, '0');
    const intPart = `${whole}${digits.slice(0, 2)}`.replace(/^0+(?=\d)/, '');
    const rest = digits.slice(2).replace(/0+$/, '');
    const decimal = language === 'ru' ? ',' : '.';
    return `${intPart}${rest ? decimal + rest : ''}\u00a0%`;
  };
}

/** The calendar day of an ISO date or instant in the current language ("14.03.2025"), or a dash. */
export function dateOnly(iso: string | null | undefined): string {
  return formatDate(iso);
}

/**
 * An instant as Moscow wall-clock time in the current language ("14.03.2025, 10:30"), for
 * places whose heading or neighbouring text already says it is Moscow time.
 */
export function moscowDateTime(iso: string | null | undefined): string {
  return formatDateTime(iso, undefined, false);
}
