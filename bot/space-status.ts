import type { TurnContext } from 'botbuilder';
import type { Space } from '../booking-core/index.ts';
import { stayWindow, type AnswerContext } from './answers.ts';
import type { DialogDeps } from './deps.ts';
import { formatWindow } from './format.ts';
import type { Understood } from './ports.ts';
import { button, reply, say, turnInfo } from './turn.ts';

type SpaceState = 'free' | 'booked' | 'occupied';

/** "9" names space "B1-009" or "9"; "B1-9" names "B1-009", never "B2-009". */
function sameSpace(code: string, said: string): boolean {
  const split = (s: string) => {
    const [, prefix = '', number = ''] = /^(.*?)[^A-Z0-9]*(\d+)$/.exec(s.toUpperCase()) ?? [];
    return { prefix: prefix.replace(/[^A-Z0-9]/g, ''), number: Number(number) };
  };
  const [a, b] = [split(code), split(said)];
  return a.number === b.number && (!b.prefix || a.prefix === b.prefix);
}

/**
 * "Is space 9 free?": the live state of the numbered space at the car park named (or the one the
 * conversation is about), from bookings and its sensor; for a later window when one is said.
 */
export async function answerSpaceStatus(
  ctx: TurnContext,
  deps: DialogDeps,
  e: Understood['entities'],
  aboutFacilityId?: string,
): Promise<AnswerContext | void> {
  const m = say(ctx);
  const { locale, now } = turnInfo(ctx);
  const said = e.spaceNumber ?? '';
  const facilityId = e.facility?.id ?? aboutFacilityId;
  const f = facilityId ? await deps.directory.get(facilityId) : null;
  if (!f) {
    await ctx.sendActivity(m.spaceWhich(said));
    return;
  }
  const spaces = (await deps.core.facilities.spaces(f.id)).filter((s) => sameSpace(s.code, said));
  const book = [button(m.bookHere, `facility:${f.id}`)];
  if (!spaces.length) {
    await ctx.sendActivity(reply(m.spaceMissing(said, f.name), book));
    return { facilityId: f.id, facilityName: f.name };
  }
  const later = e.time?.start && e.time.start.getTime() > now.getTime() + 5 * 60_000;
  const window = later ? stayWindow(e, now, f) : { start: now, end: new Date(now.getTime() + 60_000) };
  const free = await deps.core.facilities.availability(f.id, { from: window.start, to: window.end }, null);
  const freeIds = new Set(free.ok ? free.value.spaces.map((s) => s.id) : []);
  const sensed = await deps.core.facilities.sensorBlocked(f.id, { from: window.start, to: window.end });
  const stateOf = (s: Space): SpaceState =>
    freeIds.has(s.id) ? 'free' : sensed.has(s.id) ? 'occupied' : 'booked';
  const when = later ? formatWindow(window.start, window.end, f.timeZone, locale, now) : m.rightNow;
  const named = (s: Space) => (s.kind === 'standard' ? s.code : `${s.code} (${m.kinds[s.kind] ?? s.kind})`);
  const [only] = spaces;
  const text =
    spaces.length === 1 && only
      ? m.spaceIs(named(only), f.name, m.spaceStates[stateOf(only)], when)
      : `${m.spacesAre(said, f.name, when)}\n${spaces.map((s) => `• ${named(s)}: ${m.spaceStates[stateOf(s)]}`).join('\n')}`;
  await ctx.sendActivity(reply(text, book));
  return { facilityId: f.id, facilityName: f.name };
}
