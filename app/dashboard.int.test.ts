import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAgent, signIn } from '../test/support/console.ts';
import { startTestPlatform, type RunningPlatform } from '../test/support/platform.ts';

describe('analytics API', () => {
  let p: RunningPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('pglite');
  }, 120_000);
  afterAll(() => p?.stop());

  const from = '2030-06-03T00:00:00Z';
  const to = '2030-06-04T00:00:00Z';

  it('answers each endpoint as JSON with empty buckets present', async () => {
    for (const name of ['occupancy', 'bookings', 'revenue', 'conversations']) {
      const r = await p.api(`/api/v1/analytics/${name}?from=${from}&to=${to}&bucket=hour`);
      expect(r.status, name).toBe(200);
      const body = (await r.json()) as { from: string; bucket: string; series: unknown[] };
      expect(body).toMatchObject({ from: '2030-06-03T00:00:00.000Z', bucket: 'hour' });
    }
    const occ = (await (await p.api(`/api/v1/analytics/occupancy?from=${from}&to=${to}`)).json()) as {
      series: Array<{ bucket: string; kind: string; capacity: number }>;
    };
    // the demo car parks: 24 hourly buckets for every space kind they have
    const kinds = new Set(occ.series.map((r) => r.kind));
    expect(occ.series.length).toBe(24 * kinds.size);
    const conv = (await (
      await p.api(`/api/v1/analytics/conversations?from=${from}&to=${to}&bucket=day`)
    ).json()) as {
      series: unknown[];
      summary: { conversations: number; nluFallbackRate: number | null };
    };
    expect(conv.series).toHaveLength(1);
    expect(conv.summary).toMatchObject({ conversations: 0, nluFallbackRate: null });
  });

  it('gives the same figures as CSV by ?format=csv or Accept: text/csv', async () => {
    const a = await p.api(`/api/v1/analytics/occupancy?from=${from}&to=${to}&format=csv`);
    expect(a.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(a.headers.get('content-disposition')).toMatch(/occupancy-2030-06-03\.csv/);
    const lines = (await a.text()).trim().split('\r\n');
    expect(lines[0]).toBe('bucket,kind,capacity,occupiedAvg');
    expect(lines[1]).toMatch(/^2030-06-03T00:00:00\.000Z,\w+,\d+,0$/);
    const b = await p.api(`/api/v1/analytics/revenue?from=${from}&to=${to}`, {
      headers: { accept: 'text/csv' },
    });
    expect(await b.text()).toBe('bucket,currency,paidMinor,refundedMinor,netMinor\r\n');
  });

  it('refuses bad periods and filters with field errors', async () => {
    const bad = await p.api(`/api/v1/analytics/revenue?from=yesterday&facilityId=x&bucket=week`);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { fields: Record<string, string[]> };
    expect(Object.keys(body.fields).sort()).toEqual(['query.bucket', 'query.facilityId', 'query.from']);
    const backwards = await p.api(`/api/v1/analytics/revenue?from=${to}&to=${from}`);
    expect(backwards.status).toBe(400);
    const tooLong = await p.api(`/api/v1/analytics/revenue?from=2029-01-01T00:00:00Z&to=${to}&bucket=hour`);
    expect(((await tooLong.json()) as { message: string }).message).toMatch(/bucket=day/);
  });

  it('lets operators and admins read it with their session, not agents or strangers', async () => {
    const path = `/api/v1/analytics/bookings?from=${from}&to=${to}`;
    const operator = await addAgent(p, 'operator', 'Olga Operator');
    const agent = await addAgent(p, 'agent', 'Ann Agent');
    expect((await (await signIn(p, operator.email, operator.password)).fetch(path)).status).toBe(200);
    expect((await (await signIn(p, agent.email, agent.password)).fetch(path)).status).toBe(403);
    expect((await p.api(path, { auth: false })).status).toBe(401);
  });

  it('forecasts a car park per kind, hour by hour, for the next 7 days', async () => {
    const { facilities } = (await (await p.api('/api/v1/facilities')).json()) as {
      facilities: Array<{ id: string }>;
    };
    const id = facilities[0]!.id;
    const r = await p.api(`/api/v1/facilities/${id}/forecast?kind=standard`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as {
      kinds: Array<{
        kind: string;
        capacity: number;
        hours: Array<{ expectedFree: number; probabilityFree: number }>;
      }>;
    };
    expect(body.kinds.map((k) => k.kind)).toEqual(['standard']);
    expect(body.kinds[0]!.hours).toHaveLength(168);
    for (const h of body.kinds[0]!.hours) {
      expect(h.expectedFree).toBeLessThanOrEqual(body.kinds[0]!.capacity);
      expect(h.probabilityFree).toBeGreaterThanOrEqual(0);
    }
    expect((await p.api(`/api/v1/facilities/00000000-0000-4000-8000-000000000000/forecast`)).status).toBe(
      404,
    );
    const tooFar = await p.api(`/api/v1/facilities/${id}/forecast?from=${from}&to=2030-07-03T00:00:00Z`);
    expect(tooFar.status).toBe(400);
  });
});
