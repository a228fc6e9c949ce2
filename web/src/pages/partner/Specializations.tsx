import { useState } from 'react';
import {
  api,
  type CatalogueEntry,
  type HeldSpecialization,
  type SpecializationApplication,
} from '../../api';
import { useLanguage, useT } from '../../i18n';
import { Card, ErrorBox, Loading, formatDateTime, useAction, useGet } from '../../ui';
import { FormErrors, ProblemField, usePercent } from './forms';

/** Today as the browser's calendar day, YYYY-MM-DD. */
function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The specialization catalogue as it stands today, the specializations the partner holds or
 * held, its applications with their decisions, and the form to apply.
 */
export function SpecializationsPage() {
  const t = useT();
  const language = useLanguage();
  const percent = usePercent();
  const catalogue = useGet<{ items: CatalogueEntry[] }>(
    `/v1/specializations/catalogue?on=${today()}`,
  );
  const held = useGet<{ items: HeldSpecialization[] }>('/v1/partners/me/specializations');
  const applications = useGet<{ items: SpecializationApplication[] }>(
    '/v1/partners/me/specialization-applications',
  );
  const entries = catalogue.data?.items ?? [];
  const nameOf = (code: string) => {
    const entry = entries.find((c) => c.code === code);
    return entry ? (language === 'ru' ? entry.nameRu : entry.nameEn) : code;
  };

  return (
    <div className="stack">
      <Card title={t('specializationCatalogue')} testId="specialization-catalogue">
        {catalogue.error && <ErrorBox error={catalogue.error} />}
        {catalogue.loading && !catalogue.data && <Loading />}
        {entries.length > 0 && (
          <ul className="entries">
            {entries.map((c) => (
              <li key={`${c.code}-${c.validFrom}`} data-testid="catalogue-row">
                <div className="entry-head">
                  <strong>{language === 'ru' ? c.nameRu : c.nameEn}</strong>
                  <span className="pill">
                    {percent(c.rate)} {t('perQuarter')}
                  </span>
                </div>
                <div className="muted small">
                  {t('services')}: {c.serviceIds.join(', ')}
                </div>
                <div className="wrap">{c.requirements}</div>
                <div className="muted small">
                  {t('minCertifiedEngineers')}: {c.minCertifiedEngineers}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <div className="grid">
        <Card title={t('mySpecializations')} testId="held-specializations">
          {held.error && <ErrorBox error={held.error} />}
          {held.data?.items.length === 0 && <p className="muted">{t('noneHeld')}</p>}
          {held.data && held.data.items.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>{t('specializationName')}</th>
                  <th className="num">{t('quarterlyRate')}</th>
                  <th>{t('heldFrom')}</th>
                  <th>{t('heldTo')}</th>
                </tr>
              </thead>
              <tbody>
                {held.data.items.map((h) => (
                  <tr key={h.id} data-testid="held-specialization">
                    <td className="wrap">
                      {nameOf(h.code)}
                      <div className="muted small">{h.serviceIds.join(', ')}</div>
                    </td>
                    <td className="num">{percent(h.rate)}</td>
                    <td className="nowrap">{h.validFrom}</td>
                    <td>{h.validTo ?? t('heldOpenEnded')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
        <ApplyForm catalogue={entries} nameOf={nameOf} />
      </div>
      <Card title={t('specializationApplications')} testId="specialization-applications">
        {applications.error && <ErrorBox error={applications.error} />}
        {applications.data?.items.length === 0 && <p className="muted">{t('noApplications')}</p>}
        {applications.data && applications.data.items.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t('specializationName')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {applications.data.items.map((a) => (
                <tr key={a.id} data-testid="specialization-application">
                  <td className="wrap">
                    {nameOf(a.code)}
                    <div className="muted small">
                      {t('submitted')} {formatDateTime(a.submittedAt)} · {t('engineersShort')}:{' '}
                      {a.certifiedEngineers}
                    </div>
                    <div className="muted small prewrap">{a.evidence}</div>
                  </td>
                  <td className="wrap">
                    <span
                      className={`pill pill-${a.status}`}
                      data-testid="specialization-application-status"
                    >
                      {t(`st_${a.status}`)}
                    </span>
                    {a.decidedAt && (
                      <div className="muted small">
                        {formatDateTime(a.decidedAt)} · {a.decidedBy}
                      </div>
                    )}
                    {a.reason && (
                      <div
                        className={a.status === 'refused' ? 'refusal' : 'muted small'}
                        data-testid="specialization-application-reason"
                      >
                        {a.status === 'refused' ? `${t('refusalReason')}: ` : ''}
                        {a.reason}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}

function ApplyForm({
  catalogue,
  nameOf,
}: {
  catalogue: CatalogueEntry[];
  nameOf: (code: string) => string;
}) {
  const t = useT();
  const [code, setCode] = useState('');
  const [evidence, setEvidence] = useState('');
  const [engineers, setEngineers] = useState('');
  const action = useAction();
  const chosen = code || catalogue[0]?.code || '';
  const entry = catalogue.find((c) => c.code === chosen);
  return (
    <Card title={t('applyForSpecialization')} testId="specialization-apply">
      <form
        data-testid="specialization-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await api.post<SpecializationApplication>(
              '/v1/partners/me/specialization-applications',
              { code: chosen, evidence, certifiedEngineers: Number(engineers) },
            );
            setEvidence('');
            setEngineers('');
          });
        }}
      >
        <ProblemField label={t('specializationName')} name="code" error={action.error}>
          <select name="code" value={chosen} onChange={(e) => setCode(e.target.value)}>
            {catalogue.map((c) => (
              <option key={c.code} value={c.code}>
                {nameOf(c.code)}
              </option>
            ))}
          </select>
        </ProblemField>
        {entry && (
          <p className="muted small wrap">
            {entry.requirements} {t('minCertifiedEngineers')}: {entry.minCertifiedEngineers}.
          </p>
        )}
        <ProblemField
          label={t('evidence')}
          name="evidence"
          error={action.error}
          hint={t('evidenceHint')}
        >
          <textarea
            name="evidence"
            rows={4}
            value={evidence}
            onChange={(e) => setEvidence(e.target.value)}
          />
        </ProblemField>
        <ProblemField
          label={t('certifiedEngineers')}
          name="certifiedEngineers"
          error={action.error}
        >
          <input
            type="number"
            name="certifiedEngineers"
            min={0}
            step={1}
            value={engineers}
            onChange={(e) => setEngineers(e.target.value)}
          />
        </ProblemField>
        <button
          type="submit"
          className="primary"
          data-testid="submit-specialization"
          disabled={action.busy || !chosen || engineers === ''}
        >
          {t('sendApplication')}
        </button>
        {action.done && <span className="ok">{t('applicationSent')}</span>}
      </form>
      <FormErrors error={action.error} shown={['code', 'evidence', 'certifiedEngineers']} />
    </Card>
  );
}
