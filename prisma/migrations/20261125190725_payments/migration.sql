-- CreateEnum
CREATE TYPE "payment_status" AS ENUM ('pending', 'paid', 'expired', 'failed', 'refunded', 'partially_refunded');

-- CreateTable
CREATE TABLE "payment" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'booking',
    "provider" TEXT NOT NULL,
    "status" "payment_status" NOT NULL DEFAULT 'pending',
    "amount_minor" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "refunded_minor" INTEGER NOT NULL DEFAULT 0,
    "provider_checkout_id" TEXT,
    "provider_payment_id" TEXT,
    "checkout_url" TEXT,
    "receipt_url" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "extend_from" TIMESTAMPTZ(3),
    "extend_to" TIMESTAMPTZ(3),
    "paid_at" TIMESTAMPTZ(3),
    "settled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_refund" (
    "id" UUID NOT NULL,
    "payment_id" UUID NOT NULL,
    "amount_minor" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "provider_refund_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "payment_refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_webhook_event" (
    "provider" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_webhook_event_pkey" PRIMARY KEY ("provider","event_id")
);

-- CreateIndex
CREATE INDEX "payment_booking_id_idx" ON "payment"("booking_id");

-- CreateIndex
CREATE INDEX "payment_status_expires_at_idx" ON "payment"("status", "expires_at");

-- CreateIndex
CREATE INDEX "payment_created_at_idx" ON "payment"("created_at");

-- CreateIndex
CREATE INDEX "payment_provider_provider_payment_id_idx" ON "payment"("provider", "provider_payment_id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_provider_provider_checkout_id_key" ON "payment"("provider", "provider_checkout_id");

-- CreateIndex
CREATE INDEX "payment_refund_payment_id_idx" ON "payment_refund"("payment_id");

-- AddForeignKey
ALTER TABLE "payment" ADD CONSTRAINT "payment_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "booking"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_refund" ADD CONSTRAINT "payment_refund_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: never refund more than was paid.
ALTER TABLE "payment" ADD CONSTRAINT "payment_amounts_check" CHECK ("amount_minor" >= 0 AND "refunded_minor" >= 0 AND "refunded_minor" <= "amount_minor");
