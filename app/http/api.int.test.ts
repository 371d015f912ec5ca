import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../test/support/databases.ts';
import { startTestPlatform, type RunningPlatform } from '../../test/support/platform.ts';

interface FacilityJson {
  id: string;
  code: string;
  freeNow: { total: number; free: number };
  spaces?: Array<{ id: string; kind: string }>;
}

const inDays = (d: number, hour: number) => {
  const t = new Date(Date.now() + d * 86_400_000);
  t.setUTCHours(hour, 0, 0, 0);
  return t.toISOString();
};

describe.each(BACKENDS)('REST API on %s', (backend) => {
  let p: RunningPlatform;
  let kxc: FacilityJson; // King's Cross: open 24/7, max stay 72 h
  let sbc: FacilityJson; // Southbank: max stay 6 h, 07:00–24:00
  const counts = async () => ({
    bookings: await p.db.prisma.booking.count(),
    drivers: await p.db.prisma.driver.count(),
    events: await p.db.prisma.bookingEvent.count(),
  });
  const json = async (r: Response) => (await r.json()) as Record<string, unknown>;

  beforeAll(async () => {
    p = await startTestPlatform(backend);
    const list = (await json(await p.api('/api/v1/facilities'))).facilities as FacilityJson[];
    kxc = list.find((f) => f.code === 'KXC')!;
    sbc = list.find((f) => f.code === 'SBC')!;
  });
  afterAll(() => p?.stop());

  it('answers health and readiness without a key, and everything under /api/v1 only with one', async () => {
    expect((await p.api('/healthz', { auth: false })).status).toBe(200);
    const ready = await p.api('/readyz', { auth: false });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok' },
    });
    const anon = await p.api('/api/v1/facilities', { auth: false });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const wrong = await p.api('/api/v1/facilities', {
      auth: false,
      headers: { authorization: 'Bearer nope-nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('nope');
  });

  it('lists the seeded demo city, nearest first, with free counts', async () => {
    const all = (await json(await p.api('/api/v1/facilities'))).facilities as FacilityJson[];
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(all.reduce((a, f) => a + f.freeNow.total, 0)).toBeGreaterThanOrEqual(300);
    const near = (await json(await p.api('/api/v1/facilities?near=51.5316,-0.1236&radiusKm=3')))
      .facilities as Array<FacilityJson & { distanceKm: number }>;
    expect(near[0]?.code).toBe('KXC');
    expect(near.every((f) => f.distanceKm <= 3)).toBe(true);
    expect(near.map((f) => f.distanceKm)).toEqual([...near.map((f) => f.distanceKm)].sort((a, b) => a - b));
  });

  it('shows one facility with its spaces, including EV and accessible bays', async () => {
    const f = (await json(await p.api(`/api/v1/facilities/${kxc.id}`))) as unknown as FacilityJson;
    expect(f.spaces?.length).toBe(kxc.freeNow.total);
    expect(f.spaces?.some((s) => s.kind === 'ev')).toBe(true);
    expect(f.spaces?.some((s) => s.kind === 'accessible')).toBe(true);
    expect((await p.api('/api/v1/facilities/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('reports availability for a window and kind, and quotes a price that explains itself', async () => {
    const a = await json(
      await p.api(
        `/api/v1/facilities/${kxc.id}/availability?from=${inDays(2, 9)}&to=${inDays(2, 11)}&kind=ev`,
      ),
    );
    expect(a.kind).toBe('ev');
    expect(a.free).toBeGreaterThan(0);
    expect((a.spaces as Array<{ kind: string }>).every((s) => s.kind === 'ev')).toBe(true);
    const q = await p.api('/api/v1/quotes', {
      method: 'POST',
      json: { facilityId: kxc.id, from: inDays(2, 9), to: inDays(2, 11), kind: 'ev' },
    });
    expect(q.status).toBe(200);
    expect(await q.json()).toMatchObject({
      minutes: 120,
      multiplier: 1,
      base: { amountMinor: 1300, currency: 'GBP' },
      total: { amountMinor: 1300, currency: 'GBP' },
      explanation: expect.stringContaining('120 min'),
    });
    const tooLong = await p.api('/api/v1/quotes', {
      method: 'POST',
      json: { facilityId: sbc.id, from: inDays(2, 9), to: inDays(2, 20) },
    });
    expect(tooLong.status).toBe(409);
    expect(await tooLong.json()).toMatchObject({ code: 'BOOKING.TOO_LONG' });
  });

  it('books, retries idempotently, confirms, extends, lists and cancels', async () => {
    const body = {
      facilityId: kxc.id,
      from: inDays(3, 9),
      to: inDays(3, 11),
      kind: 'ev',
      plate: 'ab12 cde',
      driver: { name: 'Ada', phone: '+44 7700 900123' },
    };
    const headers = { 'idempotency-key': `k-${backend}-1` };
    const first = await p.api('/api/v1/bookings', { method: 'POST', json: body, headers });
    expect(first.status).toBe(201);
    const b = await json(first);
    expect(first.headers.get('location')).toBe(`/api/v1/bookings/${b.id}`);
    expect(b).toMatchObject({
      status: 'held',
      plate: 'AB12 CDE',
      spaceKind: 'ev',
      price: { amountMinor: 1300, currency: 'GBP' },
    });
    expect(b.local).toMatchObject({ timeZone: 'Europe/London' });

    const before = await counts();
    const retries = await Promise.all(
      [1, 2, 3].map(() => p.api('/api/v1/bookings', { method: 'POST', json: body, headers })),
    );
    for (const r of retries) {
      expect(r.status).toBe(200);
      expect(r.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(r)).id).toBe(b.id);
    }
    expect(await counts()).toEqual(before);
    const reused = await p.api('/api/v1/bookings', {
      method: 'POST',
      json: { ...body, plate: 'OTHER1' },
      headers,
    });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'BOOKING.IDEMPOTENCY_KEY_REUSED' });

    const confirmed = await p.api(`/api/v1/bookings/${b.id}/confirm`, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect((await json(confirmed)).status).toBe('confirmed');
    const extended = await json(
      await p.api(`/api/v1/bookings/${b.id}/extend`, { method: 'POST', json: { to: inDays(3, 12) } }),
    );
    expect(extended).toMatchObject({ to: inDays(3, 12), price: { amountMinor: 1950 } });

    const byPlate = (await json(await p.api('/api/v1/bookings?plate=AB12%20CDE'))).bookings as Array<{
      id: string;
    }>;
    expect(byPlate.map((x) => x.id)).toContain(b.id);
    const byDriver = (await json(await p.api(`/api/v1/bookings?driverId=${b.driverId}&status=confirmed`)))
      .bookings as Array<{ id: string }>;
    expect(byDriver.map((x) => x.id)).toEqual([b.id]);
    const detail = await json(await p.api(`/api/v1/bookings/${b.id}`));
    expect((detail.history as Array<{ action: string }>).map((h) => h.action)).toEqual([
      'hold',
      'confirm',
      'extend',
    ]);

    const cancelled = await p.api(`/api/v1/bookings/${b.id}/cancel`, {
      method: 'POST',
      json: { reason: 'test' },
    });
    expect((await json(cancelled)).status).toBe('cancelled');
    const confirmAgain = await p.api(`/api/v1/bookings/${b.id}/confirm`, { method: 'POST' });
    expect(confirmAgain.status).toBe(409);
    expect(await confirmAgain.json()).toMatchObject({ code: 'BOOKING.INVALID_STATE' });
  });

  it('refuses with 409 and a stable code when a specific space is taken', async () => {
    const f = (await json(await p.api(`/api/v1/facilities/${kxc.id}`))) as unknown as FacilityJson;
    const spaceId = f.spaces?.[0]?.id;
    const book = () =>
      p.api('/api/v1/bookings', {
        method: 'POST',
        json: { facilityId: kxc.id, spaceId, from: inDays(4, 9), to: inDays(4, 10), plate: 'ZZ99 ZZZ' },
      });
    expect((await book()).status).toBe(201);
    const second = await book();
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ code: 'BOOKING.SPACE_TAKEN' });
  });

  const fid = () => kxc.id;
  const bad: Array<[string, string, string, unknown?, Record<string, string>?]> = [
    ['bad near', 'GET', '/api/v1/facilities?near=north'],
    ['radius without near', 'GET', '/api/v1/facilities?radiusKm=2'],
    ['negative radius', 'GET', '/api/v1/facilities?near=51.5,-0.1&radiusKm=-1'],
    ['facility id not a uuid', 'GET', '/api/v1/facilities/kings-cross'],
    ['availability without window', 'GET', `/api/v1/facilities/:fid/availability`],
    [
      'availability reversed',
      'GET',
      `/api/v1/facilities/:fid/availability?from=${inDays(2, 11)}&to=${inDays(2, 9)}`,
    ],
    [
      'availability unknown kind',
      'GET',
      `/api/v1/facilities/:fid/availability?from=${inDays(2, 9)}&to=${inDays(2, 11)}&kind=tank`,
    ],
    [
      'availability date without zone',
      'GET',
      `/api/v1/facilities/:fid/availability?from=2030-01-01T09:00&to=2030-01-01T10:00`,
    ],
    ['quote empty', 'POST', '/api/v1/quotes', {}],
    ['quote wrong types', 'POST', '/api/v1/quotes', { facilityId: 42, from: true, to: [] }],
    [
      'quote extra field',
      'POST',
      '/api/v1/quotes',
      { facilityId: ':fid', from: inDays(2, 9), to: inDays(2, 10), discount: 100 },
    ],
    [
      'booking without plate',
      'POST',
      '/api/v1/bookings',
      { facilityId: ':fid', from: inDays(2, 9), to: inDays(2, 10) },
    ],
    [
      'booking script plate',
      'POST',
      '/api/v1/bookings',
      { facilityId: ':fid', from: inDays(2, 9), to: inDays(2, 10), plate: '<script>' },
    ],
    [
      'booking bad email',
      'POST',
      '/api/v1/bookings',
      {
        facilityId: ':fid',
        from: inDays(2, 9),
        to: inDays(2, 10),
        plate: 'AB1',
        driver: { email: 'not-mail' },
      },
    ],
    [
      'booking reversed',
      'POST',
      '/api/v1/bookings',
      { facilityId: ':fid', from: inDays(2, 10), to: inDays(2, 9), plate: 'AB1' },
    ],
    ['booking array body', 'POST', '/api/v1/bookings', [1, 2]],
    [
      'booking bad idempotency key',
      'POST',
      '/api/v1/bookings',
      { facilityId: ':fid', from: inDays(2, 9), to: inDays(2, 10), plate: 'AB1' },
      { 'idempotency-key': 'x'.repeat(300) },
    ],
    ['list bad status', 'GET', '/api/v1/bookings?status=lost'],
    ['list bad limit', 'GET', '/api/v1/bookings?limit=0'],
    ['get bad id', 'GET', '/api/v1/bookings/123'],
    ['confirm bad id', 'POST', '/api/v1/bookings/123/confirm', {}],
    [
      'confirm with body',
      'POST',
      '/api/v1/bookings/00000000-0000-4000-8000-000000000000/confirm',
      { force: true },
    ],
    [
      'cancel bad reason',
      'POST',
      '/api/v1/bookings/00000000-0000-4000-8000-000000000000/cancel',
      { reason: 5 },
    ],
    ['extend without to', 'POST', '/api/v1/bookings/00000000-0000-4000-8000-000000000000/extend', {}],
    [
      'extend bad to',
      'POST',
      '/api/v1/bookings/00000000-0000-4000-8000-000000000000/extend',
      { to: 'tomorrow' },
    ],
  ];
  it.each(bad)('400 with field errors and no writes: %s', async (_name, method, path, body, headers) => {
    const before = await counts();
    const withId = (s: string) => s.replace(':fid', fid());
    const r = await p.api(withId(path), {
      method,
      ...(body !== undefined ? { json: JSON.parse(withId(JSON.stringify(body))) } : {}),
      ...(headers ? { headers } : {}),
    });
    expect(r.status).toBe(400);
    const e = await json(r);
    expect(e.code).toBe('REQUEST.INVALID');
    expect(Object.keys(e.fields as object).length).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });

  it('answers malformed JSON, oversized bodies and unknown routes with JSON errors', async () => {
    const before = await counts();
    const malformed = await p.api('/api/v1/bookings', { method: 'POST', json: '{"facilityId":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'REQUEST.MALFORMED_JSON' });
    const huge = await p.api('/api/v1/bookings', { method: 'POST', json: { plate: 'x'.repeat(200_000) } });
    expect(huge.status).toBe(413);
    const unknown = await p.api('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'HTTP.NOT_FOUND' });
    const missing = await p.api('/api/v1/bookings/00000000-0000-4000-8000-000000000000/cancel', {
      method: 'POST',
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'BOOKING.NOT_FOUND' });
    expect(await counts()).toEqual(before);
  });

  it('serves an OpenAPI description of every operation', async () => {
    const doc = (await json(await p.api('/api/v1/openapi.json', { auth: false }))) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/bookings',
        '/api/v1/bookings/{id}',
        '/api/v1/bookings/{id}/cancel',
        '/api/v1/bookings/{id}/confirm',
        '/api/v1/bookings/{id}/extend',
        '/api/v1/channels',
        '/api/v1/facilities',
        '/api/v1/facilities/{id}',
        '/api/v1/facilities/{id}/availability',
        '/api/v1/facilities/{id}/occupancy',
        '/api/v1/quotes',
        '/api/v1/sensors',
        '/api/v1/sensors/stats',
        '/api/v1/sensors/{id}',
        '/api/v1/sensors/{id}/retire',
        // the support console's
        '/api/v1/agents',
        '/api/v1/agents/{id}/remove',
        '/api/v1/handoffs',
        '/api/v1/handoffs/{id}',
        '/api/v1/handoffs/{id}/bookings/{bookingId}/cancel',
        '/api/v1/handoffs/{id}/bookings/{bookingId}/extend',
        '/api/v1/handoffs/{id}/bookings/{bookingId}/refund',
        '/api/v1/handoffs/{id}/claim',
        '/api/v1/handoffs/{id}/close',
        '/api/v1/handoffs/{id}/messages',
        '/api/v1/handoffs/{id}/release',
        // payments'
        '/api/v1/bookings/{id}/checkout',
        '/api/v1/bookings/{id}/refund',
        '/api/v1/payments',
        // the dashboard's
        '/api/v1/analytics/bookings',
        '/api/v1/analytics/conversations',
        '/api/v1/analytics/occupancy',
        '/api/v1/analytics/revenue',
        '/api/v1/facilities/{id}/forecast',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/api/v1/bookings'] ?? {}).sort()).toEqual(['get', 'post']);
  });
});
