import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REJECTION_REASONS } from './parse-result.ts';
import { DEAD_LETTER_TOPIC, parseMessage, subscriptionFilters } from './topics.ts';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('topics', () => {
  it('subscribes to our format and TTN uplinks, shared when a group is given', () => {
    expect(subscriptionFilters()).toEqual([
      'parking/+/+/occupancy',
      'parking/+/+/heartbeat',
      'v3/+/devices/+/up',
    ]);
    expect(subscriptionFilters('site-a/', 'g1')).toEqual([
      '$share/g1/site-a/parking/+/+/occupancy',
      '$share/g1/site-a/parking/+/+/heartbeat',
      '$share/g1/site-a/v3/+/devices/+/up',
    ]);
  });

  it('routes each topic to its parser, with one ordering key per sensor: the device id the topic names', () => {
    const occ = parseMessage('parking/KXC/B1-004/occupancy', json({ occupied: true }));
    const beat = parseMessage('parking/KXC/B1-004/heartbeat', json({}));
    expect(occ.result).toMatchObject({ ok: true, reading: { kind: 'occupancy' } });
    expect(beat.result).toMatchObject({ ok: true, reading: { kind: 'heartbeat' } });
    expect(occ.key).toBe('KXC/B1-004');
    expect(beat.key).toBe('KXC/B1-004');
    expect(parseMessage('x/parking/KXC/B1-004/occupancy', json({}), 'x/').key).toBe('KXC/B1-004');
    expect(parseMessage('v3/app@ttn/devices/dev-1/up', json({})).key).toBe('dev-1');
  });

  it('honours the prefix and refuses topics it has no parser for', () => {
    expect(parseMessage('x/parking/A/B/occupancy', json({ occupied: true }), 'x/').result.ok).toBe(true);
    expect(parseMessage('parking/A/B/occupancy', json({ occupied: true }), 'x/').result).toMatchObject({
      reason: 'topic.unknown',
    });
    expect(parseMessage(DEAD_LETTER_TOPIC, json({})).result).toMatchObject({ reason: 'topic.unknown' });
    expect(parseMessage('parking//B/occupancy', json({ occupied: true })).result).toMatchObject({
      reason: 'topic.unknown',
    });
  });

  it('answers every topic and payload with a verdict, never an exception (fuzzed)', () => {
    const topics = fc.oneof(
      fc.constantFrom('parking/A/B/occupancy', 'parking/A/B/heartbeat', 'v3/a@t/devices/d/up'),
      fc.string(),
    );
    const payloads = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.json().map((s) => Buffer.from(s)),
      fc.anything().map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')),
      fc
        .record(
          { occupied: fc.anything(), ts: fc.anything(), battery: fc.anything(), rssi: fc.anything() },
          { requiredKeys: [] },
        )
        .map((v) => Buffer.from(JSON.stringify(v))),
    );
    fc.assert(
      fc.property(topics, payloads, (topic, payload) => {
        const { result } = parseMessage(topic, payload);
        if (!result.ok) expect(REJECTION_REASONS).toContain(result.reason);
      }),
      { numRuns: 2000 },
    );
  });
});
