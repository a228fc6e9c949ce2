-- Running totals of the consumption, per billing account and usage month, kept by PostgreSQL
-- as lines are written: one row per writing statement (and account-month), with the seq range
-- its lines were numbered in. The month close's reconciliation compares them with the billing
-- ledger instead of reading the month's lines a second time.
--
-- A row never straddles a close's watermark: ingestion holds SEQ_WATERMARK_LOCK shared for
-- each statement, and a close reads its watermark under it exclusively, so a statement's lines
-- are all at or below a watermark or all above it. Completing a close folds the rows between
-- the previous close's watermark and its own into one row per account-month.

CREATE TABLE "consumption_tallies" (
    "id" BIGSERIAL NOT NULL,
    "billing_account_id" TEXT NOT NULL,
    "usage_month" DATE NOT NULL,
    "seq_from" BIGINT NOT NULL,
    "seq_to" BIGINT NOT NULL,
    "lines" BIGINT NOT NULL,
    "amount" DECIMAL(20,6) NOT NULL,
    "grants" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "consumption_tallies_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "consumption_tallies_usage_month_billing_account_id_idx"
    ON "consumption_tallies"("usage_month", "billing_account_id");

ALTER TABLE "consumption_tallies" ADD CONSTRAINT "consumption_tallies_seq_range"
    CHECK ("seq_from" < "seq_to");

-- The lines already stored, split at every close's watermark.
INSERT INTO "consumption_tallies" ("billing_account_id", "usage_month", "seq_from", "seq_to", "lines", "amount", "grants")
SELECT cl.billing_account_id, date_trunc('month', cl.usage_date)::date,
       min(cl.seq) - 1, max(cl.seq), count(*), sum(cl.amount), sum(cl.grant_amount)
  FROM consumption_lines cl
  LEFT JOIN LATERAL (SELECT min(c.watermark) AS upper FROM month_closes c WHERE c.watermark >= cl.seq) b ON true
 GROUP BY cl.billing_account_id, date_trunc('month', cl.usage_date), b.upper;

CREATE FUNCTION consumption_tallies_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO consumption_tallies (billing_account_id, usage_month, seq_from, seq_to, lines, amount, grants)
  SELECT billing_account_id, date_trunc('month', usage_date)::date,
         min(seq) - 1, max(seq), count(*), sum(amount), sum(grant_amount)
    FROM added GROUP BY 1, 2;
  RETURN NULL;
END $$;

CREATE FUNCTION consumption_tallies_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO consumption_tallies (billing_account_id, usage_month, seq_from, seq_to, lines, amount, grants)
  SELECT billing_account_id, date_trunc('month', usage_date)::date,
         min(seq) - 1, max(seq), -count(*), -sum(amount), -sum(grant_amount)
    FROM removed GROUP BY 1, 2;
  RETURN NULL;
END $$;

CREATE FUNCTION consumption_tallies_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO consumption_tallies (billing_account_id, usage_month, seq_from, seq_to, lines, amount, grants)
  SELECT billing_account_id, usage_month, min(seq) - 1, max(seq), sum(n), sum(amount), sum(grants)
    FROM (SELECT billing_account_id, date_trunc('month', usage_date)::date AS usage_month, seq,
                 -1 AS n, -amount AS amount, -grant_amount AS grants FROM removed
          UNION ALL
          SELECT billing_account_id, date_trunc('month', usage_date)::date, seq,
                 1, amount, grant_amount FROM added) t
   GROUP BY 1, 2;
  RETURN NULL;
END $$;

CREATE FUNCTION consumption_tallies_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE consumption_tallies;
  RETURN NULL;
END $$;

CREATE TRIGGER consumption_tallies_insert AFTER INSERT ON consumption_lines
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION consumption_tallies_added();
CREATE TRIGGER consumption_tallies_delete AFTER DELETE ON consumption_lines
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION consumption_tallies_removed();
CREATE TRIGGER consumption_tallies_update AFTER UPDATE ON consumption_lines
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION consumption_tallies_changed();
CREATE TRIGGER consumption_tallies_truncate AFTER TRUNCATE ON consumption_lines
  FOR EACH STATEMENT EXECUTE FUNCTION consumption_tallies_emptied();
