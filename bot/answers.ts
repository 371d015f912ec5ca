import type { TurnContext } from 'botbuilder';
import type { DialogDeps } from './deps.ts';
import { formatMoney, formatWindow } from './format.ts';
import type { Understood } from './ports.ts';
import { bookingCard } from './replies.ts';
import { button, CONVERSATION_ID, reply, requestLocation, say, turnInfo } from './turn.ts';
import { upcomingBookings } from './dialogs/choose-booking.ts';

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
    await ctx.sendActivity(say(ctx).help);
  }

  /** Car parks near a place, a shared location, or all of them; nearest first, with live free counts. */
  async findParking(
    ctx: TurnContext,
    e: Understood['entities'],
    near?: { latitude: number; longitude: number },
  ): Promise<void> {
    const m = say(ctx);
    const { locale } = turnInfo(ctx);
    const { directory } = this.deps;
    let list;
    let title = m.facilities;
    if (near) {
      list = (await directory.summaries({ near })).slice(0, 5);
      title = m.nearest;
    } else if (e.facility) {
      list = await directory.summaries({ ids: [e.facility.id] });
    } else if (e.place) {
      const matches = await directory.matchPlace(e.place);
      if (!matches.length) {
        await ctx.sendActivity(reply(m.noFacilityNear(e.place), [requestLocation(m.shareLocation)]));
        return;
      }
      list = await directory.summaries({ ids: matches.map((f) => f.id) });
      title = m.choosePlace(e.place);
    } else {
      list = (await directory.summaries({})).sort((a, b) => b.freeNow.free - a.freeNow.free).slice(0, 6);
    }
    const card = directory.card(title, list, locale, (f) => button(m.bookHere, `facility:${f.id}`));
    await ctx.sendActivity(
      reply(list.length > 1 ? m.chooseFacility : '', [requestLocation(m.shareLocation)], [card]),
    );
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

  /** A price for the stay the driver described, or the hourly prices. */
  async pricing(ctx: TurnContext, e: Understood['entities']): Promise<void> {
    const m = say(ctx);
    const { locale, now } = turnInfo(ctx);
    const start = e.time?.start;
    const end =
      e.time?.end ??
      (start && e.durationMinutes ? new Date(start.getTime() + e.durationMinutes * 60_000) : undefined);
    if (e.facility && start && end) {
      const q = await this.deps.core.facilities.quote(
        e.facility.id,
        { from: start, to: end },
        e.spaceKind ?? 'standard',
      );
      const f = await this.deps.directory.get(e.facility.id);
      if (q.ok && f) {
        const when = formatWindow(start, end, f.timeZone, locale, now);
        await ctx.sendActivity(
          reply(m.priceQuote(f.name, when, formatMoney(q.value.totalMinor, q.value.currency, locale)), [
            button(m.bookIt, `book:${f.id}`),
          ]),
        );
        return;
      }
    }
    const facilities = e.facility
      ? [e.facility.id]
      : e.place
        ? (await this.deps.directory.matchPlace(e.place)).map((f) => f.id)
        : null;
    const all = await this.deps.directory.all();
    const list = (facilities ? all.filter((f) => facilities.includes(f.id)) : all).slice(0, 8);
    const lines = list.map((f) => `• ${f.name}: ${formatMoney(f.hourlyRateMinor, f.currency, locale)}/h`);
    await ctx.sendActivity(`${m.priceList}\n${lines.join('\n')}`);
  }

  async handoff(ctx: TurnContext, reason: string | null): Promise<void> {
    const id = ctx.turnState.get(CONVERSATION_ID) as string | undefined;
    if (id) await this.deps.conversations.requestHandoff(id, reason);
    await ctx.sendActivity(say(ctx).handoff);
  }
}
