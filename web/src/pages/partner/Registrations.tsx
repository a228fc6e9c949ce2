import { Link, useNavigate } from 'react-router';
import { useState } from 'react';
import {
  api,
  type Customer,
  type Registration,
  type RegistrationDetail as RegistrationWithEvents,
} from '../../api';
import { useMoney, useT } from '../../i18n';
import { Card, ErrorBox, Field, Loading, useAction, useGet } from '../../ui';
import {
  FormErrors,
  ProblemField,
  dateOnly,
  decimalText,
  moscowDateTime,
  usePercent,
} from './forms';
import { useRouteId } from '../../routing';

/**
 * Deals and projects the partner registers: its registrations with their review status, the
 * forms to register a deal or a project, and one registration with its audit trail.
 */
export function RegistrationsPage() {
  const t = useT();
  const registrations = useGet<{ items: Registration[] }>('/v1/partners/me/registrations');
  return (
    <div className="stack">
      <Card title={t('dealsAndProjects')} testId="registrations">
        {registrations.error && <ErrorBox error={registrations.error} />}
        {registrations.loading && !registrations.data && <Loading />}
        {registrations.data?.items.length === 0 && <p className="muted">{t('noRegistrations')}</p>}
        {registrations.data && registrations.data.items.length > 0 && (
          <RegistrationTable items={registrations.data.items} />
        )}
      </Card>
      <div className="grid">
        <DealForm />
        <ProjectForm />
      </div>
    </div>
  );
}

/** Who or what a registration is about: the customer of a deal, the cloud or folder of a project. */
function useSubject() {
  const t = useT();
  return (r: Registration): { main: string; detail: string | null } => {
    if (r.kind === 'deal') {
      const main = r.customerName ?? r.customerAccountId ?? `${t('innShort')} ${r.customerInn}`;
      const detail = r.customerName
        ? (r.customerAccountId ?? (r.customerInn ? `${t('innShort')} ${r.customerInn}` : null))
        : null;
      return { main, detail };
    }
    return r.scope === 'folder'
      ? { main: `${t('folderId')} ${r.folderId}`, detail: `${t('cloudId')} ${r.cloudId}` }
      : { main: `${t('cloudId')} ${r.cloudId}`, detail: null };
  };
}

/** A deal's uplift in percentage points on top of the base bonus, a project's rate in percent. */
function useRate() {
  const t = useT();
  const percent = usePercent();
  return (r: Registration) =>
    r.kind === 'deal'
      ? r.upliftRate
        ? `+${percent(r.upliftRate).replace('%', t('percentagePoints'))}`
        : '—'
      : percent(r.rate);
}

function RegistrationTable({ items }: { items: Registration[] }) {
  const t = useT();
  const navigate = useNavigate();
  const rateOf = useRate();
  const subject = useSubject();
  return (
    <table className="clickable">
      <thead>
        <tr>
          <th>{t('kind')}</th>
          <th>{t('customerOrScope')}</th>
          <th>{t('status')}</th>
          <th>{t('reviewDueBy')}</th>
          <th className="num">{t('rate')}</th>
          <th>{t('dealTermEnd')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => {
          const s = subject(r);
          return (
            <tr
              key={r.id}
              data-testid="registration-row"
              data-id={r.id}
              onClick={() => void navigate(`/partner/registrations/${r.id}`)}
            >
              <td>
                <Link to={`/partner/registrations/${r.id}`}>{t(`kind_${r.kind}`)}</Link>
              </td>
              <td className="wrap">
                {s.main}
                {s.detail && <div className="muted small">{s.detail}</div>}
              </td>
              <td>
                <span
                  className={`pill pill-${r.status}`}
                  data-testid="registration-status"
                  data-status={r.status}
                >
                  {t(`st_${r.status}`)}
                </span>
              </td>
              <td>
                {r.status === 'pending' ? `${moscowDateTime(r.reviewDeadline)} ${t('msk')}` : '—'}
              </td>
              <td className="num">{rateOf(r)}</td>
              <td className="nowrap">{r.kind === 'deal' ? dateOnly(r.endDate) : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function DealForm() {
  const t = useT();
  const customers = useGet<{ items: Customer[] }>('/v1/partners/me/customers');
  const [mode, setMode] = useState<'account' | 'inn'>('account');
  const [customerAccountId, setCustomerAccountId] = useState('');
  const [customerInn, setCustomerInn] = useState('');
  const [consumption, setConsumption] = useState('');
  const [description, setDescription] = useState('');
  const action = useAction();
  const list = customers.data?.items ?? [];
  const chosenAccount = customerAccountId || list[0]?.id || '';

  return (
    <Card title={t('registerDeal')} testId="deal-card">
      <form
        data-testid="deal-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await api.post<Registration>('/v1/partners/me/deal-registrations', {
              ...(mode === 'account'
                ? { customerAccountId: chosenAccount }
                : { customerInn: customerInn.trim() }),
              expectedMonthlyConsumption: decimalText(consumption),
              description,
            });
            setCustomerInn('');
            setConsumption('');
            setDescription('');
          });
        }}
      >
        <fieldset className="choice">
          <legend>{t('dealCustomer')}</legend>
          <label>
            <input
              type="radio"
              name="customerKind"
              value="account"
              checked={mode === 'account'}
              onChange={() => setMode('account')}
            />{' '}
            {t('existingCustomer')}
          </label>
          <label>
            <input
              type="radio"
              name="customerKind"
              value="inn"
              checked={mode === 'inn'}
              onChange={() => setMode('inn')}
            />{' '}
            {t('prospectiveCustomer')}
          </label>
        </fieldset>
        {mode === 'account' ? (
          <ProblemField label={t('customerAccount')} name="customerAccountId" error={action.error}>
            {customers.error ? (
              // The customer list is not available: the subaccount id is typed in.
              <input
                name="customerAccountId"
                value={customerAccountId}
                onChange={(e) => setCustomerAccountId(e.target.value)}
                placeholder="cust-…"
              />
            ) : (
              <select
                name="customerAccountId"
                value={chosenAccount}
                onChange={(e) => setCustomerAccountId(e.target.value)}
                disabled={list.length === 0}
              >
                {list.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                    {c.inn ? ` · ${t('innShort')} ${c.inn}` : ''} · {c.id}
                  </option>
                ))}
              </select>
            )}
            {customers.data && list.length === 0 && (
              <small className="muted">{t('noCustomersYet')}</small>
            )}
          </ProblemField>
        ) : (
          <ProblemField
            label={t('customerInn')}
            name="customerInn"
            error={action.error}
            hint={t('customerInnHint')}
          >
            <input
              name="customerInn"
              inputMode="numeric"
              autoComplete="off"
              value={customerInn}
              onChange={(e) => setCustomerInn(e.target.value)}
              placeholder="7707083893"
            />
          </ProblemField>
        )}
        <ProblemField
          label={t('expectedMonthlyConsumption')}
          name="expectedMonthlyConsumption"
          error={action.error}
          hint={t('rublesPerMonthHint')}
        >
          <input
            name="expectedMonthlyConsumption"
            inputMode="decimal"
            value={consumption}
            onChange={(e) => setConsumption(e.target.value)}
            placeholder="150000.00"
          />
        </ProblemField>
        <ProblemField label={t('description')} name="description" error={action.error}>
          <textarea
            name="description"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder={t('dealDescriptionHint')}
          />
        </ProblemField>
        <button
          type="submit"
          className="primary"
          data-testid="submit-deal"
          disabled={action.busy || (mode === 'account' && !chosenAccount)}
        >
          {t('registerDeal')}
        </button>
        {action.done && <span className="ok">{t('sentForReview')}</span>}
      </form>
      <FormErrors
        error={action.error}
        shown={['customerAccountId', 'customerInn', 'expectedMonthlyConsumption', 'description']}
      />
    </Card>
  );
}

function ProjectForm() {
  const t = useT();
  const [scope, setScope] = useState<'cloud' | 'folder'>('cloud');
  const [cloudId, setCloudId] = useState('');
  const [folderId, setFolderId] = useState('');
  const [expectedGrowth, setExpectedGrowth] = useState('');
  const [description, setDescription] = useState('');
  const action = useAction();
  return (
    <Card title={t('registerProject')} testId="project-card">
      <form
        data-testid="project-form"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await api.post<Registration>('/v1/partners/me/project-registrations', {
              scope,
              cloudId: cloudId.trim(),
              ...(scope === 'folder' ? { folderId: folderId.trim() } : {}),
              expectedGrowth,
              description,
            });
            setCloudId('');
            setFolderId('');
            setExpectedGrowth('');
            setDescription('');
          });
        }}
      >
        <Field label={t('scope')}>
          <select
            name="scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as 'cloud' | 'folder')}
          >
            <option value="cloud">{t('scope_cloud')}</option>
            <option value="folder">{t('scope_folder')}</option>
          </select>
        </Field>
        <ProblemField
          label={t('cloudIdLabel')}
          name="cloudId"
          error={action.error}
          hint={t('projectCloudHint')}
        >
          <input name="cloudId" value={cloudId} onChange={(e) => setCloudId(e.target.value)} />
        </ProblemField>
        {scope === 'folder' && (
          <ProblemField label={t('folderIdLabel')} name="folderId" error={action.error}>
            <input name="folderId" value={folderId} onChange={(e) => setFolderId(e.target.value)} />
          </ProblemField>
        )}
        <ProblemField label={t('expectedGrowth')} name="expectedGrowth" error={action.error}>
          <textarea
            name="expectedGrowth"
            rows={2}
            value={expectedGrowth}
            onChange={(e) => setExpectedGrowth(e.target.value)}
            placeholder={t('expectedGrowthHint')}
          />
        </ProblemField>
        <ProblemField label={t('description')} name="description" error={action.error}>
          <textarea
            name="description"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </ProblemField>
        <p className="muted small">{t('baselineNote')}</p>
        <button
          type="submit"
          className="primary"
          data-testid="submit-project"
          disabled={action.busy}
        >
          {t('registerProject')}
        </button>
        {action.done && <span className="ok">{t('sentForReview')}</span>}
      </form>
      <FormErrors
        error={action.error}
        shown={['cloudId', 'folderId', 'expectedGrowth', 'description']}
      />
    </Card>
  );
}

/** One registration: what was asked, what was decided, and every step with who and why. */
export function RegistrationDetail() {
  const id = useRouteId();
  const t = useT();
  const navigate = useNavigate();
  const money = useMoney();
  const rateOf = useRate();
  const subject = useSubject();
  const registration = useGet<RegistrationWithEvents>(`/v1/registrations/${id}`);
  const renew = useAction();
  if (registration.loading && !registration.data) return <Loading />;
  if (registration.error) return <ErrorBox error={registration.error} />;
  const r = registration.data!;
  const s = subject(r);
  const renewable = r.kind === 'deal' && (r.status === 'approved' || r.status === 'expired');
  return (
    <div className="stack">
      <p>
        <Link to="/partner/registrations">← {t('dealsAndProjects')}</Link>
      </p>
      <Card title={`${t(`kind_${r.kind}`)}: ${s.main}`} testId="registration-detail">
        <p className={`pill pill-${r.status}`} data-testid="registration-status">
          {t(`st_${r.status}`)}
        </p>
        <dl className="wrap">
          {s.detail && (
            <>
              <dt>{r.kind === 'deal' ? t('customer') : t('cloudId')}</dt>
              <dd>{s.detail}</dd>
            </>
          )}
          {r.kind === 'deal' && (
            <>
              <dt>{t('expectedMonthlyConsumption')}</dt>
              <dd>{money(r.expectedMonthlyConsumption)}</dd>
            </>
          )}
          {r.kind === 'project' && (
            <>
              <dt>{t('expectedGrowth')}</dt>
              <dd>{r.expectedGrowth}</dd>
              <dt>{t('baselineDefault')}</dt>
              <dd>{money(r.baselineDefault)}</dd>
            </>
          )}
          <dt>{t('description')}</dt>
          <dd>{r.description}</dd>
          <dt>{t('submitted')}</dt>
          <dd>
            {moscowDateTime(r.submittedAt)} · {r.submittedBy}
          </dd>
          {r.status === 'pending' && (
            <>
              <dt>{t('reviewDueBy')}</dt>
              <dd>
                {moscowDateTime(r.reviewDeadline)} {t('msk')}
              </dd>
            </>
          )}
          {r.decidedAt && (
            <>
              <dt>{t('decidedAt')}</dt>
              <dd>
                {moscowDateTime(r.decidedAt)} · {r.decidedBy}
              </dd>
            </>
          )}
          {r.reason && (
            <>
              <dt>{t('reason')}</dt>
              <dd data-testid="registration-reason">{r.reason}</dd>
            </>
          )}
          {(r.upliftRate ?? r.rate) && (
            <>
              <dt>{r.kind === 'deal' ? t('upliftRate') : t('rate')}</dt>
              <dd>{rateOf(r)}</dd>
            </>
          )}
          {r.baselineMonthly && (
            <>
              <dt>{t('baseline')}</dt>
              <dd>{money(r.baselineMonthly)}</dd>
            </>
          )}
          {r.startDate && (
            <>
              <dt>{r.kind === 'deal' ? t('dealTermStart') : t('projectRegisteredOn')}</dt>
              <dd>{r.startDate}</dd>
            </>
          )}
          {r.endDate && (
            <>
              <dt>{t('dealTermEnd')}</dt>
              <dd>{r.endDate}</dd>
            </>
          )}
          {r.renewalOf && (
            <>
              <dt>{t('renewalOf')}</dt>
              <dd>
                <Link to={`/partner/registrations/${r.renewalOf}`}>
                  {t('previousRegistration')}
                </Link>
              </dd>
            </>
          )}
        </dl>
        {renewable && (
          <>
            <p className="muted small">
              {r.status === 'approved' ? t('renewHelpApproved') : t('renewHelpExpired')}
            </p>
            <button
              className="primary"
              data-testid="renew-registration"
              disabled={renew.busy}
              onClick={() =>
                void renew.run(async () => {
                  const next = await api.post<Registration>(`/v1/registrations/${r.id}/renew`);
                  if (next.id !== r.id) await navigate(`/partner/registrations/${next.id}`);
                })
              }
            >
              {t('renewDeal')}
            </button>
            {renew.done && <span className="ok">{t('done')}</span>}
            <ErrorBox error={renew.error} />
          </>
        )}
      </Card>
      <Card title={t('history')} testId="registration-history">
        <table>
          <thead>
            <tr>
              <th>{t('when')}</th>
              <th>{t('who')}</th>
              <th>{t('statusChange')}</th>
              <th>{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {r.events.map((e, i) => (
              <tr key={i}>
                <td className="nowrap">{moscowDateTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>
                  {e.fromStatus ? t(`st_${e.fromStatus}`) : '—'} → {t(`st_${e.toStatus}`)}
                </td>
                <td className="wrap">{e.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
