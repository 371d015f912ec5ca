import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, TEST_DATABASE_URL, type TestDatabase } from '../test/support/databases.ts';
import { createFacility, TestClock } from '../test/support/fixtures.ts';
import { createBookingCore, type AnalyticsQuery, type Database } from './index.ts';

const NOW = new Date('2030-06-03T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number, hour = 0) => new Date(NOW.getTime() - days * DAY + hour * 3_600_000);
const clock = () => new TestClock(NOW);

/** What the seed puts past each retention (defaults: 90 days operational, 7 years transactional). */
const EXPIRED = { transcripts: 2, occupancy: 2, sensorEvents: 1, audit: 2, payments: 2, bookedHours: 2 };

/** History on both sides of every cutoff; returns the car park and the old day's queries. */
async function seed(db: Database) {
  const f = await createFacility(db, { spaces: { standard: 2 } });
  const [s1, s2] = f.spaceIds.standard! as [string, string];
  const change = (spaceId: string, state: string, at: Date, source = 'dev') => ({
    facilityId: f.id,
    spaceId,
    state,
    at,
    source,
  });
  await db.prisma.occupancyChange.createMany({
    data: [
      change(s1, 'occupied', ago(100, 8)), // expired
      change(s1, 'free', ago(100, 10)), // expired
      change(s1, 'occupied', ago(95, 9)), // expired, but s1's last change before the cutoff: kept
      change(s1, 'free', ago(10)),
      change(s2, 'unknown', ago(100, 3), 'health'), // an expired sensor event
      change(s2, 'occupied', ago(92, 6)), // s2's last before the cutoff: kept
      change(s2, 'free', ago(50)),
    ],
  });
  const conversation = await db.prisma.conversation.create({
    data: { channel: 'web', externalId: `ret-${Math.random()}`, createdAt: ago(100) },
  });
  const message = (at: Date, nlu: { intent: string; fallback: boolean } | null) => ({
    conversationId: conversation.id,
    direction: 'out',
    sender: 'bot',
    text: 'ok',
    at,
    ...(nlu ? { payload: { nlu } } : {}),
  });
  await db.prisma.transcriptMessage.createMany({
    data: [
      message(ago(100, 8), { intent: 'none', fallback: true }),
      message(ago(100, 8), null),
      message(ago(5), { intent: 'book_parking', fallback: false }),
    ],
  });
  const booking = await db.prisma.booking.create({
    data: {
      reference: `RET${Math.random().toString(36).slice(2, 8)}`,
      facilityId: f.id,
      spaceId: s1,
      startsAt: ago(8 * 365),
      endsAt: ago(8 * 365, 2),
      plate: 'AB12CDE',
      status: 'completed',
      priceMinor: 800,
      currency: 'GBP',
      pricing: {},
      createdAt: ago(8 * 365),
    },
  });
  await db.prisma.bookingEvent.createMany({
    data: [
      { bookingId: booking.id, action: 'hold', toStatus: 'held', actor: 'driver', at: ago(8 * 365) },
      { bookingId: booking.id, action: 'note', toStatus: 'completed', actor: 'system', at: ago(1) },
    ],
  });
  await db.prisma.agentAuditEvent.createMany({
    data: [
      { action: 'sign_in', at: ago(8 * 365) },
      { action: 'sign_in', at: ago(1) },
    ],
  });
  const payment = (status: 'paid' | 'pending', created: Date) => ({
    bookingId: booking.id,
    provider: 'test',
    status,
    amountMinor: 800,
    currency: 'GBP',
    expiresAt: created,
    createdAt: created,
    ...(status === 'paid' ? { paidAt: created } : {}),
  });
  const old = await db.prisma.payment.create({ data: payment('paid', ago(8 * 365)) });
  await db.prisma.paymentRefund.create({
    data: { paymentId: old.id, amountMinor: 100, reason: 'x', actor: 'system', status: 'succeeded' },
  });
  await db.prisma.payment.create({ data: payment('pending', ago(8 * 365)) }); // still open: kept
  await db.prisma.payment.create({ data: payment('paid', ago(365)) });
  await db.prisma.paymentWebhookEvent.createMany({
    data: [
      { provider: 'test', eventId: `old-${Math.random()}`, type: 'x', receivedAt: ago(8 * 365) },
      { provider: 'test', eventId: `new-${Math.random()}`, type: 'x', receivedAt: ago(1) },
    ],
  });
  // live bookings' hours in the hold bitmaps: two hours three days ago (past: go), two tomorrow (stay)
  const live = (from: Date, hours: number, spaceId: string) => ({
    reference: `RET${Math.random().toString(36).slice(2, 8)}`,
    facilityId: f.id,
    spaceId,
    startsAt: from,
    endsAt: new Date(from.getTime() + hours * 3_600_000),
    plate: 'AB12CDE',
    status: 'confirmed' as const,
    priceMinor: 800,
    currency: 'GBP',
    pricing: {},
  });
  await db.prisma.booking.createMany({ data: [live(ago(3), 2, s2), live(ago(-1), 2, s2)] });
  const oldDay: AnalyticsQuery = { from: ago(100), to: ago(99), bucket: 'hour', facilityId: f.id };
  const sinceOld: AnalyticsQuery = { from: ago(101), to: NOW, bucket: 'day' };
  return { facility: f, oldDay, sinceOld };
}

const remaining = async (db: Database) => ({
  occupancy: await db.prisma.occupancyChange.count({ where: { source: { not: 'health' } } }),
  sensorEvents: await db.prisma.occupancyChange.count({ where: { source: 'health' } }),
  transcripts: await db.prisma.transcriptMessage.count(),
  audit: (await db.prisma.bookingEvent.count()) + (await db.prisma.agentAuditEvent.count()),
  payments: (await db.prisma.payment.count()) + (await db.prisma.paymentWebhookEvent.count()),
  bookedHours: (
    await db.prisma.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM booked_hour`
  )[0]!.n,
});

describe.each(BACKENDS)('retention on %s', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase(backend);
  }, 120_000);
  afterAll(() => db?.close());

  it('rolls the history up, deletes exactly what is past its retention, and keeps the figures', async () => {
    const core = createBookingCore({ db, clock: clock() });
    const { oldDay, sinceOld } = await seed(db);
    const before = {
      occupancy: await core.analytics.occupancy(oldDay),
      conversations: (await core.analytics.conversations(sinceOld)).summary,
      rows: await remaining(db),
    };
    expect(before.occupancy.find((r) => r.bucket.getTime() === ago(100, 8).getTime())?.occupiedAvg).toBe(1);

    const first = await core.retention.runOnce();
    expect(first.retention).toEqual({ claimed: true, deleted: EXPIRED });
    const after = await remaining(db);
    for (const kind of Object.keys(EXPIRED) as Array<keyof typeof EXPIRED>)
      expect(after[kind], kind).toBe(before.rows[kind] - EXPIRED[kind]);
    // a paid payment's refund went with it; the open checkout stayed
    expect(await db.prisma.paymentRefund.count()).toBe(0);
    expect(await db.prisma.payment.count({ where: { status: 'pending' } })).toBe(1);

    // the old day's occupancy and the NLU fallback rate come from the roll-ups, unchanged
    expect(await core.analytics.occupancy(oldDay)).toEqual(before.occupancy);
    expect((await core.analytics.conversations(sinceOld)).summary).toEqual(before.conversations);
    expect(before.conversations).toMatchObject({ nluTurns: 2, nluFallbackRate: 0.5 });

    // a second run finds nothing more to do
    const second = await core.retention.runOnce();
    expect(second.retention.deleted).toEqual({
      transcripts: 0,
      occupancy: 0,
      sensorEvents: 0,
      audit: 0,
      payments: 0,
      bookedHours: 0,
    });
    // tomorrow's hours are still there for holds
    expect(after.bookedHours).toBe(2);
  }, 180_000);

  it('keeps nothing about a driver in the aggregates: counts per car park, kind and hour only', async () => {
    const columns = await db.prisma.$queryRaw<Array<{ table: string; column: string }>>`
      SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_name IN ('occupancy_hourly', 'nlu_hourly') ORDER BY table_name, ordinal_position`;
    expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual([
      'nlu_hourly.hour',
      'nlu_hourly.turns',
      'nlu_hourly.fallbacks',
      'occupancy_hourly.facility_id',
      'occupancy_hourly.kind',
      'occupancy_hourly.hour',
      'occupancy_hourly.occupied_seconds',
    ]);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('retention with two instances on one PostgreSQL', () => {
  let db: TestDatabase;
  let other: Database;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
    other = await db.connectAgain();
  }, 120_000);
  afterAll(() => db?.close()); // closes the second instance's pool too

  it('rolls up and deletes each expired record exactly once, whichever instance claims the work', async () => {
    const a = createBookingCore({ db, clock: clock() });
    const b = createBookingCore({ db: other, clock: clock() });
    const { oldDay } = await seed(db);
    const expected = await a.analytics.occupancy(oldDay);
    const before = await remaining(db);
    const runs = await Promise.all([a.retention.runOnce(), b.retention.runOnce(), a.retention.runOnce()]);
    const total = { transcripts: 0, occupancy: 0, sensorEvents: 0, audit: 0, payments: 0, bookedHours: 0 };
    for (const r of runs)
      for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += r.retention.deleted[k];
    expect(total).toEqual(EXPIRED);
    const after = await remaining(db);
    for (const kind of Object.keys(EXPIRED) as Array<keyof typeof EXPIRED>)
      expect(after[kind], kind).toBe(before[kind] - EXPIRED[kind]);
    // one NLU row for the old hour, counted once; the occupancy as before
    expect(await db.prisma.nluHourly.findMany({ select: { turns: true, fallbacks: true } })).toEqual([
      { turns: 1, fallbacks: 1 },
    ]);
    expect(await b.analytics.occupancy(oldDay)).toEqual(expected);
  }, 180_000);
});
