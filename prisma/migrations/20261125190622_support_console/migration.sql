-- CreateEnum
CREATE TYPE "agent_role" AS ENUM ('agent', 'admin', 'operator');

-- AlterTable
ALTER TABLE "handoff_request" ADD COLUMN     "rated_at" TIMESTAMPTZ(3),
ADD COLUMN     "rating" INTEGER,
ADD COLUMN     "resolution" TEXT,
ADD COLUMN     "summary" TEXT,
ALTER COLUMN "status" SET DEFAULT 'waiting',
DROP COLUMN "agent_id",
ADD COLUMN     "agent_id" UUID;

-- CreateTable
CREATE TABLE "agent" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "agent_role" NOT NULL DEFAULT 'agent',
    "password_hash" TEXT,
    "oidc_subject" TEXT,
    "removed_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_session" (
    "id" CHAR(64) NOT NULL,
    "agent_id" UUID NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent_audit_event" (
    "id" BIGSERIAL NOT NULL,
    "agent_id" TEXT,
    "action" TEXT NOT NULL,
    "handoff_id" TEXT,
    "conversation_id" TEXT,
    "booking_id" TEXT,
    "detail" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agent_email_key" ON "agent"("email");

-- CreateIndex
CREATE UNIQUE INDEX "agent_oidc_subject_key" ON "agent"("oidc_subject");

-- CreateIndex
CREATE INDEX "agent_session_agent_id_idx" ON "agent_session"("agent_id");

-- CreateIndex
CREATE INDEX "agent_session_expires_at_idx" ON "agent_session"("expires_at");

-- CreateIndex
CREATE INDEX "agent_audit_event_agent_id_at_idx" ON "agent_audit_event"("agent_id", "at");

-- CreateIndex
CREATE INDEX "agent_audit_event_handoff_id_idx" ON "agent_audit_event"("handoff_id");

-- CreateIndex
CREATE INDEX "handoff_request_conversation_id_idx" ON "handoff_request"("conversation_id");

-- AddForeignKey
ALTER TABLE "handoff_request" ADD CONSTRAINT "handoff_request_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent_session" ADD CONSTRAINT "agent_session_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: requests recorded before the console in its vocabulary. Nobody could take one
-- ("taken" had no agent), and a conversation keeps only its newest open request.
UPDATE "handoff_request" SET "status" = 'waiting' WHERE "status" = 'open';
UPDATE "handoff_request" SET "status" = 'closed', "closed_at" = CURRENT_TIMESTAMP WHERE "status" = 'taken';
UPDATE "handoff_request" AS h SET "status" = 'closed', "closed_at" = CURRENT_TIMESTAMP, "resolution" = 'superseded'
WHERE h."status" = 'waiting' AND EXISTS (
  SELECT 1 FROM "handoff_request" AS n
  WHERE n."conversation_id" = h."conversation_id" AND n."status" = 'waiting'
    AND (n."created_at", n."id") > (h."created_at", h."id"));

-- At most one waiting or active request per conversation, whoever writes.
CREATE UNIQUE INDEX "handoff_request_one_open_per_conversation"
  ON "handoff_request" ("conversation_id") WHERE "status" IN ('waiting', 'active');

ALTER TABLE "handoff_request" ADD CONSTRAINT "handoff_request_status_known"
  CHECK ("status" IN ('waiting', 'active', 'released', 'closed'));
ALTER TABLE "handoff_request" ADD CONSTRAINT "handoff_request_rating_range"
  CHECK ("rating" BETWEEN 1 AND 5);
