import { useState } from 'react';
import { api, type BankDetailsResult } from '../../api';
import { useMoney, useT } from '../../i18n';
import { Card, useAction } from '../../ui';
import { FormErrors, ProblemField } from './forms';

/**
 * The bank details rebates are paid to (a withdrawal to the bank, the final payout on
 * leaving). Giving them after leaving pays a held final payout at once; the answer says so.
 */
export function BankDetailsCard() {
  const t = useT();
  const money = useMoney();
  const [bik, setBik] = useState('');
  const [account, setAccount] = useState('');
  const [result, setResult] = useState<BankDetailsResult | null>(null);
  const action = useAction();
  const payout = result?.finalPayout ?? null;
  return (
    <Card title={t('bankDetails')} testId="bank-details">
      <p className="muted small">{t('bankDetailsHelp')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setResult(null);
          void action.run(async () => {
            const answer = await api.put<BankDetailsResult>('/v1/partners/me/bank-details', {
              bik: bik.replace(/\s/g, ''),
              account: account.replace(/\s/g, ''),
            });
            setResult(answer);
          });
        }}
      >
        <ProblemField label={t('bik')} name="bik" error={action.error} hint={t('bikHint')}>
          <input
            name="bik"
            inputMode="numeric"
            autoComplete="off"
            value={bik}
            onChange={(e) => setBik(e.target.value)}
          />
        </ProblemField>
        <ProblemField
          label={t('settlementAccount')}
          name="account"
          error={action.error}
          hint={t('accountHint')}
        >
          <input
            name="account"
            inputMode="numeric"
            autoComplete="off"
            value={account}
            onChange={(e) => setAccount(e.target.value)}
          />
        </ProblemField>
        <button type="submit" disabled={action.busy || !bik || !account}>
          {t('saveBankDetails')}
        </button>
      </form>
      <FormErrors error={action.error} shown={['bik', 'account']} />
      {result && (
        <div className="ok-box" role="status" data-testid="bank-details-result">
          <p>{result.changed ? t('bankDetailsSaved') : t('bankDetailsUnchanged')}</p>
          {payout?.status === 'paid' && (
            <p>
              {t('finalPayoutPaid')} <strong>{money(payout.amount)}</strong>
            </p>
          )}
          {payout?.status === 'awaiting_bank_details' && (
            <>
              <p>
                {t('finalPayoutHeld')} <strong>{money(payout.amount)}</strong>
              </p>
              <ul>
                {payout.problems.map((p) => (
                  <li key={p.field}>{p.message}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </Card>
  );
}
