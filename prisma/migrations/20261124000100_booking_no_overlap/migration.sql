-- Hand-written: what Prisma's schema cannot express. The database itself refuses
-- double-booking, whatever the application does and however many processes write.

CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE "booking" ADD CONSTRAINT "booking_time_range_check" CHECK ("ends_at" > "starts_at");
ALTER TABLE "booking" ADD CONSTRAINT "booking_price_check" CHECK ("price_minor" >= 0);

-- Two live bookings (held, confirmed, active) of one space can never overlap in time.
-- Half-open ranges: a booking ending at 11:00 and one starting at 11:00 do not overlap.
ALTER TABLE "booking" ADD CONSTRAINT "booking_no_overlap"
  EXCLUDE USING gist ("space_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('held', 'confirmed', 'active'));
