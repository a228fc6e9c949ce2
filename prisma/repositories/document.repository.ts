import type { RateEntry } from '../../domain/settlement';
import type { Database } from '../client';

/** The requisites a document prints for the buyer, from its billing account. */
export interface LegalDetails {
  legalName: string | null;
  inn: string | null;
  kpp: string | null;
  address: string | null;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What the invoice documents need beyond the invoice and the partner: the buyer's legal
 * requisites (KPP and address are not part of the billing-account record onboarding uses),
 * the VAT schedule for late consumption of earlier months, and what an advance covered.
 * Read-only.
 */
export function createDocumentRepository(db: Database) {
  return {
    async legalDetails(billingAccountId: string): Promise<LegalDetails | null> {
      const row = await db.billingAccount.findUnique({
        where: { id: billingAccountId },
        select: { legalName: true, inn: true, kpp: true, legalAddress: true },
      });
      return row
        ? { legalName: row.legalName, inn: row.inn, kpp: row.kpp, address: row.legalAddress }
        : null;
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
