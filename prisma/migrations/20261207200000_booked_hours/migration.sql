-- Hand-written: demand and free spaces for a hold without reading every booking of the window.
-- Each space gets an ordinal in its facility; spaces are kept as bitmaps of 64 spaces per row
-- ("chunk"): which spaces there are, per kind, and which are booked (held, confirmed, active) at
-- some time during each UTC hour. Triggers keep both exact; a window made of whole hours is then
-- counted from a few rows. The exclusion constraint `booking_no_overlap` stays the guard against
-- double-booking; these only count and suggest.
--
-- Consecutive ordinals go to different chunks (32 chunks per 2048 spaces, ordinal mod 32 picks
-- the chunk), so holds of neighbouring spaces in the same hour do not queue for one row lock.
CREATE FUNCTION space_chunk(ordinal INTEGER) RETURNS INTEGER LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT (ordinal & 31) | ((ordinal >> 11) << 5) $$;
CREATE FUNCTION space_bit(ordinal INTEGER) RETURNS BIGINT LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT 1::bigint << ((ordinal >> 5) & 63) $$;
-- The ordinal of bit `i` (0..63) of `chunk`.
CREATE FUNCTION space_ordinal(chunk INTEGER, i INTEGER) RETURNS INTEGER LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT ((chunk >> 5) << 11) | (i << 5) | (chunk & 31) $$;

ALTER TABLE "space" ADD COLUMN "ordinal" INTEGER;

UPDATE "space" s SET "ordinal" = n.o
FROM (SELECT id, (row_number() OVER (PARTITION BY facility_id ORDER BY created_at, id) - 1)::int AS o FROM "space") n
WHERE s.id = n.id;

CREATE UNIQUE INDEX "space_facility_id_ordinal_key" ON "space"("facility_id", "ordinal");

CREATE TABLE "space_kind_mask" (
    "facility_id" UUID NOT NULL,
    "kind" "space_kind" NOT NULL,
    "chunk" INTEGER NOT NULL,
    "mask" BIGINT NOT NULL,

    CONSTRAINT "space_kind_mask_pkey" PRIMARY KEY ("facility_id","kind","chunk")
);

CREATE TABLE "booked_hour" (
    "facility_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "chunk" INTEGER NOT NULL,
    "busy" BIGINT NOT NULL,

    CONSTRAINT "booked_hour_pkey" PRIMARY KEY ("facility_id","hour","chunk")
);

-- The UTC hours a time range touches: [floor(from), to) in steps of an hour.
CREATE FUNCTION booking_hours(from_at TIMESTAMPTZ, to_at TIMESTAMPTZ) RETURNS SETOF TIMESTAMPTZ
LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT to_timestamp(h * 3600) FROM generate_series(
    floor(extract(epoch FROM from_at) / 3600)::bigint,
    ceil(extract(epoch FROM to_at) / 3600)::bigint - 1) AS h
$$;

-- A new space takes the next ordinal of its facility. Locking the facility row (as a key-keeping
-- update, so bookings' foreign-key checks are not blocked) makes concurrent inserts take turns.
CREATE FUNCTION space_assign_ordinal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.ordinal IS NULL THEN
    PERFORM FROM facility WHERE id = NEW.facility_id FOR NO KEY UPDATE;
    SELECT coalesce(max(ordinal) + 1, 0) INTO NEW.ordinal FROM space WHERE facility_id = NEW.facility_id;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER space_assign_ordinal BEFORE INSERT ON "space"
  FOR EACH ROW EXECUTE FUNCTION space_assign_ordinal();

-- Bookings' bits are kept under the space's ordinal in its facility: both stay as they are.
CREATE FUNCTION space_keep_ordinal() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.facility_id <> OLD.facility_id THEN
    RAISE EXCEPTION 'a space cannot move to another facility' USING ERRCODE = 'check_violation';
  END IF;
  NEW.ordinal := OLD.ordinal;
  RETURN NEW;
END $$;

CREATE TRIGGER space_keep_ordinal BEFORE UPDATE OF facility_id, ordinal ON "space"
  FOR EACH ROW EXECUTE FUNCTION space_keep_ordinal();

CREATE FUNCTION space_kind_mask_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE space_kind_mask SET mask = mask & ~space_bit(OLD.ordinal)
    WHERE facility_id = OLD.facility_id AND kind = OLD.kind AND chunk = space_chunk(OLD.ordinal);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO space_kind_mask (facility_id, kind, chunk, mask)
    VALUES (NEW.facility_id, NEW.kind, space_chunk(NEW.ordinal), space_bit(NEW.ordinal))
    ON CONFLICT (facility_id, kind, chunk) DO UPDATE SET mask = space_kind_mask.mask | excluded.mask;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER space_kind_mask_sync AFTER INSERT OR DELETE OR UPDATE OF kind ON "space"
  FOR EACH ROW EXECUTE FUNCTION space_kind_mask_sync();

-- A live booking sets its space's bit in every hour it touches. A booking that stops being live,
-- moves or shrinks clears the bit of each hour it left, unless another live booking of the space
-- is in that hour: the hour's row is locked first, so that check sees every booking committed
-- before it (each statement of this function takes a new snapshot under READ COMMITTED).
CREATE FUNCTION booked_hour_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_live BOOLEAN := TG_OP <> 'INSERT' AND OLD.status IN ('held', 'confirmed', 'active');
  new_live BOOLEAN := TG_OP <> 'DELETE' AND NEW.status IN ('held', 'confirmed', 'active');
  o INTEGER;
  h TIMESTAMPTZ;
BEGIN
  IF new_live THEN
    SELECT ordinal INTO o FROM space WHERE id = NEW.space_id;
    INSERT INTO booked_hour (facility_id, hour, chunk, busy)
    SELECT NEW.facility_id, bh, space_chunk(o), space_bit(o) FROM booking_hours(NEW.starts_at, NEW.ends_at) AS bh
    ON CONFLICT (facility_id, hour, chunk) DO UPDATE SET busy = booked_hour.busy | excluded.busy;
  END IF;
  IF old_live THEN
    SELECT ordinal INTO o FROM space WHERE id = OLD.space_id;
    FOR h IN
      SELECT bh FROM booking_hours(OLD.starts_at, OLD.ends_at) AS bh
      WHERE NOT (new_live AND NEW.space_id = OLD.space_id AND NEW.facility_id = OLD.facility_id
        AND bh >= to_timestamp(floor(extract(epoch FROM NEW.starts_at) / 3600) * 3600) AND bh < NEW.ends_at)
      ORDER BY bh
    LOOP
      PERFORM FROM booked_hour WHERE facility_id = OLD.facility_id AND hour = h AND chunk = space_chunk(o) FOR UPDATE;
      IF NOT EXISTS (
        SELECT FROM booking b WHERE b.space_id = OLD.space_id AND b.status IN ('held', 'confirmed', 'active')
          AND tstzrange(b.starts_at, b.ends_at, '[)') && tstzrange(h, h + interval '1 hour', '[)')) THEN
        UPDATE booked_hour SET busy = busy & ~space_bit(o)
        WHERE facility_id = OLD.facility_id AND hour = h AND chunk = space_chunk(o);
      END IF;
    END LOOP;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER booked_hour_insert AFTER INSERT ON "booking"
  FOR EACH ROW WHEN (NEW.status IN ('held', 'confirmed', 'active')) EXECUTE FUNCTION booked_hour_sync();
CREATE TRIGGER booked_hour_update AFTER UPDATE OF status, starts_at, ends_at, space_id, facility_id ON "booking"
  FOR EACH ROW WHEN (
    (OLD.status IN ('held', 'confirmed', 'active')) IS DISTINCT FROM (NEW.status IN ('held', 'confirmed', 'active'))
    OR ((NEW.status IN ('held', 'confirmed', 'active')) AND (OLD.starts_at, OLD.ends_at, OLD.space_id, OLD.facility_id)
      IS DISTINCT FROM (NEW.starts_at, NEW.ends_at, NEW.space_id, NEW.facility_id)))
  EXECUTE FUNCTION booked_hour_sync();
CREATE TRIGGER booked_hour_delete AFTER DELETE ON "booking"
  FOR EACH ROW WHEN (OLD.status IN ('held', 'confirmed', 'active')) EXECUTE FUNCTION booked_hour_sync();

-- Existing spaces and live bookings.
INSERT INTO space_kind_mask (facility_id, kind, chunk, mask)
SELECT facility_id, kind, space_chunk(ordinal), bit_or(space_bit(ordinal)) FROM "space"
GROUP BY facility_id, kind, space_chunk(ordinal);

INSERT INTO booked_hour (facility_id, hour, chunk, busy)
SELECT b.facility_id, bh, space_chunk(s.ordinal), bit_or(space_bit(s.ordinal))
FROM booking b JOIN "space" s ON s.id = b.space_id CROSS JOIN LATERAL booking_hours(b.starts_at, b.ends_at) AS bh
WHERE b.status IN ('held', 'confirmed', 'active')
GROUP BY b.facility_id, bh, space_chunk(s.ordinal);
