-- The API keeps each application's status (the projection with its history, billing account,
-- partner and last reminder) between requests and drops it when any of these tables changes:
-- a notice on channel 'application_inputs', delivered when the writing transaction commits.
CREATE FUNCTION notify_application_inputs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('application_inputs', TG_TABLE_NAME);
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['applications', 'audit_events', 'billing_accounts', 'partners', 'notifications'] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
      'FOR EACH STATEMENT EXECUTE FUNCTION notify_application_inputs()',
      t || '_application_notice', t);
  END LOOP;
END;
$$;
