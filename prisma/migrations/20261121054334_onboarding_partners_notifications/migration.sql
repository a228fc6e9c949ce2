-- CreateEnum
CREATE TYPE "ProgramType" AS ENUM ('var', 'referral');

-- CreateEnum
CREATE TYPE "BillingAccountType" AS ENUM ('business', 'individual_entrepreneur', 'individual');

-- CreateEnum
CREATE TYPE "PaymentMethod" AS ENUM ('invoice', 'card');

-- CreateEnum
CREATE TYPE "BillingAccountStatus" AS ENUM ('trial', 'paid');

-- CreateEnum
CREATE TYPE "BillingVerificationStatus" AS ENUM ('not_requested', 'pending', 'approved', 'rejected');

-- CreateEnum
CREATE TYPE "PartnerStatus" AS ENUM ('active', 'leaving', 'left', 'revoked');

-- CreateEnum
CREATE TYPE "RecipientType" AS ENUM ('applicant', 'manager', 'supervisor', 'partner');

-- AlterTable
ALTER TABLE "applications" ADD COLUMN     "billing_account_id" TEXT,
ADD COLUMN     "company_inn" TEXT,
ADD COLUMN     "company_name" TEXT,
ADD COLUMN     "contact_email" TEXT,
ADD COLUMN     "contact_name" TEXT,
ADD COLUMN     "contact_phone" TEXT,
ADD COLUMN     "decided_at" TIMESTAMPTZ(3),
ADD COLUMN     "decided_by" TEXT,
ADD COLUMN     "decision_reason" TEXT,
ADD COLUMN     "details" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "escalated_at" TIMESTAMPTZ(3),
ADD COLUMN     "programs" "ProgramType"[],
ADD COLUMN     "reminder_at" TIMESTAMPTZ(3),
ADD COLUMN     "review_deadline" TIMESTAMPTZ(3),
ADD COLUMN     "submitted_at" TIMESTAMPTZ(3),
ADD COLUMN     "taxation_type" TEXT;

-- CreateTable
CREATE TABLE "billing_accounts" (
    "id" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT NOT NULL DEFAULT 'RU',
    "type" "BillingAccountType" NOT NULL,
    "owner_resident" BOOLEAN NOT NULL,
    "payment_method" "PaymentMethod" NOT NULL,
    "status" "BillingAccountStatus" NOT NULL DEFAULT 'trial',
    "verification_status" "BillingVerificationStatus" NOT NULL DEFAULT 'not_requested',
    "verification_reason" TEXT,
    "inn" TEXT,
    "kpp" TEXT,
    "ogrn" TEXT,
    "legal_name" TEXT,
    "legal_address" TEXT,
    "bik" TEXT,
    "settlement_account" TEXT,
    "contact_name" TEXT,
    "contact_email" TEXT,
    "contact_phone" TEXT,
    "grant_balance" DECIMAL(18,2) NOT NULL DEFAULT 0,
    "locked_by_application" UUID,
    "creation_key" TEXT,
    "upgraded_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "billing_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "partners" (
    "id" UUID NOT NULL,
    "organization_id" TEXT NOT NULL,
    "application_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "inn" TEXT,
    "billing_account_id" TEXT NOT NULL,
    "taxation_type" TEXT NOT NULL,
    "status" "PartnerStatus" NOT NULL DEFAULT 'active',
    "start_date" DATE NOT NULL,
    "approved_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "partners_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "program_memberships" (
    "id" BIGSERIAL NOT NULL,
    "partner_id" UUID NOT NULL,
    "program" "ProgramType" NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE,

    CONSTRAINT "program_memberships_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "recipient_type" "RecipientType" NOT NULL,
    "recipient" TEXT NOT NULL,
    "organization_id" TEXT,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "delivery_attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "billing_accounts_creation_key_key" ON "billing_accounts"("creation_key");

-- CreateIndex
CREATE INDEX "billing_accounts_organization_id_idx" ON "billing_accounts"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "partners_organization_id_key" ON "partners"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "partners_application_id_key" ON "partners"("application_id");

-- CreateIndex
CREATE UNIQUE INDEX "program_memberships_partner_id_program_start_date_key" ON "program_memberships"("partner_id", "program", "start_date");

-- CreateIndex
CREATE UNIQUE INDEX "notifications_idempotency_key_key" ON "notifications"("idempotency_key");

-- CreateIndex
CREATE INDEX "notifications_recipient_type_recipient_created_at_idx" ON "notifications"("recipient_type", "recipient", "created_at");

-- CreateIndex
CREATE INDEX "notifications_organization_id_created_at_idx" ON "notifications"("organization_id", "created_at");

-- CreateIndex
CREATE INDEX "applications_status_review_deadline_idx" ON "applications"("status", "review_deadline");

-- AddForeignKey
ALTER TABLE "program_memberships" ADD CONSTRAINT "program_memberships_partner_id_fkey" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

