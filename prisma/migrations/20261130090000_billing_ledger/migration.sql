-- The billing ledger: which consumption lines each invoice billed. A range is a rectangle in
-- (usage date × line number): the partner's lines dated in [usage_from, usage_to) and numbered
-- in (seq_from, seq_to]. Two ranges of one partner never overlap — the exclusion constraint
-- below — so a line can be billed by one invoice at most, whatever the order or concurrency of
-- closes, interim and final invoices. Prisma's schema language cannot express the exclusion
-- and check constraints; they live here, and the schema test lists them.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- CreateEnum
CREATE TYPE "BilledRangeKind" AS ENUM ('own', 'adjustment');

-- CreateTable
CREATE TABLE "billed_ranges" (
    "id" BIGSERIAL NOT NULL,
    "invoice_id" UUID NOT NULL,
    "partner_id" UUID NOT NULL,
    "kind" "BilledRangeKind" NOT NULL,
    "usage_from" DATE NOT NULL,
    "usage_to" DATE NOT NULL,
    "seq_from" BIGINT NOT NULL,
    "seq_to" BIGINT NOT NULL,
    "line_count" INTEGER NOT NULL,
    "amount" DECIMAL(20,6) NOT NULL,
    "grants" DECIMAL(20,6) NOT NULL,

    CONSTRAINT "billed_ranges_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "billed_ranges_invoice_id_idx" ON "billed_ranges"("invoice_id");

-- AddForeignKey
ALTER TABLE "billed_ranges" ADD CONSTRAINT "billed_ranges_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "billed_ranges" ADD CONSTRAINT "billed_ranges_nonempty"
    CHECK ("usage_from" < "usage_to" AND "seq_from" < "seq_to");

ALTER TABLE "billed_ranges" ADD CONSTRAINT "billed_ranges_no_overlap"
    EXCLUDE USING gist ("partner_id" WITH =,
                        daterange("usage_from", "usage_to", '[)') WITH &&,
                        int8range("seq_from", "seq_to", '(]') WITH &&);

-- AlterTable: what the close's reconciliation found when it completed.
ALTER TABLE "month_closes" ADD COLUMN "reconciled_at" TIMESTAMPTZ(3),
ADD COLUMN "reconciliation_difference" DECIMAL(20,6);
