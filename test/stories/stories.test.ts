import type { Activity } from 'botbuilder';
import { DateTime } from 'luxon';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, startBotHarness, textOf, type BotHarness } from '../support/bot.ts';
import { loadStories, type Expectation, type Turn } from './story.ts';

// Conversation stories as data (test/stories/*.yaml), run through the real NLU and bot on the
// embedded database. One harness (one trained NLU, one database) for all; each story gets a new
// driver and conversation, its own clock, and a car-park city with no bookings.

const DEFAULT_NOW = '2030-06-03T08:00:00Z'; // Monday 09:00 in London
const ZONE = 'Europe/London';
const files = loadStories(fileURLToPath(new URL('.', import.meta.url)));

let h: BotHarness;
let clock = Date.parse(DEFAULT_NOW);
beforeAll(async () => {
  h = await startBotHarness({ now: new Date(clock) });
});
afterAll(() => h?.close());

const squash = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s\u00a0]+/g, ' ')
    .replace(/[’]/g, "'");

async function flowOf(conversationId: string): Promise<string> {
  const key = `test/conversations/${conversationId}/`;
  const state = (await h.parts.storage.read([key]))[key] as
    { dialogState?: { dialogStack?: Array<{ id: string }> } } | undefined;
  return state?.dialogState?.dialogStack?.[0]?.id ?? 'none';
}

async function latestBooking(userId: string) {
  const identity = await h.db.prisma.channelIdentity.findUnique({
    where: { channel_externalId: { channel: 'test', externalId: userId } },
  });
  if (!identity) return null;
  return h.db.prisma.booking.findFirst({
    where: { driverId: identity.driverId },
    orderBy: { createdAt: 'desc' },
    include: { space: { include: { facility: true } } },
  });
}

/** The same shape as the expectation, filled from what happened: equal when the turn passed. */
async function observe(
  e: Expectation,
  replies: Partial<Activity>[],
  driver: { userId: string; conversationId: string },
  now: number,
): Promise<Record<string, unknown>> {
  const all = squash(textOf(replies));
  const buttons = offeredIn(replies);
  const seen: Record<string, unknown> = {};
  if (e.flow !== undefined) seen.flow = await flowOf(driver.conversationId);
  if (e.reply) seen.reply = e.reply.map((r) => (all.includes(squash(r)) ? r : `(not said) ${r}`));
  if (e.notReply) seen.notReply = e.notReply.map((r) => (all.includes(squash(r)) ? `(said) ${r}` : r));
  if (e.buttons)
    seen.buttons = e.buttons.map((b) =>
      buttons.some((x) => squash(x.title).includes(squash(b)) || x.value === b)
        ? b
        : buttons.map((x) => x.title).join(' | ') || '(no buttons)',
    );
  if (e.booking !== undefined) {
    const b = await latestBooking(driver.userId);
    if (e.booking === 'none' || !b) seen.booking = b ? `${b.status} booking ${b.reference}` : 'none';
    else {
      const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
      const today = DateTime.fromMillis(now, { zone: ZONE }).startOf('day');
      const days = Math.round(local(b.startsAt).startOf('day').diff(today, 'days').days);
      const day = days === 0 ? 'today' : days === 1 ? 'tomorrow' : local(b.startsAt).toISODate();
      const actual = {
        facility: b.space.facility.name,
        kind: b.space.kind,
        day: /^\d/.test(e.booking.day ?? '') ? local(b.startsAt).toISODate() : day,
        from: local(b.startsAt).toFormat('HH:mm'),
        to: local(b.endsAt).toFormat('HH:mm'),
        status: b.status,
        plate: b.plate,
      };
      seen.booking = Object.fromEntries(
        Object.keys(e.booking).map((k) => {
          const v = actual[k as keyof typeof actual] ?? '';
          const want = (e.booking as Record<string, string>)[k] ?? '';
          return [k, k === 'facility' && squash(v ?? '').includes(squash(want)) ? want : v];
        }),
      );
    }
  }
  if (e.handoff !== undefined)
    seen.handoff =
      (await h.db.prisma.handoffRequest.count({
        where: { conversation: { externalId: driver.conversationId } },
      })) > 0;
  return seen;
}

const expectationOf = (t: Turn): Expectation => {
  const { say: _s, press: _p, ...e } = t as Turn & { say?: string; press?: string };
  return e;
};

/** Buttons under a reply and "book here" actions on its cards. */
function offeredIn(replies: Partial<Activity>[]): Array<{ title: string; value: string }> {
  const onCards = replies.flatMap((r) =>
    (r.attachments ?? []).flatMap((a) => {
      const content = a.content as { facilities?: Array<{ action?: { title: string; value: string } }> };
      return (content.facilities ?? []).flatMap((f) => (f.action ? [f.action] : []));
    }),
  );
  return [...buttonsOf(replies), ...onCards];
}

/** A button value from what the story says was pressed: a value, or words of an offered title. */
function buttonValue(press: string, offered: Array<{ title: string; value: string }>): string {
  if (press.includes(':')) return press;
  return offered.find((b) => squash(b.title).includes(squash(press)))?.value ?? press;
}

/** Every space of the car park taken on weekdays 07:00–19:00 London, for the 8 weeks before `now`. */
async function fillWeekdays(name: string, now: number) {
  const facility = (await h.db.prisma.facility.findMany({ include: { spaces: true } })).find((f) =>
    squash(f.name).includes(squash(name)),
  );
  if (!facility) throw new Error(`no car park named ${name}`);
  const today = DateTime.fromMillis(now, { zone: ZONE }).startOf('day');
  const rows = [];
  for (let d = 1; d <= 56; d++) {
    const day = today.minus({ days: d });
    if (day.weekday > 5) continue;
    for (const s of facility.spaces)
      for (const [hour, state] of [
        [7, 'occupied'],
        [19, 'free'],
      ] as const)
        rows.push({
          facilityId: facility.id,
          spaceId: s.id,
          state,
          at: day.set({ hour }).toJSDate(),
          source: 'story',
        });
  }
  await h.db.prisma.occupancyChange.createMany({ data: rows });
}

let storyNo = 0;
for (const { file, stories } of files) {
  describe(file, () => {
    for (const story of stories) {
      it(story.story, async () => {
        const target = Date.parse(story.now ?? DEFAULT_NOW);
        h.advance(target - clock);
        clock = target;
        await h.db.prisma.booking.deleteMany({});
        await h.db.prisma.occupancyChange.deleteMany({ where: { source: 'story' } });
        for (const name of story.usuallyFull ?? []) await fillWeekdays(name, target);
        const driver = h.user(`story-${++storyNo}`);
        const transcript: string[] = [];
        let offered: Array<{ title: string; value: string }> = [];
        for (const [i, t] of story.turns.entries()) {
          const said = 'say' in t ? t.say : undefined;
          const replies =
            said !== undefined
              ? await driver.say(said)
              : await driver.press(buttonValue((t as { press: string }).press, offered));
          offered = offeredIn(replies);
          transcript.push(`  driver: ${said ?? `[presses ${(t as { press: string }).press}]`}`);
          for (const line of textOf(replies).split('\n')) transcript.push(`  bot:    ${line}`);
          const expected = expectationOf(t);
          const seen = await observe(expected, replies, driver, clock);
          expect(seen, `turn ${i + 1} of "${story.story}"\n${transcript.join('\n')}\n`).toEqual(expected);
          for (const r of replies) {
            const first = (r.text ?? '').trim().charAt(0);
            expect(
              first === first.toLowerCase() && first !== first.toUpperCase() ? r.text : 'capitalised',
              `a reply starts in lower case\n${transcript.join('\n')}`,
            ).toBe('capitalised');
          }
        }
      });
    }
  });
}
