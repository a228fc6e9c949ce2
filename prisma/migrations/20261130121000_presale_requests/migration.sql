-- Presale requests: a partner asks for the provider's experts for one of its customers or
-- projects; presale staff answer within the first-answer SLA and take the request to done or
-- declined. Status changes are audited in audit_events (entity_type 'presale_request').

CREATE TYPE "PresaleStatus" AS ENUM ('new', 'assigned', 'in_progress', 'done', 'declined');

CREATE TABLE "presale_requests" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "organization_id" TEXT NOT NULL,
    "customer_account_id" TEXT,
    "project_id" UUID,
    "topic" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "desired_date" DATE NOT NULL,
    "status" "PresaleStatus" NOT NULL DEFAULT 'new',
    "assignee" TEXT,
    "decline_reason" TEXT,
    "sla_deadline" TIMESTAMPTZ(3) NOT NULL,
    "first_answered_at" TIMESTAMPTZ(3),
    "escalated_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "presale_requests_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "presale_comments" (
    "id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "author_role" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "presale_comments_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "presale_requests_partner_id_created_at_idx" ON "presale_requests"("partner_id", "created_at");

CREATE INDEX "presale_requests_status_sla_deadline_idx" ON "presale_requests"("status", "sla_deadline");

CREATE INDEX "presale_comments_request_id_created_at_idx" ON "presale_comments"("request_id", "created_at");

ALTER TABLE "presale_comments" ADD CONSTRAINT "presale_comments_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "presale_requests"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Exactly one subject: a customer or a project.
ALTER TABLE "presale_requests" ADD CONSTRAINT "presale_requests_one_subject"
    CHECK (("customer_account_id" IS NULL) <> ("project_id" IS NULL));
