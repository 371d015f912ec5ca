import { describe, expect, it } from 'vitest';
import { parseHeartbeatMessage, parseOccupancyMessage } from './json-format.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('our JSON format', () => {
  it('reads an occupancy message with all its fields', () => {
    const r = parseOccupancyMessage(
      ['KXC', 'B1-004'],
      json({ occupied: true, ts: '2030-06-03T08:00:00+01:00', battery: 87, rssi: -71.4 }),
    );
    expect(r).toEqual({
      ok: true,
      address: { format: 'json', facilityCode: 'KXC', spaceCode: 'B1-004' },
      reading: {
        kind: 'occupancy',
        occupied: true,
        observedAt: new Date('2030-06-03T07:00:00Z'),
        battery: 87,
        rssi: -71,
      },
    });
  });

  it('needs only `occupied`, and ignores fields it does not know', () => {
    expect(parseOccupancyMessage(['A', 'B'], json({ occupied: false, colour: 'red' }))).toEqual({
      ok: true,
      address: { format: 'json', facilityCode: 'A', spaceCode: 'B' },
      reading: { kind: 'occupancy', occupied: false },
    });
  });

  it('reads heartbeats with or without occupancy', () => {
    expect(parseHeartbeatMessage(['A', 'B'], json({ battery: 12 }))).toMatchObject({
      ok: true,
      reading: { kind: 'heartbeat', battery: 12 },
    });
    expect(parseHeartbeatMessage(['A', 'B'], json({}))).toMatchObject({
      ok: true,
      reading: { kind: 'heartbeat' },
    });
    expect(parseHeartbeatMessage(['A', 'B'], json({ occupied: true }))).toMatchObject({
      reading: { occupied: true },
    });
  });

  it.each([
    ['not JSON', Buffer.from('occupied'), 'payload.not_json'],
    ['a bare boolean', json(true), 'payload.invalid'],
    ['occupied as a string', json({ occupied: 'true' }), 'payload.invalid'],
    ['occupied as 1', json({ occupied: 1 }), 'payload.invalid'],
    ['no occupied', json({ battery: 50 }), 'payload.invalid'],
    ['a ts without a zone', json({ occupied: true, ts: '2030-06-03T08:00:00' }), 'payload.invalid'],
    ['a ts that is a number', json({ occupied: true, ts: 1_900_000_000 }), 'payload.invalid'],
    ['battery above 100', json({ occupied: true, battery: 101 }), 'payload.invalid'],
    ['battery negative', json({ occupied: true, battery: -1 }), 'payload.invalid'],
    ['rssi as text', json({ occupied: true, rssi: '-70dBm' }), 'payload.invalid'],
    ['an array', json([{ occupied: true }]), 'payload.invalid'],
    ['null', json(null), 'payload.invalid'],
  ])('refuses %s', (_name, payload, reason) => {
    expect(parseOccupancyMessage(['A', 'B'], payload)).toMatchObject({ ok: false, reason });
  });

  it('names the field at fault', () => {
    expect(parseOccupancyMessage(['A', 'B'], json({ occupied: 'yes' }))).toMatchObject({
      detail: /occupied/,
    });
  });
});
