-- CreateIndex
CREATE INDEX "booking_created_at_idx" ON "booking"("created_at");

-- CreateIndex
CREATE INDEX "conversation_created_at_idx" ON "conversation"("created_at");

-- CreateIndex
CREATE INDEX "handoff_request_created_at_idx" ON "handoff_request"("created_at");

-- CreateIndex
CREATE INDEX "payment_paid_at_idx" ON "payment"("paid_at");

-- CreateIndex
CREATE INDEX "payment_refund_updated_at_idx" ON "payment_refund"("updated_at");

-- CreateIndex
CREATE INDEX "transcript_message_at_idx" ON "transcript_message"("at");
