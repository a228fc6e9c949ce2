import { renderDocumentPdf } from '../../../documents/pdf';
import { renderDocument, type DocumentData, type DocumentKind } from '../../../documents/render';
import { DomainError } from '../../../domain/errors';
import { monthlyRate } from '../../../domain/settlement';
import type { DocumentRepository } from '../../../prisma/repositories/document.repository';
import type { PartnerRepository } from '../../../prisma/repositories/partner.repository';
import type { SettlementRepository } from '../../../prisma/repositories/settlement.repository';
import { assertOrganizationAccess, type Principal } from '../../http/auth';

export interface DocumentServiceDeps {
  settlements: SettlementRepository;
  partners: PartnerRepository;
  documents: DocumentRepository;
}

export interface RenderedDocument<T> {
  /** «<invoice number>-<kind>», safe in a Content-Disposition header. */
  fileName: string;
  body: T;
}

/** Invoice numbers are ours, but a header is no place to trust that: keep [A-Za-z0-9._-]. */
const safeFileName = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

/** The act, payment invoice and VAT invoice of an issued invoice, for its partner and staff. */
export function createDocumentService(deps: DocumentServiceDeps) {
  /**
   * Everything a document shows, read from the issued invoice and the consumption its
   * billing-ledger ranges cover — never recomputed, so the documents always match it. A
   * partner reaches only its own invoices (404 otherwise); a zero invoice has no documents
   * (404 naming why, from the document model).
   */
  async function load(principal: Principal, invoiceId: string): Promise<DocumentData> {
    const invoice = await deps.settlements.invoiceWithLines(invoiceId);
    if (!invoice)
      throw new DomainError('not_found', `No invoice ${invoiceId}`, [], {
        reason: 'invoice_not_found',
        params: { invoiceId },
      });
    const partner = await deps.partners.findById(invoice.partnerId);
    if (!partner)
      throw new DomainError('not_found', `No invoice ${invoiceId}`, [], {
        reason: 'invoice_not_found',
        params: { invoiceId },
      });
    assertOrganizationAccess(principal, partner.organizationId);

    const [legal, vatRates, advanceCovered, services] = await Promise.all([
      deps.documents.legalDetails(partner.id),
      deps.documents.vatRates(),
      deps.documents.advanceCovered(invoice.id),
      deps.documents.billedServices(invoice.id),
    ]);
    // Late consumption keeps the VAT rate of its own month (SPEC §2), as the close taxed it.
    const vatRateOf = (month: string) =>
      month === invoice.month ? invoice.vatRate : monthlyRate(vatRates, month, 'VAT');

    return {
      invoice: {
        id: invoice.id,
        number: invoice.number,
        month: invoice.month,
        kind: invoice.kind,
        issuedAt: invoice.issuedAt,
        dueDate: invoice.dueDate,
        consumptionTotal: invoice.consumptionTotal,
        grantsTotal: invoice.grantsTotal,
        discountTotal: invoice.discountTotal,
        payable: invoice.payable,
        vatRate: invoice.vatRate,
        vatAmount: invoice.vatAmount,
        advanceCovered,
      },
      buyer: {
        name: legal?.legalName ?? partner.name,
        inn: legal?.inn ?? partner.inn,
        kpp: legal?.kpp ?? null,
        address: legal?.address ?? null,
        ownAccountId: partner.billingAccountId,
      },
      services: services.map((service) => ({
        month: service.month,
        own: service.own,
        name: service.name,
        excludedFromBonus: service.excludedFromBonus,
        amount: service.amount,
      })),
      lines: invoice.lines.map((line) => {
        const forMonth = typeof line.details.forMonth === 'string' ? line.details.forMonth : null;
        const adjusts = typeof line.details.adjusts === 'string' ? line.details.adjusts : null;
        return {
          kind: line.kind,
          description: line.description,
          rate: line.rate,
          base: line.base,
          amount: line.amount,
          dealId: line.dealId,
          accountId: line.accountId,
          forMonth,
          adjusts,
          vatRate: vatRateOf(forMonth ?? invoice.month),
        };
      }),
    };
  }

  const fileName = (data: DocumentData, kind: DocumentKind) =>
    `${safeFileName(data.invoice.number)}-${kind}`;

  return {
    async html(
      principal: Principal,
      invoiceId: string,
      kind: DocumentKind,
    ): Promise<RenderedDocument<string>> {
      const data = await load(principal, invoiceId);
      return { fileName: `${fileName(data, kind)}.html`, body: renderDocument(kind, data) };
    },

    async pdf(
      principal: Principal,
      invoiceId: string,
      kind: DocumentKind,
    ): Promise<RenderedDocument<Buffer>> {
      const data = await load(principal, invoiceId);
      return { fileName: `${fileName(data, kind)}.pdf`, body: await renderDocumentPdf(kind, data) };
    },
  };
}

export type DocumentService = ReturnType<typeof createDocumentService>;
