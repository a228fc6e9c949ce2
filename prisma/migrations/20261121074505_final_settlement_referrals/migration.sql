-- CreateEnum
CREATE TYPE "CommissionStatementKind" AS ENUM ('monthly', 'final');

-- AlterEnum
ALTER TYPE "ProgramTermKind" ADD VALUE 'referral_commission_rate';

-- AlterEnum
ALTER TYPE "InvoiceKind" ADD VALUE 'final';

-- CreateTable
CREATE TABLE "referral_links" (
    "code" TEXT NOT NULL,
    "partner_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referral_links_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "referral_attributions" (
    "customer_account_id" TEXT NOT NULL,
    "partner_id" UUID NOT NULL,
    "referral_code" TEXT NOT NULL,
    "signed_up_at" TIMESTAMPTZ(3) NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE,
    "attributed_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "referral_attributions_pkey" PRIMARY KEY ("customer_account_id")
);

-- CreateTable
CREATE TABLE "commission_statements" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "partner_id" UUID NOT NULL,
    "month" TEXT NOT NULL,
    "kind" "CommissionStatementKind" NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "base_total" DECIMAL(20,6) NOT NULL,
    "total" DECIMAL(18,2) NOT NULL,
    "payout_bik" TEXT,
    "payout_account" TEXT,
    "seq_from" BIGINT NOT NULL,
    "seq_to" BIGINT NOT NULL,

    CONSTRAINT "commission_statements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "commission_lines" (
    "id" BIGSERIAL NOT NULL,
    "statement_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "customer_account_id" TEXT NOT NULL,
    "for_month" TEXT NOT NULL,
    "base" DECIMAL(20,6) NOT NULL,
    "rate" DECIMAL(9,6) NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "description" TEXT NOT NULL,

    CONSTRAINT "commission_lines_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "referral_links_partner_id_key" ON "referral_links"("partner_id");

-- CreateIndex
CREATE INDEX "referral_attributions_partner_id_idx" ON "referral_attributions"("partner_id");

-- CreateIndex
CREATE UNIQUE INDEX "commission_statements_number_key" ON "commission_statements"("number");

-- CreateIndex
CREATE INDEX "commission_statements_month_idx" ON "commission_statements"("month");

-- CreateIndex
CREATE UNIQUE INDEX "commission_statements_partner_id_month_kind_key" ON "commission_statements"("partner_id", "month", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "commission_lines_statement_id_position_key" ON "commission_lines"("statement_id", "position");

-- AddForeignKey
ALTER TABLE "commission_lines" ADD CONSTRAINT "commission_lines_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "commission_statements"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

