import { useState } from 'react';
import { api, type Customer } from '../../api';
import { useT } from '../../i18n';
import { Card, Loading, useAction, useGet } from '../../ui';
import { decimalText, FormErrors, ProblemField } from '../partner/forms';

/**
 * The manager's deal form: the customer is chosen among the partner's own subaccounts (the
 * only customers a deal may link), with the uplift rate and the linked days.
 */
export function DealForm({ partnerId }: { partnerId: string }) {
  const t = useT();
  const customers = useGet<{ items: Customer[] }>(`/v1/partners/${partnerId}/customers`);
  const deal = useAction();
  const [form, setForm] = useState({
    customerAccountId: '',
    upliftRate: '0.05',
    startDate: '',
    endDate: '',
  });
  const items = customers.data?.items ?? [];
  return (
    <Card title={t('registerDeal')} testId="deal-form">
      {customers.loading && !customers.data && <Loading />}
      {customers.data && items.length === 0 && (
        <p className="muted" data-testid="no-customers">
          {t('mc_noCustomersForDeal')}
        </p>
      )}
      {items.length > 0 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void deal.run(async () => {
              await api.post(`/v1/partners/${partnerId}/deals`, {
                customerAccountId: form.customerAccountId,
                upliftRate: decimalText(form.upliftRate),
                startDate: form.startDate,
                ...(form.endDate ? { endDate: form.endDate } : {}),
              });
            });
          }}
        >
          <ProblemField label={t('customer')} name="customerAccountId" error={deal.error}>
            <select
              name="customerAccountId"
              required
              value={form.customerAccountId}
              onChange={(e) => setForm({ ...form, customerAccountId: e.target.value })}
            >
              <option value="">{t('mc_chooseCustomer')}</option>
              {items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                  {c.inn ? ` · ${t('innShort')} ${c.inn}` : ''}
                </option>
              ))}
            </select>
          </ProblemField>
          <ProblemField
            label={t('upliftRate')}
            name="upliftRate"
            error={deal.error}
            hint={t('upliftHint')}
          >
            <input
              name="upliftRate"
              inputMode="decimal"
              value={form.upliftRate}
              onChange={(e) => setForm({ ...form, upliftRate: e.target.value })}
            />
          </ProblemField>
          <ProblemField label={t('dealTermStart')} name="startDate" error={deal.error}>
            <input
              type="date"
              name="startDate"
              required
              value={form.startDate}
              onChange={(e) => setForm({ ...form, startDate: e.target.value })}
            />
          </ProblemField>
          <ProblemField
            label={t('mc_dealEnd')}
            name="endDate"
            error={deal.error}
            hint={t('mc_dealEndHint')}
          >
            <input
              type="date"
              name="endDate"
              value={form.endDate}
              onChange={(e) => setForm({ ...form, endDate: e.target.value })}
            />
          </ProblemField>
          <div className="row" style={{ alignItems: 'center' }}>
            <button type="submit" className="primary" disabled={deal.busy}>
              {t('registerDeal')}
            </button>
            {deal.done && <span className="ok">{t('done')}</span>}
          </div>
          <FormErrors
            error={deal.error}
            shown={['customerAccountId', 'upliftRate', 'startDate', 'endDate']}
          />
        </form>
      )}
    </Card>
  );
}

/** The manager's project form: a cloud or a folder in it, its monthly baseline and rate. */
export function ProjectForm({ partnerId }: { partnerId: string }) {
  const t = useT();
  const project = useAction();
  const [form, setForm] = useState({
    scope: 'cloud' as 'cloud' | 'folder',
    cloudId: '',
    folderId: '',
    baselineMonthly: '',
    rate: '0.10',
  });
  return (
    <Card title={t('registerProject')} testId="project-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void project.run(async () => {
            await api.post(`/v1/partners/${partnerId}/projects`, {
              scope: form.scope,
              cloudId: form.cloudId.trim(),
              ...(form.scope === 'folder' ? { folderId: form.folderId.trim() } : {}),
              baselineMonthly: decimalText(form.baselineMonthly),
              rate: decimalText(form.rate),
            });
          });
        }}
      >
        <ProblemField label={t('scope')} name="scope" error={project.error}>
          <select
            name="scope"
            value={form.scope}
            onChange={(e) => setForm({ ...form, scope: e.target.value as 'cloud' | 'folder' })}
          >
            <option value="cloud">{t('scope_cloud')}</option>
            <option value="folder">{t('scope_folder')}</option>
          </select>
        </ProblemField>
        <ProblemField label={t('cloudIdLabel')} name="cloudId" error={project.error}>
          <input
            name="cloudId"
            required
            value={form.cloudId}
            onChange={(e) => setForm({ ...form, cloudId: e.target.value })}
          />
        </ProblemField>
        {form.scope === 'folder' && (
          <ProblemField label={t('folderIdLabel')} name="folderId" error={project.error}>
            <input
              name="folderId"
              required
              value={form.folderId}
              onChange={(e) => setForm({ ...form, folderId: e.target.value })}
            />
          </ProblemField>
        )}
        <ProblemField
          label={t('baseline')}
          name="baselineMonthly"
          error={project.error}
          hint={t('rublesPerMonthHint')}
        >
          <input
            name="baselineMonthly"
            inputMode="decimal"
            required
            value={form.baselineMonthly}
            onChange={(e) => setForm({ ...form, baselineMonthly: e.target.value })}
          />
        </ProblemField>
        <ProblemField label={t('rate')} name="rate" error={project.error} hint={t('rateHint')}>
          <input
            name="rate"
            inputMode="decimal"
            value={form.rate}
            onChange={(e) => setForm({ ...form, rate: e.target.value })}
          />
        </ProblemField>
        <div className="row" style={{ alignItems: 'center' }}>
          <button type="submit" className="primary" disabled={project.busy}>
            {t('registerProject')}
          </button>
          {project.done && <span className="ok">{t('done')}</span>}
        </div>
        <FormErrors
          error={project.error}
          shown={['scope', 'cloudId', 'folderId', 'baselineMonthly', 'rate']}
        />
      </form>
    </Card>
  );
}
