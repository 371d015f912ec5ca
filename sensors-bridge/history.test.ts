import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from './dead-letters.ts';
import { HistoryWriter } from './history.ts';
import type { OccupancyHistoryRepository, SensorRepository, SensorSeen } from './ports.ts';
import type { OccupancyChangeRow } from './types.ts';

const row = (i: number): OccupancyChangeRow => ({
  facilityId: 'f',
  spaceId: `s${i}`,
  state: i % 2 ? 'occupied' : 'free',
  at: new Date(Date.UTC(2030, 5, 3, 8, 0, i)).toISOString(),
  source: `dev-${i}`,
  receivedAt: new Date(Date.UTC(2030, 5, 3, 8, 0, i, 5)).toISOString(),
});
const seenAt = (s: number) => new Date(Date.UTC(2030, 5, 3, 8, 0, s));
const seenMs = (s: number) => seenAt(s).getTime();

/** A writer on repositories that keep what they are given, and fail while `down` is set. */
function setup(maxRows = 3) {
  const appended: OccupancyChangeRow[][] = [];
  const touched: SensorSeen[][] = [];
  const db = { down: false };
  const history: Pick<OccupancyHistoryRepository, 'append'> = {
    append: async (rows) => {
      if (db.down) throw new Error('database away');
      appended.push([...rows]);
    },
  };
  const sensors: Pick<SensorRepository, 'touch'> = {
    touch: async (seen) => {
      if (db.down) throw new Error('database away');
      touched.push([...seen]);
    },
  };
  const writer = new HistoryWriter(
    history as OccupancyHistoryRepository,
    sensors as SensorRepository,
    silentLogger,
    { maxRows, flushEveryMs: 1000 },
  );
  return { writer, appended, touched, db };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('history writer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes a full batch of history at once, and last-seen times only when flushed, one per sensor', async () => {
    const { writer, appended, touched } = setup();
    writer.recordSeen('a', seenMs(1), '0.29.2');
    writer.recordSeen('b', seenMs(2), null);
    writer.recordSeen('a', seenMs(3), null);
    for (let i = 0; i < 3; i++) writer.recordChange(row(i));
    await settle();
    expect(appended).toEqual([[row(0), row(1), row(2)]]);
    expect(touched).toEqual([]);
    expect(writer.counts.written).toBe(3);

    writer.recordChange(row(3));
    await writer.flush();
    expect(appended).toEqual([[row(0), row(1), row(2)], [row(3)]]);
    expect(touched).toEqual([
      [
        { deviceId: 'a', lastSeenAt: seenAt(3), firmwareVersion: '0.29.2' },
        { deviceId: 'b', lastSeenAt: seenAt(2), firmwareVersion: null },
      ],
    ]);
    await writer.flush();
    expect(touched).toHaveLength(1);
    // A firmware version is written with the times it came with, not again later.
    writer.recordSeen('a', seenMs(4), null);
    await writer.flush();
    expect(touched[1]).toEqual([{ deviceId: 'a', lastSeenAt: seenAt(4), firmwareVersion: null }]);
  });

  it('writes last-seen times on its timer', async () => {
    vi.useFakeTimers();
    const { writer, touched } = setup();
    writer.start();
    writer.recordSeen('a', seenMs(1), null);
    await vi.advanceTimersByTimeAsync(999);
    expect(touched).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(touched).toEqual([[{ deviceId: 'a', lastSeenAt: seenAt(1), firmwareVersion: null }]]);
    await writer.stop();
  });

  it('keeps what it could not write and writes it, in order, once the database is back', async () => {
    const { writer, appended, touched, db } = setup(100);
    db.down = true;
    writer.recordChange(row(0));
    writer.recordSeen('a', seenMs(1), null);
    await writer.flush();
    writer.recordChange(row(1));
    expect(writer.pending).toBe(2);
    db.down = false;
    await writer.flush();
    expect(appended).toEqual([[row(0), row(1)]]);
    expect(touched).toEqual([[{ deviceId: 'a', lastSeenAt: seenAt(1), firmwareVersion: null }]]);
    expect(writer.counts).toEqual({ written: 2, dropped: 0 });
  });

  it('keeps last-seen times it could not write, unless the sensor was heard from again since', async () => {
    const { writer, touched, db } = setup();
    writer.recordSeen('a', seenMs(1), '1.0');
    writer.recordSeen('b', seenMs(2), null);
    db.down = true;
    await writer.flush();
    writer.recordSeen('b', seenMs(5), null);
    db.down = false;
    await writer.flush();
    expect(touched).toHaveLength(1);
    expect([...touched[0]!].sort((x, y) => x.deviceId.localeCompare(y.deviceId))).toEqual([
      { deviceId: 'a', lastSeenAt: seenAt(1), firmwareVersion: '1.0' },
      { deviceId: 'b', lastSeenAt: seenAt(5), firmwareVersion: null },
    ]);
  });
});
