import { Link, Route, Routes, useParams, useSearchParams } from 'react-router';
import { Fragment, useState } from 'react';
import {
  api,
  type Close,
  type FinanceInvoice,
  type FinanceMonth,
  type Payout,
  type PayoutStatus,
  type Reconciliation,
} from '../../api';
import { useMoney, useT } from '../../i18n';
import { NotFound, PerId, useRouteId, type NavItem } from '../../routing';
import { Card, EmptyState, ErrorBox, Field, Loading, useAction, useGet } from '../../ui';
import { InvoiceView } from '../InvoiceView';
import { moscowDateTime } from '../partner/forms';

const home: NavItem = { path: 'finance', label: 'closes' };

export const financeNav: NavItem[] = [
  home,
  { path: 'finance/payouts', label: 'fin_payoutRegister' },
];

const PAYOUT_STATUSES: PayoutStatus[] = ['awaiting_bank_details', 'payable', 'paid'];

/** Finance's area: the closes, each month, its invoices and the payout register. */
export function FinanceConsole() {
  return (
    <Routes>
      <Route index element={<Closes />} />
      <Route path="months/:month" element={<MonthPage />} />
      <Route
        path="invoices/:id"
        element={
          <PerId>
            <InvoicePage />
          </PerId>
        }
      />
      <Route path="payouts" element={<PayoutRegister />} />
      <Route path="*" element={<NotFound home={home} />} />
    </Routes>
  );
}

/** The months closed or being closed, and a form to close a past month now. */
function Closes() {
  const t = useT();
  const money = useMoney();
  const closes = useGet<{ items: Close[] }>('/v1/closes');
  const [month, setMonth] = useState('');
  const close = useAction();
  return (
    <div className="grid">
      <Card title={t('closeMonth')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void close.run(async () => {
              await api.post('/v1/closes', { month });
            });
          }}
        >
          <Field label={t('month')}>
            <input
              type="month"
              name="month"
              value={month}
              onChange={(e) => setMonth(e.target.value)}
            />
          </Field>
          <button type="submit" disabled={close.busy || !month}>
            {t('closeMonth')}
          </button>
        </form>
        <ErrorBox error={close.error} />
      </Card>
      <Card title={t('closes')} testId="closes" wide>
        {closes.error && <ErrorBox error={closes.error} />}
        <button onClick={closes.reload} aria-label={t('closes')}>
          ↻
        </button>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>{t('month')}</th>
                <th>{t('fin_status')}</th>
                <th className="num">{t('progress')}</th>
                <th className="num">{t('invoices')}</th>
                <th className="num">{t('bonus')}</th>
                <th className="num">{t('payable')}</th>
                <th>
                  {t('completed')} ({t('msk')})
                </th>
                <th />
              </tr>
            </thead>
            <tbody>
              {closes.data?.items.map((c) => (
                <tr key={c.month}>
                  <td>
                    <Link to={`/finance/months/${c.month}`}>{c.month}</Link>
                  </td>
                  <td>{t(`closeStatus_${c.status}`)}</td>
                  <td className="num">
                    {c.partnersSettled}/{c.partnersTotal}
                  </td>
                  <td className="num">{c.invoices}</td>
                  <td className="num">{money(c.discountTotal)}</td>
                  <td className="num">{money(c.payableTotal)}</td>
                  <td>{moscowDateTime(c.completedAt)}</td>
                  <td>
                    {c.workflowUrl && (
                      <a href={c.workflowUrl} target="_blank" rel="noreferrer">
                        {t('workflow')}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}

/** A month for finance: totals, reconciliation, downloads and its invoices. */
function MonthPage() {
  const { month = '' } = useParams();
  if (!/^\d{4}-\d{2}$/.test(month)) return <NotFound home={home} />;
  return <MonthView month={month} />;
}

function MonthView({ month }: { month: string }) {
  const t = useT();
  const money = useMoney();
  const view = useGet<FinanceMonth>(`/v1/finance/months/${month}`);
  const reconciliation = useGet<Reconciliation>(`/v1/closes/${month}/reconciliation`);
  const invoices = useGet<{ items: FinanceInvoice[] }>(`/v1/finance/months/${month}/invoices`);
  const download = useAction({ refresh: false });
  const files = [
    { label: 'fin_csvInvoices', path: 'invoices.csv', name: `invoices-${month}.csv` },
    { label: 'fin_csvLines', path: 'invoice-lines.csv', name: `invoice-lines-${month}.csv` },
    { label: 'fin_xlsx', path: 'invoices.xlsx', name: `invoices-${month}.xlsx` },
    { label: 'fin_zip', path: 'documents.zip', name: `documents-${month}.zip` },
  ];
  const totals = view.data?.totals;
  const rec = reconciliation.data;
  /** The reconciliation is exact (up to 6 decimals): keep every non-zero digit, drop the rest. */
  const exact = (amount: string) => money(amount.replace(/(\.\d\d\d*?)0+$/, '$1'));
  return (
    <div className="grid">
      <Card title={`${t('fin_totals')}: ${month}`} testId="finance-totals">
        <p className="muted">
          <Link to="/finance">← {t('closes')}</Link>
          {view.data &&
            ` · ${view.data.close ? t(`closeStatus_${view.data.close.status}`) : t('fin_notClosed')}`}
        </p>
        {view.error && <ErrorBox error={view.error} />}
        {view.loading && !totals && <Loading />}
        {totals && (
          <dl className="totals">
            <dt>{t('fin_invoiceCount')}</dt>
            <dd>{totals.invoices.count}</dd>
            <dt className="indent">{t('fin_kinds')}</dt>
            <dd>
              {totals.invoices.monthly} / {totals.invoices.interim} / {totals.invoices.final}
            </dd>
            <dt>{t('consumption')}</dt>
            <dd className="num">{money(totals.consumptionTotal)}</dd>
            <dt>{t('grants')}</dt>
            <dd className="num">{money(totals.grantsTotal)}</dd>
            <dt>{t('bonus')}</dt>
            <dd className="num">{money(totals.discountTotal)}</dd>
            <dt>{t('rebateWithdrawn')}</dt>
            <dd className="num">{money(totals.rebateWithdrawn)}</dd>
            <dt>{t('payable')}</dt>
            <dd className="num strong" data-testid="finance-payable">
              {money(totals.payable)}
            </dd>
            <dt>{t('fin_vat')}</dt>
            <dd className="num">{money(totals.vatAmount)}</dd>
            <dt>
              {t('fin_commission')} ({totals.commission.count})
            </dt>
            <dd>{money(totals.commission.total)}</dd>
            <dt>
              <Link to={`/finance/payouts?month=${month}`}>{t('fin_payouts')}</Link>
            </dt>
            <dd>{money(totals.payouts.total)}</dd>
            {PAYOUT_STATUSES.filter((s) => totals.payouts.byStatus[s].count > 0).map((s) => (
              <Fragment key={s}>
                <dt className="indent">
                  {t(`payoutStatus_${s}`)} ({totals.payouts.byStatus[s].count})
                </dt>
                <dd>{money(totals.payouts.byStatus[s].total)}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </Card>
      <Card title={t('fin_reconciliation')} testId="finance-reconciliation">
        {reconciliation.error && <ErrorBox error={reconciliation.error} />}
        {reconciliation.loading && !rec && <Loading />}
        {rec && (
          <>
            <p className={rec.flagged ? 'error' : 'muted'} role={rec.flagged ? 'alert' : undefined}>
              {rec.flagged ? t('fin_recFlagged') : t('fin_recOk')}
            </p>
            <dl className="totals">
              <dt>{t('fin_recConsumption')}</dt>
              <dd className="num">
                {exact(rec.consumption.amount)}
                <div className="muted small">
                  {t('lines')}: {rec.consumption.lines}
                </div>
              </dd>
              <dt>
                {t('fin_recBilled')} ({t('invoices')})
              </dt>
              <dd className="num">
                {rec.billed.length}
                <div className="muted small">
                  {t('lines')}: {rec.billed.reduce((n, b) => n + b.lines, 0)}
                </div>
              </dd>
              <dt>{t('fin_recPending')}</dt>
              <dd className="num">
                {exact(rec.pending.amount)}
                <div className="muted small">
                  {t('lines')}: {rec.pending.lines}
                </div>
              </dd>
              <dt>{t('fin_recMissing')}</dt>
              <dd className="num">{rec.missingLines}</dd>
              <dt>{t('fin_recDifference')}</dt>
              <dd
                className={rec.flagged ? 'num error strong' : 'num strong'}
                data-testid="finance-difference"
              >
                {money(rec.differenceRounded)}{' '}
                <span className="muted small">({rec.difference})</span>
              </dd>
            </dl>
          </>
        )}
      </Card>
      <Card title={t('fin_downloads')}>
        <div className="row">
          {files.map((f) => (
            <button
              key={f.path}
              disabled={download.busy}
              onClick={() =>
                void download.run(() =>
                  api.download(`/v1/finance/months/${month}/${f.path}`, f.name),
                )
              }
            >
              {t(f.label)}
            </button>
          ))}
        </div>
        <p className="muted small">{t('fin_csvNote')}</p>
        <ErrorBox error={download.error} />
      </Card>
      <Card title={`${t('invoices')}: ${month}`} testId="month-invoices" wide>
        {invoices.error && <ErrorBox error={invoices.error} />}
        {invoices.loading && !invoices.data && <Loading />}
        {invoices.data?.items.length === 0 && <EmptyState>{t('noData')}</EmptyState>}
        {invoices.data && invoices.data.items.length > 0 && (
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th>{t('number')}</th>
                  <th>{t('partnerName')}</th>
                  <th>{t('fin_inn')}</th>
                  <th>{t('kind')}</th>
                  <th className="num">{t('consumption')}</th>
                  <th className="num">{t('bonus')}</th>
                  <th className="num">{t('payable')}</th>
                  <th className="num">{t('fin_vat')}</th>
                </tr>
              </thead>
              <tbody>
                {invoices.data.items.map((i) => (
                  <tr key={i.id}>
                    <td>
                      <Link to={`/finance/invoices/${i.id}`}>{i.number}</Link>
                    </td>
                    <td className="cell-wrap">{i.partnerName}</td>
                    <td>{i.partnerInn ?? '—'}</td>
                    <td>{t(`invoiceKind_${i.kind}`)}</td>
                    <td className="num">{money(i.consumptionTotal)}</td>
                    <td className="num">{money(i.discountTotal)}</td>
                    <td className="num">{money(i.payable)}</td>
                    <td className="num">{money(i.vatAmount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

/** An invoice for finance: every line with its rule, the totals and the documents. */
function InvoicePage() {
  const t = useT();
  const id = useRouteId();
  return (
    <InvoiceView
      id={id}
      back={(i) => ({
        to: `/finance/months/${i.month}`,
        label: `${t('fin_backToMonth')} ${i.month}`,
      })}
    />
  );
}

/** Payouts to the bank: withdrawals, commissions and final payouts, with their status. */
function PayoutRegister() {
  const t = useT();
  const money = useMoney();
  const [status, setStatus] = useState<PayoutStatus | ''>('');
  // The month filter may come with the address: #/finance/payouts?month=2025-06.
  const [address] = useSearchParams();
  const [month, setMonth] = useState(() => address.get('month') ?? '');
  const query = new URLSearchParams({
    ...(status ? { status } : {}),
    ...(month ? { month } : {}),
  }).toString();
  const register = useGet<{ items: Payout[] }>(`/v1/finance/payouts${query ? `?${query}` : ''}`, {
    keepWhileLoading: true,
  });
  const download = useAction({ refresh: false });
  return (
    <Card title={t('fin_payoutRegister')} testId="payout-register" wide>
      <form className="row" onSubmit={(e) => e.preventDefault()}>
        <Field label={t('fin_status')}>
          <select
            name="status"
            value={status}
            onChange={(e) => setStatus(e.target.value as PayoutStatus | '')}
          >
            <option value="">{t('fin_allStatuses')}</option>
            {PAYOUT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`payoutStatus_${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('month')}>
          <input
            type="month"
            name="month"
            value={month}
            onChange={(e) => setMonth(e.target.value)}
          />
        </Field>
        <button
          type="button"
          style={{ alignSelf: 'flex-end' }}
          disabled={download.busy}
          onClick={() =>
            void download.run(() =>
              api.download(
                `/v1/finance/payouts.csv${query ? `?${query}` : ''}`,
                `payouts${month ? `-${month}` : ''}${status ? `-${status}` : ''}.csv`,
              ),
            )
          }
        >
          {t('fin_exportCsv')}
        </button>
      </form>
      <ErrorBox error={download.error} />
      {register.error && <ErrorBox error={register.error} />}
      {register.loading && !register.data && <Loading />}
      {register.data?.items.length === 0 && <EmptyState>{t('noData')}</EmptyState>}
      {register.data && register.data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th>
                  {t('fin_date')} ({t('msk')})
                </th>
                <th>{t('kind')}</th>
                <th>{t('fin_status')}</th>
                <th>{t('partnerName')}</th>
                <th className="num">{t('amount')}</th>
                <th>{t('fin_bank')}</th>
                <th>{t('fin_reference')}</th>
              </tr>
            </thead>
            <tbody>
              {register.data.items.map((p) => (
                <tr key={`${p.kind}:${p.reference}`}>
                  <td>{moscowDateTime(p.at)}</td>
                  <td className="cell-wrap">{t(`payoutKind_${p.kind}`)}</td>
                  <td>
                    <span className={p.status === 'awaiting_bank_details' ? 'error' : undefined}>
                      {t(`payoutStatus_${p.status}`)}
                    </span>
                  </td>
                  <td className="cell-wrap">
                    {p.partnerName}
                    {p.partnerInn && <div className="muted small">{p.partnerInn}</div>}
                  </td>
                  <td className="num">{money(p.amount)}</td>
                  <td className="small">
                    {p.bankAccount ? `${p.bankBik ?? ''} / ${p.bankAccount}` : '—'}
                  </td>
                  <td className="small cell-wrap">{p.reference}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
