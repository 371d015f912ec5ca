import { describe, expect, it } from 'vitest';
import {
  applyReading,
  blankRecord,
  DEFAULT_RULES,
  restoredRecord,
  sweepRecord,
  type ApplyOutcome,
  type HealthRules,
} from './tracker.ts';
import type { SensorReading, SpaceRecord, SpaceRef } from './types.ts';

const T0 = Date.parse('2030-06-03T08:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const space: SpaceRef = {
  facilityId: 'f',
  facilityCode: 'KXC',
  spaceId: 's',
  spaceCode: 'B1-001',
  kind: 'ev',
};
const rules: HealthRules = {
  ...DEFAULT_RULES,
  offlineAfterMs: 600_000,
  flapMaxChanges: 3,
  flapWindowMs: 60_000,
  flapSettleMs: 120_000,
};

const accepted = (o: ApplyOutcome) => {
  if (o.kind !== 'accepted') throw new Error(`rejected: ${o.reason}`);
  return o;
};
/** Applies readings in turn, each received at its own second; returns the final record and every event. */
function feed(start: SpaceRecord, steps: Array<[seconds: number, reading: SensorReading]>) {
  let record = start;
  const occupancy: string[] = [];
  const health: string[] = [];
  for (const [s, reading] of steps) {
    const o = accepted(applyReading(record, reading, at(s), rules));
    record = o.record;
    if (o.occupancy) occupancy.push(o.occupancy.state);
    if (o.health) health.push(o.health.status);
  }
  return { record, occupancy, health };
}
const occ = (occupied: boolean, tsSeconds?: number): SensorReading => ({
  kind: 'occupancy',
  occupied,
  ...(tsSeconds !== undefined ? { observedAt: at(tsSeconds) } : {}),
});
const blank = () => blankRecord(space, 'dev-1', at(0));

describe('applying readings', () => {
  it('brings a new sensor online and publishes its first state, timed by the sensor', () => {
    const o = accepted(applyReading(blank(), occ(true, -3), at(0), rules));
    expect(o.record).toMatchObject({
      state: 'occupied',
      status: 'online',
      sensed: true,
      lastSeenAt: at(0).toISOString(),
    });
    expect(o.occupancy).toEqual({
      facilityId: 'f',
      spaceId: 's',
      spaceCode: 'B1-001',
      kind: 'ev',
      state: 'occupied',
      previous: 'unknown',
      at: at(-3).toISOString(),
      source: 'dev-1',
    });
    expect(o.health).toMatchObject({ status: 'online', previous: 'offline', deviceId: 'dev-1' });
  });

  it('publishes a change only when the state changes', () => {
    const { occupancy } = feed(blank(), [
      [0, occ(false)],
      [10, occ(false)],
      [20, occ(true)],
      [30, { kind: 'heartbeat' }],
      [40, { kind: 'heartbeat', occupied: true }],
    ]);
    expect(occupancy).toEqual(['free', 'occupied']);
  });

  it('refuses a reading older than the last accepted one, and accepts one of the same time', () => {
    const { record } = feed(blank(), [[0, occ(true, 100)]]);
    expect(applyReading(record, occ(false, 99), at(1), rules)).toMatchObject({
      kind: 'rejected',
      reason: 'reading.out_of_order',
    });
    expect(applyReading(record, occ(true, 100), at(1), rules).kind).toBe('accepted');
  });

  it('refuses a timestamp far ahead of our clock, which would lock out every later reading', () => {
    expect(applyReading(blank(), occ(true, 3600), at(0), rules)).toMatchObject({
      reason: 'reading.from_future',
    });
    expect(applyReading(blank(), occ(true, 60), at(0), rules).kind).toBe('accepted');
  });

  it('tracks battery and signal, and reports a battery running low once', () => {
    const { record, health } = feed(blank(), [
      [0, { kind: 'heartbeat', occupied: false, battery: 40, rssi: -80 }],
      [10, { kind: 'heartbeat', battery: 15 }],
      [20, { kind: 'heartbeat', battery: 14 }],
    ]);
    expect(record).toMatchObject({ battery: 14, rssi: -80, state: 'free' });
    expect(health).toEqual(['online', 'online']);
    const o = accepted(applyReading(record, { kind: 'heartbeat', battery: 90 }, at(30), rules));
    expect(o.health).toMatchObject({ lowBattery: false });
  });

  it('keeps the firmware version a start-up message reports', () => {
    const { record } = feed(blank(), [[0, { kind: 'startup', occupied: false, firmwareVersion: '0.29.2' }]]);
    expect(record.firmwareVersion).toBe('0.29.2');
  });
});

describe('offline sensors', () => {
  const online = () => feed(blank(), [[0, occ(false)]]).record;

  it('turns a silent sensor offline, and its space unknown, only after the limit', () => {
    expect(sweepRecord(online(), at(600), rules)).toBeNull();
    const t = sweepRecord(online(), at(601), rules)!;
    expect(t.record).toMatchObject({ status: 'offline', state: 'unknown' });
    expect(t.occupancy).toMatchObject({
      state: 'unknown',
      previous: 'free',
      source: 'health',
      at: at(601).toISOString(),
    });
    expect(t.health).toMatchObject({ status: 'offline', previous: 'online' });
    expect(sweepRecord(t.record, at(9999), rules)).toBeNull();
  });

  it('keeps the space unknown when the sensor returns without saying whether it is occupied', () => {
    const off = sweepRecord(online(), at(700), rules)!.record;
    const beat = accepted(applyReading(off, { kind: 'heartbeat', battery: 80 }, at(710), rules));
    expect(beat.record).toMatchObject({ status: 'online', state: 'unknown' });
    expect(beat.health).toMatchObject({ status: 'online', previous: 'offline' });
    const back = accepted(applyReading(beat.record, occ(true), at(720), rules));
    expect(back.occupancy).toMatchObject({ state: 'occupied', previous: 'unknown' });
  });

  it('treats a registered sensor never heard from as unknown and offline', () => {
    expect(blank()).toMatchObject({ state: 'unknown', status: 'offline', lastSeenAt: null });
  });
});

describe('flapping sensors', () => {
  // rules: more than 3 changes within 60 s is flapping; trusted again after 120 s without a change
  it('marks a sensor that flips too often as flapping and keeps the state it had before the burst', () => {
    const { record, occupancy, health } = feed(blank(), [
      [0, occ(true)],
      [1000, occ(false)], // a car left long ago: stable "free" from here
      [2000, occ(true)],
      [2005, occ(false)],
      [2010, occ(true)],
      [2015, occ(false)], // the 4th change within 60 s
      [2020, occ(true)],
      [2025, occ(false)],
    ]);
    expect(record.status).toBe('flapping');
    expect(record.state).toBe('free'); // what held before the burst (2000 s)
    expect(occupancy).toEqual(['occupied', 'free', 'occupied', 'free', 'occupied', 'free']);
    expect(health).toEqual(['online', 'flapping']);
  });

  it('reverts to the stable state when the flapping starts on a different one', () => {
    const { record, occupancy } = feed(blank(), [
      [0, occ(false)],
      [1000, occ(true)], // stable "free" before this burst
      [1001, occ(false)],
      [1002, occ(true)],
      [1003, occ(false)],
    ]);
    expect(record).toMatchObject({ status: 'flapping', state: 'free' });
    expect(occupancy).toEqual(['free', 'occupied', 'free', 'occupied', 'free']);
  });

  it('trusts the sensor again once it has settled, publishing what it now reads', () => {
    const flapping = feed(blank(), [
      [0, occ(false)],
      [1000, occ(true)],
      [1001, occ(false)],
      [1002, occ(true)],
      [1003, occ(false)],
      [1004, occ(true)],
    ]).record;
    expect(flapping).toMatchObject({ status: 'flapping', state: 'free', sensed: true });
    expect(sweepRecord(flapping, at(1100), rules)).toBeNull();
    const settled = sweepRecord(flapping, at(1124), rules)!;
    expect(settled.record).toMatchObject({ status: 'online', state: 'occupied', flips: [] });
    expect(settled.occupancy).toMatchObject({ state: 'occupied', previous: 'free', source: 'health' });
    expect(settled.health).toMatchObject({ status: 'online', previous: 'flapping' });
  });

  it('also settles on a steady reading arriving after the settle time', () => {
    const flapping = feed(blank(), [
      [0, occ(false)],
      [1000, occ(true)],
      [1001, occ(false)],
      [1002, occ(true)],
      [1003, occ(false)],
    ]).record;
    const o = accepted(applyReading(flapping, occ(false), at(1200), rules));
    expect(o.record.status).toBe('online');
    expect(o.health).toMatchObject({ status: 'online', previous: 'flapping' });
  });
});

describe('restoring at start', () => {
  const memory = (seenSecondsAgo: number | null, state: 'free' | 'occupied' | 'unknown' = 'occupied') => ({
    lastChange: { state, at: at(-5000) },
    lastSeenAt: seenSecondsAgo === null ? null : at(-seenSecondsAgo),
    firmwareVersion: '1.2.3',
  });

  it('picks up a recently seen sensor where it was', () => {
    expect(restoredRecord(space, 'd', memory(60), at(0), rules)).toMatchObject({
      state: 'occupied',
      status: 'online',
      sensed: true,
      readingAt: at(-5000).toISOString(),
      firmwareVersion: '1.2.3',
    });
  });

  it('starts a sensor silent for too long, or never seen, as offline and unknown', () => {
    expect(restoredRecord(space, 'd', memory(601), at(0), rules)).toMatchObject({
      state: 'unknown',
      status: 'offline',
    });
    expect(restoredRecord(space, 'd', memory(null), at(0), rules)).toMatchObject({
      state: 'unknown',
      status: 'offline',
    });
    expect(restoredRecord(space, 'd', memory(10, 'unknown'), at(0), rules)).toMatchObject({
      state: 'unknown',
    });
  });
});

describe('a sensor gone mad', () => {
  it('keeps its record small however often it flips', () => {
    let record = blankRecord(space, 'dev-1', at(0));
    for (let i = 0; i < 1000; i++) {
      const o = applyReading(record, { kind: 'occupancy', occupied: i % 2 === 0 }, at(i / 10), rules);
      if (o.kind === 'accepted') record = o.record;
    }
    expect(record.status).toBe('flapping');
    expect(record.flips.length).toBeLessThanOrEqual(rules.flapMaxChanges + 1);
  });
});
