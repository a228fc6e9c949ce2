import type { RateEntry } from '../../domain/settlement';
import type { Database } from '../client';

/** The requisites a document prints for the buyer. */
export interface LegalDetails {
  legalName: string | null;
  inn: string | null;
  kpp: string | null;
  address: string | null;
}

/** What an invoice billed of one service, for one month and one kind of account (exact sum). */
export interface BilledService {
  /** The month the consumption belongs to (YYYY-MM): the invoice's own, or an earlier one. */
  month: string;
  /** The partner's own account (true) or its customers' subaccounts (false). */
  own: boolean;
  serviceId: string;
  /** The catalogue's name; the id when the catalogue does not know the service. */
  name: string;
  excludedFromBonus: boolean;
  /** Exact (up to 6 decimals), VAT included. */
  amount: string;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/**
 * What the invoice documents need beyond the invoice and the partner: the buyer's legal
 * requisites, the services the invoice billed, the VAT schedule for late consumption of earlier
 * months, and what an advance covered. Read-only.
 */
export function createDocumentRepository(db: Database) {
  return {
    /**
     * The buyer's requisites: the partner's billing account where it holds them, else the
     * company card of the partner's application (an existing billing account keeps no KPP or
     * address; the application's registry card does).
     */
    async legalDetails(partnerId: string): Promise<LegalDetails | null> {
      const partner = await db.partner.findUnique({
        where: { id: partnerId },
        select: { billingAccountId: true, applicationId: true },
      });
      if (!partner) return null;
      const [account, application] = await Promise.all([
        db.billingAccount.findUnique({
          where: { id: partner.billingAccountId },
          select: { legalName: true, inn: true, kpp: true, legalAddress: true },
        }),
        db.application.findUnique({
          where: { id: partner.applicationId },
          select: { details: true },
        }),
      ]);
      const details = application?.details;
      const card =
        details && typeof details === 'object' && !Array.isArray(details)
          ? (details as Record<string, unknown>).company
          : null;
      const company =
        card && typeof card === 'object' && !Array.isArray(card)
          ? (card as Record<string, unknown>)
          : {};
      return {
        legalName: text(account?.legalName) ?? text(company.name),
        inn: text(account?.inn) ?? text(company.inn),
        kpp: text(account?.kpp) ?? text(company.kpp),
        address: text(account?.legalAddress) ?? text(company.address),
      };
    },

    /**
     * The consumption an invoice billed, by month, service and kind of account: the lines its
     * billing-ledger ranges cover among the partner's own account and subaccounts.
     */
    async billedServices(invoiceId: string): Promise<BilledService[]> {
      const rows = await db.$queryRaw<
        {
          month: string;
          own: boolean;
          service_id: string;
          name: string | null;
          excluded: boolean | null;
          amount: string;
        }[]
      >`
        SELECT to_char(cl.usage_date, 'YYYY-MM') AS month,
               (cl.billing_account_id = p.billing_account_id) AS own,
               cl.service_id, s.name, s.excluded_from_bonus AS excluded,
               sum(cl.amount)::text AS amount
          FROM billed_ranges r
          JOIN partners p ON p.id = r.partner_id
          JOIN (SELECT id AS account_id, id AS owner FROM billing_accounts
                UNION ALL
                SELECT id, parent_id FROM billing_accounts WHERE parent_id IS NOT NULL) x
            ON x.owner = p.billing_account_id
          JOIN consumption_lines cl
            ON cl.billing_account_id = x.account_id
           AND cl.usage_date >= r.usage_from AND cl.usage_date < r.usage_to
           AND cl.seq > r.seq_from AND cl.seq <= r.seq_to
          LEFT JOIN services s ON s.id = cl.service_id
         WHERE r.invoice_id = ${invoiceId}::uuid
         GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 2, 4, 3`;
      return rows.map((row) => ({
        month: row.month,
        own: row.own,
        serviceId: row.service_id,
        name: row.name ?? row.service_id,
        excludedFromBonus: row.excluded ?? false,
        amount: row.amount,
      }));
    },

    /** The VAT rates with their effective dates, oldest first (program terms are data). */
    async vatRates(): Promise<RateEntry[]> {
      const rows = await db.programTerm.findMany({
        where: { kind: 'vat_rate' },
        orderBy: { effectiveFrom: 'asc' },
      });
      return rows.map((r) => ({ from: isoDate(r.effectiveFrom), rate: r.rate.toString() }));
    },

    /** The part of an invoice's payable drawn from the prepaid advance ("0.00" if none). */
    async advanceCovered(invoiceId: string): Promise<string> {
      const row = await db.invoice.findUnique({
        where: { id: invoiceId },
        select: { advanceCovered: true },
      });
      return row ? row.advanceCovered.toFixed(2) : '0.00';
    },
  };
}

export type DocumentRepository = ReturnType<typeof createDocumentRepository>;
