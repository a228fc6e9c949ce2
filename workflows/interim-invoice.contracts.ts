/** Contracts of the billing-threshold check that issues interim invoices. */
export const INTERIM_INVOICE_WORKFLOW_TYPE = 'interimInvoiceWorkflow';

/** One check at a time per partner-month; a new batch joins the running one. */
export function interimInvoiceWorkflowId(partnerId: string, month: string): string {
  return `interim-invoice:${partnerId}:${month}`;
}

export interface InterimInvoiceInput {
  partnerId: string;
  /** The month of the consumption, 'YYYY-MM' (Moscow). */
  month: string;
}

export interface InterimInvoiceResult {
  invoices: { invoiceId: string; number: string; payable: string }[];
}
