-- CreateEnum
CREATE TYPE "PaymentModel" AS ENUM ('advance', 'postpaid');

-- CreateEnum
CREATE TYPE "ProgramTermKind" AS ENUM ('base_bonus_rate', 'vat_rate');

-- CreateEnum
CREATE TYPE "ProjectScope" AS ENUM ('cloud', 'folder');

-- CreateEnum
CREATE TYPE "RebateEntryKind" AS ENUM ('project_rebate', 'specialization_rebate', 'withdrawal_to_bonus', 'withdrawal_to_bank', 'final_payout');

-- CreateEnum
CREATE TYPE "WithdrawalTarget" AS ENUM ('bonus', 'bank');

-- CreateEnum
CREATE TYPE "MonthCloseStatus" AS ENUM ('running', 'completed');

-- CreateEnum
CREATE TYPE "InvoiceKind" AS ENUM ('monthly', 'interim');

-- AlterTable
ALTER TABLE "billing_accounts" ADD COLUMN     "parent_id" TEXT;

-- AlterTable
ALTER TABLE "partners" ADD COLUMN     "billing_threshold" DECIMAL(18,2),
ADD COLUMN     "payment_model" "PaymentModel" NOT NULL DEFAULT 'postpaid',
ADD COLUMN     "payment_term_days" INTEGER NOT NULL DEFAULT 10;

-- CreateTable
CREATE TABLE "services" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "excluded_from_bonus" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "services_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consumption_lines" (
    "seq" BIGSERIAL NOT NULL,
    "source_id" TEXT NOT NULL,
    "billing_account_id" TEXT NOT NULL,
    "cloud_id" TEXT NOT NULL,
    "folder_id" TEXT NOT NULL,
    "service_id" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "usage_date" DATE NOT NULL,
    "amount" DECIMAL(20,6) NOT NULL,
    "grant_amount" DECIMAL(20,6) NOT NULL DEFAULT 0,
    "ingested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consumption_lines_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "program_terms" (
    "id" BIGSERIAL NOT NULL,
    "kind" "ProgramTermKind" NOT NULL,
    "effective_from" DATE NOT NULL,
    "rate" DECIMAL(9,6) NOT NULL,

    CONSTRAINT "program_terms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deals" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "customer_account_id" TEXT NOT NULL,
    "uplift_rate" DECIMAL(9,6) NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE,
    "registered_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "deals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projects" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "scope" "ProjectScope" NOT NULL,
    "cloud_id" TEXT NOT NULL,
    "folder_id" TEXT,
    "baseline_monthly" DECIMAL(18,2) NOT NULL,
    "rate" DECIMAL(9,6) NOT NULL,
    "registered_on" DATE NOT NULL,
    "registered_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "specializations" (
    "id" BIGSERIAL NOT NULL,
    "partner_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "rate" DECIMAL(9,6) NOT NULL,
    "service_ids" TEXT[],
    "valid_from" DATE NOT NULL,
    "valid_to" DATE,

    CONSTRAINT "specializations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rebate_ledger" (
    "id" BIGSERIAL NOT NULL,
    "partner_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "kind" "RebateEntryKind" NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "month" TEXT,
    "project_id" UUID,
    "explanation" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "rebate_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "withdrawals" (
    "id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "target" "WithdrawalTarget" NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "month" TEXT,
    "requested_by" TEXT NOT NULL,
    "bank_bik" TEXT,
    "bank_account" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "withdrawals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "advance_ledger" (
    "id" BIGSERIAL NOT NULL,
    "partner_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "invoice_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "advance_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "month_closes" (
    "month" TEXT NOT NULL,
    "status" "MonthCloseStatus" NOT NULL,
    "watermark" BIGINT NOT NULL,
    "previous_watermark" BIGINT NOT NULL,
    "partners_total" INTEGER NOT NULL DEFAULT 0,
    "partners_settled" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "month_closes_pkey" PRIMARY KEY ("month")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "partner_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "kind" "InvoiceKind" NOT NULL,
    "sequence" INTEGER NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "due_date" DATE,
    "consumption_total" DECIMAL(18,2) NOT NULL,
    "grants_total" DECIMAL(18,2) NOT NULL,
    "eligible_base" DECIMAL(18,2) NOT NULL,
    "discount_total" DECIMAL(18,2) NOT NULL,
    "payable" DECIMAL(18,2) NOT NULL,
    "vat_rate" DECIMAL(9,6) NOT NULL,
    "vat_amount" DECIMAL(18,2) NOT NULL,
    "advance_covered" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "seq_from" BIGINT NOT NULL,
    "seq_to" BIGINT NOT NULL,

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_lines" (
    "id" BIGSERIAL NOT NULL,
    "invoice_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "rule" TEXT NOT NULL,
    "rate" DECIMAL(9,6),
    "base" DECIMAL(18,2),
    "amount" DECIMAL(18,2) NOT NULL,
    "deal_id" UUID,
    "project_id" UUID,
    "account_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "consumption_lines_source_id_key" ON "consumption_lines"("source_id");

-- CreateIndex
CREATE INDEX "consumption_lines_billing_account_id_usage_date_idx" ON "consumption_lines"("billing_account_id", "usage_date");

-- CreateIndex
CREATE INDEX "consumption_lines_usage_date_idx" ON "consumption_lines"("usage_date");

-- CreateIndex
CREATE UNIQUE INDEX "program_terms_kind_effective_from_key" ON "program_terms"("kind", "effective_from");

-- CreateIndex
CREATE INDEX "deals_partner_id_idx" ON "deals"("partner_id");

-- CreateIndex
CREATE INDEX "projects_partner_id_idx" ON "projects"("partner_id");

-- CreateIndex
CREATE UNIQUE INDEX "specializations_partner_id_code_valid_from_key" ON "specializations"("partner_id", "code", "valid_from");

-- CreateIndex
CREATE UNIQUE INDEX "rebate_ledger_idempotency_key_key" ON "rebate_ledger"("idempotency_key");

-- CreateIndex
CREATE INDEX "rebate_ledger_partner_id_created_at_idx" ON "rebate_ledger"("partner_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "withdrawals_idempotency_key_key" ON "withdrawals"("idempotency_key");

-- CreateIndex
CREATE INDEX "withdrawals_partner_id_month_idx" ON "withdrawals"("partner_id", "month");

-- CreateIndex
CREATE UNIQUE INDEX "advance_ledger_idempotency_key_key" ON "advance_ledger"("idempotency_key");

-- CreateIndex
CREATE INDEX "advance_ledger_partner_id_idx" ON "advance_ledger"("partner_id");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices"("number");

-- CreateIndex
CREATE INDEX "invoices_month_idx" ON "invoices"("month");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_partner_id_month_kind_sequence_key" ON "invoices"("partner_id", "month", "kind", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_lines_invoice_id_position_key" ON "invoice_lines"("invoice_id", "position");

-- CreateIndex
CREATE INDEX "billing_accounts_parent_id_idx" ON "billing_accounts"("parent_id");

-- AddForeignKey
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Reference data: the program terms (SPEC §2) and the services excluded from the bonus.
INSERT INTO "program_terms" ("kind", "effective_from", "rate") VALUES
  ('base_bonus_rate', '2019-01-01', 0.100000),
  ('vat_rate', '2019-01-01', 0.200000),
  ('vat_rate', '2026-01-01', 0.220000);

INSERT INTO "services" ("id", "name", "excluded_from_bonus") VALUES
  ('compute', 'Compute Cloud', false),
  ('object-storage', 'Object Storage', false),
  ('managed-postgresql', 'Managed Service for PostgreSQL', false),
  ('managed-kubernetes', 'Managed Service for Kubernetes', false),
  ('marketplace', 'Marketplace', true),
  ('managed-mongodb', 'Managed Service for MongoDB (StoreDoc)', true),
  ('cloud-interconnect', 'Cloud Interconnect', true);
