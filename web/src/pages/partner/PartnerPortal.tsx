import { Link, Route, Routes, useNavigate } from 'react-router';
import { useState, type ReactNode } from 'react';
import {
  api,
  ApiError,
  type Application,
  type BonusMonth,
  type InvoiceLine,
  type InvoiceSummary,
  type Partner,
  type Preview,
  type Rebates,
} from '../../api';
import { useCodes, useMoney, useT } from '../../i18n';
import { NotFound, PerId, useRouteId, type NavItem } from '../../routing';
import {
  Card,
  ConfirmDialog,
  EmptyState,
  ErrorBox,
  Field,
  HistoryTable,
  Loading,
  useAction,
  useGet,
  useLoad,
  ScrollArea,
  type LoadOptions,
} from '../../ui';
import { ApplicationSteps } from './ApplicationSteps';
import { BankDetailsCard } from './BankDetails';
import { InvoiceView } from '../InvoiceView';
import { BonusChart } from './BonusChart';
import { CustomersPage } from './Customers';
import { decimalText, moscowDateTime, usePercent } from './forms';
import { NotificationsPage } from './Notifications';
import { PresaleDetail, PresalesPage } from './Presales';
import { ReferralsPage, StatementDetail } from './Referrals';
import { RegistrationDetail, RegistrationsPage } from './Registrations';
import { SpecializationsPage } from './Specializations';

const home: NavItem = { path: 'partner', label: 'overview' };

export const partnerNav: NavItem[] = [
  home,
  { path: 'partner/application', label: 'application' },
  { path: 'partner/invoices', label: 'invoices' },
  { path: 'partner/rebates', label: 'rebates' },
  { path: 'partner/customers', label: 'customersNav' },
  { path: 'partner/referrals', label: 'referralsNav' },
  { path: 'partner/registrations', label: 'dealsAndProjects' },
  { path: 'partner/presales', label: 'presaleRequests' },
  { path: 'partner/specializations', label: 'specializationsNav' },
  { path: 'partner/notifications', label: 'notificationsNav' },
  { path: 'partner/exit', label: 'exit' },
];

/** The partner's area: its status, application, money, customers and requests. */
export function PartnerPortal() {
  /** A page about one item ("…/:id"), started afresh for each item. */
  const item = (page: ReactNode) => <PerId>{page}</PerId>;
  return (
    <Routes>
      <Route index element={<Overview />} />
      <Route path="application" element={<ApplicationProgress />} />
      <Route path="invoices" element={<InvoiceList />} />
      <Route path="invoices/:id" element={item(<InvoiceDetail />)} />
      <Route path="rebates" element={<RebatesPage />} />
      <Route path="customers" element={<CustomersPage />} />
      <Route path="referrals" element={<ReferralsPage />} />
      <Route path="referrals/:id" element={item(<StatementDetail />)} />
      <Route path="notifications" element={<NotificationsPage />} />
      <Route path="registrations" element={<RegistrationsPage />} />
      <Route path="registrations/:id" element={item(<RegistrationDetail />)} />
      <Route path="presales" element={<PresalesPage />} />
      <Route path="presales/:id" element={item(<PresaleDetail />)} />
      <Route path="specializations" element={<SpecializationsPage />} />
      <Route path="exit" element={<ExitNotice />} />
      <Route path="*" element={<NotFound home={home} />} />
    </Routes>
  );
}

function usePartner(options: LoadOptions<Partner | null> = {}) {
  return useLoad(
    'partner-or-none',
    async () => {
      try {
        return await api.get<Partner>('/v1/partners/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null; // not a partner yet
        throw e;
      }
    },
    options,
  );
}

function Overview() {
  const t = useT();
  const navigate = useNavigate();
  const partner = usePartner();
  if (partner.loading && !partner.data) return <Loading />;
  if (partner.error) return <ErrorBox error={partner.error} />;
  if (!partner.data) {
    return (
      <Card title={t('partnerStatus')} testId="partner-status">
        <p>{t('notPartnerYet')}</p>
        <button onClick={() => void navigate('/partner/application')}>{t('application')}</button>
      </Card>
    );
  }
  const p = partner.data;
  const current = p.status === 'active' || p.status === 'leaving';
  return (
    <div className="grid">
      <Card title={t('partnerStatus')} testId="partner-status">
        <p className={`status status-${p.status}`} data-testid="partner-status-value">
          {t(`status_${p.status}`)}
        </p>
        <dl>
          <dt>{t('company')}</dt>
          <dd>{p.name}</dd>
          <dt>{t('memberSince')}</dt>
          <dd>{p.startDate}</dd>
          {p.exitDate && (
            <>
              <dt>{t('exitDate')}</dt>
              <dd>{p.exitDate}</dd>
            </>
          )}
          <dt>{t('programs')}</dt>
          <dd>{p.memberships.map((m) => m.program.toUpperCase()).join(', ')}</dd>
        </dl>
      </Card>
      {current && p.memberships.some((m) => m.program === 'var') && <RunningInvoice />}
      <BonusCard />
    </div>
  );
}

export function RunningInvoice() {
  const t = useT();
  const money = useMoney();
  const preview = useGet<Preview>('/v1/partners/me/invoices/preview');
  return (
    <Card title={t('runningInvoice')} testId="running-invoice">
      {preview.loading && !preview.data && <Loading />}
      {preview.error && <ErrorBox error={preview.error} />}
      {preview.data && (
        <>
          <p className="muted">
            {preview.data.month} · {t('asOf')} {moscowDateTime(preview.data.asOf)} {t('moscowTime')}
          </p>
          <dl className="totals">
            <dt>{t('consumption')}</dt>
            <dd>{money(preview.data.totals.consumptionTotal)}</dd>
            <dt>{t('grants')}</dt>
            <dd>{money(`-${preview.data.totals.grantsTotal}`)}</dd>
            <dt>{t('bonus')}</dt>
            <dd>{money(`-${preview.data.totals.discountTotal}`)}</dd>
            {preview.data.lines
              .filter((line) => line.kind === 'deal_uplift')
              .map((line, i) => (
                <DealUplift key={i} line={line} />
              ))}
            <dt>{t('rebateWithdrawn')}</dt>
            <dd>{money(`-${preview.data.totals.rebateWithdrawn}`)}</dd>
            <dt className="strong">{t('payable')}</dt>
            <dd className="strong" data-testid="running-payable">
              {money(preview.data.totals.payable)}
            </dd>
            <dt>{t('vatIncluded')}</dt>
            <dd>{money(preview.data.totals.vatIncluded)}</dd>
          </dl>
        </>
      )}
    </Card>
  );
}

/**
 * A registered deal's uplift inside the bonus: its rate, the linked customer and the amount,
 * so the partner sees the approved deal working on this month's invoice.
 */
function DealUplift({ line }: { line: InvoiceLine }) {
  const t = useT();
  const money = useMoney();
  const percent = usePercent();
  return (
    <>
      <dt className="indent" data-testid="running-uplift-label">
        {t('dealUplift')} +{percent(line.rate)} · {line.accountId ?? ''}
      </dt>
      <dd data-testid="running-uplift">{money(line.amount)}</dd>
    </>
  );
}

function BonusCard() {
  const t = useT();
  const bonus = useGet<{ items: BonusMonth[] }>('/v1/partners/me/bonus?months=12');
  return (
    <Card title={t('bonusChart')} testId="bonus-chart" wide>
      {bonus.loading && !bonus.data && <Loading />}
      {bonus.error && <ErrorBox error={bonus.error} />}
      {bonus.data && <BonusChart months={bonus.data.items} />}
    </Card>
  );
}

const STEPS = [
  'start',
  'sign_in',
  'application',
  'partnership_type',
  'billing_account',
  'manager_review',
  'decision',
] as const;

function ApplicationProgress() {
  const t = useT();
  const codes = useCodes();
  const application = useLoad('newest-application', async () => {
    const list = await api.get<{ items: { applicationId: string }[] }>('/v1/applications');
    const newest = list.items[0];
    return newest ? api.get<Application>(`/v1/applications/${newest.applicationId}`) : null;
  });
  const start = useAction();
  const cancel = useAction();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [identityMethod, setIdentityMethod] = useState('existing_account');
  if (application.loading && !application.data) return <Loading />;
  if (application.error) return <ErrorBox error={application.error} />;
  const a = application.data;
  const startCard = (
    <Card title={t('startApplication')} testId="start-application">
      <Field label={t('identityMethod')}>
        <select
          name="identityMethod"
          value={identityMethod}
          onChange={(e) => setIdentityMethod(e.target.value)}
        >
          <option value="existing_account">{t('identity_existing_account')}</option>
          <option value="new_id">{t('identity_new_id')}</option>
          <option value="sso_federation">{t('identity_sso_federation')}</option>
        </select>
      </Field>
      <button
        className="primary"
        disabled={start.busy}
        onClick={() =>
          void start.run(async () => {
            await api.post('/v1/applications', { identityMethod });
          })
        }
      >
        {t('startApplication')}
      </button>
      <ErrorBox error={start.error} />
    </Card>
  );
  if (!a) return startCard;
  const index = STEPS.indexOf(a.step);
  return (
    <div className="grid">
      <Card title={t('steps')} testId="application-steps">
        <ol className="steps">
          {STEPS.map((step, i) => (
            <li
              key={step}
              className={
                i < index || a.status === 'approved' ? 'done' : i === index ? 'current' : ''
              }
            >
              {t(`step_${step}`)}
            </li>
          ))}
        </ol>
        <p>
          <strong data-testid="application-status">{codes.word('application', a.status)}</strong> —{' '}
          {t('nextAction')}: <span data-testid="next-action">{codes.nextAction(a)}</span>
        </p>
        {a.decision && a.status === 'rejected' && (
          <div className="refusal-box" role="status" data-testid="rejection-reason">
            <strong>{t('applicationRejected')}</strong>
            <p className="prewrap">{a.decision.reason ?? t('noReasonGiven')}</p>
            <p className="muted small">
              {moscowDateTime(a.decision.at)} {t('moscowTime')}
            </p>
          </div>
        )}
      </Card>
      <ApplicationSteps application={a} />
      {['cancelled', 'rejected', 'expired'].includes(a.status) && startCard}
      {['draft', 'awaiting_billing_verification', 'in_review'].includes(a.status) && (
        <Card title={t('cancelApplication')}>
          <p className="muted small">{t('cancelApplicationHelp')}</p>
          <button className="danger" disabled={cancel.busy} onClick={() => setConfirmCancel(true)}>
            {t('cancelApplication')}
          </button>
          <ErrorBox error={cancel.error} />
          <ConfirmDialog
            open={confirmCancel}
            title={t('cancelApplicationConfirm')}
            confirmLabel={t('cancelApplication')}
            danger
            busy={cancel.busy}
            onCancel={() => setConfirmCancel(false)}
            onConfirm={() =>
              void cancel.run(async () => {
                try {
                  await api.post(`/v1/applications/${a.applicationId}/cancel`, {});
                } finally {
                  setConfirmCancel(false);
                }
              })
            }
          >
            <p>{t('cancelApplicationHelp')}</p>
          </ConfirmDialog>
        </Card>
      )}
      <HistoryTable history={a.history} />
    </div>
  );
}

function InvoiceList() {
  const t = useT();
  const codes = useCodes();
  const money = useMoney();
  const invoices = useGet<{ items: InvoiceSummary[] }>('/v1/partners/me/invoices');
  return (
    <Card title={t('invoices')} testId="invoices">
      {invoices.loading && !invoices.data && <Loading />}
      {invoices.error && <ErrorBox error={invoices.error} />}
      {invoices.data?.items.length === 0 && <EmptyState>{t('noInvoices')}</EmptyState>}
      {invoices.data && invoices.data.items.length > 0 && (
        <ScrollArea label={t('invoices')}>
          <table>
            <thead>
              <tr>
                <th>{t('number')}</th>
                <th>{t('month')}</th>
                <th>{t('kind')}</th>
                <th className="num">{t('bonus')}</th>
                <th className="num">{t('payable')}</th>
              </tr>
            </thead>
            <tbody>
              {invoices.data.items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`/partner/invoices/${i.id}`}>{i.number}</Link>
                  </td>
                  <td>{i.month}</td>
                  <td>{codes.word('invoiceKind', i.kind)}</td>
                  <td className="num">{money(i.discountTotal)}</td>
                  <td className="num">{money(i.payable)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollArea>
      )}
    </Card>
  );
}

function InvoiceDetail() {
  const id = useRouteId();
  const t = useT();
  return <InvoiceView id={id} back={() => ({ to: '/partner/invoices', label: t('invoices') })} />;
}

function RebatesPage() {
  const t = useT();
  const codes = useCodes();
  const money = useMoney();
  const rebates = useGet<Rebates>('/v1/partners/me/rebates');
  const [amount, setAmount] = useState('');
  const [target, setTarget] = useState<'bonus' | 'bank'>('bonus');
  const [confirming, setConfirming] = useState(false);
  const withdraw = useAction();
  const entries = rebates.data?.entries ?? [];
  return (
    <div className="grid">
      <Card title={t('balance')} testId="rebates">
        {rebates.loading && !rebates.data && <Loading />}
        {rebates.error && <ErrorBox error={rebates.error} />}
        {rebates.data && (
          <p className="big" data-testid="rebate-balance">
            {money(rebates.data.balance)}
          </p>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setConfirming(true);
          }}
        >
          <Field label={t('amount')}>
            <input
              name="amount"
              inputMode="decimal"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              placeholder="1500.00"
            />
          </Field>
          <Field label={t('target')}>
            <select
              name="target"
              value={target}
              onChange={(e) => setTarget(e.target.value as 'bonus' | 'bank')}
            >
              <option value="bonus">{t('target_bonus')}</option>
              <option value="bank">{t('target_bank')}</option>
            </select>
          </Field>
          <button type="submit" disabled={withdraw.busy || !amount}>
            {t('withdraw')}
          </button>
          {withdraw.done && (
            <span className="ok" role="status">
              {t('withdrawn')}
            </span>
          )}
        </form>
        <ErrorBox error={withdraw.error} />
        <ConfirmDialog
          open={confirming}
          title={t('withdrawConfirmTitle')}
          confirmLabel={t('withdrawConfirm')}
          busy={withdraw.busy}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            void withdraw.run(async () => {
              try {
                await api.post(
                  '/v1/partners/me/rebates/withdrawals',
                  { amount: decimalText(amount.trim()), target },
                  { 'Idempotency-Key': crypto.randomUUID() },
                );
                setAmount('');
              } finally {
                setConfirming(false);
              }
            })
          }
        >
          <p data-testid="withdraw-summary">
            <strong>{money(decimalText(amount.trim()))}</strong> → {t(`target_${target}`)}
          </p>
          <p className="muted small">{t(`withdrawConfirm_${target}`)}</p>
        </ConfirmDialog>
      </Card>
      <RunningInvoiceIfVar key={String(withdraw.done)} />
      <Card title={t('ledger')} wide>
        {rebates.data && entries.length === 0 && <EmptyState>{t('noLedger')}</EmptyState>}
        {entries.length > 0 && (
          <ScrollArea label={t('ledger')}>
            <table>
              <thead>
                <tr>
                  <th>
                    {t('when')} ({t('msk')})
                  </th>
                  <th>{t('kind')}</th>
                  <th>{t('month')}</th>
                  <th className="num">{t('amount')}</th>
                  <th className="num">{t('balanceAfter')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td>{moscowDateTime(e.createdAt)}</td>
                    <td>{codes.word('ledgerKind', e.kind)}</td>
                    <td className="nowrap">{e.month ?? ''}</td>
                    <td className="num">{money(e.amount)}</td>
                    <td className="num muted">{money(e.balanceAfter)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </Card>
      <BankDetailsCard />
    </div>
  );
}

/** The running invoice beside the withdraw form: a withdrawal to bonus shows at once. */
function RunningInvoiceIfVar() {
  const partner = usePartner();
  const isVar = partner.data?.memberships.some((m) => m.program === 'var' && m.endDate === null);
  return isVar ? <RunningInvoice /> : null;
}

function ExitNotice() {
  const t = useT();
  // The exit workflow records a notice (or its withdrawal) a moment after the API accepts it:
  // the partner is loaded again until its status is the awaited one, for a few seconds at most.
  const [awaited, setAwaited] = useState<{ status: Partner['status']; until: number } | null>(null);
  const partner = usePartner({
    pollWhile: (data) =>
      awaited !== null && data?.status !== awaited.status && Date.now() < awaited.until,
  });
  const settle = (status: Partner['status']) => setAwaited({ status, until: Date.now() + 8_000 });
  const [exitDate, setExitDate] = useState('');
  const [confirm, setConfirm] = useState<'notice' | 'withdraw' | null>(null);
  // The notice the API accepted (202): shown at once, before the workflow records it.
  const [given, setGiven] = useState<{ exitDate: string } | null>(null);
  const action = useAction();
  const p = partner.data;
  const leaving = p?.status === 'leaving' || (p?.status === 'active' && given !== null);
  return (
    <div className="grid">
      <Card title={t('exit')} testId="exit-notice">
        {partner.loading && !p && <Loading />}
        {partner.error && <ErrorBox error={partner.error} />}
        {!partner.loading && !partner.error && !p && <EmptyState>{t('notPartnerYet')}</EmptyState>}
        {leaving && p && (
          <>
            <p data-testid="notice-given">
              {t('noticeGiven')} <strong>{p.exitDate ?? given?.exitDate}</strong>
            </p>
            <p className="muted small">{t('withdrawNoticeHelp')}</p>
            <button disabled={action.busy} onClick={() => setConfirm('withdraw')}>
              {t('withdrawNotice')}
            </button>
          </>
        )}
        {p?.status === 'active' && !given && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setConfirm('notice');
            }}
          >
            <Field label={t('exitDate')}>
              <input
                type="date"
                name="exitDate"
                value={exitDate}
                onChange={(e) => setExitDate(e.target.value)}
              />
            </Field>
            <p className="muted">{t('noticeHelp')}</p>
            <button type="submit" className="danger" disabled={action.busy}>
              {t('giveNotice')}
            </button>
          </form>
        )}
        {p && (p.status === 'left' || p.status === 'revoked') && (
          <p>
            {t(`status_${p.status}`)}
            {p.exitDate ? ` · ${p.exitDate}` : ''}
          </p>
        )}
        <ErrorBox error={action.error} />
        <ConfirmDialog
          open={confirm === 'notice'}
          title={t('giveNoticeConfirmTitle')}
          confirmLabel={t('giveNoticeConfirm')}
          danger
          busy={action.busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() =>
            void action.run(async () => {
              try {
                const notice = await api.post<{ exitDate: string }>(
                  '/v1/partners/me/exit-notice',
                  exitDate ? { exitDate } : {},
                );
                setGiven({ exitDate: notice.exitDate });
                settle('leaving');
              } finally {
                setConfirm(null);
              }
            })
          }
        >
          <p>{exitDate ? `${t('exitDate')}: ${exitDate}` : t('noticeHelp')}</p>
          <p className="muted small">{t('giveNoticeConsequence')}</p>
        </ConfirmDialog>
        <ConfirmDialog
          open={confirm === 'withdraw'}
          title={t('withdrawNoticeConfirmTitle')}
          confirmLabel={t('withdrawNoticeConfirm')}
          busy={action.busy}
          onCancel={() => setConfirm(null)}
          onConfirm={() =>
            void action.run(async () => {
              try {
                await api.post('/v1/partners/me/exit-notice/withdraw');
                setGiven(null);
                settle('active');
              } finally {
                setConfirm(null);
              }
            })
          }
        >
          <p>{t('withdrawNoticeHelp')}</p>
        </ConfirmDialog>
      </Card>
      {p && (p.status === 'left' || p.status === 'revoked' || leaving) && <BankDetailsCard />}
    </div>
  );
}
