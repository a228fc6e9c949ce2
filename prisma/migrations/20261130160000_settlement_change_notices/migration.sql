-- The API keeps each partner's running invoice in memory and drops it when anything it is
-- computed from changes. PostgreSQL tells it: a statement-level trigger on every table the
-- settlement reads queues a notice on channel 'settlement_inputs', delivered when the writing
-- transaction commits (never before, so a reader can't cache what a rollback takes back).
-- Notices of one transaction with the same table name are delivered once.
CREATE FUNCTION notify_settlement_inputs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('settlement_inputs', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'partners', 'billing_accounts', 'program_memberships', 'services', 'consumption_lines',
    'program_terms', 'deals', 'projects', 'specializations', 'rebate_ledger', 'withdrawals',
    'final_payouts', 'advance_ledger', 'month_closes', 'invoices', 'billed_ranges',
    'registrations'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION notify_settlement_inputs()',
      t || '_settlement_notice', t);
  END LOOP;
END;
$$;
