/**
 * A company as the state company registry describes it (SPEC: the applicant's company is looked
 * up by INN before it can become a partner). Pure: no I/O, no dependencies.
 */
import type { InnKind } from './validators';

/** Registry statuses, in lifecycle order; the list also validates what the registry sends. */
export const COMPANY_STATUSES = ['active', 'liquidating', 'liquidated'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];

export interface CompanyCard {
  /** 10 digits for a legal entity, 12 for an individual entrepreneur. */
  inn: string;
  kind: InnKind;
  /** Full registered name, as the registry spells it. */
  name: string;
  /** OGRN (13 digits) of a legal entity, OGRNIP (15 digits) of an individual entrepreneur. */
  ogrn: string;
  /** null for individual entrepreneurs: only organisations have a KPP. */
  kpp: string | null;
  address: string;
  status: CompanyStatus;
  /** Date of state registration, YYYY-MM-DD. */
  registeredOn: string;
}

/**
 * Why this company cannot become a partner, or null when it can.
 *
 * Both a liquidated company and one in liquidation are refused: a company in liquidation has
 * already decided (or been ordered) to wind up, can no longer start new business, and would be
 * liquidated before the partnership could produce a single payout. Refusing at onboarding is
 * cheaper than offboarding a partner weeks later.
 */
export function companyRefusal(card: CompanyCard): string | null {
  const who = `${card.name} (INN ${card.inn})`;
  switch (card.status) {
    case 'active':
      return null;
    case 'liquidating':
      return `${who} is in liquidation according to the state company registry; a company that is being wound up cannot become a partner.`;
    case 'liquidated':
      return `${who} is liquidated according to the state company registry; a company that no longer exists cannot become a partner.`;
    default: {
      const unexpected: never = card.status;
      return `${who} has an unknown registry status "${String(unexpected)}"; it cannot become a partner until it is active.`;
    }
  }
}
