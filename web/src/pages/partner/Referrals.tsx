import { Link } from 'react-router';
import { useState } from 'react';
import {
  ApiError,
  type CommissionStatement,
  type CommissionStatementSummary,
  type ReferralAttribution,
  type ReferralLink,
} from '../../api';
import { useMoney, useT } from '../../i18n';
import { Card, EmptyState, ErrorBox, Loading, useGet } from '../../ui';
import { dateOnly, moscowDateTime, usePercent } from './forms';
import { useRouteId } from '../../routing';

/**
 * The referral program as a partner sees it: the link to share (with a copy button), the
 * customers who signed up through it, and the commission statements with their lines.
 */
export function ReferralsPage() {
  const t = useT();
  return (
    <div className="stack">
      <ReferralLinkCard />
      <Card title={t('referredCustomers')} testId="referrals">
        <ReferredCustomers />
      </Card>
      <Card title={t('commissionStatements')} testId="commission-statements">
        <StatementList />
      </Card>
    </div>
  );
}

function ReferralLinkCard() {
  const t = useT();
  const link = useGet<ReferralLink>('/v1/partners/me/referral-link');
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('no'); // no clipboard (an insecure page): the link stays selectable
    }
  };
  return (
    <Card title={t('referralLink')} testId="referral-link">
      {link.loading && !link.data && <Loading />}
      {link.error && <Refusal error={link.error} />}
      {link.data && (
        <>
          <div className="copy-row">
            <input
              readOnly
              aria-label={t('referralLink')}
              value={link.data.url}
              onFocus={(e) => e.target.select()}
              data-testid="referral-url"
            />
            <button type="button" className="primary" onClick={() => void copy(link.data!.url)}>
              {t('copyLink')}
            </button>
          </div>
          <p className="muted small" aria-live="polite">
            {copied === 'yes'
              ? t('linkCopied')
              : copied === 'no'
                ? t('linkCopyFailed')
                : `${t('referralCode')}: ${link.data.code} · ${t('createdOn')} ${dateOnly(link.data.createdAt)}`}
          </p>
          <p className="muted small">{t('referralHelp')}</p>
        </>
      )}
    </Card>
  );
}

/** A refusal of the referral program's pages: the API's reason, said plainly. */
function Refusal({ error }: { error: ApiError }) {
  const t = useT();
  if (error.status === 409 || error.status === 404) {
    return (
      <div className="notice" role="status">
        <p>{error.status === 409 ? t('notReferralPartner') : t('notPartnerYet')}</p>
        <p className="muted small">{error.message}</p>
      </div>
    );
  }
  return <ErrorBox error={error} />;
}

function ReferredCustomers() {
  const t = useT();
  const referrals = useGet<{ items: ReferralAttribution[] }>('/v1/partners/me/referrals');
  if (referrals.loading && !referrals.data) return <Loading />;
  if (referrals.error) return <Refusal error={referrals.error} />;
  const items = referrals.data?.items ?? [];
  if (items.length === 0) return <EmptyState>{t('noReferrals')}</EmptyState>;
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th>{t('dealCustomer')}</th>
            <th>{t('signedUpAt')}</th>
            <th>{t('commissionFrom')}</th>
            <th>{t('commissionUntil')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.customerAccountId} data-testid="referral-row">
              <td className="cell-wrap">
                {a.customerName ?? a.customerAccountId}
                {a.customerName && <div className="muted small">{a.customerAccountId}</div>}
              </td>
              <td className="nowrap">{moscowDateTime(a.signedUpAt)}</td>
              <td className="nowrap">{a.startDate}</td>
              <td className="nowrap">{a.endDate ?? t('openEnded')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function StatementList() {
  const t = useT();
  const money = useMoney();
  const statements = useGet<{ items: CommissionStatementSummary[] }>(
    '/v1/partners/me/commission-statements',
  );
  if (statements.loading && !statements.data) return <Loading />;
  if (statements.error) return <Refusal error={statements.error} />;
  const items = statements.data?.items ?? [];
  if (items.length === 0) return <EmptyState>{t('noStatements')}</EmptyState>;
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th>{t('number')}</th>
            <th>{t('month')}</th>
            <th>{t('kind')}</th>
            <th className="num">{t('commissionBase')}</th>
            <th className="num">{t('commission')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id} data-testid="statement-row">
              <td className="nowrap">
                <Link to={`/partner/referrals/${s.id}`}>{s.number}</Link>
              </td>
              <td className="nowrap">{s.month}</td>
              <td>{t(`statement_${s.kind}`)}</td>
              <td className="num">{money(s.baseTotal)}</td>
              <td className="num">{money(s.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One commission statement: a line per customer and month, base × rate = commission. */
export function StatementDetail() {
  const id = useRouteId();
  const t = useT();
  const money = useMoney();
  const percent = usePercent();
  const statement = useGet<CommissionStatement>(`/v1/commission-statements/${id}`);
  if (statement.loading && !statement.data) return <Loading />;
  if (statement.error) return <ErrorBox error={statement.error} />;
  const s = statement.data!;
  return (
    <Card title={`${t('commissionStatement')} ${s.number}`} testId="statement-detail">
      <p className="muted">
        <Link to="/partner/referrals">← {t('referralsNav')}</Link> · {s.month} ·{' '}
        {t(`statement_${s.kind}`)} · {t('issued')} {moscowDateTime(s.issuedAt)} {t('moscowTime')}
      </p>
      <dl className="totals narrow">
        <dt>{t('commissionBase')}</dt>
        <dd>{money(s.baseTotal)}</dd>
        <dt className="strong">{t('commission')}</dt>
        <dd className="strong" data-testid="statement-total">
          {money(s.total)}
        </dd>
      </dl>
      {s.lines.length === 0 ? (
        <EmptyState>{t('noData')}</EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="lines">
            <thead>
              <tr>
                <th>{t('dealCustomer')}</th>
                <th className="wide-only">{t('consumptionMonth')}</th>
                <th className="num wide-only">{t('commissionBase')}</th>
                <th className="num wide-only">{t('rate')}</th>
                <th className="num">{t('commission')}</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.map((line) => (
                <tr key={line.position}>
                  <td className="cell-wrap">
                    {line.customerAccountId}
                    <div className="muted small">
                      {t(line.forMonth === s.month ? 'commissionLine' : 'commissionLineLate', {
                        rate: percent(line.rate),
                        forMonth: line.forMonth,
                        month: s.month,
                        customer: line.customerAccountId,
                      })}
                    </div>
                    <div className="muted small narrow-only">
                      {line.forMonth}: {money(line.base)} × {percent(line.rate)}
                    </div>
                  </td>
                  <td className="nowrap wide-only">{line.forMonth}</td>
                  <td className="num wide-only">{money(line.base)}</td>
                  <td className="num wide-only">{percent(line.rate)}</td>
                  <td className="num">{money(line.amount)}</td>
                </tr>
              ))}
              <tr className="strong">
                <td>{t('total')}</td>
                <td className="wide-only" />
                <td className="num wide-only">{money(s.baseTotal)}</td>
                <td className="wide-only" />
                <td className="num">{money(s.total)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        {t('paidTo')}:{' '}
        {s.payout.account ? `${t('bik')} ${s.payout.bik ?? '—'}, ${s.payout.account}` : '—'}
      </p>
    </Card>
  );
}
