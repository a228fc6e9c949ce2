-- AlterTable
ALTER TABLE "partners" ADD COLUMN     "end_reason" TEXT,
ADD COLUMN     "ended_at" TIMESTAMPTZ(3),
ADD COLUMN     "exit_date" DATE,
ADD COLUMN     "exit_notice_at" TIMESTAMPTZ(3);

