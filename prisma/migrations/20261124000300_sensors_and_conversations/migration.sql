-- CreateTable
CREATE TABLE "sensor" (
    "id" UUID NOT NULL,
    "device_id" TEXT NOT NULL,
    "format" TEXT NOT NULL DEFAULT 'json',
    "facility_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "model" TEXT,
    "firmware_version" TEXT,
    "last_seen_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sensor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "occupancy_change" (
    "id" BIGSERIAL NOT NULL,
    "facility_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "state" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "occupancy_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation" (
    "id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "driver_id" UUID,
    "reference" JSONB,
    "locale" TEXT,
    "mode" TEXT NOT NULL DEFAULT 'bot',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "last_message_at" TIMESTAMPTZ(3),

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "transcript_message" (
    "id" BIGSERIAL NOT NULL,
    "conversation_id" UUID NOT NULL,
    "direction" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "text" TEXT,
    "payload" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transcript_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "handoff_request" (
    "id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "reason" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "agent_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "taken_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "handoff_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sensor_device_id_key" ON "sensor"("device_id");

-- CreateIndex
CREATE UNIQUE INDEX "sensor_space_id_key" ON "sensor"("space_id");

-- CreateIndex
CREATE INDEX "sensor_facility_id_idx" ON "sensor"("facility_id");

-- CreateIndex
CREATE INDEX "occupancy_change_space_id_at_idx" ON "occupancy_change"("space_id", "at");

-- CreateIndex
CREATE INDEX "occupancy_change_facility_id_at_idx" ON "occupancy_change"("facility_id", "at");

-- CreateIndex
CREATE INDEX "conversation_driver_id_idx" ON "conversation"("driver_id");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_channel_external_id_key" ON "conversation"("channel", "external_id");

-- CreateIndex
CREATE INDEX "transcript_message_conversation_id_id_idx" ON "transcript_message"("conversation_id", "id");

-- CreateIndex
CREATE INDEX "handoff_request_status_created_at_idx" ON "handoff_request"("status", "created_at");

-- AddForeignKey
ALTER TABLE "sensor" ADD CONSTRAINT "sensor_facility_id_fkey" FOREIGN KEY ("facility_id") REFERENCES "facility"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sensor" ADD CONSTRAINT "sensor_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "space"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_driver_id_fkey" FOREIGN KEY ("driver_id") REFERENCES "driver"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "transcript_message" ADD CONSTRAINT "transcript_message_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "handoff_request" ADD CONSTRAINT "handoff_request_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
