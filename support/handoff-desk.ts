import {
  EventBus,
  type Booking,
  type BookingCore,
  type BookingError,
  type FacilitySummary,
} from '../booking-core/index.ts';
import type { AuditLog, HandoffQuery, HandoffRepository } from './ports.ts';
import type { Agent, Handoff, InternalNote, TranscriptLine } from './types.ts';

/** What the console hears about, named `resource.verb`. */
export interface HandoffEvents {
  /** `source`: the driver asked (in a chat), or an integration queued it (REST API) */
  'handoff.requested': { handoff: Handoff; source: 'driver' | 'integration' };
  'handoff.claimed': { handoff: Handoff };
  'handoff.released': { handoff: Handoff };
  'handoff.closed': { handoff: Handoff };
  /** a line of the conversation while a person is involved (driver, agent), or an internal note */
  'handoff.message': { handoffId: string; conversationId: string; line: TranscriptLine; internal: boolean };
}

/**
 * The driver's side of an agent's actions. The conversation runtime implements it (its `deliver`
 * sends on the driver's own channel with the agent's name and records the transcript); until it
 * is wired, `TranscriptOnlyReplies` records the lines.
 */
export interface DriverLine {
  send(conversationId: string, text: string, agent: Pick<Agent, 'id' | 'displayName'>): Promise<void>;
  typing(conversationId: string, agent: Pick<Agent, 'displayName'>): Promise<void>;
  /** tell the driver about a change (an agent joined, the bot is back, please rate) */
  announce(conversationId: string, event: 'claimed' | 'released' | 'closed', handoff: Handoff): Promise<void>;
}

/**
 * Refunds of a booking's payments (booking-core's payments, plugged in by the app); without them
 * `refund` answers PAYMENTS.NOT_AVAILABLE.
 */
export interface Refunds {
  refund(
    booking: Booking,
    actor: { agentId: string },
    reason: string | null,
  ): Promise<{ ok: true } | { ok: false; error: BookingError }>;
}

export type DeskRefusal =
  | { code: 'HANDOFF.NOT_FOUND'; message: string }
  | { code: 'HANDOFF.TAKEN'; message: string; heldBy: string | null }
  | { code: 'HANDOFF.NOT_WAITING'; message: string }
  | { code: 'HANDOFF.NOT_HELD'; message: string }
  | { code: 'BOOKING.NOT_THE_DRIVERS'; message: string }
  | { code: 'PAYMENTS.NOT_AVAILABLE'; message: string }
  | BookingError;

export type DeskResult<T> = { ok: true; value: T } | { ok: false; error: DeskRefusal };

const ok = <T>(value: T): DeskResult<T> => ({ ok: true, value });
const no = <T>(error: DeskRefusal): DeskResult<T> => ({ ok: false, error });
const notFound = () => no<never>({ code: 'HANDOFF.NOT_FOUND', message: 'no such handoff' });

export interface HandoffDetail {
  readonly handoff: Handoff;
  readonly transcript: TranscriptLine[];
  readonly notes: InternalNote[];
  /** the driver's current and upcoming bookings, each with its car park's live count */
  readonly bookings: Array<{
    booking: Booking;
    facility: Pick<FacilitySummary, 'id' | 'name' | 'timeZone' | 'freeNow'> | null;
  }>;
}

export interface HandoffDeskDeps {
  readonly handoffs: HandoffRepository;
  readonly audit: AuditLog;
  readonly core: Pick<BookingCore, 'bookings' | 'facilities'>;
  readonly driverLine: DriverLine;
  readonly refunds?: Refunds;
  readonly now?: () => Date;
  readonly onError?: (event: string, error: unknown) => void;
}

const LIVE: ReadonlyArray<Booking['status']> = ['held', 'confirmed', 'active'];

/**
 * The agents' side of handoffs: the queue, claiming (exactly one agent wins), replies and notes,
 * handing back, closing, and acting on the driver's bookings — every action audited.
 *
 *   const r = await desk.claim(handoffId, agent); // r.ok, or r.error.code === 'HANDOFF.TAKEN'
 */
export class HandoffDesk {
  readonly events: EventBus<HandoffEvents>;
  private readonly now: () => Date;

  constructor(private readonly deps: HandoffDeskDeps) {
    this.events = new EventBus<HandoffEvents>(deps.onError);
    this.now = deps.now ?? (() => new Date());
  }

  list(query: HandoffQuery): Promise<Handoff[]> {
    return this.deps.handoffs.list(query);
  }

  get(id: string): Promise<Handoff | null> {
    return this.deps.handoffs.get(id);
  }

  async detail(id: string): Promise<HandoffDetail | null> {
    const handoff = await this.deps.handoffs.get(id);
    if (!handoff) return null;
    const [transcript, notes, bookings] = await Promise.all([
      this.deps.handoffs.transcript(handoff.conversationId, 500),
      this.deps.audit.notes(id),
      this.driversBookings(handoff.driverId),
    ]);
    return { handoff, transcript, notes, bookings };
  }

  /** Queues the conversation (or returns its open request); integrations do this over the REST API. */
  async request(
    conversationId: string,
    reason: string | null,
    summary: string | null,
  ): Promise<Handoff | null> {
    const before = await this.deps.handoffs.openFor(conversationId);
    const handoff = await this.deps.handoffs.request(conversationId, reason, summary);
    if (handoff && !before) this.events.emit('handoff.requested', { handoff, source: 'integration' });
    return handoff;
  }

  async claim(id: string, agent: Agent): Promise<DeskResult<Handoff>> {
    const won = await this.deps.handoffs.claim(id, agent.id, this.now());
    const handoff = await this.deps.handoffs.get(id);
    if (!handoff) return notFound();
    if (!won) {
      if (handoff.status === 'active' && handoff.agent?.id === agent.id) return ok(handoff);
      if (handoff.status === 'active') {
        return no({
          code: 'HANDOFF.TAKEN',
          message: `${handoff.agent?.displayName ?? 'another agent'} has it`,
          heldBy: handoff.agent?.displayName ?? null,
        });
      }
      return no({ code: 'HANDOFF.NOT_WAITING', message: `the handoff is ${handoff.status}` });
    }
    await this.audit(agent, 'handoff.claimed', handoff);
    this.events.emit('handoff.claimed', { handoff });
    await this.deps.driverLine.announce(handoff.conversationId, 'claimed', handoff);
    return ok(handoff);
  }

  /** A reply to the driver (on their channel), or with `internal` a note only agents see. */
  async message(
    id: string,
    agent: Agent,
    text: string,
    internal: boolean,
  ): Promise<DeskResult<TranscriptLine>> {
    const handoff = await this.deps.handoffs.get(id);
    if (!handoff) return notFound();
    const line: TranscriptLine = {
      id: `${internal ? 'note' : 'agent'}-${Date.now()}`,
      sender: 'agent',
      text,
      value: null,
      at: this.now(),
    };
    if (internal) {
      await this.audit(agent, 'handoff.note', handoff, { text });
    } else {
      const held = this.heldBy(handoff, agent);
      if (!held.ok) return held;
      await this.deps.driverLine.send(handoff.conversationId, text, agent);
      await this.audit(agent, 'handoff.replied', handoff, { length: text.length });
    }
    this.events.emit('handoff.message', {
      handoffId: id,
      conversationId: handoff.conversationId,
      line,
      internal,
    });
    return ok(line);
  }

  async typing(id: string, agent: Agent): Promise<void> {
    const handoff = await this.deps.handoffs.get(id);
    if (handoff && this.heldBy(handoff, agent).ok)
      await this.deps.driverLine.typing(handoff.conversationId, agent);
  }

  /** Back to the bot. */
  release(id: string, agent: Agent): Promise<DeskResult<Handoff>> {
    return this.finish(id, agent, 'released', null);
  }

  close(id: string, agent: Agent, resolution: string): Promise<DeskResult<Handoff>> {
    return this.finish(id, agent, 'closed', resolution);
  }

  /** The driver's side: they left the queue (or the wait ran out and they chose the bot). */
  async withdraw(id: string): Promise<boolean> {
    const done = await this.deps.handoffs.withdraw(id, this.now());
    const handoff = done ? await this.deps.handoffs.get(id) : null;
    if (handoff) this.events.emit('handoff.closed', { handoff });
    return done;
  }

  /** The driver went back to the bot: a waiting request is withdrawn, a held one closed for its agent. */
  async driverLeft(h: Handoff): Promise<void> {
    if (h.status === 'waiting') {
      await this.withdraw(h.id);
      return;
    }
    if (h.status !== 'active' || !h.agent) return;
    const done = await this.deps.handoffs.finish(
      h.id,
      h.agent.id,
      'released',
      this.now(),
      'the driver went back to the bot',
    );
    const handoff = done ? await this.deps.handoffs.get(h.id) : null;
    if (handoff) this.events.emit('handoff.released', { handoff });
  }

  /** The driver's answer to "how did we do?" (1–5), once. */
  rate(id: string, rating: number): Promise<boolean> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return Promise.resolve(false);
    return this.deps.handoffs.rate(id, rating, this.now());
  }

  /** Something the driver said while a person is involved, for the console to show live. */
  driverSaid(handoff: Handoff, line: TranscriptLine): void {
    this.events.emit('handoff.message', {
      handoffId: handoff.id,
      conversationId: handoff.conversationId,
      line,
      internal: false,
    });
  }

  openFor(conversationId: string): Promise<Handoff | null> {
    return this.deps.handoffs.openFor(conversationId);
  }

  async cancelBooking(
    id: string,
    agent: Agent,
    bookingId: string,
    reason: string | null,
  ): Promise<DeskResult<Booking>> {
    return this.onBooking(
      id,
      agent,
      bookingId,
      'booking.cancelled',
      async (actor) => this.deps.core.bookings.cancel(bookingId, actor, reason ?? 'cancelled by support'),
      { reason },
    );
  }

  async extendBooking(id: string, agent: Agent, bookingId: string, to: Date): Promise<DeskResult<Booking>> {
    return this.onBooking(
      id,
      agent,
      bookingId,
      'booking.extended',
      (actor) => this.deps.core.bookings.extend(bookingId, to, actor),
      { to: to.toISOString() },
    );
  }

  async refundBooking(
    id: string,
    agent: Agent,
    bookingId: string,
    reason: string | null,
  ): Promise<DeskResult<Booking>> {
    const refunds = this.deps.refunds;
    return this.onBooking(
      id,
      agent,
      bookingId,
      'booking.refunded',
      async (_actor, booking) => {
        if (!refunds)
          return {
            ok: false,
            error: {
              code: 'PAYMENTS.NOT_AVAILABLE',
              message: 'refunds arrive with payments; nothing was refunded',
            },
          };
        const r = await refunds.refund(booking, { agentId: agent.id }, reason);
        return r.ok ? { ok: true, value: booking } : { ok: false, error: r.error };
      },
      { reason },
    );
  }

  private async onBooking(
    id: string,
    agent: Agent,
    bookingId: string,
    action: string,
    run: (
      actor: { kind: 'operator'; id: string },
      booking: Booking,
    ) => Promise<{ ok: true; value: Booking } | { ok: false; error: DeskRefusal }>,
    detail: Record<string, unknown>,
  ): Promise<DeskResult<Booking>> {
    const handoff = await this.deps.handoffs.get(id);
    if (!handoff) return notFound();
    const held = this.heldBy(handoff, agent);
    if (!held.ok) return held;
    const mine = (await this.driversBookings(handoff.driverId, false)).find(
      (b) => b.booking.id === bookingId,
    );
    if (!mine) return no({ code: 'BOOKING.NOT_THE_DRIVERS', message: "that booking is not this driver's" });
    // booking-core's audit trail names the agent too: "operator:agent:<id>"
    const r = await run({ kind: 'operator', id: `agent:${agent.id}` }, mine.booking);
    if (!r.ok) return r;
    await this.audit(
      agent,
      action,
      handoff,
      { ...detail, bookingId, reference: mine.booking.reference },
      bookingId,
    );
    return ok(r.value);
  }

  private async finish(
    id: string,
    agent: Agent,
    to: 'released' | 'closed',
    resolution: string | null,
  ): Promise<DeskResult<Handoff>> {
    const done = await this.deps.handoffs.finish(id, agent.id, to, this.now(), resolution);
    const handoff = await this.deps.handoffs.get(id);
    if (!handoff) return notFound();
    if (!done) {
      const held = this.heldBy(handoff, agent);
      return held.ok
        ? no({ code: 'HANDOFF.NOT_WAITING', message: `the handoff is ${handoff.status}` })
        : held;
    }
    await this.audit(agent, `handoff.${to}`, handoff, resolution ? { resolution } : undefined);
    this.events.emit(to === 'closed' ? 'handoff.closed' : 'handoff.released', { handoff });
    await this.deps.driverLine.announce(handoff.conversationId, to, handoff);
    return ok(handoff);
  }

  private heldBy(handoff: Handoff, agent: Agent): DeskResult<true> {
    if (handoff.status === 'active' && handoff.agent?.id === agent.id) return ok(true);
    if (handoff.status === 'active') {
      return no({
        code: 'HANDOFF.TAKEN',
        message: `${handoff.agent?.displayName ?? 'another agent'} has it`,
        heldBy: handoff.agent?.displayName ?? null,
      });
    }
    return no({ code: 'HANDOFF.NOT_HELD', message: `claim it first (it is ${handoff.status})` });
  }

  private async driversBookings(
    driverId: string | null,
    liveOnly = true,
  ): Promise<HandoffDetail['bookings']> {
    if (!driverId) return [];
    const all = await this.deps.core.bookings.list({ driverId, limit: 50 });
    const bookings = liveOnly ? all.filter((b) => LIVE.includes(b.status)) : all;
    const ids = [...new Set(bookings.map((b) => b.facilityId))];
    const facilities = ids.length ? await this.deps.core.facilities.list({ ids }) : [];
    return bookings.map((booking) => {
      const f = facilities.find((x) => x.id === booking.facilityId);
      return {
        booking,
        facility: f ? { id: f.id, name: f.name, timeZone: f.timeZone, freeNow: f.freeNow } : null,
      };
    });
  }

  private audit(
    agent: Agent,
    action: string,
    handoff: Handoff,
    detail?: Record<string, unknown>,
    bookingId?: string,
  ) {
    return this.deps.audit.record({
      agentId: agent.id,
      action,
      handoffId: handoff.id,
      conversationId: handoff.conversationId,
      ...(bookingId ? { bookingId } : {}),
      ...(detail ? { detail } : {}),
    });
  }
}
