import { z } from 'zod';
import { DOCUMENT_KINDS } from '../../../documents/render';
import { defineRoute, type AnyRoute } from '../../http/route';
import type { DocumentService } from './documents.service';

/**
 * The HTML is self-contained (inline CSS, no scripts): a policy that forbids everything else
 * makes even a rendering bug unable to load or run anything.
 */
const HTML_SECURITY = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
};

/** The documents of an issued invoice (SPEC §2): act, payment invoice, VAT invoice. */
export function documentRoutes(service: DocumentService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/invoices/:invoiceId/documents/:kind',
      operationId: 'getInvoiceDocument',
      summary: 'A document of an issued invoice: act, payment invoice or VAT invoice',
      description:
        'The certificate of services (`act`), the payment invoice (`payment-invoice`) or the VAT ' +
        'invoice (`vat-invoice`) of an issued invoice, as a printable HTML page (default) or a PDF ' +
        'download. Documents are rendered from the issued invoice only, so the same invoice always ' +
        'gives the same document. Partners see their own invoices only.\n\n' +
        'Each service the invoice billed is one row (quantity 1, «усл. ед.»), its price already ' +
        'reduced by the discount allocated to it (partner discount, grants, rebate withdrawn to ' +
        'the bonus); the VAT invoice has the columns of the statutory form. The act and the VAT ' +
        'invoice are dated the last day of the billed month (of the issue day for an interim or ' +
        'final invoice), the payment invoice the day it was issued, with the invoice’s due date.\n\n' +
        'A zero invoice (nothing consumed, nothing payable) has no documents: the answer is 404 ' +
        'problem+json whose detail says so.',
      tags: ['Settlement'],
      roles: ['partner', 'finance', 'manager'],
      params: z.object({
        invoiceId: z.uuid({ message: 'must be an invoice id (UUID)' }),
        kind: z.enum(DOCUMENT_KINDS, { message: `must be one of ${DOCUMENT_KINDS.join(', ')}` }),
      }),
      query: z.object({
        format: z
          .enum(['html', 'pdf'], { message: 'must be html or pdf' })
          .default('html')
          .describe('html (text/html, shown inline) or pdf (application/pdf, a download)'),
      }),
      responses: {
        200: { description: 'The document: text/html; charset=utf-8 or application/pdf' },
        404: {
          description:
            'No such invoice (or not yours), or a zero invoice, which has no documents (the detail says which)',
        },
        409: { description: 'The invoice’s lines do not add up to its totals; no document' },
      },
      handler: async ({ principal, params, query }) => {
        if (query.format === 'pdf') {
          const pdf = await service.pdf(principal, params.invoiceId, params.kind);
          return {
            status: 200,
            contentType: 'application/pdf',
            headers: { 'Content-Disposition': `attachment; filename="${pdf.fileName}"` },
            body: pdf.body,
          };
        }
        const html = await service.html(principal, params.invoiceId, params.kind);
        return {
          status: 200,
          contentType: 'text/html; charset=utf-8',
          headers: {
            ...HTML_SECURITY,
            'Content-Disposition': `inline; filename="${html.fileName}"`,
          },
          body: html.body,
        };
      },
    }),
  ];
}
