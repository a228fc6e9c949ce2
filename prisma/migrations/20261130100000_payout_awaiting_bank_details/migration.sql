-- The rebate balance's payout on leaving (SPEC §4), one row per partner: held while the
-- partner has no valid bank details (the balance stays on the rebate ledger), paid once they
-- are given. The primary key makes one final payout per partner.

-- CreateEnum
CREATE TYPE "FinalPayoutStatus" AS ENUM ('awaiting_bank_details', 'paid');

-- CreateTable
CREATE TABLE "final_payouts" (
    "partner_id" UUID NOT NULL,
    "status" "FinalPayoutStatus" NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "requested_by" TEXT NOT NULL,
    "held_because" JSONB,
    "withdrawal_id" UUID,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "paid_at" TIMESTAMPTZ(3),

    CONSTRAINT "final_payouts_pkey" PRIMARY KEY ("partner_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "final_payouts_withdrawal_id_key" ON "final_payouts"("withdrawal_id");

-- CreateIndex
CREATE INDEX "final_payouts_status_due_at_idx" ON "final_payouts"("status", "due_at");
