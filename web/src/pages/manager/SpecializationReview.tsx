import { Link } from 'react-router';
import { useState } from 'react';
import {
  api,
  type CatalogueEntry,
  type HeldSpecialization,
  type Partner,
  type SpecializationApplicationDetail,
} from '../../api';
import { useLanguage, useT } from '../../i18n';
import { Card, ErrorBox, Field, Loading, formatDateTime, useAction, useGet } from '../../ui';
import { DecisionTrail, detailList, fullRow } from './DecisionTrail';
import { useRouteId } from '../../routing';

/** A partner's application for a specialization, beside the catalogue's requirements. */
export function SpecializationReview() {
  const id = useRouteId();
  const t = useT();
  const language = useLanguage();
  const application = useGet<SpecializationApplicationDetail>(
    `/v1/specialization-applications/${id}`,
  );
  const a = application.data;
  const catalogue = useGet<{ items: CatalogueEntry[] }>(
    `/v1/specializations/catalogue?on=${a?.submittedAt.slice(0, 10)}`,
    { enabled: a !== undefined },
  );
  const partner = useGet<Partner>(`/v1/partners/${a?.partnerId}`, { enabled: a !== undefined });
  const [validFrom, setValidFrom] = useState('');
  const [reason, setReason] = useState('');
  const decide = useAction();
  if (application.loading && !a) return <Loading />;
  if (!a) return <ErrorBox error={application.error} />;
  const entry = catalogue.data?.items.find((c) => c.code === a.code);
  const name = entry ? (language === 'ru' ? entry.nameRu : entry.nameEn) : a.code;
  const enough = entry ? a.certifiedEngineers >= entry.minCertifiedEngineers : true;

  const grant = () =>
    void decide.run(async () => {
      await api.post(`/v1/specialization-applications/${a.id}/grant`, {
        ...(validFrom ? { validFrom } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
    });
  const refuse = () =>
    void decide.run(async () => {
      await api.post(`/v1/specialization-applications/${a.id}/refuse`, { reason: reason.trim() });
    });

  return (
    <div className="grid">
      <Card title={t('specializationApplication')} testId="specialization-application">
        <p className="status">
          <span data-testid="specialization-status">{t(`st_${a.status}`)}</span>
        </p>
        <dl style={detailList}>
          <dt>{t('partnerName')}</dt>
          <dd>
            {partner.data ? (
              <Link to={`/manager/partners/${a.partnerId}`}>{partner.data.name}</Link>
            ) : (
              a.partnerId
            )}
          </dd>
          <dt>{t('kind_specialization')}</dt>
          <dd>
            {name} <span className="muted">({a.code})</span>
          </dd>
          <dt>{t('certifiedEngineers')}</dt>
          <dd data-testid="certified-engineers">
            {a.certifiedEngineers}
            {entry && (
              <span className={enough ? 'badge' : 'badge danger'}>
                {enough ? t('enoughEngineers') : t('tooFewEngineers')}
              </span>
            )}
          </dd>
          <dt>{t('submitted')}</dt>
          <dd>
            {formatDateTime(a.submittedAt)} · {a.submittedBy}
          </dd>
          {a.decidedAt && (
            <>
              <dt>{t('decision')}</dt>
              <dd>
                {formatDateTime(a.decidedAt)} · {a.decidedBy}
                {a.reason ? ` — ${a.reason}` : ''}
              </dd>
            </>
          )}
        </dl>
        <h3>{t('evidence')}</h3>
        <p style={{ whiteSpace: 'pre-wrap' }} data-testid="evidence">
          {a.evidence}
        </p>
      </Card>
      <Card title={t('catalogueRequirements')} testId="catalogue-requirements">
        <ErrorBox error={catalogue.error} />
        {entry ? (
          <dl style={detailList}>
            <dt>{t('minEngineers')}</dt>
            <dd>{entry.minCertifiedEngineers}</dd>
            <dt>{t('services')}</dt>
            <dd>{entry.serviceIds.join(', ')}</dd>
            <dt>{t('quarterlyRate')}</dt>
            <dd>{entry.rate}</dd>
            <dt>{t('requirementsColumn')}</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{entry.requirements}</dd>
          </dl>
        ) : (
          !catalogue.loading && <p className="muted">{t('noData')}</p>
        )}
      </Card>
      {a.status === 'open' && (
        <Card title={t('decision')} testId="specialization-decision">
          <Field label={t('firstDay')}>
            <input
              type="date"
              name="validFrom"
              value={validFrom}
              onChange={(e) => setValidFrom(e.target.value)}
            />
            <small className="muted">{t('firstDayHint')}</small>
          </Field>
          <Field label={t('reason')}>
            <textarea
              name="reason"
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </Field>
          <div className="row">
            <button
              className="primary"
              data-testid="grant-specialization"
              disabled={decide.busy}
              onClick={grant}
            >
              {t('grant')}
            </button>
            <button
              className="danger"
              data-testid="refuse-specialization"
              disabled={decide.busy || !reason.trim()}
              onClick={refuse}
            >
              {t('refuse')}
            </button>
          </div>
          {!reason.trim() && <small className="muted">{t('reasonRequired')}</small>}
          <ErrorBox error={decide.error} />
        </Card>
      )}
      <DecisionTrail entries={a.history} />
      <p style={fullRow}>
        <Link to="/manager" data-testid="back-to-queue">
          ← {t('backToQueue')}
        </Link>
      </p>
    </div>
  );
}

/** The specializations a partner holds or held, each withdrawable from a last day. */
export function HeldSpecializations({ partnerId }: { partnerId: string }) {
  const t = useT();
  const held = useGet<{ items: HeldSpecialization[] }>(`/v1/partners/${partnerId}/specializations`);
  const [editing, setEditing] = useState<string | null>(null);
  const [validTo, setValidTo] = useState('');
  const [reason, setReason] = useState('');
  const withdraw = useAction();
  return (
    <Card title={t('heldSpecializations')} testId="held-specializations">
      <ErrorBox error={held.error} />
      {held.data?.items.length === 0 && <p className="muted">{t('noData')}</p>}
      {held.data && held.data.items.length > 0 && (
        <ul className="plain">
          {held.data.items.map((s) => (
            <li key={s.id} data-testid="held-specialization">
              <div className="row" style={{ marginBottom: 0, alignItems: 'baseline' }}>
                <span className="strong">{s.code}</span>
                <span className="muted">
                  {t('quarterlyRate')}: {s.rate}
                </span>
                <span style={{ flex: 1 }} />
                {editing !== s.id && (
                  <button
                    data-testid="withdraw-specialization"
                    onClick={() => {
                      setEditing(s.id);
                      setValidTo(s.validTo ?? '');
                      setReason('');
                    }}
                  >
                    {t('withdrawSpecialization')}
                  </button>
                )}
              </div>
              <div className="muted">{s.serviceIds.join(', ')}</div>
              <div data-testid="held-period">
                {s.validFrom} … {s.validTo ?? t('heldUntilWithdrawn')}
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing && (
        <form
          data-testid="withdraw-form"
          onSubmit={(e) => {
            e.preventDefault();
            void withdraw.run(async () => {
              await api.post(`/v1/specializations/${editing}/withdraw`, {
                validTo,
                ...(reason.trim() ? { reason: reason.trim() } : {}),
              });
              setEditing(null);
            });
          }}
        >
          <Field label={t('lastDay')}>
            <input
              type="date"
              name="validTo"
              required
              value={validTo}
              onChange={(e) => setValidTo(e.target.value)}
            />
          </Field>
          <Field label={t('reason')}>
            <input
              name="withdrawReason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </Field>
          <div className="row">
            <button type="submit" className="danger" disabled={withdraw.busy || !validTo}>
              {t('withdrawSpecialization')}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              ✕
            </button>
          </div>
        </form>
      )}
      <ErrorBox error={withdraw.error} />
    </Card>
  );
}
