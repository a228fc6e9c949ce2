import { Link, useNavigate, useParams } from 'react-router';
import { useEffect, useState } from 'react';
import {
  api,
  type Customer,
  type InvoiceSummary,
  type Partner,
  type Project,
  type Rebates,
  type Registration,
} from '../../api';
import { useCodes, useMoney, useT } from '../../i18n';
import { Card, ErrorBox, Loading, useAction, useGet } from '../../ui';
import { moscowDateTime, usePercent } from '../partner/forms';
import { InvoiceView } from '../InvoiceView';
import { DealForm, ProjectForm } from './PartnerForms';
import { useNarrow } from './ReviewQueue';
import { HeldSpecializations } from './SpecializationReview';
import { useRouteId } from '../../routing';

/** A partner's status inside a row: the status colours at the row's size. */
const INLINE_STATUS = { fontSize: 'inherit', margin: 0 };

/** Partners per page of the list. */
const PAGE = 20;

interface PartnerPage {
  total: number;
  offset: number;
  limit: number;
  items: Partner[];
}

/** A registered deal (GET /v1/partners/{id}/deals). */
interface Deal {
  id: string;
  customerAccountId: string;
  customerName: string | null;
  upliftRate: string;
  startDate: string;
  endDate: string | null;
  registeredBy: string;
}

type ProjectView = Project & {
  rebateMonths: { first: string; last: string };
  registeredBy: string;
};

/** A value that follows `value` once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

const programsOf = (p: Partner) =>
  p.memberships
    .map((m) => m.program)
    .join(', ')
    .toUpperCase();

/** Partners by name with a search over name, INN and organization, a page at a time. */
export function PartnerList() {
  const t = useT();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const [offset, setOffset] = useState(0);
  useEffect(() => setOffset(0), [q]);
  const path = `/v1/partners?limit=${PAGE}&offset=${offset}${q ? `&q=${encodeURIComponent(q)}` : ''}`;
  // The page shown stays while the next one (or a new search) loads.
  const partners = useGet<PartnerPage>(path, { keepWhileLoading: true });
  const page = partners.data;
  const narrow = useNarrow();
  const items = page?.items ?? [];
  return (
    <Card title={t('partners')} testId="partners">
      <label className="field">
        <span>{t('mc_search')}</span>
        <input
          type="search"
          name="q"
          value={text}
          placeholder={t('mc_searchHint')}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {partners.loading && !page && <Loading />}
      <ErrorBox error={partners.error} />
      {page && items.length === 0 && <p className="muted">{t('mc_noPartners')}</p>}
      {items.length > 0 && narrow && (
        <ul className="entries" data-testid="partner-list">
          {items.map((p) => (
            <li key={p.id} data-testid="partner-row">
              <div className="entry-head">
                <Link className="strong" to={`/manager/partners/${p.id}`}>
                  {p.name}
                </Link>
                <span className={`status status-${p.status}`} style={INLINE_STATUS}>
                  {t(`status_${p.status}`)}
                </span>
              </div>
              <div className="muted small">
                {t('innShort')} {p.inn ?? '—'} · {programsOf(p)} · {t('memberSince')} {p.startDate}
              </div>
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && !narrow && (
        <table data-testid="partner-list">
          <thead>
            <tr>
              <th>{t('mc_name')}</th>
              <th>{t('innShort')}</th>
              <th>{t('programs')}</th>
              <th>{t('status')}</th>
              <th>{t('memberSince')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.id} data-testid="partner-row">
                <td>
                  <Link to={`/manager/partners/${p.id}`}>{p.name}</Link>
                  <div className="muted small">{p.organizationId}</div>
                </td>
                <td className="nowrap">{p.inn ?? '—'}</td>
                <td>{programsOf(p)}</td>
                <td>
                  <span className={`status status-${p.status}`} style={INLINE_STATUS}>
                    {t(`status_${p.status}`)}
                  </span>
                  {p.exitDate ? <div className="muted small">{p.exitDate}</div> : null}
                </td>
                <td className="nowrap">{p.startDate}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > 0 && (
        <div className="row" style={{ alignItems: 'center', marginTop: '0.75rem' }}>
          <button
            disabled={offset === 0 || partners.fetching}
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            ← {t('mc_previous')}
          </button>
          <span data-testid="partner-range">
            {page.offset + 1}–{page.offset + items.length} {t('mc_of')} {page.total}
          </span>
          <button
            disabled={offset + PAGE >= page.total || partners.fetching}
            onClick={() => setOffset(offset + PAGE)}
          >
            {t('mc_next')} →
          </button>
        </div>
      )}
    </Card>
  );
}

const TABS = ['overview', 'deals', 'invoices', 'rebates', 'customers', 'specializations'] as const;
type Tab = (typeof TABS)[number];

/**
 * A partner's page: its status and programs, then one section at a time — deals and
 * projects (with the partner's registrations and the manager's forms), invoices, the rebate
 * ledger, customer subaccounts and specializations. The section is part of the address.
 */
export function PartnerDetail() {
  const { id = '', tab } = useParams();
  const navigate = useNavigate();
  const t = useT();
  const partner = useGet<Partner>(`/v1/partners/${id}`);
  const current: Tab = (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'overview';
  if (partner.loading && !partner.data) return <Loading />;
  if (partner.error) return <ErrorBox error={partner.error} />;
  const p = partner.data!;
  return (
    <div className="grid stack">
      <div style={{ gridColumn: '1 / -1' }}>
        <p style={{ margin: '0 0 0.5rem' }}>
          <Link to="/manager/partners">← {t('partners')}</Link>
        </p>
        <h1 style={{ margin: '0 0 0.5rem', fontSize: '1.4rem' }} data-testid="partner-name">
          {p.name}{' '}
          <span className={`status status-${p.status}`} style={{ fontSize: '1rem' }}>
            {t(`status_${p.status}`)}
          </span>
        </h1>
        <nav className="row" role="tablist" aria-label={p.name} data-testid="partner-tabs">
          {TABS.map((name) => (
            <button
              key={name}
              role="tab"
              aria-selected={current === name}
              className={current === name ? 'primary' : ''}
              data-tab={name}
              onClick={() => void navigate(`/manager/partners/${p.id}/${name}`)}
            >
              {t(`mc_tab_${name}`)}
            </button>
          ))}
        </nav>
      </div>
      {current === 'overview' && <Overview partner={p} />}
      {current === 'deals' && <DealsAndProjects partner={p} />}
      {current === 'invoices' && <PartnerInvoices partner={p} />}
      {current === 'rebates' && <PartnerRebates partner={p} />}
      {current === 'customers' && <PartnerCustomers partner={p} />}
      {current === 'specializations' && <HeldSpecializations partnerId={p.id} />}
    </div>
  );
}

function Overview({ partner: p }: { partner: Partner }) {
  const t = useT();
  const codes = useCodes();
  const [reason, setReason] = useState('');
  const revoke = useAction();
  const current = p.status === 'active' || p.status === 'leaving';
  return (
    <>
      <Card title={t('mc_tab_overview')} testId="partner-detail">
        <dl className="wrap">
          <dt>{t('innShort')}</dt>
          <dd>{p.inn ?? '—'}</dd>
          <dt>{t('mc_organization')}</dt>
          <dd>{p.organizationId}</dd>
          <dt>{t('mc_billingAccount')}</dt>
          <dd>
            <code>{p.billingAccountId}</code>
          </dd>
          <dt>{t('memberSince')}</dt>
          <dd>{p.startDate}</dd>
          {p.exitDate && (
            <>
              <dt>{t('exitDate')}</dt>
              <dd>{p.exitDate}</dd>
            </>
          )}
          <dt>{t('programs')}</dt>
          <dd>
            {p.memberships.map((m) => (
              <div key={`${m.program}-${m.startDate}`}>
                {codes.word('program', m.program)}: {codes.date(m.startDate)} —{' '}
                {m.endDate ? codes.date(m.endDate) : t('heldOpenEnded')}
              </div>
            ))}
          </dd>
        </dl>
        {p.workflows && (
          <p>
            {t('workflow')}:{' '}
            <a href={p.workflows.exitNotice} target="_blank" rel="noreferrer">
              {t('mc_workflowExit')}
            </a>{' '}
            ·{' '}
            <a href={p.workflows.revocation} target="_blank" rel="noreferrer">
              {t('mc_workflowRevocation')}
            </a>
          </p>
        )}
      </Card>
      {current && (
        <Card title={t('revoke')} testId="revoke">
          <p className="muted small">{t('mc_revokeHelp')}</p>
          <label className="field">
            <span>{t('reason')}</span>
            <input name="revokeReason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button
            className="danger"
            disabled={revoke.busy || !reason.trim()}
            onClick={() => {
              if (!window.confirm(t('mc_revokeConfirm'))) return;
              void revoke.run(async () => {
                await api.post(`/v1/partners/${p.id}/revoke`, { reason });
              });
            }}
          >
            {t('revoke')}
          </button>
          <ErrorBox error={revoke.error} />
        </Card>
      )}
    </>
  );
}

/** The partner's deals, projects and registrations, with the forms to register either. */
function DealsAndProjects({ partner: p }: { partner: Partner }) {
  const t = useT();
  const percent = usePercent();
  const money = useMoney();
  const deals = useGet<{ items: Deal[] }>(`/v1/partners/${p.id}/deals`);
  const projects = useGet<{ items: ProjectView[] }>(`/v1/partners/${p.id}/projects`);
  const registrations = useGet<{ items: Registration[] }>(
    `/v1/registrations?partnerId=${p.id}&limit=500`,
  );
  const current = p.status === 'active' || p.status === 'leaving';
  return (
    <>
      <Card title={t('mc_deals')} testId="partner-deals">
        {deals.loading && !deals.data && <Loading />}
        <ErrorBox error={deals.error} />
        {deals.data?.items.length === 0 && <p className="muted">{t('mc_noDeals')}</p>}
        {deals.data && deals.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t('customer')}</th>
                <th className="num">{t('upliftRate')}</th>
                <th>{t('linkedPeriod')}</th>
                <th>{t('mc_registeredBy')}</th>
              </tr>
            </thead>
            <tbody>
              {deals.data.items.map((d) => (
                <tr key={d.id} data-testid="deal-row">
                  <td>
                    {d.customerName ?? '—'}
                    <div className="muted small">{d.customerAccountId}</div>
                  </td>
                  <td className="num">
                    {percent(d.upliftRate).replace('%', t('percentagePoints'))}
                  </td>
                  <td className="nowrap">
                    {d.startDate} — {d.endDate ?? t('heldOpenEnded')}
                  </td>
                  <td>{d.registeredBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t('mc_projects')} testId="partner-projects">
        {projects.loading && !projects.data && <Loading />}
        <ErrorBox error={projects.error} />
        {projects.data?.items.length === 0 && <p className="muted">{t('mc_noProjects')}</p>}
        {projects.data && projects.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t('scope')}</th>
                <th className="num">{t('baseline')}</th>
                <th className="num">{t('rate')}</th>
                <th>{t('mc_rebateMonths')}</th>
              </tr>
            </thead>
            <tbody>
              {projects.data.items.map((pr) => (
                <tr key={pr.id} data-testid="project-row">
                  <td>
                    {t(`scope_${pr.scope}`)}
                    <div className="muted small">
                      {pr.cloudId}
                      {pr.folderId ? ` / ${pr.folderId}` : ''}
                    </div>
                  </td>
                  <td className="num">{money(pr.baselineMonthly)}</td>
                  <td className="num">{percent(pr.rate)}</td>
                  <td className="nowrap">
                    {pr.rebateMonths.first} — {pr.rebateMonths.last}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title={t('mc_registrations')} testId="partner-registrations">
        {registrations.loading && !registrations.data && <Loading />}
        <ErrorBox error={registrations.error} />
        {registrations.data?.items.length === 0 && (
          <p className="muted">{t('mc_noRegistrations')}</p>
        )}
        {registrations.data && registrations.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t('kind')}</th>
                <th>{t('customerOrScope')}</th>
                <th>{t('status')}</th>
                <th>
                  {t('submitted')} ({t('msk')})
                </th>
              </tr>
            </thead>
            <tbody>
              {registrations.data.items.map((r) => (
                <tr key={r.id} data-testid="registration-row">
                  <td>
                    <Link to={`/manager/registrations/${r.id}`}>{t(`kind_${r.kind}`)}</Link>
                  </td>
                  <td>
                    {r.kind === 'deal'
                      ? (r.customerName ?? r.customerInn ?? r.customerAccountId ?? '—')
                      : `${r.cloudId ?? ''}${r.folderId ? ` / ${r.folderId}` : ''}`}
                  </td>
                  <td>
                    <span className={`pill pill-${r.status}`}>{t(`st_${r.status}`)}</span>
                  </td>
                  <td className="nowrap">{moscowDateTime(r.submittedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {current && <DealForm partnerId={p.id} />}
      {current && <ProjectForm partnerId={p.id} />}
    </>
  );
}

function PartnerInvoices({ partner: p }: { partner: Partner }) {
  const t = useT();
  const money = useMoney();
  const invoices = useGet<{ items: InvoiceSummary[] }>(`/v1/partners/${p.id}/invoices`);
  return (
    <Card title={t('invoices')} testId="partner-invoices">
      {invoices.loading && !invoices.data && <Loading />}
      <ErrorBox error={invoices.error} />
      {invoices.data?.items.length === 0 && <p className="muted">{t('mc_noInvoices')}</p>}
      {invoices.data && invoices.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('number')}</th>
              <th>{t('month')}</th>
              <th>{t('kind')}</th>
              <th>{t('due')}</th>
              <th className="num">{t('bonus')}</th>
              <th className="num">{t('payable')}</th>
            </tr>
          </thead>
          <tbody>
            {invoices.data.items.map((i) => (
              <tr key={i.id} data-testid="invoice-row">
                <td className="nowrap">
                  <Link to={`/manager/invoices/${i.id}`}>{i.number}</Link>
                </td>
                <td className="nowrap">{i.month}</td>
                <td>{t(`mc_invoice_${i.kind}`)}</td>
                <td className="nowrap">{i.dueDate ?? '—'}</td>
                <td className="num">{money(i.discountTotal)}</td>
                <td className="num">{money(i.payable)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function PartnerRebates({ partner: p }: { partner: Partner }) {
  const t = useT();
  const money = useMoney();
  const rebates = useGet<Rebates>(`/v1/partners/${p.id}/rebates`);
  const entries = rebates.data?.entries ?? [];
  return (
    <Card title={t('rebates')} testId="partner-rebates">
      {rebates.loading && !rebates.data && <Loading />}
      <ErrorBox error={rebates.error} />
      {rebates.data && (
        <>
          <p className="muted" style={{ margin: 0 }}>
            {t('balance')}
          </p>
          <p className="big" data-testid="rebate-balance">
            {money(rebates.data.balance)}
          </p>
        </>
      )}
      {rebates.data && entries.length === 0 && <p className="muted">{t('mc_noLedger')}</p>}
      {entries.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>
                {t('when')} ({t('msk')})
              </th>
              <th>{t('kind')}</th>
              <th>{t('month')}</th>
              <th className="num">{t('amount')}</th>
              <th className="num">{t('mc_balanceAfter')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid="ledger-row">
                <td className="nowrap">{moscowDateTime(e.createdAt)}</td>
                <td>{t(`mc_ledger_${e.kind}`)}</td>
                <td className="nowrap">{e.month ?? ''}</td>
                <td className="num">{money(e.amount)}</td>
                <td className="num muted">{money(e.balanceAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function PartnerCustomers({ partner: p }: { partner: Partner }) {
  const t = useT();
  const customers = useGet<{ items: Customer[] }>(`/v1/partners/${p.id}/customers`);
  return (
    <Card title={t('mc_tab_customers')} testId="partner-customers">
      {customers.loading && !customers.data && <Loading />}
      <ErrorBox error={customers.error} />
      {customers.data?.items.length === 0 && <p className="muted">{t('mc_noCustomers')}</p>}
      {customers.data && customers.data.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{t('mc_name')}</th>
              <th>{t('innShort')}</th>
              <th>{t('mc_subaccount')}</th>
              <th>
                {t('mc_opened')} ({t('msk')})
              </th>
            </tr>
          </thead>
          <tbody>
            {customers.data.items.map((c) => (
              <tr key={c.id} data-testid="customer-row">
                <td>{c.name}</td>
                <td className="nowrap">{c.inn ?? '—'}</td>
                <td>
                  <code>{c.id}</code>
                </td>
                <td className="nowrap">{moscowDateTime(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** An invoice as a manager reads it, from a partner's page: its lines and documents. */
export function ManagerInvoice() {
  const id = useRouteId();
  const t = useT();
  return (
    <InvoiceView
      id={id}
      back={(i) => ({ to: `/manager/partners/${i.partnerId}/invoices`, label: t('invoices') })}
    />
  );
}
