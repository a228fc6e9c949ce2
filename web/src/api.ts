/**
 * The documented HTTP API, as the portal calls it: a bearer token from sign-in, JSON in and
 * out, problem+json errors turned into ApiError with their field-level messages.
 */
import type { components, paths } from './api-schema';

/** Parameters of a code the API sends (problem, field problem, next action, invoice line). */
export type CodeParams = Record<string, string | number>;

export interface FieldProblem {
  field: string;
  message: string;
  /** Stable reason the portal translates, e.g. "required", "invalid_format". */
  code?: string;
  params?: CodeParams;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
    /** The problem's stable reason (problem+json `code`), translated by the portal. */
    readonly code?: string,
    readonly params: CodeParams = {},
  ) {
    super(message);
  }
}

/** The bearer token, in memory only (never in localStorage): a reload signs in again (auth.ts). */
let currentToken: string | null = null;

export const session = {
  token: (): string | null => currentToken,
  signIn: (token: string) => {
    currentToken = token;
  },
  signOut: () => {
    currentToken = null;
  },
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
    let problem: {
      detail?: string;
      title?: string;
      errors?: FieldProblem[];
      code?: string;
      params?: CodeParams;
    } = {};
    try {
      problem = (await res.json()) as typeof problem;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(
      res.status,
      problem.detail ?? problem.title ?? res.statusText,
      problem.errors ?? [],
      problem.code,
      problem.params ?? {},
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

// ---- API shapes the portal reads, from the types generated out of the OpenAPI document ----
// (`npm run web:types` writes api-schema.ts; `npm run check` fails when it is out of date).

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type SuccessOf<R> = JsonOf<R[Extract<keyof R, 200 | 201 | 202>]>;

/** The JSON body a path answers to a method on success (200, 201 or 202). */
export type Body<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: infer R;
}
  ? SuccessOf<R>
  : never;

/** A schema the OpenAPI document names (`components.schemas`). */
type Schema = components['schemas'];

/** One item of a list answer (`{ items: [...] }`). */
type ItemOf<T> = T extends { items: readonly (infer I)[] } ? I : never;

export type Principal = Body<'/v1/session', 'get'>;
export type Role = Principal['role'];
export type Identity = ItemOf<Body<'/v1/dev/identities', 'get'>>;

export type Application = Schema['Application'];
export type AuditEntry = Application['history'][number];

export const QUEUE_KINDS = ['application', 'deal', 'project', 'specialization', 'presale'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];

/**
 * One item of the review queue: anything waiting for a manager (or presale staff). The API
 * sends one shape per kind; the queue page reads them all through this one, and every kind
 * the API sends must fit it (checked below).
 */
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
/** Fails to compile when a review-queue item the API documents does not fit QueueItem. */
export type QueueItemFitsApi =
  ItemOf<Body<'/v1/review-queue', 'get'>> extends QueueItem ? true : never;
export const QUEUE_ITEM_FITS_API: QueueItemFitsApi = true;

/** A specialization application as a manager reviews it, with its audit trail. */
export type SpecializationApplicationDetail = Body<
  '/v1/specialization-applications/{applicationId}',
  'get'
>;
/**
 * Who decided, when, from which status to which, and why: the decision trail's one shape for
 * the histories of specialization applications, registrations and presale requests.
 */
export interface DecisionEntry {
  actor: string;
  at: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  action?: string;
  assignee?: string | null;
}

/** A partner; the staff's list and page add links to its lifecycle workflows. */
export type Partner = Schema['Partner'] & {
  workflows?: Body<'/v1/partners/{partnerId}', 'get'>['workflows'];
};

export type InvoiceSummary = ItemOf<Body<'/v1/partners/{partnerId}/invoices', 'get'>>;
export type Invoice = Schema['Invoice'];
export type Preview = Schema['RunningInvoice'];
/** A line of an issued invoice or of the running one. */
export type InvoiceLine = Schema['InvoiceLine'] | Schema['RunningInvoiceLine'];

export type BonusMonth = ItemOf<Body<'/v1/partners/me/bonus', 'get'>>;
export type Rebates = Schema['RebateLedger'];
export type Close = ItemOf<Body<'/v1/closes', 'get'>>;
export type Customer = ItemOf<Body<'/v1/partners/me/customers', 'get'>>;

export type Registration = Schema['Registration'];
export type RegistrationStatus = Registration['status'];
export type RegistrationDetail = Body<'/v1/registrations/{id}', 'get'>;
export type Project = ItemOf<Body<'/v1/partners/{partnerId}/projects', 'get'>>;

export type PresaleRequest = Schema['PresaleRequest'];
export type PresaleStatus = PresaleRequest['status'];
export type PresaleDetail = Body<'/v1/presale-requests/{requestId}', 'get'>;
export type PresaleComment = Schema['PresaleComment'];

export type CatalogueEntry = ItemOf<Body<'/v1/specializations/catalogue', 'get'>>;
export type SpecializationApplication = ItemOf<
  Body<'/v1/partners/me/specialization-applications', 'get'>
>;
export type HeldSpecialization = ItemOf<Body<'/v1/partners/me/specializations', 'get'>>;

/** The partner's referral link (SPEC §3): the code never changes once created. */
export type ReferralLink = Schema['ReferralLink'];
/** A customer attributed to the partner through its referral link. */
export type ReferralAttribution = Schema['ReferralAttribution'];
export type CommissionStatementSummary = Schema['CommissionStatementSummary'];
export type CommissionStatement = Body<'/v1/commission-statements/{statementId}', 'get'>;

export type PortalNotification = ItemOf<Body<'/v1/notifications', 'get'>>;

/** The answer to giving bank details: a held final payout may be paid at once. */
export type BankDetailsResult = Body<'/v1/partners/me/bank-details', 'put'>;

// ---- finance console ----

export type FinanceMonth = Schema['FinanceMonth'];
export type MoneyCount = FinanceMonth['totals']['commission'];
export type FinanceInvoice = Schema['FinanceInvoice'];
export type Reconciliation = Body<'/v1/closes/{month}/reconciliation', 'get'>;
export type Payout = Schema['Payout'];
export type PayoutStatus = Payout['status'];
export type PayoutKind = Payout['kind'];
