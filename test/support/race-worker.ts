// A separate process racing for one space: prints one JSON line with its outcomes.
// argv: <databaseUrl> <facilityId> <spaceId> <fromIso> <count>
import { createBookingCore, openDatabase } from '../../booking-core/index.ts';

const [url, facilityId, spaceId, fromIso, count] = process.argv.slice(2);
const db = await openDatabase({ kind: 'postgres', url: url!, poolSize: Number(count) });
const core = createBookingCore({ db });
const from = new Date(fromIso!);
const outcomes = await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    core.bookings
      .hold({
        facilityId: facilityId!,
        spaceId: spaceId!,
        window: {
          from: new Date(from.getTime() + i * 60_000),
          to: new Date(from.getTime() + 3_600_000 + i * 60_000),
        },
        plate: `P${process.pid}X${i}`.slice(0, 12),
        driverId: null,
      })
      .then((r) => (r.ok ? 'won' : r.error.code)),
  ),
);
console.log(JSON.stringify(outcomes));
await db.close();
