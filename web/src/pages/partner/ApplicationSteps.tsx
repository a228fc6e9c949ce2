import { useEffect, useState } from 'react';
import { api, type Application } from '../../api';
import { useT } from '../../i18n';
import { Card, ErrorBox, Field, useAction, useGet } from '../../ui';

/** The information video's length in this portal's stand-in player, in seconds. */
const VIDEO_SECONDS = 3;

/**
 * The form for the applicant's current step, posting to the same step endpoints as curl
 * would. What the API refuses is shown with its field-level messages.
 */
export function ApplicationSteps({ application: a }: { application: Application }) {
  if (a.status === 'draft' && a.step === 'application') {
    return a.company && !a.companyConfirmed ? (
      <ConfirmCompany a={a} />
    ) : (
      <ContactAndCompany a={a} />
    );
  }
  if (a.status === 'draft' && a.step === 'partnership_type') {
    return a.videoWatched ? <Partnership a={a} /> : <Video a={a} />;
  }
  if (a.status === 'draft' && a.step === 'billing_account') {
    return <BillingAccount a={a} />;
  }
  return null;
}

interface StepProps {
  a: Application;
}

/** Posts a step of the application; the page then shows the application as it is after it. */
function useStep(a: Application) {
  const action = useAction();
  const post = (step: string, body: unknown) =>
    action.run(async () => {
      await api.post(`/v1/applications/${a.applicationId}/${step}`, body);
    });
  return { ...action, post };
}

function ContactAndCompany({ a }: StepProps) {
  const t = useT();
  const step = useStep(a);
  const accounts = useGet<{ items: { id: string; name: string; verificationStatus: string }[] }>(
    '/v1/billing-accounts',
  );
  const [form, setForm] = useState({
    name: a.contact?.name ?? '',
    email: a.contact?.email ?? '',
    phone: a.contact?.phone ?? '',
    inn: '',
    billingAccountId: '',
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <Card title={t('step_application')} testId="step-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void step.post('application', {
            contact: { name: form.name, email: form.email, phone: form.phone },
            company: form.billingAccountId
              ? { billingAccountId: form.billingAccountId }
              : { inn: form.inn },
          });
        }}
      >
        <Field label={t('contactName')}>
          <input name="contactName" value={form.name} onChange={set('name')} />
        </Field>
        <Field label={t('email')}>
          <input name="contactEmail" type="email" value={form.email} onChange={set('email')} />
        </Field>
        <Field label={t('phone')}>
          <input name="contactPhone" value={form.phone} onChange={set('phone')} />
        </Field>
        {(accounts.data?.items.length ?? 0) > 0 && (
          <Field label={t('existingAccount')}>
            <select
              name="billingAccountId"
              value={form.billingAccountId}
              onChange={set('billingAccountId')}
            >
              <option value="">—</option>
              {accounts.data?.items.map((acc) => (
                <option key={acc.id} value={acc.id}>
                  {acc.name} ({acc.id})
                </option>
              ))}
            </select>
          </Field>
        )}
        {!form.billingAccountId && (
          <Field label={t('inn')}>
            <input name="inn" inputMode="numeric" value={form.inn} onChange={set('inn')} />
          </Field>
        )}
        <button type="submit" className="primary" disabled={step.busy}>
          {t('continue')}
        </button>
      </form>
      <ErrorBox error={step.error} />
    </Card>
  );
}

function ConfirmCompany({ a }: StepProps) {
  const t = useT();
  const step = useStep(a);
  const c = a.company!;
  return (
    <Card title={t('companyCard')} testId="step-form">
      <dl>
        <dt>{t('company')}</dt>
        <dd>{c.name}</dd>
        <dt>INN / KPP</dt>
        <dd>
          {c.inn} / {c.kpp ?? '—'}
        </dd>
        <dt>OGRN</dt>
        <dd>{c.ogrn}</dd>
        <dt>{t('address')}</dt>
        <dd>{c.address}</dd>
      </dl>
      <div className="row">
        <button
          className="primary"
          disabled={step.busy}
          onClick={() => void step.post('company-confirmation', { confirmed: true })}
        >
          {t('confirmCompany')}
        </button>
        <button
          disabled={step.busy}
          onClick={() => void step.post('company-confirmation', { confirmed: false })}
        >
          {t('notMyCompany')}
        </button>
      </div>
      <ErrorBox error={step.error} />
    </Card>
  );
}

/** A stand-in for the information video: it plays to the end, then reports the position. */
function Video({ a }: StepProps) {
  const t = useT();
  const step = useStep(a);
  const [position, setPosition] = useState<number | null>(null);
  useEffect(() => {
    if (position === null) return;
    if (position >= VIDEO_SECONDS) {
      void step.post('video-progress', {
        positionSeconds: position,
        durationSeconds: VIDEO_SECONDS,
      });
      return;
    }
    const timer = setTimeout(() => setPosition(position + 1), 1000);
    return () => clearTimeout(timer);
  }, [position]);
  return (
    <Card title={t('video')} testId="step-form">
      <p className="muted">{t('videoHelp')}</p>
      <progress max={VIDEO_SECONDS} value={position ?? 0} />
      <div className="row">
        <button className="primary" disabled={position !== null} onClick={() => setPosition(0)}>
          ▶ {t('play')}
        </button>
      </div>
      <ErrorBox error={step.error} />
    </Card>
  );
}

function Partnership({ a }: StepProps) {
  const t = useT();
  const step = useStep(a);
  const [form, setForm] = useState({
    var: true,
    referral: false,
    taxationType: 'general_with_vat',
    companySize: '11-50',
    specializations: '',
    customerCount: '0',
    motivation: '',
    bik: '',
    account: '',
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });
  return (
    <Card title={t('step_partnership_type')} testId="step-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void step.post('partnership', {
            programs: [...(form.var ? ['var'] : []), ...(form.referral ? ['referral'] : [])],
            taxationType: form.taxationType,
            questionnaire: {
              companySize: form.companySize,
              specializations: form.specializations
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
              customerCount: Number.parseInt(form.customerCount, 10) || 0,
              motivation: form.motivation,
            },
            ...(form.referral ? { bankDetails: { bik: form.bik, account: form.account } } : {}),
          });
        }}
      >
        <div className="row">
          <label>
            <input
              type="checkbox"
              name="var"
              checked={form.var}
              onChange={(e) => setForm({ ...form, var: e.target.checked })}
            />{' '}
            VAR
          </label>
          <label>
            <input
              type="checkbox"
              name="referral"
              checked={form.referral}
              onChange={(e) => setForm({ ...form, referral: e.target.checked })}
            />{' '}
            Referral
          </label>
        </div>
        <Field label={t('taxationType')}>
          <select name="taxationType" value={form.taxationType} onChange={set('taxationType')}>
            {['general_with_vat', 'simplified', 'patent', 'unified_agricultural'].map((v) => (
              <option key={v} value={v}>
                {t(`tax_${v}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('companySize')}>
          <select name="companySize" value={form.companySize} onChange={set('companySize')}>
            {['1-10', '11-50', '51-250', '251+'].map((v) => (
              <option key={v}>{v}</option>
            ))}
          </select>
        </Field>
        <Field label={t('specializations')}>
          <input
            name="specializations"
            value={form.specializations}
            onChange={set('specializations')}
            placeholder="integration, devops"
          />
        </Field>
        <Field label={t('customerCount')}>
          <input
            name="customerCount"
            inputMode="numeric"
            value={form.customerCount}
            onChange={set('customerCount')}
          />
        </Field>
        <Field label={t('motivation')}>
          <textarea
            name="motivation"
            rows={3}
            value={form.motivation}
            onChange={set('motivation')}
          />
        </Field>
        {form.referral && (
          <>
            <Field label={t('bik')}>
              <input name="bik" inputMode="numeric" value={form.bik} onChange={set('bik')} />
            </Field>
            <Field label={t('settlementAccount')}>
              <input
                name="account"
                inputMode="numeric"
                value={form.account}
                onChange={set('account')}
              />
            </Field>
          </>
        )}
        <button type="submit" className="primary" disabled={step.busy}>
          {t('continue')}
        </button>
      </form>
      <ErrorBox error={step.error} />
    </Card>
  );
}

function BillingAccount({ a }: StepProps) {
  const t = useT();
  const step = useStep(a);
  const [name, setName] = useState('');
  const [type, setType] = useState('business');
  const rejected = a.billingAccount?.verification === 'rejected';
  return (
    <Card title={t('step_billing_account')} testId="step-form">
      {rejected && (
        <p className="error">
          {t('verificationRejected')}: {a.billingAccount?.rejectionReason}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void step.post('billing-account', { name, type });
        }}
      >
        <Field label={t('accountName')}>
          <input name="accountName" value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label={t('kind')}>
          <select name="accountType" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="business">{t('business')}</option>
            <option value="individual_entrepreneur">{t('individualEntrepreneur')}</option>
          </select>
        </Field>
        <button type="submit" className="primary" disabled={step.busy}>
          {t('continue')}
        </button>
      </form>
      <ErrorBox error={step.error} />
    </Card>
  );
}
