import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoCity } from '../prisma/seed.ts';
import { buttonsOf, startBotHarness, textOf } from '../test/support/bot.ts';
import { freshDatabase } from '../test/support/databases.ts';
import { TEST_REDIS_URL, testRedis } from '../test/support/redis.ts';
import { RedisStorage } from './index.ts';

const NOW = new Date('2030-06-03T08:00:00Z');

describe('bot state and limits', () => {
  const closers: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c();
  });

  it.runIf(TEST_REDIS_URL)(
    'keeps a conversation going across a process restart, with state in Redis',
    async () => {
      const db = await freshDatabase('pglite');
      closers.push(() => db.close());
      await seedDemoCity(db.prisma);
      const { redis, prefix } = testRedis();
      closers.push(() => redis.quit());
      const first = await startBotHarness({ now: NOW, db, storage: new RedisStorage(redis, { prefix }) });
      const before = first.user('restart-user');
      expect(textOf(await before.say('book a space at Paddington tomorrow 9 to 11'))).toMatch(
        /licence plate/,
      );

      // A new process: new bot, new memory; only Redis and the database carry over.
      const second = await startBotHarness({ now: NOW, db, storage: new RedisStorage(redis, { prefix }) });
      const after = second.user('restart-user');
      expect(textOf(await after.say('RS12 TRT'))).toMatch(
        /Paddington Station Car Park, tomorrow 09:00–11:00/,
      );
      expect(textOf(await after.press('confirm:yes'))).toMatch(/is confirmed/);
    },
  );

  it('answers a flood with one polite notice, then stays quiet until the minute is over', async () => {
    const h = await startBotHarness({ now: NOW, messagesPerMinute: 3 });
    closers.push(() => h.close());
    const u = h.user();
    for (let i = 0; i < 3; i++) expect((await u.say('hello')).length).toBeGreaterThan(0);
    expect(textOf(await u.say('hello'))).toMatch(/faster than I can keep up/);
    expect(await u.say('hello')).toEqual([]);
    h.advance(60_000);
    expect(textOf(await u.say('hello'))).toMatch(/parking assistant/);
  });

  it('offers buttons that start what they say', async () => {
    const h = await startBotHarness({ now: NOW });
    closers.push(() => h.close());
    const u = h.user();
    const list = await u.say('where can I park near the stadium?');
    expect(textOf(list)).toMatch(/Wembley Stadium Red Car Park/);
    const book = buttonsOf(list).find((b) => b.value.startsWith('facility:')) ?? {
      value: JSON.stringify(list[0]?.attachments?.[0]?.content).match(/facility:[0-9a-f-]+/)?.[0] ?? '',
    };
    expect(book.value).toMatch(/^facility:/);
    expect(textOf(await u.press(book.value))).toMatch(/When do you arrive/);
  });

  it('asks "did you mean" with buttons when the NLU cannot choose between two intents', async () => {
    const h = await startBotHarness({
      now: NOW,
      // The model rarely lands exactly between two intents; make this one sentence do so.
      understanding: (real) => ({
        setFacilities: (f) => real.setFacilities(f),
        classify: async (text, o) => {
          const u = await real.classify(text, o);
          return text === 'my booking' ? { ...u, ambiguous: ['my_bookings', 'cancel_booking'] as const } : u;
        },
      }),
    });
    closers.push(() => h.close());
    const u = h.user();
    const ask = await u.say('my booking');
    expect(textOf(ask)).toMatch(/Did you mean/);
    expect(buttonsOf(ask)).toEqual([
      { title: 'My bookings', value: 'intent:my_bookings' },
      { title: 'Cancel a booking', value: 'intent:cancel_booking' },
    ]);
    expect(textOf(await u.press('intent:my_bookings'))).toMatch(/don't have any upcoming bookings/);
  });
});
