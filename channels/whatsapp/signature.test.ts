import { describe, expect, it } from 'vitest';
import { metaJson } from '../../test/support/whatsapp-graph.ts';
import { signPayload, verifySignature } from './signature.ts';

const secret = 'app-secret-for-tests';

describe('X-Hub-Signature-256', () => {
  const raw = Buffer.from(metaJson({ text: 'Reserva en Peñalara, 9–11 🚗' }));

  it('accepts the HMAC-SHA256 of the exact raw bytes', () => {
    expect(verifySignature(raw, signPayload(raw, secret), secret)).toBe(true);
  });

  it('is computed over the bytes Meta sent, not over re-serialised JSON', () => {
    // Meta escapes non-ASCII as \uXXXX; JSON.stringify of the parsed body does not
    const reserialised = JSON.stringify(JSON.parse(raw.toString('utf8')));
    expect(reserialised).not.toBe(raw.toString('utf8'));
    expect(verifySignature(reserialised, signPayload(raw, secret), secret)).toBe(false);
  });

  it('refuses a missing, malformed, truncated or differently keyed signature', () => {
    const good = signPayload(raw, secret);
    for (const header of [
      undefined,
      '',
      'sha1=abc',
      good.slice(0, -2),
      'sha256=zz',
      signPayload(raw, 'other'),
      [good],
    ])
      expect(verifySignature(raw, header, secret)).toBe(false);
  });

  it('refuses a body changed by one byte', () => {
    const tampered = Buffer.from(raw);
    tampered[5] = tampered[5]! ^ 1;
    expect(verifySignature(tampered, signPayload(raw, secret), secret)).toBe(false);
  });
});
