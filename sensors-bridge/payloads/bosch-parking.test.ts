import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBoschParking } from './bosch-parking.ts';

// Test vectors from the device codec's examples in TheThingsNetwork/lorawan-devices
// (vendor/bosch/tps110-0292-codec.yaml).
describe('Bosch Parking Lot Sensor decoding', () => {
  it('reads the parking status on fPort 1', () => {
    expect(decodeBoschParking(1, Uint8Array.of(1))).toEqual({
      ok: true,
      message: { type: 'parking status', occupied: true },
    });
    expect(decodeBoschParking(1, Uint8Array.of(0))).toEqual({
      ok: true,
      message: { type: 'parking status', occupied: false },
    });
    // only bit 0 counts
    expect(decodeBoschParking(1, Uint8Array.of(0xfe))).toMatchObject({ message: { occupied: false } });
  });

  it('reads a heartbeat with occupancy and a signed temperature on fPort 2', () => {
    expect(decodeBoschParking(2, Uint8Array.of(1, 255))).toEqual({
      ok: true,
      message: { type: 'heartbeat', occupied: true, temperature: -1 },
    });
    expect(decodeBoschParking(2, Uint8Array.of(0, 21))).toMatchObject({
      message: { occupied: false, temperature: 21 },
    });
    expect(decodeBoschParking(2, Uint8Array.of(0))).toEqual({
      ok: true,
      message: { type: 'heartbeat', occupied: false },
    });
  });

  it('reads the start-up message: debug codes, firmware version, reset cause and occupancy', () => {
    const bytes = Uint8Array.of(0x24, 3, 0, 0, 0x75, 3, 0, 0, 0, 0, 0, 0, 0, 29, 2, 3, 1);
    expect(decodeBoschParking(3, bytes)).toEqual({
      ok: true,
      message: {
        type: 'startup',
        debugCodes: [804, 885],
        firmwareVersion: '0.29.2',
        resetCause: 'system request',
        occupied: true,
      },
    });
  });

  it('refuses short payloads and unknown ports instead of guessing', () => {
    expect(decodeBoschParking(1, new Uint8Array())).toMatchObject({ ok: false });
    expect(decodeBoschParking(3, Uint8Array.of(1, 2, 3))).toMatchObject({ ok: false, detail: /17 bytes/ });
    expect(decodeBoschParking(99, Uint8Array.of(1))).toMatchObject({ ok: false, detail: /fPort 99/ });
  });

  it('never throws, whatever the port and bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 300 }), fc.uint8Array({ maxLength: 40 }), (port, bytes) => {
        const r = decodeBoschParking(port, bytes);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});
