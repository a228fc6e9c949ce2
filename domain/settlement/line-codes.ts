import { Money } from '../money';
import type { InvoiceLineKind } from './settle';

/**
 * Every kind of invoice line the settlement writes, with the parameters a line of that kind
 * carries and its description and rule as English templates (`{{name}}`, the portal's
 * syntax). The API sends each line's `kind` and `params`, so the portal writes the line in
 * the reader's language; the stored English `description` and `rule` stay beside them.
 *
 * `params` are always present on such a line; `optional` ones only when the line has them
 * (an own-account grants line names the account; an adjustment carries what it corrects).
 * The parameters: `month` the invoice's month; `rate` the rate as a fraction ("0.1") and
 * `percent` the same in percent ("10"); `base` the exact base it applied to (rubles);
 * `dealId`, `accountId`; `forMonth` the closed month a late line belongs to and `adjusts`
 * the kind of line it corrects.
 */
export const LINE_KINDS = {
  consumption_customers: {
    params: ['month'],
    optional: [],
    en: {
      description: 'Consumption of the customer subaccounts in {{month}}, VAT included',
      rule: 'All consumption of the customer subaccounts is invoiced to the partner',
    },
  },
  consumption_own: {
    params: ['month', 'accountId'],
    optional: [],
    en: {
      description: "Consumption of the partner's own account in {{month}}, VAT included",
      rule: "The partner's own consumption is invoiced in full and earns no bonus",
    },
  },
  grants: {
    params: ['month'],
    optional: ['accountId'],
    en: {
      description: 'Paid by grants in {{month}}',
      rule: 'The part of consumption paid by grants is not invoiced',
    },
  },
  base_bonus: {
    params: ['month', 'rate', 'percent', 'base'],
    optional: [],
    en: {
      description:
        'Base partner bonus for {{month}}: {{percent}}% of eligible consumption {{base}}',
      rule: '{{percent}}% base bonus on eligible consumption',
    },
  },
  deal_uplift: {
    params: ['month', 'rate', 'percent', 'base', 'dealId', 'accountId'],
    optional: [],
    en: {
      description:
        "Deal {{dealId}}: +{{percent}}% on customer {{accountId}}'s eligible consumption " +
        'in {{month}}: {{base}}',
      rule:
        "{{percent}}% deal uplift on the linked customer's eligible consumption, on the days " +
        'the link is active; when several deals link the customer on a day, only the highest rate applies',
    },
  },
  rebate_withdrawal: {
    params: ['month'],
    optional: [],
    en: {
      description: 'Rebate withdrawn to Bonus in {{month}}',
      rule:
        "A rebate withdrawn to Bonus reduces the payable for the customer subaccounts' consumption " +
        'in the current month, at most that amount and never more than the rebate balance',
    },
  },
  adjustment: {
    params: ['month', 'forMonth', 'adjusts'],
    optional: ['rate', 'percent', 'base', 'dealId', 'accountId'],
    en: {
      description: 'Late consumption for {{forMonth}}, settled on the invoice for {{month}}',
      rule:
        'Consumption that arrives after its month was closed is settled in the next invoice at the ' +
        'terms of its own month (bonus rate, deal links, VAT); issued documents are never rewritten',
    },
  },
} as const satisfies Record<
  InvoiceLineKind,
  {
    params: readonly string[];
    optional: readonly string[];
    en: { description: string; rule: string };
  }
>;

export const LINE_KIND_LIST = Object.keys(LINE_KINDS) as [InvoiceLineKind, ...InvoiceLineKind[]];

/** A stored line's kind, checked against the catalogue (a row the settlement did not write is refused). */
export function lineKindOf(kind: string): InvoiceLineKind {
  if (!Object.prototype.hasOwnProperty.call(LINE_KINDS, kind)) {
    throw new Error(`Invoice line kind ${kind} is not one the settlement writes`);
  }
  return kind as InvoiceLineKind;
}

/** A line as stored or computed: the parts its parameters come from. */
export interface LineParamSource {
  readonly kind: string;
  readonly rate?: string | null;
  readonly base?: string | null;
  readonly dealId?: string | null;
  readonly accountId?: string | null;
  readonly forMonth?: string | null;
  readonly adjusts?: string | null;
}

/** The parameters of one line of the invoice for `month`, as LINE_KINDS names them. */
export function lineParams(line: LineParamSource, month: string): Record<string, string> {
  const params: Record<string, string> = { month };
  if (line.rate) {
    params.rate = line.rate;
    params.percent = new Money(line.rate).times(100).toFixed();
  }
  if (line.base) params.base = line.base;
  if (line.dealId) params.dealId = line.dealId;
  if (line.accountId) params.accountId = line.accountId;
  if (line.forMonth) params.forMonth = line.forMonth;
  if (line.adjusts) params.adjusts = line.adjusts;
  return params;
}

/** The parameters of a stored line: its columns and the details written beside them. */
export function storedLineParams(
  line: {
    kind: string;
    rate: string | null;
    base: string | null;
    dealId: string | null;
    accountId: string | null;
    details: Record<string, unknown>;
  },
  month: string,
): Record<string, string> {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return lineParams(
    {
      ...line,
      // The column keeps kopecks; the exact base the rate applied to is kept in the details.
      base: text(line.details.exactBase) ?? line.base,
      forMonth: text(line.details.forMonth),
      adjusts: text(line.details.adjusts),
    },
    month,
  );
}
