-- AlterTable
ALTER TABLE "handoff_request" ADD COLUMN     "queued_notice_at" TIMESTAMPTZ(3),
ADD COLUMN     "wait_notice_at" TIMESTAMPTZ(3);
