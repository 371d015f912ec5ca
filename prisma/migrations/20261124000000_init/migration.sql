-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "space_kind" AS ENUM ('standard', 'ev', 'accessible', 'motorcycle', 'family', 'oversize');

-- CreateEnum
CREATE TYPE "booking_status" AS ENUM ('held', 'confirmed', 'active', 'completed', 'cancelled', 'expired');

-- CreateTable
CREATE TABLE "facility" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "address" TEXT NOT NULL,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "time_zone" TEXT NOT NULL,
    "opening_hours" JSONB NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "hourly_rate_minor" INTEGER NOT NULL,
    "max_stay_minutes" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "facility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "space" (
    "id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "level" TEXT,
    "kind" "space_kind" NOT NULL DEFAULT 'standard',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "space_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "driver" (
    "id" UUID NOT NULL,
    "name" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "preferred_language" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "driver_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "channel_identity" (
    "id" UUID NOT NULL,
    "driver_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channel_identity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "driver_plate" (
    "driver_id" UUID NOT NULL,
    "plate" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "driver_plate_pkey" PRIMARY KEY ("driver_id","plate")
);

-- CreateTable
CREATE TABLE "booking" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "driver_id" UUID,
    "facility_id" UUID NOT NULL,
    "space_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "plate" TEXT NOT NULL,
    "status" "booking_status" NOT NULL DEFAULT 'held',
    "price_minor" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "pricing" JSONB NOT NULL,
    "hold_expires_at" TIMESTAMPTZ(3),
    "idempotency_key" TEXT,
    "request_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "booking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "booking_event" (
    "id" BIGSERIAL NOT NULL,
    "booking_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "from_status" "booking_status",
    "to_status" "booking_status" NOT NULL,
    "actor" TEXT NOT NULL,
    "detail" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "booking_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "facility_code_key" ON "facility"("code");

-- CreateIndex
CREATE INDEX "space_facility_id_kind_idx" ON "space"("facility_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "space_facility_id_code_key" ON "space"("facility_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "driver_phone_key" ON "driver"("phone");

-- CreateIndex
CREATE UNIQUE INDEX "driver_email_key" ON "driver"("email");

-- CreateIndex
CREATE INDEX "channel_identity_driver_id_idx" ON "channel_identity"("driver_id");

-- CreateIndex
CREATE UNIQUE INDEX "channel_identity_channel_external_id_key" ON "channel_identity"("channel", "external_id");

-- CreateIndex
CREATE INDEX "driver_plate_plate_idx" ON "driver_plate"("plate");

-- CreateIndex
CREATE UNIQUE INDEX "booking_reference_key" ON "booking"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "booking_idempotency_key_key" ON "booking"("idempotency_key");

-- CreateIndex
CREATE INDEX "booking_driver_id_idx" ON "booking"("driver_id");

-- CreateIndex
CREATE INDEX "booking_facility_id_starts_at_idx" ON "booking"("facility_id", "starts_at");

-- CreateIndex
CREATE INDEX "booking_plate_idx" ON "booking"("plate");

-- CreateIndex
CREATE INDEX "booking_status_hold_expires_at_idx" ON "booking"("status", "hold_expires_at");

-- CreateIndex
CREATE INDEX "booking_event_booking_id_idx" ON "booking_event"("booking_id");

-- AddForeignKey
ALTER TABLE "space" ADD CONSTRAINT "space_facility_id_fkey" FOREIGN KEY ("facility_id") REFERENCES "facility"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "channel_identity" ADD CONSTRAINT "channel_identity_driver_id_fkey" FOREIGN KEY ("driver_id") REFERENCES "driver"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "driver_plate" ADD CONSTRAINT "driver_plate_driver_id_fkey" FOREIGN KEY ("driver_id") REFERENCES "driver"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking" ADD CONSTRAINT "booking_driver_id_fkey" FOREIGN KEY ("driver_id") REFERENCES "driver"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking" ADD CONSTRAINT "booking_facility_id_fkey" FOREIGN KEY ("facility_id") REFERENCES "facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking" ADD CONSTRAINT "booking_space_id_fkey" FOREIGN KEY ("space_id") REFERENCES "space"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "booking_event" ADD CONSTRAINT "booking_event_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "booking"("id") ON DELETE CASCADE ON UPDATE CASCADE;
