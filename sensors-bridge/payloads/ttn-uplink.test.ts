import { describe, expect, it } from 'vitest';
import { ttnUplink } from '../../test/support/mqtt.ts';
import { parseTtnUplink } from './ttn-uplink.ts';

const buf = (v: unknown) => Buffer.from(JSON.stringify(v));
const levels = (id: string) => ['parking-app@ttn', id];

describe('The Things Stack v3 uplinks', () => {
  it('decodes a Bosch parking status from frm_payload, with the time and the best gateway rssi', () => {
    const r = parseTtnUplink(
      levels('kxc-1'),
      buf(ttnUplink('kxc-1', { fPort: 1, bytes: [1], rssi: [-110, -93.6] })),
    );
    expect(r).toEqual({
      ok: true,
      address: { format: 'ttn-bosch', deviceId: 'kxc-1' },
      reading: {
        kind: 'occupancy',
        occupied: true,
        observedAt: new Date('2030-06-03T08:00:00.100Z'),
        rssi: -94,
      },
    });
  });

  it('decodes heartbeats and start-up messages (with the firmware version)', () => {
    expect(parseTtnUplink(levels('d'), buf(ttnUplink('d', { fPort: 2, bytes: [0, 255] })))).toMatchObject({
      reading: { kind: 'heartbeat', occupied: false },
    });
    const startup = [0x24, 3, 0, 0, 0x75, 3, 0, 0, 0, 0, 0, 0, 0, 29, 2, 3, 1];
    expect(parseTtnUplink(levels('d'), buf(ttnUplink('d', { fPort: 3, bytes: startup })))).toMatchObject({
      reading: { kind: 'startup', occupied: true, firmwareVersion: '0.29.2' },
    });
    expect(parseTtnUplink(levels('d'), buf(ttnUplink('d', { fPort: 5, bytes: [9, 9] })))).toMatchObject({
      ok: true,
      reading: { kind: 'heartbeat' },
    });
  });

  it('prefers decoded_payload when the application already decoded it', () => {
    const msg = ttnUplink('d', {
      fPort: 1,
      bytes: [0],
      decoded: { type: 'parking status', occupied: true, battery: 64 },
    });
    expect(parseTtnUplink(levels('d'), buf(msg))).toMatchObject({ reading: { occupied: true, battery: 64 } });
  });

  it('falls back to frm_payload when decoded_payload does not say whether the space is occupied', () => {
    const msg = ttnUplink('d', { fPort: 1, bytes: [1], decoded: { temperature: 20 } });
    expect(parseTtnUplink(levels('d'), buf(msg))).toMatchObject({ reading: { occupied: true } });
  });

  it.each([
    ['a device id that is not the topic’s', ttnUplink('other', { bytes: [1] }), 'payload.invalid'],
    ['a port the sensor does not use', ttnUplink('d', { fPort: 99, bytes: [1] }), 'payload.undecodable'],
    ['an empty parking status', ttnUplink('d', { fPort: 1, bytes: [] }), 'payload.undecodable'],
    ['a short start-up message', ttnUplink('d', { fPort: 3, bytes: [1, 2] }), 'payload.undecodable'],
    ['no payload at all', ttnUplink('d', { fPort: 1 }), 'payload.undecodable'],
    ['decoded occupied as a string', ttnUplink('d', { decoded: { occupied: 'yes' } }), 'payload.invalid'],
    ['no uplink_message', { end_device_ids: { device_id: 'd' } }, 'payload.invalid'],
  ])('refuses %s', (_name, msg, reason) => {
    expect(parseTtnUplink(levels('d'), buf(msg))).toMatchObject({ ok: false, reason });
  });

  it('refuses frm_payload that is not base64', () => {
    const msg = ttnUplink('d', { fPort: 1 });
    const bad = { ...msg, uplink_message: { ...msg.uplink_message, frm_payload: '***' } };
    expect(parseTtnUplink(levels('d'), buf(bad))).toMatchObject({ ok: false, reason: 'payload.invalid' });
  });
});
