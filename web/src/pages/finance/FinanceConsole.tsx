import { useState } from 'react';
import { api, ApiError, type Close, type InvoiceSummary } from '../../api';
import { useMoney, useT, type MessageKey } from '../../i18n';
import { Card, ErrorBox, Field, formatDateTime, useAction, useApi } from '../../ui';

export const financeNav: { path: string; label: MessageKey }[] = [
  { path: 'finance', label: 'closes' },
];

export function FinanceConsole({ route }: { route: string[] }) {
  const [page, month] = route;
  if (page === undefined) return <Closes />;
  if (page === 'months' && month) return <MonthInvoices month={month} />;
  return <ErrorBox error={new ApiError(404, page)} />;
}

/** The months closed or being closed, and a form to close a past month now. */
function Closes() {
  const t = useT();
  const money = useMoney();
  const closes = useApi(() => api.get<{ items: Close[] }>('/v1/closes'));
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
              closes.reload();
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
      <Card title={t('closes')} testId="closes">
        {closes.error && <ErrorBox error={closes.error} />}
        <button onClick={closes.reload}>↻</button>
        <table>
          <thead>
            <tr>
              <th>{t('month')}</th>
              <th>Status</th>
              <th className="num">{t('progress')}</th>
              <th className="num">{t('invoices')}</th>
              <th className="num">{t('bonus')}</th>
              <th className="num">{t('payable')}</th>
              <th>{t('completed')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {closes.data?.items.map((c) => (
              <tr key={c.month}>
                <td>
                  <a href={`#/finance/months/${c.month}`}>{c.month}</a>
                </td>
                <td>{c.status}</td>
                <td className="num">
                  {c.partnersSettled}/{c.partnersTotal}
                </td>
                <td className="num">{c.invoices}</td>
                <td className="num">{money(c.discountTotal)}</td>
                <td className="num">{money(c.payableTotal)}</td>
                <td>{formatDateTime(c.completedAt)}</td>
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
      </Card>
    </div>
  );
}

function MonthInvoices({ month }: { month: string }) {
  const t = useT();
  const money = useMoney();
  const invoices = useApi(
    () => api.get<{ items: InvoiceSummary[] }>(`/v1/invoices?month=${encodeURIComponent(month)}`),
    [month],
  );
  const download = useAction();
  return (
    <Card title={`${t('invoices')}: ${month}`} testId="month-invoices">
      {invoices.error && <ErrorBox error={invoices.error} />}
      <ErrorBox error={download.error} />
      <table>
        <thead>
          <tr>
            <th>{t('number')}</th>
            <th>{t('partnerName')}</th>
            <th>{t('kind')}</th>
            <th className="num">{t('payable')}</th>
            <th>{t('documents')}</th>
          </tr>
        </thead>
        <tbody>
          {invoices.data?.items.map((i) => (
            <tr key={i.id}>
              <td>{i.number}</td>
              <td>{i.partnerName}</td>
              <td>{i.kind}</td>
              <td className="num">{money(i.payable)}</td>
              <td>
                {(['act', 'payment-invoice', 'vat-invoice'] as const).map((kind) => (
                  <button
                    key={kind}
                    className="link"
                    onClick={() =>
                      void download.run(() =>
                        api.download(
                          `/v1/invoices/${i.id}/documents/${kind}?format=pdf`,
                          `${i.number}-${kind}.pdf`,
                        ),
                      )
                    }
                  >
                    {t(`doc_${kind}`)}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
