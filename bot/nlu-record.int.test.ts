import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, type BotHarness } from '../test/support/bot.ts';

// The transcript notes what the NLU made of each typed message, so the operators' dashboard can
// count drivers who asked to book and the messages the bot could not place.
describe('what the NLU understood, for the analytics', () => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness({ now: new Date('2030-06-03T08:00:00Z') });
  }, 120_000);
  afterAll(() => bot?.close());

  it('feeds the funnel and the fallback rate', async () => {
    const driver = bot.user('analytics-driver');
    await driver.say('book a space at Paddington tomorrow 9 to 11');
    await driver.say('purple elephants dancing quietly');
    // rows are stamped by the database's clock
    const period = {
      from: new Date(Date.now() - 3_600_000),
      to: new Date(Date.now() + 3_600_000),
      bucket: 'day' as const,
    };
    const { summary } = await bot.core.analytics.conversations(period);
    expect(summary).toMatchObject({ conversations: 1, bookingAsked: 1, nluTurns: 2, nluFallbackRate: 0.5 });
    // per car park: the conversation was about Paddington, not King's Cross (every step of the funnel)
    const id = async (name: string) =>
      (await bot.db.prisma.facility.findFirstOrThrow({ where: { name: { contains: name } } })).id;
    const paddington = await bot.core.analytics.conversations({
      ...period,
      facilityId: await id('Paddington'),
    });
    expect(paddington.summary).toMatchObject({ conversations: 1, bookingAsked: 1 });
    expect(paddington.series.reduce((n, r) => n + r.conversations, 0)).toBe(1);
    const kingsCross = await bot.core.analytics.conversations({ ...period, facilityId: await id('King') });
    expect(kingsCross.summary).toMatchObject({ conversations: 0, bookingAsked: 0, held: 0, paid: 0 });
  });
});
