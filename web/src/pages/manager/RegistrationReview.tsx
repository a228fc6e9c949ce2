import { Link } from 'react-router';
import { useState } from 'react';
import { api, type Partner, type RegistrationDetail } from '../../api';
import { useCodes, useMoney, useT } from '../../i18n';
import { Card, ErrorBox, Field, Loading, formatDateTime, useAction, useGet } from '../../ui';
import { DecisionTrail, detailList, fullRow } from './DecisionTrail';
import { useRouteId } from '../../routing';

/** The cap on a deal's uplift and a project's rate, as the API enforces it. */
const MAX_RATE = 0.15;

/** "0.05" → "5 %"; empty while the text is not a number. */
export function percentHint(fraction: string): string {
  const n = Number(fraction);
  if (!fraction.trim() || !Number.isFinite(n)) return '';
  return `${(Math.round(n * 10_000) / 100).toString()} %`;
}

/** A partner's deal or project registration: what was registered, and the manager's decision. */
export function RegistrationReview() {
  const id = useRouteId();
  const t = useT();
  const codes = useCodes();
  const money = useMoney();
  const registration = useGet<RegistrationDetail>(`/v1/registrations/${id}`);
  const partnerId = registration.data?.partnerId;
  const partner = useGet<Partner>(`/v1/partners/${partnerId}`, {
    enabled: partnerId !== undefined,
  });
  const [rate, setRate] = useState('');
  const [baseline, setBaseline] = useState('');
  const [reason, setReason] = useState('');
  const decide = useAction();
  if (registration.loading && !registration.data) return <Loading />;
  if (!registration.data) return <ErrorBox error={registration.error} />;
  const r = registration.data;
  const deal = r.kind === 'deal';
  const pending = r.status === 'pending';
  const rateValue = rate || (deal ? '0.05' : '0.10');
  const rateTooHigh = Number(rateValue) > MAX_RATE;

  const approve = () =>
    void decide.run(async () => {
      await api.post(
        `/v1/registrations/${r.id}/approve`,
        deal
          ? { upliftRate: rateValue }
          : { rate: rateValue, ...(baseline.trim() ? { baselineMonthly: baseline.trim() } : {}) },
      );
    });
  const reject = () =>
    void decide.run(async () => {
      await api.post(`/v1/registrations/${r.id}/reject`, { reason: reason.trim() });
    });

  return (
    <div className="grid">
      <Card
        title={deal ? t('dealRegistration') : t('projectRegistration')}
        testId="registration-card"
      >
        <p className="status">
          <span data-testid="registration-status">{t(`st_${r.status}`)}</span>
        </p>
        <dl style={detailList}>
          <dt>{t('partnerName')}</dt>
          <dd data-testid="registration-partner">{partner.data?.name ?? r.partnerId}</dd>
          {deal ? (
            <>
              <dt>{t('customer')}</dt>
              <dd>
                {r.customerName ?? r.customerAccountId ?? '—'}
                {r.customerAccountId && r.customerName && r.customerName !== r.customerAccountId ? (
                  <div className="muted">{r.customerAccountId}</div>
                ) : null}
              </dd>
              {r.customerInn && (
                <>
                  <dt>{t('customerInn')}</dt>
                  <dd>{r.customerInn}</dd>
                </>
              )}
              <dt>{t('expectedConsumption')}</dt>
              <dd>{money(r.expectedMonthlyConsumption)}</dd>
            </>
          ) : (
            <>
              <dt>{t('customer')}</dt>
              <dd>{r.customerName ?? r.customerAccountId ?? '—'}</dd>
              <dt>{t('scope')}</dt>
              <dd>
                {r.scope === 'folder' ? `${r.cloudId} / ${r.folderId}` : r.cloudId}
                <span className="badge">{codes.word('scope', r.scope)}</span>
              </dd>
              <dt>{t('expectedGrowth')}</dt>
              <dd>{r.expectedGrowth ?? '—'}</dd>
              <dt>{t('baselineDefault')}</dt>
              <dd>{money(r.baselineDefault)}</dd>
            </>
          )}
          <dt>{t('description')}</dt>
          <dd style={{ whiteSpace: 'pre-wrap' }}>{r.description}</dd>
          <dt>{t('submitted')}</dt>
          <dd>
            {formatDateTime(r.submittedAt)} · {r.submittedBy}
          </dd>
          <dt>{t('deadline')}</dt>
          <dd>
            {formatDateTime(r.reviewDeadline)}
            {r.escalatedAt && <span className="badge danger">{t('escalated')}</span>}
          </dd>
          {r.status === 'approved' && (
            <>
              <dt>{t('approvedRate')}</dt>
              <dd data-testid="approved-rate">
                {deal ? r.upliftRate : r.rate} ({percentHint((deal ? r.upliftRate : r.rate) ?? '')})
              </dd>
              {!deal && (
                <>
                  <dt>{t('baseline')}</dt>
                  <dd>{money(r.baselineMonthly)}</dd>
                </>
              )}
              <dt>{t('linkedPeriod')}</dt>
              <dd>
                {r.startDate ?? '—'} … {r.endDate ?? ''}
              </dd>
            </>
          )}
          {r.reason && (
            <>
              <dt>{t('reason')}</dt>
              <dd>{r.reason}</dd>
            </>
          )}
        </dl>
      </Card>
      {pending && (
        <Card title={t('decision')} testId="registration-decision">
          <Field label={deal ? t('upliftRate') : t('rate')}>
            <input
              name={deal ? 'upliftRate' : 'rate'}
              inputMode="decimal"
              value={rateValue}
              onChange={(e) => setRate(e.target.value)}
              aria-invalid={rateTooHigh}
            />
            <small
              className="muted"
              style={rateTooHigh ? { color: 'var(--danger)' } : undefined}
              data-testid="rate-hint"
            >
              {percentHint(rateValue) && <strong>= {percentHint(rateValue)}</strong>}{' '}
              {deal ? t('upliftHint') : t('rateHint')}
            </small>
          </Field>
          {!deal && (
            <Field label={t('adjustedBaseline')}>
              <input
                name="baselineMonthly"
                inputMode="decimal"
                value={baseline}
                placeholder={r.baselineDefault ?? '5000.00'}
                onChange={(e) => setBaseline(e.target.value)}
              />
            </Field>
          )}
          <div className="row">
            <button
              className="primary"
              data-testid="approve-registration"
              disabled={decide.busy}
              onClick={approve}
            >
              {t('approve')}
            </button>
          </div>
          <Field label={t('reason')}>
            <textarea
              name="reason"
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            {!reason.trim() && <small className="muted">{t('reasonRequired')}</small>}
          </Field>
          <button
            className="danger"
            data-testid="reject-registration"
            disabled={decide.busy || !reason.trim()}
            onClick={reject}
          >
            {t('reject')}
          </button>
          <ErrorBox error={decide.error} />
        </Card>
      )}
      <DecisionTrail
        entries={r.events.map((e) => ({
          actor: e.actor,
          at: e.at,
          from: e.fromStatus,
          to: e.toStatus,
          reason: e.reason,
        }))}
      />
      <p style={fullRow}>
        <Link to="/manager" data-testid="back-to-queue">
          ← {t('backToQueue')}
        </Link>
      </p>
    </div>
  );
}
