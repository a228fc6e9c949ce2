import { useState } from 'react';
import { api, ApiError, type Application, type Partner, type Principal } from '../../api';
import { useT, type MessageKey } from '../../i18n';
import { navigate } from '../../router';
import {
  Card,
  ErrorBox,
  Field,
  HistoryTable,
  Loading,
  formatDateTime,
  useAction,
  useApi,
} from '../../ui';
import { PresaleRequestPage } from './PresaleDesk';
import { RegistrationReview } from './RegistrationReview';
import { ReviewQueue } from './ReviewQueue';
import { HeldSpecializations, SpecializationReview } from './SpecializationReview';

export const managerNav: { path: string; label: MessageKey }[] = [
  { path: 'manager', label: 'reviewQueue' },
  { path: 'manager/partners', label: 'partners' },
];

export function ManagerConsole({ route, principal }: { route: string[]; principal: Principal }) {
  const t = useT();
  const [page, id] = route;
  const queue = <ReviewQueue area="manager" title={t('reviewQueue')} />;
  switch (page) {
    case undefined:
      return queue;
    case 'applications':
      return id ? <ApplicationDetail key={id} id={id} /> : queue;
    case 'registrations':
      return id ? <RegistrationReview key={id} id={id} /> : queue;
    case 'specializations':
      return id ? <SpecializationReview key={id} id={id} /> : queue;
    case 'presales':
      return id ? (
        <PresaleRequestPage key={id} id={id} area="manager" principal={principal} />
      ) : (
        queue
      );
    case 'partners':
      return id ? <PartnerDetail key={id} id={id} /> : <PartnerList />;
    default:
      return <ErrorBox error={new ApiError(404, page)} />;
  }
}

function ApplicationDetail({ id }: { id: string }) {
  const t = useT();
  const application = useApi(() => api.get<Application>(`/v1/applications/${id}`), [id]);
  const [reason, setReason] = useState('');
  const decide = useAction();
  if (application.loading && !application.data) return <Loading />;
  if (application.error) return <ErrorBox error={application.error} />;
  const a = application.data!;
  const open = a.status === 'in_review';
  return (
    <div className="grid">
      <Card title={t('companyCard')} testId="company-card">
        {a.company ? (
          <dl>
            <dt>{t('company')}</dt>
            <dd>{a.company.name}</dd>
            <dt>INN / KPP</dt>
            <dd>
              {a.company.inn} / {a.company.kpp ?? '—'}
            </dd>
            <dt>OGRN</dt>
            <dd>{a.company.ogrn}</dd>
            <dt>Address</dt>
            <dd>{a.company.address}</dd>
            <dt>Status</dt>
            <dd>{a.company.status}</dd>
            <dt>{t('programs')}</dt>
            <dd>{a.programs.join(', ').toUpperCase()}</dd>
          </dl>
        ) : (
          <p className="muted">{t('noData')}</p>
        )}
        {a.contact && (
          <p className="muted">
            {a.contact.name} · {a.contact.email} · {a.contact.phone}
          </p>
        )}
      </Card>
      <Card title={t('verification')}>
        <p data-testid="verification">
          {a.billingAccount
            ? `${a.billingAccount.id}: ${a.billingAccount.verification}${a.billingAccount.rejectionReason ? ` (${a.billingAccount.rejectionReason})` : ''}`
            : '—'}
        </p>
        <p>
          <strong data-testid="application-status">{a.status}</strong> · {a.nextAction}
        </p>
        {a.review && (
          <p className="muted">
            {t('deadline')}: {formatDateTime(a.review.deadline)}
          </p>
        )}
        <p>
          <a href={a.workflowUrl} target="_blank" rel="noreferrer">
            {t('workflow')}
          </a>
        </p>
      </Card>
      {open && (
        <Card title={t('approve')}>
          <div className="row">
            <button
              className="primary"
              disabled={decide.busy}
              onClick={() =>
                void decide.run(async () => {
                  await api.post(`/v1/applications/${a.applicationId}/approve`, {});
                  application.reload();
                })
              }
            >
              {t('approve')}
            </button>
          </div>
          <Field label={t('reason')}>
            <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button
            disabled={decide.busy || !reason.trim()}
            onClick={() =>
              void decide.run(async () => {
                await api.post(`/v1/applications/${a.applicationId}/reject`, { reason });
                application.reload();
              })
            }
          >
            {t('reject')}
          </button>
          <ErrorBox error={decide.error} />
        </Card>
      )}
      <HistoryTable history={a.history} />
    </div>
  );
}

function PartnerList() {
  const t = useT();
  const partners = useApi(() => api.get<{ items: Partner[] }>('/v1/partners'));
  return (
    <Card title={t('partners')} testId="partners">
      {partners.error && <ErrorBox error={partners.error} />}
      <table>
        <tbody>
          {partners.data?.items.map((p) => (
            <tr key={p.id}>
              <td>
                <a href={`#/manager/partners/${p.id}`}>{p.name}</a>
              </td>
              <td>
                {p.memberships
                  .map((m) => m.program)
                  .join(', ')
                  .toUpperCase()}
              </td>
              <td>
                <span className={`status status-${p.status}`}>{t(`status_${p.status}`)}</span>
                {p.exitDate ? ` · ${p.exitDate}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

function PartnerDetail({ id }: { id: string }) {
  const t = useT();
  const partners = useApi(() => api.get<{ items: Partner[] }>('/v1/partners?limit=1000'), [id]);
  const p = partners.data?.items.find((x) => x.id === id);
  const [reason, setReason] = useState('');
  const revoke = useAction();
  const deal = useAction();
  const project = useAction();
  const [dealForm, setDealForm] = useState({
    customerAccountId: '',
    upliftRate: '0.05',
    startDate: '',
  });
  const [projectForm, setProjectForm] = useState({
    scope: 'cloud',
    cloudId: '',
    folderId: '',
    baselineMonthly: '',
    rate: '0.10',
  });
  if (partners.loading && !partners.data) return <Loading />;
  if (partners.error) return <ErrorBox error={partners.error} />;
  if (!p) return <ErrorBox error={new ApiError(404, id)} />;
  const current = p.status === 'active' || p.status === 'leaving';
  return (
    <div className="grid">
      <Card title={p.name} testId="partner-detail">
        <p className={`status status-${p.status}`}>{t(`status_${p.status}`)}</p>
        <dl>
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
            {p.memberships
              .map((m) => `${m.program.toUpperCase()} ${m.startDate}…${m.endDate ?? ''}`)
              .join('; ')}
          </dd>
        </dl>
        {p.workflows && (
          <p>
            <a href={p.workflows.exitNotice} target="_blank" rel="noreferrer">
              {t('workflow')}: exit notice
            </a>{' '}
            ·{' '}
            <a href={p.workflows.revocation} target="_blank" rel="noreferrer">
              revocation
            </a>
          </p>
        )}
      </Card>
      <HeldSpecializations partnerId={p.id} />
      {current && (
        <Card title={t('revoke')}>
          <Field label={t('reason')}>
            <input name="revokeReason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button
            className="danger"
            disabled={revoke.busy || !reason.trim()}
            onClick={() =>
              void revoke.run(async () => {
                await api.post(`/v1/partners/${p.id}/revoke`, { reason });
                partners.reload();
              })
            }
          >
            {t('revoke')}
          </button>
          <ErrorBox error={revoke.error} />
        </Card>
      )}
      {current && (
        <Card title={t('registerDeal')}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void deal.run(() =>
                api.post(`/v1/partners/${p.id}/deals`, {
                  customerAccountId: dealForm.customerAccountId,
                  upliftRate: dealForm.upliftRate,
                  startDate: dealForm.startDate,
                }),
              );
            }}
          >
            <Field label={t('customerAccount')}>
              <input
                value={dealForm.customerAccountId}
                onChange={(e) => setDealForm({ ...dealForm, customerAccountId: e.target.value })}
              />
            </Field>
            <Field label={t('upliftRate')}>
              <input
                value={dealForm.upliftRate}
                onChange={(e) => setDealForm({ ...dealForm, upliftRate: e.target.value })}
              />
            </Field>
            <Field label={t('startDate')}>
              <input
                type="date"
                value={dealForm.startDate}
                onChange={(e) => setDealForm({ ...dealForm, startDate: e.target.value })}
              />
            </Field>
            <button type="submit" disabled={deal.busy}>
              {t('save')}
            </button>
            {deal.done && <span className="ok">{t('done')}</span>}
          </form>
          <ErrorBox error={deal.error} />
        </Card>
      )}
      {current && (
        <Card title={t('registerProject')}>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void project.run(() =>
                api.post(`/v1/partners/${p.id}/projects`, {
                  scope: projectForm.scope,
                  cloudId: projectForm.cloudId,
                  ...(projectForm.scope === 'folder' ? { folderId: projectForm.folderId } : {}),
                  baselineMonthly: projectForm.baselineMonthly,
                  rate: projectForm.rate,
                }),
              );
            }}
          >
            <Field label={t('scope')}>
              <select
                value={projectForm.scope}
                onChange={(e) => setProjectForm({ ...projectForm, scope: e.target.value })}
              >
                <option value="cloud">cloud</option>
                <option value="folder">folder</option>
              </select>
            </Field>
            <Field label={t('cloudId')}>
              <input
                value={projectForm.cloudId}
                onChange={(e) => setProjectForm({ ...projectForm, cloudId: e.target.value })}
              />
            </Field>
            {projectForm.scope === 'folder' && (
              <Field label={t('folderId')}>
                <input
                  value={projectForm.folderId}
                  onChange={(e) => setProjectForm({ ...projectForm, folderId: e.target.value })}
                />
              </Field>
            )}
            <Field label={t('baseline')}>
              <input
                value={projectForm.baselineMonthly}
                onChange={(e) =>
                  setProjectForm({ ...projectForm, baselineMonthly: e.target.value })
                }
                placeholder="5000.00"
              />
            </Field>
            <Field label={t('rate')}>
              <input
                value={projectForm.rate}
                onChange={(e) => setProjectForm({ ...projectForm, rate: e.target.value })}
              />
            </Field>
            <button type="submit" disabled={project.busy}>
              {t('save')}
            </button>
            {project.done && <span className="ok">{t('done')}</span>}
          </form>
          <ErrorBox error={project.error} />
        </Card>
      )}
      <p>
        <button onClick={() => navigate('manager/partners')}>← {t('partners')}</button>
      </p>
    </div>
  );
}
