import type { TurnContext } from 'botbuilder';
import { DateTime } from 'luxon';
import { describeDay, WEEKDAYS, type Facility, type SpaceKind } from '../booking-core/index.ts';
import type { DialogDeps } from './deps.ts';
import type { BookingDraft } from './dialogs/booking-draft.ts';
import { formatDuration, formatMoney, formatWindow } from './format.ts';
import { findLandmark, namedPlace } from './landmarks.ts';
import type { Understood } from './ports.ts';
import { bookingCard } from './replies.ts';
import { button, CONVERSATION_ID, HANDOFF_REQUESTED, reply, requestLocation, say, turnInfo } from './turn.ts';
import { upcomingBookings } from './dialogs/choose-booking.ts';

type Entities = Understood['entities'];
/** What a direct answer was about, kept so "ok book it" next carries it into the booking. */
export type AnswerContext = BookingDraft;

const SAYS_NOW = /\b(now|right now|at the moment|currently|atm|rn|ahora|ahora mismo|en este momento)\b/i;

const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Single-turn answers: no state, one reply each. */
export class Answers {
  constructor(private readonly deps: DialogDeps) {}

  async greet(ctx: TurnContext): Promise<void> {
    const m = say(ctx);
    await ctx.sendActivity(reply(m.greet, this.startButtons(ctx)));
  }

  startButtons(ctx: TurnContext) {
    const m = say(ctx);
    return [
      requestLocation(m.shareLocation),
      button(m.showHelp, 'intent:help'),
      button(m.talkToPerson, 'intent:human_agent'),
    ];
  }

  async help(ctx: TurnContext): Promise<void> {
    await ctx.sendActivity(reply(say(ctx).help, this.startButtons(ctx)));
  }

  /** Car parks near a place, a shared location, or all of them; nearest first, with live free counts. */
  async findParking(
    ctx: TurnContext,
    e: Entities,
    near?: { latitude: number; longitude: number },
  ): Promise<AnswerContext | void> {
    const m = say(ctx);
    const { locale, text } = turnInfo(ctx);
    const { directory } = this.deps;
    let list;
    let title = m.facilities;
    if (near) {
      list = (await directory.summaries({ near })).slice(0, 5);
      title = m.nearest;
    } else if (e.facility) {
      list = await directory.summaries({ ids: [e.facility.id] });
    } else {
      const matches = e.place ? await directory.matchPlace(e.place) : [];
      if (!matches.length && (e.place || findLandmark(text) || namedPlace(text))) {
        await this.unknownPlace(ctx, e.place ?? namedPlace(text) ?? '');
        return;
      }
      list = matches.length
        ? await directory.summaries({ ids: matches.map((f) => f.id) })
        : (await directory.summaries({})).sort((a, b) => b.freeNow.free - a.freeNow.free).slice(0, 6);
      if (matches.length && e.place) title = m.choosePlace(e.place);
    }
    const card = directory.card(title, list, locale, (f) => button(m.bookHere, `facility:${f.id}`));
    const [only] = list.length === 1 ? card.content.facilities : [];
    const said = only ? m.oneFacility(only.name, only.free, only.total, only.price) : m.chooseFacility;
    await ctx.sendActivity(reply(list.length ? said : '', [requestLocation(m.shareLocation)], [card]));
    return contextOf(e, list.length === 1 ? list[0] : undefined);
  }

  /**
   * "Is there parking at Heathrow": say the place is not one we know, then the nearest car parks
   * we do know with their distance (or all of them when we don't know where the place is).
   */
  async unknownPlace(ctx: TurnContext, said: string): Promise<void> {
    const m = say(ctx);
    const { locale, text } = turnInfo(ctx);
    const landmark = findLandmark(text);
    const place = landmark?.name ?? upperFirst(said || namedPlace(text) || '?');
    const list = landmark
      ? (await this.deps.directory.summaries({ near: landmark })).slice(0, 3)
      : await this.deps.directory.summaries({});
    const title = landmark ? m.nearestTo(place) : m.knownCarParks;
    const card = this.deps.directory.card(title, list, locale, (f) => button(m.bookHere, `facility:${f.id}`));
    const lines = list.map(
      (f) =>
        `• ${f.name}${f.distanceKm !== undefined ? ` (${f.distanceKm.toFixed(1)} km)` : ''}: ${m.freeCount(f.freeNow.free)}`,
    );
    await ctx.sendActivity(
      reply(
        `${m.unknownPlace(place)} ${title}\n${lines.join('\n')}`,
        [requestLocation(m.shareLocation)],
        [card],
      ),
    );
  }

  /** Live free counts, now or for a window, for one car park (by kind when asked) or all. */
  async availability(ctx: TurnContext, e: Entities): Promise<AnswerContext | void> {
    const m = say(ctx);
    const { locale, now } = turnInfo(ctx);
    const facilities = await this.targets(e, turnInfo(ctx).text);
    if (!facilities) {
      await this.unknownPlace(ctx, e.place ?? '');
      return;
    }
    // a day alone ("tomorrow") is asked about from the car park's opening, in its time zone
    const windowOf = (f: Facility) => stayWindow(e, now, f);
    const kind = e.spaceKind;
    const kindWord = (count = 2) => (kind ? m.kindWord(kind, count) : '');
    const counts = await Promise.all(
      facilities.map(async (f) => ({ f, byKind: await this.freeByKind(f, windowOf(f), now) })),
    );
    const whenOf = (f: Facility) => {
      const window = windowOf(f);
      return window.start.getTime() <= now.getTime() + 5 * 60_000 &&
        ((!e.time?.end && !e.durationMinutes) || SAYS_NOW.test(turnInfo(ctx).text))
        ? m.rightNow
        : formatWindow(window.start, window.end, f.timeZone, locale, now);
    };
    const sum = (byKind: Partial<Record<SpaceKind, { free: number; total: number }>>, k?: SpaceKind) =>
      Object.entries(byKind)
        .filter(([kk]) => !k || kk === k)
        .reduce((a, [, c]) => ({ free: a.free + c.free, total: a.total + c.total }), { free: 0, total: 0 });
    if (counts.length === 1 && counts[0]) {
      const { f, byKind } = counts[0];
      const all = sum(byKind, kind);
      let text1: string;
      if (kind && !all.total) text1 = m.noKindThere(f.name, kindWord());
      else if (kind) text1 = m.freeKindAt(f.name, all.free, all.total, kindWord(all.free), whenOf(f));
      else {
        const parts = Object.entries(byKind)
          .filter(([k, c]) => k !== 'standard' && c.total)
          .map(([k, c]) => `${m.kinds[k] ?? k} ${c.free}/${c.total}`);
        text1 = `${m.freeAt(f.name, all.free, all.total, whenOf(f))}${parts.length ? ` ${m.byKind(parts.join(', '))}` : ''}`;
      }
      await ctx.sendActivity(reply(text1, [button(m.bookHere, `facility:${f.id}`)]));
      return contextOf(e, f, e.time?.start && !e.time.dateOnly ? windowOf(f) : undefined);
    }
    const ranked = counts
      .map(({ f, byKind }) => ({ f, c: sum(byKind, kind) }))
      .filter(({ c }) => c.total)
      .sort((a, b) => b.c.free - a.c.free);
    const lines = ranked.map(({ f, c }) => `• ${f.name}: ${c.free}/${c.total}`);
    const first = counts[0]?.f;
    await ctx.sendActivity(
      reply(
        `${m.freeList(kindWord(), first ? whenOf(first) : m.rightNow)}\n${lines.join('\n')}`,
        ranked.slice(0, 3).map(({ f }) => button(`${m.bookHere}: ${f.name}`, `facility:${f.id}`)),
      ),
    );
    return contextOf(e);
  }

  /** The price of the stay described (with its demand multiplier explained), or hourly prices. */
  async price(ctx: TurnContext, e: Entities, offerBooking = true): Promise<AnswerContext | void> {
    const m = say(ctx);
    const { locale, now } = turnInfo(ctx);
    const minutes = stayMinutes(e);
    const facilities = await this.targets(e, turnInfo(ctx).text);
    if (!facilities) {
      await this.unknownPlace(ctx, e.place ?? '');
      return;
    }
    const one = facilities?.length === 1 ? facilities[0] : undefined;
    if (one && minutes) {
      const window = stayWindow(e, now, one);
      if (e.spaceKind && !(await this.freeByKind(one, window, now))[e.spaceKind]?.total) {
        // no price for a kind of space the car park does not have ("a motorbike space at Westfield")
        await ctx.sendActivity(
          reply(m.noKindThere(one.name, m.kindWord(e.spaceKind, 2)), [
            button(m.bookHere, `facility:${one.id}`),
          ]),
        );
        return contextOf(e, one);
      }
      const q = await this.deps.core.facilities.quote(
        one.id,
        { from: window.start, to: window.end },
        e.spaceKind ?? 'standard',
      );
      if (q.ok) {
        const money = (minor: number) => formatMoney(minor, q.value.currency, locale);
        const when = formatWindow(window.start, window.end, one.timeZone, locale, now);
        const rate = money(q.value.hourlyRateMinor);
        const hours = formatDuration(q.value.minutes);
        const why =
          q.value.multiplier > 1
            ? m.busyDemand(
                rate,
                hours,
                q.value.multiplier.toLocaleString(locale, {
                  minimumFractionDigits: 2,
                  maximumFractionDigits: 2,
                }),
                Math.round(q.value.occupancy * 100),
              )
            : m.normalDemand(rate, hours);
        await ctx.sendActivity(
          reply(
            `${m.stayPrice(
              upperFirst(formatDuration(q.value.minutes)),
              one.name,
              when,
              money(q.value.totalMinor),
              e.spaceKind ? m.kindWord(e.spaceKind, 1) : undefined,
            )} ${why}`,
            offerBooking ? [button(m.bookIt, `book:${one.id}`)] : [],
          ),
        );
        return contextOf(e, one, window);
      }
      await ctx.sendActivity(await this.stayProblem(ctx, one, q.error.code, window));
      return contextOf(e, one);
    }
    const list = facilities.slice(0, 8);
    if (minutes) {
      const lines = list.map(
        (f) =>
          `• ${f.name}: ${formatMoney(Math.ceil((f.hourlyRateMinor * minutes) / 60), f.currency, locale)}`,
      );
      await ctx.sendActivity(`${m.pricesFor(upperFirst(formatDuration(minutes)))}\n${lines.join('\n')}`);
      return contextOf(e);
    }
    const lines = list.map((f) => `• ${f.name}: ${formatMoney(f.hourlyRateMinor, f.currency, locale)}/h`);
    await ctx.sendActivity(`${m.priceList}\n${lines.join('\n')}\n${m.askStayForPrice}`);
    return contextOf(e, one);
  }

  /** Opening hours (on a day when one is named) and the longest stay allowed. */
  async facilityInfo(
    ctx: TurnContext,
    e: Entities,
    what: 'hours' | 'maxStay',
  ): Promise<AnswerContext | void> {
    const m = say(ctx);
    const facilities = await this.targets(e, turnInfo(ctx).text);
    if (!facilities) {
      await this.unknownPlace(ctx, e.place ?? '');
      return;
    }
    const lines = facilities.slice(0, 6).map((f) => {
      const max = m.maxStay(f.name, formatDuration(f.maxStayMinutes));
      if (what === 'maxStay') return max;
      if (e.time?.start) {
        const wd = DateTime.fromJSDate(e.time.start, { zone: f.timeZone }).weekday - 1;
        return m.openOnDay(f.name, m.weekdays[wd] ?? '', this.hoursText(f, wd, ctx));
      }
      return `${m.openingHours(f.name, this.weekText(f, ctx))} ${max}`;
    });
    await ctx.sendActivity(
      reply(
        lines.join('\n'),
        facilities.length === 1 && facilities[0] ? [button(m.bookHere, `facility:${facilities[0].id}`)] : [],
      ),
    );
    return facilities.length === 1 ? contextOf(e, facilities[0]) : undefined;
  }

  /** Why a stay can't be had, in the facility's own terms ("Southbank allows at most 6 h"). */
  async stayProblem(
    ctx: TurnContext,
    f: Facility,
    code: string,
    window: { start: Date; end: Date },
  ): Promise<string> {
    const m = say(ctx);
    if (code === 'BOOKING.TOO_LONG') return m.maxStay(f.name, formatDuration(f.maxStayMinutes));
    if (code === 'BOOKING.OUTSIDE_OPENING_HOURS') {
      const wd = DateTime.fromJSDate(window.start, { zone: f.timeZone }).weekday - 1;
      return m.closedThen(f.name, this.hoursText(f, wd, ctx));
    }
    const r = m.refusals[code] ?? m.refusals['other'];
    return typeof r === 'function' ? r(formatDuration(f.maxStayMinutes)) : (r ?? '');
  }

  private hoursText(f: Facility, weekday: number, ctx: TurnContext): string {
    const m = say(ctx);
    const d = describeDay(f.openingHours, WEEKDAYS[weekday] ?? 'mon');
    return d === 'closed' ? m.closedText : d === 'open 24 hours' ? m.open24 : d;
  }

  private weekText(f: Facility, ctx: TurnContext): string {
    const m = say(ctx);
    const days = WEEKDAYS.map((_, i) => this.hoursText(f, i, ctx));
    if (days.every((d) => d === days[0])) return days[0] === m.open24 ? m.open24 : `${days[0]} ${m.everyDay}`;
    return days.map((d, i) => `${(m.weekdays[i] ?? '').slice(0, 3)} ${d}`).join(', ');
  }

  /** The car parks a question is about: the one named, those near the place named, or all; null for an unknown place. */
  private async targets(e: Entities, text: string): Promise<Facility[] | null> {
    const all = await this.deps.directory.all();
    if (e.facility) return all.filter((f) => f.id === e.facility?.id);
    if (findLandmark(text)) return null;
    const place = e.place ?? namedPlace(text);
    if (place) {
      const matches = await this.deps.directory.matchPlace(place);
      if (matches.length) return matches;
    }
    return e.place || findLandmark(text) || place ? null : all;
  }

  private async freeByKind(f: Facility, w: { start: Date; end: Date }, now: Date) {
    if (w.start.getTime() <= now.getTime() + 60_000) {
      const [s] = await this.deps.directory.summaries({ ids: [f.id] });
      return s?.freeNow.byKind ?? {};
    }
    const a = await this.deps.core.facilities.availability(f.id, { from: w.start, to: w.end }, null);
    return a.ok ? a.value.byKind : {};
  }

  async myBookings(ctx: TurnContext): Promise<void> {
    const m = say(ctx);
    const bookings = (await upcomingBookings(this.deps, ctx)).slice(0, 5);
    if (!bookings.length) {
      await ctx.sendActivity(reply(m.noBookings, [button(m.showHelp, 'intent:help')]));
      return;
    }
    const cards = await Promise.all(
      bookings.map(async (b) =>
        bookingCard(ctx, b, (await this.deps.directory.get(b.facilityId)) ?? { name: '', timeZone: 'UTC' }),
      ),
    );
    const buttons = bookings.flatMap((b) => [
      button(m.extendRef(b.reference), `extend:${b.id}`),
      button(m.cancelRef(b.reference), `cancel:${b.id}`),
    ]);
    await ctx.sendActivity(reply(m.yourBookings, buttons.slice(0, 6), cards));
  }

  async handoff(ctx: TurnContext, reason: string | null): Promise<void> {
    const id = ctx.turnState.get(CONVERSATION_ID) as string | undefined;
    if (id) {
      await this.deps.conversations.requestHandoff(id, reason);
      ctx.turnState.set(HANDOFF_REQUESTED, true);
    }
    await ctx.sendActivity(say(ctx).handoff);
  }
}

/** Minutes of the stay a message describes, if it says. */
function stayMinutes(e: Entities): number | undefined {
  if (e.durationMinutes) return e.durationMinutes;
  if (e.time?.start && e.time.end && !e.time.dateOnly)
    return Math.round((e.time.end.getTime() - e.time.start.getTime()) / 60_000);
  return undefined;
}

/**
 * The window a question is about: the one said; a day alone means from 09:00 that day (or
 * opening time, or now when it is today); nothing said means from now.
 */
export function stayWindow(e: Entities, now: Date, f?: Facility): { start: Date; end: Date } {
  const minutes = stayMinutes(e) ?? 60;
  let start = e.time?.start && e.time.start.getTime() > now.getTime() ? e.time.start : now;
  if (e.time?.dateOnly && e.time.start && f) {
    const day = DateTime.fromJSDate(e.time.start, { zone: f.timeZone });
    const opens = f.openingHours[WEEKDAYS[day.weekday - 1] ?? 'mon']?.[0]?.[0] ?? '00:00';
    const [h, mm] = opens.split(':').map(Number);
    let at = day.set({ hour: Math.max(9, h ?? 0), minute: h !== undefined && h > 9 ? (mm ?? 0) : 0 });
    if (at.toJSDate() < now) at = DateTime.fromJSDate(now, { zone: f.timeZone }).startOf('minute');
    start = at.toJSDate();
  }
  const end =
    e.time?.end && !e.time.dateOnly && e.time.end > start
      ? e.time.end
      : new Date(start.getTime() + minutes * 60_000);
  return { start, end };
}

function contextOf(e: Entities, f?: Facility, window?: { start: Date; end: Date }): AnswerContext {
  const minutes = stayMinutes(e);
  const t = window ? { start: window.start, end: window.end, dateOnly: false } : e.time;
  return JSON.parse(
    JSON.stringify({
      ...(f ? { facilityId: f.id, facilityName: f.name } : {}),
      ...(t?.dateOnly && t.start ? { day: t.start.toISOString() } : {}),
      ...(t?.start && !t.dateOnly ? { start: t.start.toISOString() } : {}),
      ...(t?.end && !t.dateOnly ? { end: t.end.toISOString() } : {}),
      ...(minutes && !(t?.end && !t.dateOnly) ? { durationMinutes: minutes } : {}),
      ...(e.spaceKind ? { kind: e.spaceKind } : {}),
      ...(e.plate ? { plate: e.plate } : {}),
    }),
  ) as AnswerContext;
}
