/**
 * Bosch Parking Lot Sensor uplinks (frm_payload), as documented by the device's codec in
 * TheThingsNetwork/lorawan-devices (vendor/bosch): fPort 1 parking status, 2 heartbeat, 3 start-up;
 * 4–6 carry device information, usage and debug data, which tell us only that the sensor is alive.
 */

export type BoschMessage =
  | { readonly type: 'parking status'; readonly occupied: boolean }
  | { readonly type: 'heartbeat'; readonly occupied: boolean; readonly temperature?: number }
  | {
      readonly type: 'startup';
      readonly occupied: boolean;
      readonly firmwareVersion: string;
      readonly resetCause: string | null;
      readonly debugCodes: readonly number[];
    }
  | { readonly type: 'device information' | 'device usage' | 'debug' };

export type BoschDecoding = { ok: true; message: BoschMessage } | { ok: false; detail: string };

const occupiedBit = (b: number) => (b & 0x01) === 0x01;
const signedByte = (b: number) => (b > 0x7f ? b - 0x100 : b);
// Byte 15 of the start-up message; 0 is not assigned.
const RESET_CAUSES: Readonly<Record<number, string>> = {
  1: 'watchdog',
  2: 'power on',
  3: 'system request',
  4: 'other',
};
const STARTUP_LENGTH = 17;

/** A 12-bit debug code from a little-endian pair; the first three 4-byte slots hold up to three of them. */
function debugCodes(bytes: Uint8Array): number[] {
  const codes: number[] = [];
  for (const at of [0, 4, 8]) {
    const code = ((bytes[at + 1]! & 0x0f) << 8) | bytes[at]!;
    if (code !== 0) codes.push(code);
  }
  return codes;
}

const DECODERS: Readonly<Record<number, { minLength: number; decode: (b: Uint8Array) => BoschMessage }>> = {
  1: { minLength: 1, decode: (b) => ({ type: 'parking status', occupied: occupiedBit(b[0]!) }) },
  2: {
    minLength: 1,
    decode: (b) => ({
      type: 'heartbeat',
      occupied: occupiedBit(b[0]!),
      ...(b.length >= 2 ? { temperature: signedByte(b[1]!) } : {}),
    }),
  },
  3: {
    minLength: STARTUP_LENGTH,
    decode: (b) => ({
      type: 'startup',
      debugCodes: debugCodes(b),
      firmwareVersion: `${b[12]}.${b[13]}.${b[14]}`,
      resetCause: RESET_CAUSES[b[15]!] ?? null,
      occupied: occupiedBit(b[16]!),
    }),
  },
  4: { minLength: 0, decode: () => ({ type: 'device information' }) },
  5: { minLength: 0, decode: () => ({ type: 'device usage' }) },
  6: { minLength: 0, decode: () => ({ type: 'debug' }) },
};

/**
 * Decodes one uplink of a Bosch Parking Lot Sensor.
 *
 *   decodeBoschParking(1, Uint8Array.of(0x01)) // { ok: true, message: { type: 'parking status', occupied: true } }
 */
export function decodeBoschParking(fPort: number, bytes: Uint8Array): BoschDecoding {
  const decoder = DECODERS[fPort];
  if (!decoder) return { ok: false, detail: `fPort ${fPort} is not a Bosch Parking Lot Sensor port` };
  if (bytes.length < decoder.minLength)
    return { ok: false, detail: `fPort ${fPort} needs ${decoder.minLength} bytes, got ${bytes.length}` };
  return { ok: true, message: decoder.decode(bytes) };
}
