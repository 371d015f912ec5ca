import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, freshDatabase, type TestDatabase } from '../test/support/databases.ts';
import { createFacility, TestClock } from '../test/support/fixtures.ts';
import { analyticsQueryProblem, createBookingCore, toCsv, type BookingCore } from './index.ts';

const at = (hhmm: string) => new Date(`2030-06-03T${hhmm}:00Z`);

describe.each(BACKENDS)('analytics on %s', (backend) => {
  let db: TestDatabase;
  let core: BookingCore;
  let a: Awaited<ReturnType<typeof createFacility>>;
  let b: Awaited<ReturnType<typeof createFacility>>;
  const clock = new TestClock(at('12:00'));
  const period = { from: at('08:00'), to: at('12:00'), bucket: 'hour' as const };

  beforeAll(async () => {
    db = await freshDatabase(backend);
    core = createBookingCore({ db, clock });
    a = await createFacility(db, { spaces: { standard: 2, ev: 1 } });
    b = await createFacility(db, { spaces: { standard: 1 } });
    const [s1, s2] = a.spaceIds.standard!;
    const ev = a.spaceIds.ev![0]!;
    const bs = b.spaceIds.standard![0]!;
    for (const [i, spaceId] of [s1!, s2!, ev].entries())
      await db.prisma.sensor.create({ data: { deviceId: `dev-${backend}-${i}`, facilityId: a.id, spaceId } });
    const change = (spaceId: string, state: string, when: string) => ({
      facilityId: a.id,
      spaceId,
      state,
      at: at(when),
      source: 'dev',
    });
    await db.prisma.occupancyChange.createMany({
      data: [change(s1!, 'occupied', '07:00'), change(s1!, 'free', '09:30'), change(ev, 'occupied', '10:15')],
    });
    const booking = async (
      ref: string,
      facilityId: string,
      spaceId: string,
      from: string,
      to: string,
      status: 'confirmed' | 'completed',
      created: string,
    ) =>
      db.prisma.booking.create({
        data: {
          reference: ref,
          facilityId,
          spaceId,
          startsAt: at(from),
          endsAt: at(to),
          plate: 'AB12CDE',
          status,
          priceMinor: 1000,
          currency: 'GBP',
          pricing: {},
          createdAt: at(created),
        },
      });
    const b1 = await booking(`R1${backend}`, a.id, s1!, '08:30', '09:30', 'completed', '08:10');
    const b2 = await booking(`R2${backend}`, a.id, s2!, '09:00', '11:00', 'confirmed', '08:20');
    const b3 = await booking(`R3${backend}`, b.id, bs, '10:00', '10:30', 'confirmed', '09:05');
    const conversation = (channel: string, when: string) =>
      db.prisma.conversation.create({
        data: { channel, externalId: `${channel}-${when}`, createdAt: at(when) },
      });
    const c1 = await conversation('web', '08:05');
    const c2 = await conversation('telegram', '09:00');
    const c3 = await conversation('web', '10:00');
    await db.prisma.bookingContact.createMany({
      data: [
        { bookingId: b1.id, address: c1.id },
        { bookingId: b3.id, address: c2.id },
      ],
    });
    const pay = (bookingId: string, amountMinor: number, paid: string | null) =>
      db.prisma.payment.create({
        data: {
          bookingId,
          provider: 'test',
          status: paid ? 'paid' : 'pending',
          amountMinor,
          currency: 'GBP',
          expiresAt: at('12:00'),
          ...(paid ? { paidAt: at(paid) } : {}),
        },
      });
    const p1 = await pay(b1.id, 1200, '08:15');
    await pay(b2.id, 800, '09:10');
    await pay(b3.id, 500, null);
    await db.prisma.paymentRefund.create({
      data: {
        paymentId: p1.id,
        amountMinor: 300,
        reason: 'cancelled',
        actor: 'system',
        status: 'succeeded',
        updatedAt: at('09:40'),
      },
    });
    // a refund that failed moves no money
    await db.prisma.paymentRefund.create({
      data: { paymentId: p1.id, amountMinor: 900, reason: 'x', actor: 'system', status: 'failed' },
    });
    const turn = (conversationId: string, when: string, intent: string, fallback: boolean) => ({
      conversationId,
      direction: 'out',
      sender: 'bot',
      text: 'ok',
      payload: { nlu: { intent, fallback } },
      at: at(when),
    });
    await db.prisma.transcriptMessage.createMany({
      data: [
        turn(c1.id, '08:06', 'book_parking', false),
        turn(c2.id, '09:01', 'book_parking', false),
        turn(c3.id, '10:01', 'none', true),
        turn(c3.id, '10:02', 'greeting', false),
      ],
    });
    const handoff = (conversationId: string, created: string, taken: string | null, rating: number | null) =>
      db.prisma.handoffRequest.create({
        data: {
          conversationId,
          status: taken ? 'closed' : 'waiting',
          createdAt: at(created),
          ...(taken ? { takenAt: at(taken) } : {}),
          ...(rating ? { rating } : {}),
        },
      });
    await handoff(c3.id, '10:00', '10:02', 4);
    await handoff(c2.id, '09:00', '09:06', 5);
    await handoff(c1.id, '11:00', null, null);
  });
  afterAll(() => db?.close());

  it('averages occupied spaces per hour and kind, time-weighted, from the sensors’ history', async () => {
    const rows = await core.analytics.occupancy({ ...period, facilityId: a.id });
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.occupiedAvg);
    expect(of('standard')).toEqual([1, 0.5, 0, 0]);
    expect(of('ev')).toEqual([0, 0, 0.75, 1]);
    expect(rows.find((r) => r.kind === 'standard')?.capacity).toBe(2);
    expect(rows[0]?.bucket).toEqual(at('08:00'));
    // all car parks: B's standard space adds capacity, no occupancy
    const all = await core.analytics.occupancy(period);
    expect(all.find((r) => r.kind === 'standard')?.capacity).toBe(3);
  });

  it('gives the same occupancy from the hourly roll-up as from the detail, whole hours and partial', async () => {
    const queries = [
      { ...period, facilityId: a.id },
      period,
      { ...period, bucket: 'day' as const },
      { from: at('08:30'), to: at('11:45'), bucket: 'hour' as const, facilityId: a.id },
      { from: at('07:10'), to: at('12:00'), bucket: 'day' as const },
    ];
    const detail = await Promise.all(queries.map((q) => core.analytics.occupancy(q)));
    const runs = await core.retention.rollUp();
    expect(runs.at(-1)).toEqual({ claimed: true, from: at('07:00'), to: at('12:00') });
    expect(await db.prisma.occupancyHourly.count()).toBeGreaterThan(0);
    expect(await Promise.all(queries.map((q) => core.analytics.occupancy(q)))).toEqual(detail);
    // a late reading for an hour already rolled up: the next run rolls that hour up again
    const bs = b.spaceIds.standard![0]!;
    await db.prisma.occupancyChange.create({
      data: { facilityId: b.id, spaceId: bs, state: 'occupied', at: at('10:45'), source: 'late' },
    });
    await core.retention.rollUp();
    const onlyB = await core.analytics.occupancy({ ...period, facilityId: b.id });
    expect(onlyB.map((r) => r.occupiedAvg)).toEqual([0, 0, 0.25, 1]);
  });

  it('counts bookings per hour by channel, average stay and no-shows', async () => {
    const { series, summary } = await core.analytics.bookings(period);
    expect(series.map((r) => [r.bucket.toISOString().slice(11, 16), r.channel, r.bookings])).toEqual([
      ['08:00', 'api', 1],
      ['08:00', 'web', 1],
      ['09:00', 'telegram', 1],
    ]);
    expect(summary).toEqual({ bookings: 3, averageStayMinutes: 70, noShows: 1, noShowsChecked: 2 });
    const onlyB = await core.analytics.bookings({ ...period, facilityId: b.id });
    expect(onlyB.summary).toEqual({ bookings: 1, averageStayMinutes: 30, noShows: 0, noShowsChecked: 0 });
  });

  it('nets refunds out of revenue per hour, in minor units and currency', async () => {
    const rows = await core.analytics.revenue(period);
    expect(
      rows.map((r) => [
        r.bucket.toISOString().slice(11, 16),
        r.currency,
        r.paidMinor,
        r.refundedMinor,
        r.netMinor,
      ]),
    ).toEqual([
      ['08:00', 'GBP', 1200, 0, 1200],
      ['09:00', 'GBP', 800, 300, 500],
    ]);
    const daily = await core.analytics.revenue({ ...period, bucket: 'day' });
    expect(daily).toEqual([
      {
        bucket: new Date('2030-06-03T00:00:00Z'),
        currency: 'GBP',
        paidMinor: 2000,
        refundedMinor: 300,
        netMinor: 1700,
      },
    ]);
    expect(await core.analytics.revenue({ ...period, facilityId: b.id })).toEqual([]);
  });

  it('follows the conversation funnel, NLU fallbacks, handoff waits and CSAT', async () => {
    const { series, summary } = await core.analytics.conversations(period);
    expect(summary).toEqual({
      conversations: 3,
      bookingAsked: 2,
      held: 2,
      paid: 1,
      nluTurns: 4,
      nluFallbackRate: 0.25,
      handoffs: 3,
      medianWaitSeconds: 240,
      csat: 4.5,
      ratings: 2,
    });
    expect(series.map((r) => [r.conversations, r.handoffs])).toEqual([
      [1, 0],
      [1, 1],
      [1, 1],
      [0, 1],
    ]);
  });

  it('refuses a period that is backwards or too long, and writes CSV safely', () => {
    expect(analyticsQueryProblem({ ...period, to: period.from })).toMatch(/after/);
    expect(
      analyticsQueryProblem({ from: at('00:00'), to: new Date('2031-06-03T00:00:00Z'), bucket: 'hour' }),
    ).toMatch(/bucket=day/);
    expect(analyticsQueryProblem(period)).toBeNull();
    expect(toCsv([{ a: 'x,"y"', b: '=cmd()', c: -5 }], ['a', 'b', 'c'])).toBe(
      'a,b,c\r\n"x,""y""",\'=cmd(),-5\r\n',
    );
  });
});
