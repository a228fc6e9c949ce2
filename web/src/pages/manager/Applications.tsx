import { Link } from 'react-router';
import { useState } from 'react';
import { api, type Application } from '../../api';
import { useCodes, useT } from '../../i18n';
import { Card, ErrorBox, Field, Loading, useAction, useGet } from '../../ui';
import { moscowDateTime } from '../partner/forms';
import { useNarrow } from './ReviewQueue';
import { useRouteId } from '../../routing';

/** Every status an application can be in, in the order an application goes through them. */
const APPLICATION_STATUSES = [
  'draft',
  'awaiting_billing_verification',
  'in_review',
  'approved',
  'rejected',
  'cancelled',
  'expired',
] as const;
type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** One application in the managers' list (GET /v1/applications). */
interface ApplicationSummary {
  applicationId: string;
  organizationId: string;
  status: ApplicationStatus;
  step: string;
  startedAt: string;
  companyName: string | null;
  companyInn: string | null;
  programs: string[];
  submittedAt: string | null;
}

/** The application as a manager reviews it: the applicant's answers besides its status. */
type ApplicationForReview = Application;

/** All applications, of one status or every one, newest first, each opening its review. */
export function ApplicationList() {
  const t = useT();
  const codes = useCodes();
  const narrow = useNarrow();
  const [status, setStatus] = useState<ApplicationStatus | ''>('');
  const path = `/v1/applications?order=newest&limit=200${status ? `&status=${status}` : ''}`;
  const list = useGet<{ items: ApplicationSummary[] }>(path, { keepWhileLoading: true });
  const items = list.data?.items ?? [];
  const company = (a: ApplicationSummary) => a.companyName ?? a.organizationId;
  const programs = (a: ApplicationSummary) =>
    a.programs.map((p) => codes.word('program', p)).join(', ') || '—';
  return (
    <Card title={t('mc_applications')} testId="applications">
      <div className="row" role="group" aria-label={t('status')} data-testid="status-filter">
        {(['', ...APPLICATION_STATUSES] as const).map((s) => (
          <button
            key={s || 'all'}
            className={status === s ? 'primary' : ''}
            aria-pressed={status === s}
            data-status={s || 'all'}
            onClick={() => setStatus(s)}
          >
            {s ? t(`st_${s}`) : t('mc_allStatuses')}
          </button>
        ))}
      </div>
      {list.loading && !list.data && <Loading />}
      <ErrorBox error={list.error} />
      {list.data && items.length === 0 && <p className="muted">{t('mc_noApplications')}</p>}
      {items.length > 0 && narrow && (
        <ul className="entries" data-testid="application-list">
          {items.map((a) => (
            <li key={a.applicationId} data-testid="application-row">
              <div className="entry-head">
                <Link className="strong" to={`/manager/applications/${a.applicationId}`}>
                  {company(a)}
                </Link>
                <span className={`pill pill-${a.status}`}>{t(`st_${a.status}`)}</span>
              </div>
              <div className="muted">
                {t('innShort')} {a.companyInn ?? '—'} · {programs(a)}
              </div>
              <div className="muted small">
                {t('mc_started')}: {moscowDateTime(a.startedAt)} {t('msk')}
              </div>
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && !narrow && (
        <table data-testid="application-list">
          <thead>
            <tr>
              <th>{t('company')}</th>
              <th>{t('innShort')}</th>
              <th>{t('programs')}</th>
              <th>{t('status')}</th>
              <th>
                {t('mc_started')} ({t('msk')})
              </th>
              <th>
                {t('mc_submitted')} ({t('msk')})
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.applicationId} data-testid="application-row">
                <td>
                  <Link to={`/manager/applications/${a.applicationId}`}>{company(a)}</Link>
                </td>
                <td className="nowrap">{a.companyInn ?? '—'}</td>
                <td>{programs(a)}</td>
                <td>
                  <span className={`pill pill-${a.status}`}>{t(`st_${a.status}`)}</span>
                </td>
                <td className="nowrap">{moscowDateTime(a.startedAt)}</td>
                <td className="nowrap">{moscowDateTime(a.submittedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** A yes/no answer in the console's language. */
function useYesNo() {
  const t = useT();
  return (value: boolean) => (value ? t('mc_yes') : t('mc_no'));
}

/**
 * One application: the company from the registry, the contact, the partnership answers
 * (programs, taxation, questionnaire), the billing account and its check, the bank details,
 * the review's deadline and decision, and — while in review — approve or reject.
 */
export function ApplicationDetail() {
  const id = useRouteId();
  const t = useT();
  const codes = useCodes();
  const yesNo = useYesNo();
  const application = useGet<ApplicationForReview>(`/v1/applications/${id}`);
  const [reason, setReason] = useState('');
  const decide = useAction();
  if (application.loading && !application.data) return <Loading />;
  if (application.error) return <ErrorBox error={application.error} />;
  const a = application.data!;
  const open = a.status === 'in_review';
  const q = a.questionnaire;
  const account = a.billingAccount;
  return (
    <div className="grid stack">
      <p style={{ gridColumn: '1 / -1', margin: 0 }}>
        <Link to="/manager/applications">← {t('mc_applications')}</Link>
      </p>
      <Card title={t('companyCard')} testId="company-card">
        {a.company ? (
          <dl className="wrap">
            <dt>{t('company')}</dt>
            <dd className="strong">{a.company.name}</dd>
            <dt>{t('mc_innKpp')}</dt>
            <dd>
              {a.company.inn} / {a.company.kpp ?? '—'}
            </dd>
            <dt>{t('mc_ogrn')}</dt>
            <dd>{a.company.ogrn}</dd>
            <dt>{t('mc_companyKind')}</dt>
            <dd>{t(`mc_kind_${a.company.kind}`)}</dd>
            <dt>{t('address')}</dt>
            <dd>{a.company.address}</dd>
            <dt>{t('mc_registeredOn')}</dt>
            <dd>{codes.date(a.company.registeredOn)}</dd>
            <dt>{t('mc_registryStatus')}</dt>
            <dd data-testid="company-status">{t(`mc_company_${a.company.status}`)}</dd>
          </dl>
        ) : (
          <p className="muted">{t('mc_noCompanyYet')}</p>
        )}
        {a.contact && (
          <dl className="wrap">
            <dt>{t('contactName')}</dt>
            <dd>{a.contact.name}</dd>
            <dt>{t('email')}</dt>
            <dd>
              <a href={`mailto:${a.contact.email}`}>{a.contact.email}</a>
            </dd>
            <dt>{t('phone')}</dt>
            <dd>{a.contact.phone}</dd>
          </dl>
        )}
      </Card>
      <Card title={t('mc_partnership')} testId="questionnaire">
        <dl className="wrap">
          <dt>{t('programs')}</dt>
          <dd>{a.programs.map((p) => codes.word('program', p)).join(', ') || '—'}</dd>
          <dt>{t('taxationType')}</dt>
          <dd data-testid="taxation-type">{a.taxationType ? t(`tax_${a.taxationType}`) : '—'}</dd>
          {a.identityMethod && (
            <>
              <dt>{t('identityMethod')}</dt>
              <dd>{t(`identity_${a.identityMethod}`)}</dd>
            </>
          )}
        </dl>
        <h3>{t('mc_questionnaire')}</h3>
        {q ? (
          <dl className="wrap">
            <dt>{t('mc_companySize')}</dt>
            <dd>{q.companySize}</dd>
            <dt>{t('mc_specializations')}</dt>
            <dd>{q.specializations.join(', ')}</dd>
            <dt>{t('customerCount')}</dt>
            <dd>{q.customerCount}</dd>
            <dt>{t('motivation')}</dt>
            <dd className="prewrap">{q.motivation}</dd>
          </dl>
        ) : (
          <p className="muted">{t('mc_notAnsweredYet')}</p>
        )}
      </Card>
      <Card title={t('mc_bankCheck')} testId="bank-check">
        {account ? (
          <dl className="wrap">
            <dt>{t('mc_billingAccount')}</dt>
            <dd>
              <code>{account.id}</code>
              <div className="muted small">{t(`mc_source_${account.source}`)}</div>
            </dd>
            <dt>{t('verification')}</dt>
            <dd data-testid="verification">
              <span className={`pill pill-${account.verification}`}>
                {t(`mc_verif_${account.verification}`)}
              </span>
              {account.rejectionReason && <div className="refusal">{account.rejectionReason}</div>}
            </dd>
            <dt>{t('mc_upgradedToPaid')}</dt>
            <dd>{yesNo(account.upgradedToPaid)}</dd>
          </dl>
        ) : (
          <p className="muted">{t('mc_noAccountYet')}</p>
        )}
        <h3>{t('mc_bankDetails')}</h3>
        {a.bankDetails ? (
          <dl className="wrap" data-testid="bank-details">
            <dt>{t('bik')}</dt>
            <dd>{a.bankDetails.bik}</dd>
            <dt>{t('settlementAccount')}</dt>
            <dd>{a.bankDetails.account}</dd>
          </dl>
        ) : (
          <p className="muted">{t('mc_noBankDetails')}</p>
        )}
      </Card>
      <Card title={t('mc_review')}>
        <dl className="wrap">
          <dt>{t('status')}</dt>
          <dd>
            <span className={`pill pill-${a.status}`} data-testid="application-status">
              {t(`st_${a.status}`)}
            </span>
          </dd>
          <dt>{t('mc_step')}</dt>
          <dd>{t(`step_${a.step}`)}</dd>
          <dt>{t('nextAction')}</dt>
          <dd data-testid="next-action">{codes.nextAction(a)}</dd>
          <dt>{t('mc_started')}</dt>
          <dd>
            {moscowDateTime(a.startedAt)} {t('msk')}
          </dd>
          {a.review && (
            <>
              <dt>{t('mc_submitted')}</dt>
              <dd>
                {moscowDateTime(a.review.submittedAt)} {t('msk')}
              </dd>
              <dt>{t('deadline')}</dt>
              <dd>
                {moscowDateTime(a.review.deadline)} {t('msk')}
              </dd>
            </>
          )}
          {a.decision && (
            <>
              <dt>{t('decision')}</dt>
              <dd data-testid="decision">
                {t(`st_${a.decision.outcome}`)} · {a.decision.by} · {moscowDateTime(a.decision.at)}{' '}
                {t('msk')}
                {a.decision.reason && <div className="refusal">{a.decision.reason}</div>}
                {a.decision.partnerId && (
                  <div>
                    <Link to={`/manager/partners/${a.decision.partnerId}`}>
                      {t('mc_toPartner')}
                    </Link>
                  </div>
                )}
              </dd>
            </>
          )}
        </dl>
        <p>
          <a href={a.workflowUrl} target="_blank" rel="noreferrer">
            {t('workflow')}
          </a>
        </p>
      </Card>
      {open && (
        <Card title={t('decision')} testId="decide">
          <div className="row">
            <button
              className="primary"
              disabled={decide.busy}
              onClick={() =>
                void decide.run(async () => {
                  await api.post(`/v1/applications/${a.applicationId}/approve`, {});
                })
              }
            >
              {t('approve')}
            </button>
          </div>
          <Field label={t('reason')}>
            <textarea name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button
            className="danger"
            disabled={decide.busy || !reason.trim()}
            onClick={() =>
              void decide.run(async () => {
                await api.post(`/v1/applications/${a.applicationId}/reject`, { reason });
              })
            }
          >
            {t('reject')}
          </button>
          {!reason.trim() && <p className="muted small">{t('reasonRequired')}</p>}
          <ErrorBox error={decide.error} />
        </Card>
      )}
      <ApplicationHistory history={a.history} />
    </div>
  );
}

/** The application's audit trail: when (Moscow time), who, what, from which status to which. */
function ApplicationHistory({ history }: { history: Application['history'] }) {
  const t = useT();
  const codes = useCodes();
  const status = (s: string | null) => (s ? t(`st_${s}`) : '—');
  return (
    <Card title={t('history')} testId="application-history">
      <table>
        <thead>
          <tr>
            <th>
              {t('when')} ({t('msk')})
            </th>
            <th>{t('who')}</th>
            <th>{t('mc_action')}</th>
            <th>{t('fromTo')}</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h, i) => (
            <tr key={i}>
              <td className="nowrap">{moscowDateTime(h.at)}</td>
              <td>{h.actor}</td>
              <td>{codes.auditAction(h.action)}</td>
              <td>
                {status(h.from)} → {status(h.to)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
