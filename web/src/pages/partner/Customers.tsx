import { useState } from 'react';
import { api, type Customer } from '../../api';
import { useT } from '../../i18n';
import { Card, EmptyState, ErrorBox, Loading, ScrollArea, useAction, useGet } from '../../ui';
import { FormErrors, ProblemField, moscowDateTime } from './forms';

/**
 * The partner's customers: the subaccounts of its own billing account, and a form to open a
 * new one (a resident business paying by invoice; the API checks the INN).
 */
export function CustomersPage() {
  const t = useT();
  const customers = useGet<{ items: Customer[] }>('/v1/partners/me/customers');
  const items = customers.data?.items ?? [];
  return (
    <div className="stack">
      <Card title={t('customersNav')} testId="customers">
        {customers.loading && !customers.data && <Loading />}
        {customers.error?.status === 404 ? (
          <EmptyState>{t('notPartnerYet')}</EmptyState>
        ) : (
          <ErrorBox error={customers.error} />
        )}
        {customers.data && items.length === 0 && <EmptyState>{t('noCustomers')}</EmptyState>}
        {items.length > 0 && (
          <ScrollArea label={t('customersNav')}>
            <table>
              <thead>
                <tr>
                  <th>{t('customerName')}</th>
                  <th>{t('innShort')}</th>
                  <th>{t('subaccount')}</th>
                  <th>{t('openedAt')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} data-testid="customer-row">
                    <td className="cell-wrap">{c.name}</td>
                    <td className="nowrap">{c.inn ?? '—'}</td>
                    <td className="muted small break">{c.id}</td>
                    <td className="nowrap">{moscowDateTime(c.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </Card>
      <NewCustomerForm />
    </div>
  );
}

function NewCustomerForm() {
  const t = useT();
  const [name, setName] = useState('');
  const [inn, setInn] = useState('');
  const [opened, setOpened] = useState<Customer | null>(null);
  const action = useAction();
  return (
    <Card title={t('openCustomer')} testId="open-customer">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setOpened(null);
          void action.run(async () => {
            const customer = await api.post<Customer>('/v1/partners/me/customers', {
              name: name.trim(),
              inn: inn.trim() === '' ? null : inn.trim(),
            });
            setOpened(customer);
            setName('');
            setInn('');
          });
        }}
      >
        <ProblemField label={t('customerName')} name="name" error={action.error}>
          <input
            name="customerName"
            value={name}
            required
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
          />
        </ProblemField>
        <ProblemField
          label={`${t('innShort')} (${t('optional')})`}
          name="inn"
          error={action.error}
          hint={t('customerInnHint')}
        >
          <input
            name="customerInn"
            inputMode="numeric"
            value={inn}
            maxLength={12}
            onChange={(e) => setInn(e.target.value)}
          />
        </ProblemField>
        <p className="muted small">{t('openCustomerHelp')}</p>
        <button type="submit" className="primary" disabled={action.busy || !name.trim()}>
          {t('openCustomer')}
        </button>
        {opened && (
          <span className="ok" role="status">
            {t('customerOpened')} {opened.id}
          </span>
        )}
      </form>
      <FormErrors error={action.error} shown={['name', 'inn']} />
    </Card>
  );
}
