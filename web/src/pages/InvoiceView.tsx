import { Link } from 'react-router';
import { api, ApiError, type Invoice } from '../api';
import { useCodes, useMoney, useT } from '../i18n';
import { Card, ErrorBox, Loading, useAction, useGet } from '../ui';
import { moscowDateTime, usePercent } from './partner/forms';

const DOCUMENT_KINDS = ['act', 'payment-invoice', 'vat-invoice'] as const;

/**
 * One issued invoice as the partner, a manager and finance see it: its lines with the rule that
 * gave each amount (the rule moves under the line on a phone, so amounts stay in view), its
 * totals and its PDF documents. Who may read it is the API's business (others get 404).
 */
export function InvoiceView({
  id,
  back,
}: {
  id: string;
  /** Where "back" leads, once the invoice is known (a manager goes to its partner). */
  back: (invoice: Invoice) => { to: string; label: string };
}) {
  const t = useT();
  const money = useMoney();
  const percent = usePercent();
  const codes = useCodes();
  const invoice = useGet<Invoice>(`/v1/invoices/${id}`);
  const download = useAction({ refresh: false });
  if (invoice.loading && !invoice.data) return <Loading />;
  if (invoice.error) return <ErrorBox error={invoice.error} />;
  const i = invoice.data;
  if (!i) return <ErrorBox error={new ApiError(404, id)} />;
  const backTo = back(i);
  return (
    <Card title={`${t('invoiceTitle')} ${i.number}`} testId="invoice-detail" wide>
      <p className="muted">
        <Link to={backTo.to}>← {backTo.label}</Link> · {i.month} · {t(`invoiceKind_${i.kind}`)} ·{' '}
        {t('issued')} {moscowDateTime(i.issuedAt)} {t('moscowTime')}
        {i.dueDate ? ` · ${t('due')} ${codes.date(i.dueDate)}` : ''}
      </p>
      <div className="table-scroll" data-testid="invoice-lines">
        <table className="lines">
          <thead>
            <tr>
              <th>{t('lines')}</th>
              <th className="line-rule">{t('rule')}</th>
              <th className="num">%</th>
              <th className="num">{t('amount')}</th>
            </tr>
          </thead>
          <tbody>
            {i.lines.map((line, n) => {
              // Written from the line's kind and parameters in the reader's language.
              const text = codes.line(line);
              return (
                <tr key={n} data-kind={line.kind}>
                  <td className="line-description">
                    {text.description}
                    <div className="muted small rule-inline">{text.rule}</div>
                  </td>
                  <td className="muted small line-rule">{text.rule}</td>
                  <td className="num">{line.rate ? percent(line.rate) : ''}</td>
                  <td className="num">{money(line.amount)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <dl className="totals">
        <dt>{t('consumption')}</dt>
        <dd>{money(i.consumptionTotal)}</dd>
        <dt>{t('bonus')}</dt>
        <dd>{money(`-${i.discountTotal}`)}</dd>
        <dt className="strong">{t('payable')}</dt>
        <dd className="strong" data-testid="invoice-payable">
          {money(i.payable)}
        </dd>
        <dt>{t('vatIncluded')}</dt>
        <dd>{money(i.vatAmount)}</dd>
      </dl>
      <h3>{t('documents')}</h3>
      <div className="row">
        {DOCUMENT_KINDS.map((kind) => (
          <button
            key={kind}
            onClick={() =>
              void download.run(() =>
                api.download(
                  `/v1/invoices/${i.id}/documents/${kind}?format=pdf`,
                  `${i.number}-${kind}.pdf`,
                ),
              )
            }
          >
            {t(`doc_${kind}`)} (PDF)
          </button>
        ))}
      </div>
      <ErrorBox error={download.error} />
    </Card>
  );
}
