import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility, hours } from '../../test/support/fixtures.ts';
import { createBookingCore, type BookingCore } from '../index.ts';

describe.each(BACKENDS)('drivers on %s', (backend) => {
  let db: TestDatabase;
  let core: BookingCore;
  beforeAll(async () => {
    db = await freshDatabase(backend);
    core = createBookingCore({ db });
  });
  afterAll(() => db?.close());

  it('is one driver per channel identity, also when the first messages race', async () => {
    const drivers = await Promise.all(
      Array.from({ length: 5 }, () =>
        core.drivers.findOrCreateByIdentity('telegram', '12345', { name: 'Ada' }),
      ),
    );
    expect(new Set(drivers.map((d) => d.id)).size).toBe(1);
    const other = await core.drivers.findOrCreateByIdentity('web', '12345');
    expect(other.id).not.toBe(drivers[0]?.id);
    expect(drivers[0]?.name).toBe('Ada');
  });

  it('remembers plates, most recent first', async () => {
    const d = await core.drivers.findOrCreateByIdentity('web', 'plates');
    await core.drivers.addPlate(d.id, 'AAA1');
    await core.drivers.addPlate(d.id, 'BBB2');
    await core.drivers.addPlate(d.id, 'AAA1');
    expect(await core.drivers.plates(d.id)).toEqual(['AAA1', 'BBB2']);
  });

  it('erases personal data but keeps anonymised bookings', async () => {
    const d = await core.drivers.findOrCreateByIdentity('web', 'erase-me', { name: 'Eve' });
    await core.drivers.addPlate(d.id, 'EVE1');
    const f = await createFacility(db);
    const from = new Date(Date.now() + hours(30));
    const b = await core.bookings.hold({
      facilityId: f.id,
      window: { from, to: new Date(from.getTime() + hours(1)) },
      plate: 'EVE1',
      driverId: d.id,
    });
    expect(b.ok).toBe(true);
    expect(await core.drivers.erase(d.id)).toEqual({ anonymisedBookings: 1 });
    expect(await core.drivers.get(d.id)).toBeNull();
    expect(await core.drivers.plates(d.id)).toEqual([]);
    const kept = await db.prisma.booking.findMany({ where: { facilityId: f.id } });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ driverId: null, plate: 'ERASED' });
    // the same identity writing again is a new, empty driver
    const again = await core.drivers.findOrCreateByIdentity('web', 'erase-me');
    expect(again.id).not.toBe(d.id);
    expect(again.name).toBeNull();
  });
});
