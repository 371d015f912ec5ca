-- Hand-written: a GiST index for "which spaces of this facility are booked during this window",
-- the question behind availability, demand pricing and "any free space" holds.
CREATE INDEX "booking_live_facility_window_idx" ON "booking"
  USING gist ("facility_id", tstzrange("starts_at", "ends_at", '[)'))
  WHERE ("status" IN ('held', 'confirmed', 'active'));
