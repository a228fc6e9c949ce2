-- Deals and projects registered by partners, reviewed by managers (one durable workflow per
-- registration), and the audit of every status change.

CREATE TYPE "RegistrationKind" AS ENUM ('deal', 'project');

CREATE TYPE "RegistrationStatus" AS ENUM ('pending', 'approved', 'rejected', 'expired');

CREATE TABLE "registrations" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "kind" "RegistrationKind" NOT NULL,
    "status" "RegistrationStatus" NOT NULL DEFAULT 'pending',
    "customer_account_id" TEXT,
    "customer_inn" TEXT,
    "customer_name" TEXT,
    "claim_key" TEXT,
    "expected_monthly" DECIMAL(18,2),
    "scope" "ProjectScope",
    "cloud_id" TEXT,
    "folder_id" TEXT,
    "expected_growth" TEXT,
    "baseline_default" DECIMAL(18,2),
    "description" TEXT NOT NULL,
    "submitted_by" TEXT NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "review_deadline" TIMESTAMPTZ(3),
    "reminder_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "uplift_rate" DECIMAL(9,6),
    "rate" DECIMAL(9,6),
    "baseline" DECIMAL(18,2),
    "deal_id" UUID,
    "project_id" UUID,
    "start_date" DATE,
    "end_date" DATE,
    "renewal_of" UUID,

    CONSTRAINT "registrations_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "registrations_partner_id_idx" ON "registrations"("partner_id");

CREATE INDEX "registrations_status_review_deadline_idx" ON "registrations"("status", "review_deadline");

-- First registration wins: one pending or approved claim per customer (inn:<INN> or
-- account:<id>). Two partners inserting the same claim at the same instant: the second insert
-- waits for the first to commit and then fails, whatever the isolation level.
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_one_live_claim"
    EXCLUDE USING btree ("claim_key" WITH =) WHERE ("status" IN ('pending', 'approved') AND "claim_key" IS NOT NULL);

ALTER TABLE "registrations" ADD CONSTRAINT "registrations_rates_capped"
    CHECK (("uplift_rate" IS NULL OR ("uplift_rate" > 0 AND "uplift_rate" <= 0.15))
       AND ("rate" IS NULL OR ("rate" > 0 AND "rate" <= 0.15)));

CREATE TABLE "registration_events" (
    "id" BIGSERIAL NOT NULL,
    "registration_id" UUID NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT NOT NULL,
    "reason" TEXT,
    "event_key" TEXT NOT NULL,

    CONSTRAINT "registration_events_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "registration_events_event_key_key" ON "registration_events"("event_key");

CREATE INDEX "registration_events_registration_id_idx" ON "registration_events"("registration_id");

ALTER TABLE "registration_events" ADD CONSTRAINT "registration_events_registration_id_fkey"
    FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
