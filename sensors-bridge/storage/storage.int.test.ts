import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../../test/support/databases.ts';
import { createFacility } from '../../test/support/fixtures.ts';
import { PrismaSensorRepository } from './prisma-sensor.repository.ts';
import { PrismaSpaceDirectoryRepository } from './prisma-space-directory.repository.ts';
import { arrayLiteral } from './sql-arrays.ts';
import { SqlOccupancyHistoryRepository } from './sql-occupancy-history.repository.ts';

describe.each(BACKENDS)('sensors storage on %s', (kind) => {
  let db: TestDatabase;
  let sensors: PrismaSensorRepository;
  let facility: Awaited<ReturnType<typeof createFacility>>;
  const space = (i: number) => facility.spaceIds.standard![i]!;
  beforeAll(async () => {
    db = await freshDatabase(kind);
    sensors = new PrismaSensorRepository(db.prisma, db.sql);
    facility = await createFacility(db, { spaces: { standard: 4, ev: 1 } });
  });
  afterAll(async () => {
    await db.close();
  });

  it('lists spaces with their facility code, as sensors address them', async () => {
    const spaces = await new PrismaSpaceDirectoryRepository(db.prisma).listSpaces();
    expect(spaces).toContainEqual({
      facilityId: facility.id,
      facilityCode: facility.code,
      spaceId: facility.spaceIds.ev![0],
      spaceCode: 'ev-1',
      kind: 'ev',
    });
  });

  it('registers, updates and moves a device, and refuses a space another device has', async () => {
    const input = {
      deviceId: 'bosch-1',
      format: 'ttn-bosch' as const,
      facilityId: facility.id,
      spaceId: space(0),
    };
    const created = await sensors.upsert({ ...input, model: 'TPS110' });
    expect(created).toMatchObject({
      kind: 'created',
      previousSpaceId: null,
      sensor: { deviceId: 'bosch-1', model: 'TPS110' },
    });
    expect(await sensors.upsert({ ...input, model: 'TPS110 v2' })).toMatchObject({
      kind: 'updated',
      previousSpaceId: null,
      sensor: { model: 'TPS110 v2' },
    });
    expect(await sensors.upsert({ ...input, spaceId: space(1) })).toMatchObject({
      kind: 'updated',
      previousSpaceId: space(0),
      sensor: { spaceId: space(1) },
    });
    expect(await sensors.upsert({ ...input, deviceId: 'bosch-2', spaceId: space(1) })).toEqual({
      kind: 'space_taken',
      deviceId: 'bosch-1',
    });
    const id = created.kind === 'created' ? created.sensor.id : '';
    expect((await sensors.get(id))?.spaceId).toBe(space(1));
    expect((await sensors.list()).map((s) => s.deviceId)).toContain('bosch-1');
    expect(await sensors.retire(id)).toMatchObject({ deviceId: 'bosch-1' });
    expect(await sensors.get(id)).toBeNull();
    expect(await sensors.retire(id)).toBeNull();
  });

  it('records last-seen times in one batch, never moving them back, and keeps firmware versions', async () => {
    await sensors.upsert({ deviceId: 'a', format: 'ttn-bosch', facilityId: facility.id, spaceId: space(2) });
    await sensors.upsert({ deviceId: 'b', format: 'ttn-bosch', facilityId: facility.id, spaceId: space(3) });
    const t = (s: number) => new Date(Date.UTC(2030, 5, 3, 8, 0, s));
    await sensors.touch([
      { deviceId: 'a', lastSeenAt: t(10), firmwareVersion: '0.29.2' },
      { deviceId: 'b', lastSeenAt: t(20), firmwareVersion: null },
      { deviceId: 'unknown', lastSeenAt: t(30), firmwareVersion: null },
    ]);
    await sensors.touch([{ deviceId: 'a', lastSeenAt: t(5), firmwareVersion: null }]);
    const byId = new Map((await sensors.list()).map((s) => [s.deviceId, s]));
    expect(byId.get('a')).toMatchObject({ lastSeenAt: t(10), firmwareVersion: '0.29.2' });
    expect(byId.get('b')).toMatchObject({ lastSeenAt: t(20), firmwareVersion: null });
  });

  it('hands text arrays to the database exactly as they are, whatever their characters', async () => {
    const awkward = ['plain', 'B1/004', '', ' padded ', 'a,b', '{x}', 'NULL', 'null', 'ñ€😀', 'tab\there'];
    const roundTrip = async (values: Array<string | null>) =>
      (
        await db.sql.query<{ v: string | null }>(
          'SELECT v FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i',
          [arrayLiteral(values)],
        )
      ).map((r) => r.v);
    // Without quotes, backslashes or nulls (the usual batch), and with them.
    expect(await roundTrip(awkward)).toEqual(awkward);
    const worse = [...awkward, 'say "hi"', 'back\\slash', '\\"', null];
    expect(await roundTrip(worse)).toEqual(worse);
    expect(await roundTrip([])).toEqual([]);
  });

  it('appends history and finds the last change of each space', async () => {
    const history = new SqlOccupancyHistoryRepository(db.sql);
    const row = (spaceId: string, state: 'free' | 'occupied' | 'unknown', minute: number) => ({
      facilityId: facility.id,
      spaceId,
      state,
      at: new Date(Date.UTC(2030, 5, 3, 8, minute)).toISOString(),
      source: 'K"X{C},/B\\1 ',
      receivedAt: new Date(Date.UTC(2030, 5, 3, 8, minute, 1)).toISOString(),
    });
    await history.append([
      row(space(0), 'occupied', 1),
      row(space(0), 'free', 5),
      row(space(1), 'unknown', 3),
    ]);
    await history.append([]);
    const last = await history.lastChanges([space(0), space(1), space(2)]);
    expect(last.get(space(0))).toEqual({ state: 'free', at: new Date(Date.UTC(2030, 5, 3, 8, 5)) });
    expect(last.get(space(1))?.state).toBe('unknown');
    expect(last.has(space(2))).toBe(false);
    const sources = await db.prisma.occupancyChange.findMany({ where: { facilityId: facility.id } });
    expect(new Set(sources.map((r) => r.source))).toEqual(new Set(['K"X{C},/B\\1 ']));
    expect(await db.prisma.occupancyChange.count({ where: { facilityId: facility.id } })).toBe(3);
  });
});
