import type { BookingCore } from '../booking-core/index.ts';
import { button, reply } from '../bot/index.ts';
import type { ConversationRuntime, DriverMessageEvent, HandoffRouter, TurnRoute } from '../channels/index.ts';
import { BUTTON, driverMessages, ratingOf, wantsToLeave, type DriverMessages } from './driver-messages.ts';
import type { DriverLine, HandoffDesk } from './handoff-desk.ts';
import type { HandoffRepository } from './ports.ts';
import type { Agent, Handoff } from './types.ts';

export interface DriverSideDeps {
  readonly handoffs: HandoffRepository;
  readonly runtime: Pick<ConversationRuntime, 'deliver' | 'typing'>;
  readonly core: Pick<BookingCore, 'bookings' | 'facilities'>;
  /** how many agents are online now (any instance) */
  readonly agentsOnline: () => Promise<number>;
  /** a waiting driver is told honestly after this long */
  readonly waitMinutes: number;
  readonly now?: () => Date;
  readonly onError: (e: unknown, where: string) => void;
}

/**
 * The driver's side of a handoff, on the conversation runtime: routes a waiting or held
 * conversation's messages to the agents (the bot stays quiet) except "back to the bot"; tells
 * the driver they are queued and roughly for how long, or honestly that nobody is there; sends
 * agents' replies with their name; asks for a 1–5 rating after close and records it.
 *
 *   runtime.setRouter(side); runtime.onDriverMessage((e) => side.heard(e));
 */
export class DriverSide implements HandoffRouter, DriverLine {
  private desk: HandoffDesk | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: DriverSideDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The desk this side reports to (built with this side as its driver line). */
  bind(desk: HandoffDesk): void {
    this.desk = desk;
  }

  async route(c: {
    channel: string;
    conversationId: string;
    text?: string;
    value?: string;
  }): Promise<TurnRoute> {
    const found = await this.deps.handoffs.conversationByKey(c.channel, c.conversationId);
    if (!found) return 'bot';
    if (found.open) return 'agents';
    if (found.mode === 'closed') {
      // Asked to rate: a rating goes to us; anything else means they moved on to the bot.
      if (ratingOf(c.value) !== null) return 'agents';
      await this.deps.handoffs.setMode(found.id, 'bot');
      return 'bot';
    }
    if (found.mode !== 'bot') await this.deps.handoffs.setMode(found.id, 'bot'); // a stale mode without a request
    return 'bot';
  }

  /** Every driver's message, after the runtime recorded it. Never throws. */
  heard(e: DriverMessageEvent): void {
    if (!e.storedId) return;
    // Only a turn in which the bot asked for a person can have left a request to announce.
    if (e.routedTo === 'bot' && e.handoffRequested === false) return;
    const work = e.routedTo === 'bot' ? this.afterBotTurn(e.storedId) : this.forAgents(e.storedId, e);
    work.catch((err: unknown) => this.deps.onError(err, 'handoff driver side'));
  }

  /** Tells drivers who waited longer than the limit (exactly once, across instances). */
  async remindOverdue(): Promise<number> {
    const overdue = await this.deps.handoffs.overdue(
      new Date(this.now().getTime() - this.deps.waitMinutes * 60_000),
    );
    let told = 0;
    for (const h of overdue) {
      if (!(await this.deps.handoffs.markWaitNotice(h.id, this.now()))) continue;
      const m = driverMessages(h.locale);
      await this.system(h.conversationId, m.overdue, m);
      told++;
    }
    return told;
  }

  // ---- DriverLine: what agents do, as the driver sees it ----

  async send(conversationId: string, text: string, agent: Pick<Agent, 'id' | 'displayName'>): Promise<void> {
    await this.deps.runtime.deliver({ id: conversationId }, [reply(text)], {
      role: 'agent',
      name: agent.displayName,
    });
  }

  /** "typing…" on the driver's channel where it has one (throttled by the runtime; only a hint). */
  async typing(conversationId: string, agent: Pick<Agent, 'displayName'>): Promise<void> {
    await this.deps.runtime.typing({ id: conversationId }, { role: 'agent', name: agent.displayName });
  }

  async announce(
    conversationId: string,
    event: 'claimed' | 'released' | 'closed',
    h: Handoff,
  ): Promise<void> {
    const m = driverMessages(h.locale);
    const name = h.agent?.displayName ?? 'Support';
    if (event === 'claimed') await this.say(conversationId, m.claimed(name), 'system');
    if (event === 'released') await this.say(conversationId, m.released(name), 'system');
    if (event === 'closed') {
      await this.deps.handoffs.setMode(conversationId, 'closed');
      const stars = [1, 2, 3, 4, 5].map((n) => button(String(n), `${BUTTON.ratePrefix}${n}`));
      await this.deps.runtime.deliver({ id: conversationId }, [reply(m.closed(name), stars)], {
        role: 'system',
      });
    }
  }

  // ---- internals ----

  /** After the bot answered: if it just queued the conversation, tell the driver and the agents. */
  private async afterBotTurn(conversationId: string): Promise<void> {
    const open = await this.deps.handoffs.openFor(conversationId);
    if (!open || open.status !== 'waiting') return;
    const summary = open.summary ? null : await this.summarise(open);
    if (!(await this.deps.handoffs.markQueued(open.id, summary, this.now()))) return;
    const handoff = (await this.deps.handoffs.get(open.id)) ?? open;
    this.desk?.events.emit('handoff.requested', { handoff, source: 'driver' });
    const m = driverMessages(open.locale);
    if ((await this.deps.agentsOnline()) === 0) {
      await this.deps.handoffs.markWaitNotice(open.id, this.now());
      await this.system(conversationId, m.noAgents, m);
      return;
    }
    const [position, typical] = await Promise.all([
      this.deps.handoffs.position(open.id),
      this.deps.handoffs.typicalWaitMinutes(),
    ]);
    await this.say(conversationId, m.queued(position, typical), 'system');
  }

  private async forAgents(conversationId: string, e: DriverMessageEvent): Promise<void> {
    const desk = this.desk;
    if (!desk) return;
    const rating = ratingOf(e.value);
    if (rating !== null) {
      const h = await this.deps.handoffs.unrated(conversationId);
      if (h) await desk.rate(h.id, rating);
      await this.deps.handoffs.setMode(conversationId, 'bot');
      await this.say(conversationId, driverMessages(h?.locale).thanks, 'system');
      return;
    }
    const open = await this.deps.handoffs.openFor(conversationId);
    if (!open) return;
    const m = driverMessages(open.locale);
    if (wantsToLeave(e.text, e.value, open.status === 'active')) {
      await desk.driverLeft(open);
      await this.say(conversationId, m.left, 'bot');
      return;
    }
    if (e.value === BUTTON.message) {
      await this.say(conversationId, m.leaveMessageAck, 'system');
      return;
    }
    desk.driverSaid(open, {
      id: `driver-${Date.now()}`,
      sender: 'driver',
      text: e.text ?? null,
      value: e.value ?? null,
      at: this.now(),
    });
  }

  private async system(conversationId: string, text: string, m: DriverMessages): Promise<void> {
    await this.deps.runtime.deliver(
      { id: conversationId },
      [reply(text, [button(m.continueWithBot, BUTTON.leave), button(m.leaveMessage, BUTTON.message)])],
      { role: 'system' },
    );
  }

  private async say(conversationId: string, text: string, role: 'bot' | 'system'): Promise<void> {
    await this.deps.runtime.deliver({ id: conversationId }, [reply(text)], { role });
  }

  /**
   * The bot's note for the agent: what the driver asked for, what they said before, and their
   * current bookings — from the transcript and booking-core, in English for the team.
   */
  private async summarise(h: Handoff): Promise<string> {
    const lines = await this.deps.handoffs.transcript(h.conversationId, 30);
    const said = lines
      .filter((l) => l.sender === 'driver' && l.text)
      .map((l) => l.text!.slice(0, 160))
      .slice(-5);
    const bookings = h.driverId
      ? await this.deps.core.bookings.list({ driverId: h.driverId, limit: 20 })
      : [];
    const live = bookings.filter((b) => ['held', 'confirmed', 'active'].includes(b.status));
    const ids = [...new Set(live.map((b) => b.facilityId))];
    const facilities = ids.length ? await this.deps.core.facilities.list({ ids }) : [];
    const fmt = (d: Date, tz: string) =>
      d.toLocaleString('en-GB', {
        timeZone: tz,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
    const bookingLines = live.map((b) => {
      const f = facilities.find((x) => x.id === b.facilityId);
      const tz = f?.timeZone ?? 'UTC';
      return `${b.reference} at ${f?.name ?? 'a car park'}, ${fmt(b.from, tz)} – ${fmt(b.to, tz)}, ${b.status}, plate ${b.plate}`;
    });
    return [
      `Asked for a person${h.reason ? `: "${h.reason.slice(0, 200)}"` : ''}.`,
      said.length ? `Trying to: ${said.map((s) => `"${s}"`).join(' → ')}` : 'Nothing said before asking.',
      bookingLines.length ? `Current bookings: ${bookingLines.join('; ')}.` : 'No current bookings.',
    ].join('\n');
  }
}
