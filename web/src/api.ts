/**
 * The documented HTTP API, as the portal calls it: a bearer token from sign-in, JSON in and
 * out, problem+json errors turned into ApiError with their field-level messages.
 */
const TOKEN_KEY = 'partner-platform.token';

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

export const session = {
  token: (): string | null => localStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  signOut: () => localStorage.removeItem(TOKEN_KEY),
};

async function request(method: string, path: string, body?: unknown, headers?: HeadersInit) {
  const token = session.token();
  const res = await fetch(path, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) {
    let problem: { detail?: string; title?: string; errors?: FieldProblem[] } = {};
    try {
      problem = (await res.json()) as typeof problem;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(
      res.status,
      problem.detail ?? problem.title ?? res.statusText,
      problem.errors ?? [],
    );
  }
  return res;
}

export const api = {
  async get<T>(path: string): Promise<T> {
    return (await (await request('GET', path)).json()) as T;
  },
  async post<T>(path: string, body: unknown = {}, headers?: HeadersInit): Promise<T> {
    const res = await request('POST', path, body, headers);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  },
  async put<T>(path: string, body: unknown = {}): Promise<T> {
    const res = await request('PUT', path, body);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  },
  /** Fetches a file with the token and hands it to the browser as a download or a new tab. */
  async download(path: string, filename: string): Promise<void> {
    const blob = await (await request('GET', path)).blob();
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = filename;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

// ---- API shapes the portal reads (the OpenAPI document at /openapi.json is the reference) ----

export type Role = 'partner' | 'manager' | 'finance' | 'billing-system' | 'presale';

export interface Principal {
  subject: string;
  role: Role;
  organizationId: string | null;
  name: string | null;
}

export interface Identity extends Principal {
  token: string;
}

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
}

export interface Application {
  applicationId: string;
  organizationId: string;
  status: string;
  step: string;
  nextAction: string;
  startedAt: string;
  contact: { name: string; email: string; phone: string } | null;
  company: {
    inn: string;
    kind: string;
    name: string;
    ogrn: string;
    kpp: string | null;
    address: string;
    status: string;
    registeredOn: string;
  } | null;
  companyConfirmed: boolean;
  videoWatched: boolean;
  programs: string[];
  taxationType: string | null;
  billingAccount: {
    id: string;
    source: string;
    verification: string;
    rejectionReason: string | null;
    upgradedToPaid: boolean;
  } | null;
  review: { submittedAt: string; lastReviewDay: string; deadline: string } | null;
  decision: {
    outcome: string;
    by: string;
    at: string;
    reason: string | null;
    partnerId: string | null;
  } | null;
  history: AuditEntry[];
  workflowUrl: string;
}

export const QUEUE_KINDS = ['application', 'deal', 'project', 'specialization', 'presale'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/** One item of the review queue: anything waiting for a manager (or presale staff). */
export interface QueueItem {
  kind: QueueKind;
  id: string;
  title: string;
  partnerName: string | null;
  status: string;
  submittedAt: string | null;
  deadline: string;
  lastReviewDay: string;
  businessDaysLeft: number;
  overdue: boolean;
  escalated: boolean;
  /** Presale requests: who works on it. */
  assignee?: string | null;
  // applications also carry their company
  applicationId?: string;
  organizationId?: string;
  companyName?: string | null;
  companyInn?: string | null;
  programs?: string[];
}

/** Who decided, when, from which status to which, and why. */
export interface DecisionEntry {
  actor: string;
  at: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  action?: string;
  assignee?: string | null;
}

/** A specialization application as a manager reviews it, with its audit trail. */
export interface SpecializationApplicationDetail extends SpecializationApplication {
  history: DecisionEntry[];
}

export interface Partner {
  id: string;
  organizationId: string;
  name: string;
  inn: string | null;
  status: 'active' | 'leaving' | 'left' | 'revoked';
  startDate: string;
  exitDate: string | null;
  billingAccountId: string;
  memberships: { program: string; startDate: string; endDate: string | null }[];
  workflows?: { exitNotice: string; revocation: string };
}

export interface InvoiceSummary {
  id: string;
  number: string;
  partnerId: string;
  partnerName?: string | null;
  month: string;
  kind: string;
  issuedAt: string;
  dueDate: string | null;
  consumptionTotal: string;
  discountTotal: string;
  payable: string;
  vatAmount: string;
}

export interface InvoiceLine {
  position?: number;
  kind: string;
  description: string;
  rule: string;
  rate: string | null;
  base: string | null;
  amount: string;
  /** Running invoice: the deal and the customer a deal uplift line is for. */
  dealId?: string;
  accountId?: string;
}

export interface Invoice extends InvoiceSummary {
  lines: InvoiceLine[];
}

export interface Preview {
  month: string;
  asOf: string;
  totals: {
    consumptionTotal: string;
    grantsTotal: string;
    eligibleBase: string;
    discountTotal: string;
    rebateWithdrawn: string;
    payable: string;
    vatIncluded: string;
  };
  lines: InvoiceLine[];
}

export interface BonusMonth {
  month: string;
  discount: string;
  eligibleBase: string;
  relative: string | null;
}

export interface Rebates {
  balance: string;
  entries: {
    id: string;
    kind: string;
    amount: string;
    balanceAfter: string;
    month: string | null;
    createdAt: string;
  }[];
}

export interface Close {
  month: string;
  status: string;
  partnersTotal: number;
  partnersSettled: number;
  invoices: number;
  payableTotal: string;
  discountTotal: string;
  startedAt: string;
  completedAt: string | null;
  workflowUrl: string | null;
}

export interface Customer {
  id: string;
  name: string;
  inn: string | null;
  parentId: string;
  createdAt: string;
}

export type RegistrationStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface Registration {
  id: string;
  partnerId: string;
  kind: 'deal' | 'project';
  status: RegistrationStatus;
  customerAccountId: string | null;
  customerInn: string | null;
  customerName: string | null;
  expectedMonthlyConsumption: string | null;
  scope: 'cloud' | 'folder' | null;
  cloudId: string | null;
  folderId: string | null;
  expectedGrowth: string | null;
  baselineDefault: string | null;
  description: string;
  submittedBy: string;
  submittedAt: string;
  reviewDeadline: string | null;
  remindedAt: string | null;
  escalatedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  upliftRate: string | null;
  rate: string | null;
  baselineMonthly: string | null;
  startDate: string | null;
  endDate: string | null;
  renewalOf: string | null;
}

export interface RegistrationDetail extends Registration {
  events: {
    actor: string;
    at: string;
    fromStatus: string | null;
    toStatus: string;
    reason: string | null;
  }[];
}

export interface Project {
  id: string;
  partnerId: string;
  scope: 'cloud' | 'folder';
  cloudId: string;
  folderId: string | null;
  baselineMonthly: string;
  rate: string;
  registeredOn: string;
}

export type PresaleStatus = 'new' | 'assigned' | 'in_progress' | 'done' | 'declined';

export interface PresaleRequest {
  id: string;
  partnerId: string;
  organizationId: string;
  customerAccountId: string | null;
  projectId: string | null;
  topic: string;
  description: string;
  desiredDate: string;
  status: PresaleStatus;
  assignee: string | null;
  declineReason: string | null;
  slaDeadline: string;
  firstAnsweredAt: string | null;
  escalatedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface PresaleComment {
  id: string;
  authorRole: 'partner' | 'staff';
  author: string;
  body: string;
  createdAt: string;
}

export interface PresaleDetail extends PresaleRequest {
  comments: PresaleComment[];
  history: {
    id: string;
    actor: string;
    from: string | null;
    to: string | null;
    reason: string | null;
    assignee: string | null;
    at: string;
  }[];
}

export interface CatalogueEntry {
  code: string;
  nameRu: string;
  nameEn: string;
  serviceIds: string[];
  rate: string;
  requirements: string;
  minCertifiedEngineers: number;
  validFrom: string;
  validTo: string | null;
}

export interface SpecializationApplication {
  id: string;
  partnerId: string;
  code: string;
  evidence: string;
  certifiedEngineers: number;
  status: 'open' | 'granted' | 'refused';
  submittedBy: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
  specializationId: string | null;
}

export interface HeldSpecialization {
  id: string;
  partnerId: string;
  code: string;
  rate: string;
  serviceIds: string[];
  validFrom: string;
  validTo: string | null;
}

/** The partner's referral link (SPEC §3): the code never changes once created. */
export interface ReferralLink {
  partnerId: string;
  code: string;
  url: string;
  signupUrl: string;
  createdAt: string;
}

/** A customer attributed to the partner through its referral link. */
export interface ReferralAttribution {
  customerAccountId: string;
  customerName: string | null;
  partnerId: string;
  referralCode: string;
  signedUpAt: string;
  startDate: string;
  endDate: string | null;
}

export interface CommissionStatementSummary {
  id: string;
  number: string;
  partnerId: string;
  month: string;
  kind: 'monthly' | 'final';
  issuedAt: string;
  baseTotal: string;
  total: string;
  payout: { bik: string | null; account: string | null };
}

export interface CommissionStatement extends CommissionStatementSummary {
  lines: {
    position: number;
    customerAccountId: string;
    forMonth: string;
    base: string;
    rate: string;
    amount: string;
    description: string;
  }[];
}

export interface PortalNotification {
  id: string;
  kind: string;
  recipientType: 'applicant' | 'manager' | 'supervisor' | 'partner';
  recipient: string;
  organizationId: string | null;
  subject: string;
  body: string;
  createdAt: string;
  deliveredAt: string | null;
}

/** The answer to giving bank details: a held final payout may be paid at once. */
export interface BankDetailsResult {
  partnerId: string;
  bankDetails: { bik: string; account: string };
  changed: boolean;
  finalPayout:
    | {
        status: 'paid';
        amount: string;
        withdrawalId: string;
        bankBik: string | null;
        bankAccount: string | null;
      }
    | { status: 'awaiting_bank_details'; amount: string; problems: FieldProblem[] }
    | null;
}

// ---- finance console ----

export interface MoneyCount {
  count: number;
  total: string;
}

export type PayoutStatus = 'awaiting_bank_details' | 'payable' | 'paid';
export type PayoutKind = 'rebate_withdrawal' | 'commission' | 'final_payout';

export interface FinanceMonth {
  month: string;
  close: { status: string; startedAt: string; completedAt: string | null } | null;
  totals: {
    invoices: { count: number; monthly: number; interim: number; final: number };
    consumptionTotal: string;
    grantsTotal: string;
    discountTotal: string;
    rebateWithdrawn: string;
    payable: string;
    vatAmount: string;
    commission: MoneyCount;
    payouts: MoneyCount & { byStatus: Record<PayoutStatus, MoneyCount> };
  };
}

export interface FinanceInvoice extends InvoiceSummary {
  partnerName: string | null;
  partnerInn: string | null;
  grantsTotal: string;
  rebateWithdrawn: string;
}

export interface Reconciliation {
  month: string;
  consumption: { lines: number; amount: string; grants: string };
  pending: { lines: number; amount: string; grants: string };
  billed: { invoiceId: string; number: string; lines: number; amount: string; as: string }[];
  missingLines: number;
  difference: string;
  differenceRounded: string;
  lineDifference: number;
  flagged: boolean;
}

export interface Payout {
  kind: PayoutKind;
  status: PayoutStatus;
  month: string;
  partnerId: string;
  partnerName: string | null;
  partnerInn: string | null;
  amount: string;
  at: string;
  paidAt: string | null;
  reference: string;
  requestedBy: string | null;
  bankBik: string | null;
  bankAccount: string | null;
}
