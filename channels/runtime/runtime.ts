import { randomUUID } from 'node:crypto';
import { ActivityTypes, type Activity, type Middleware, type TurnContext } from 'botbuilder';
import {
  CONVERSATION_ID,
  HANDOFF_REQUESTED,
  StateConflictError,
  messages,
  reply,
  transcriptPayload,
  turnLocale,
  type ConversationLookup,
  type ConversationStore,
  type StoredConversation,
} from '../../bot/index.ts';
import { TurnAdapter, type TurnOutput } from './turn-adapter.ts';
import {
  DeliveryError,
  type ChannelOutlet,
  type ConversationAddress,
  type DeliveryFailure,
  type DeliveryResult,
  type DriverMessageEvent,
  type HandoffRouter,
  type InboundMessage,
  type KeyedLock,
  type Sender,
  type TurnRoute,
} from './types.ts';

/** The few logger methods the runtime uses (pino's shape). */
export interface RuntimeLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ConversationRuntimeOptions {
  /** the bot: `run(ctx)` handles one turn and saves its state */
  readonly bot: { run(ctx: TurnContext): Promise<void> };
  /** middleware every turn runs first (rate limit, identity, transcript) */
  readonly middleware: readonly Middleware[];
  readonly conversations: ConversationStore;
  /** `MemoryKeyedLock` in one process, `RedisKeyedLock` across instances */
  readonly lock: KeyedLock;
  readonly logger: RuntimeLogger;
  /** how long a crashed instance's turn lock keeps the conversation (default 30 s) */
  readonly turnLockMs?: number;
  /** how long a message id is remembered, to process a repeated one once (default 10 min) */
  readonly duplicateWindowMs?: number;
  /** `typing` shows "typing…" at most once this often per conversation, across instances (default 4 s) */
  readonly typingEveryMs?: number;
  /**
   * the bot's own "typing…" shows only when its answer takes longer than this (default 0: at once);
   * a quick answer then costs no typing message — on Telegram and WhatsApp, no API call
   */
  readonly botTypingAfterMs?: number;
}

const BOT: HandoffRouter = { route: () => 'bot' };

/**
 * One conversation runtime for every channel. Channel adapters hand it inbound messages and
 * register an outlet; it runs one turn at a time per conversation across instances, retries a turn
 * once on a state conflict, answers failures in the driver's language, and delivers messages to any
 * stored conversation from anywhere, recording each in the transcript with its sender.
 *
 *   const runtime = new ConversationRuntime({ bot, middleware, conversations, lock, logger });
 *   runtime.registerChannel(telegramOutlet);
 *   await runtime.handle({ channel: 'telegram', conversationId: '42', user: { id: '7' }, text: 'hi' });
 *   await runtime.deliver({ id: storedConversationId }, [{ type: 'message', text: 'Paid, thanks!' }], { role: 'system' });
 */
export class ConversationRuntime {
  private readonly adapter: TurnAdapter;
  private readonly outlets = new Map<string, ChannelOutlet>();
  private readonly listeners = new Set<(e: DriverMessageEvent) => void>();
  private readonly inFlight = new Set<Promise<void>>();
  private router: HandoffRouter = BOT;
  private readonly turnLockMs: number;
  private readonly duplicateWindowMs: number;

  constructor(private readonly o: ConversationRuntimeOptions) {
    this.adapter = new TurnAdapter();
    this.adapter.use(...o.middleware);
    this.turnLockMs = o.turnLockMs ?? 30_000;
    this.duplicateWindowMs = o.duplicateWindowMs ?? 10 * 60_000;
  }

  /** Adds (or replaces) the outlet of `outlet.channel`; every instance registers the same channels. */
  registerChannel(outlet: ChannelOutlet): void {
    this.outlets.set(outlet.channel, outlet);
  }

  /**
   * Handles one inbound message: skips a repeated `messageId`, then — one turn at a time per
   * (channel, conversationId), across instances — runs middleware and the bot (or, when the router
   * says so, only records it for the agents), retried once on `StateConflictError`. A failure is
   * answered in the driver's language and logged with the conversation id. Never rejects.
   */
  handle(message: InboundMessage): Promise<void> {
    const work = this.handleNow(message).catch((e: unknown) =>
      this.o.logger.error(
        { err: e, channel: message.channel, conversationId: message.conversationId },
        'conversation message failed',
      ),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    return work;
  }

  /**
   * Sends activities to a stored conversation on whatever channel it lives on, from any instance
   * (a widget whose socket is on another instance is reached through socket.io's Redis adapter),
   * and records each in the transcript with its sender. Does not take the turn lock (it may be
   * called from inside a turn). Never rejects for delivery problems: see the result.
   */
  async deliver(
    conversation: ConversationLookup,
    activities: readonly Partial<Activity>[],
    from: Sender,
  ): Promise<DeliveryResult> {
    const found = await this.o.conversations.find(conversation);
    if (!found?.reference) {
      return { delivered: false, conversationId: found?.id ?? null, reason: 'unknown-conversation' };
    }
    const outgoing = activities.map((a) => ({
      ...a,
      type: a.type ?? ActivityTypes.Message,
      id: a.id ?? randomUUID(),
      ...(found.locale && !a.locale ? { locale: found.locale } : {}),
    }));
    const outlet = this.outlets.get(found.channel);
    const failure = outlet
      ? await this.send(outlet, addressOf(found), outgoing, from)
      : ('no-channel' as const);
    if (!outlet)
      this.o.logger.warn({ channel: found.channel, conversationId: found.id }, 'no outlet for channel');
    for (const a of outgoing.filter((x) => x.type === ActivityTypes.Message)) {
      await this.o.conversations
        .append(found.id, {
          direction: 'out',
          sender: from.role,
          text: a.text ?? null,
          payload: {
            ...transcriptPayload(a),
            activityId: a.id, // a channel's delivery status finds the entry by it
            ...(from.name ? { senderName: from.name } : {}),
            ...(failure ? { undelivered: failure } : {}),
          },
        })
        .catch((e: unknown) =>
          this.o.logger.error({ err: e, conversationId: found.id }, 'could not record a delivered message'),
        );
    }
    return failure
      ? { delivered: false, conversationId: found.id, reason: failure }
      : { delivered: true, conversationId: found.id };
  }

  /**
   * Shows the driver "typing…" on their channel, where it has such a thing (an agent is writing a
   * reply in the console), from any instance. At most once per `typingEveryMs` per conversation
   * across instances (a lease on the runtime's lock, left to lapse); only a hint, so it never
   * rejects. Resolves true when the channel was asked to show it.
   *
   *   void runtime.typing({ id: storedConversationId }, { role: 'agent', name: 'Ana' });
   */
  async typing(conversation: ConversationLookup, from?: Sender): Promise<boolean> {
    try {
      const found = await this.o.conversations.find(conversation);
      const outlet = found?.reference ? this.outlets.get(found.channel) : undefined;
      if (!found || !outlet?.typing) return false;
      const first = await this.o.lock.tryLease(`typing:${found.id}`, this.o.typingEveryMs ?? 4_000);
      if (!first) return false;
      await outlet.typing(addressOf(found), from);
      return true;
    } catch (e) {
      this.o.logger.warn({ err: e, conversation }, 'typing indicator not shown');
      return false;
    }
  }

  /** Sets who answers drivers' messages (the handoff console); the default is always the bot. */
  setRouter(router: HandoffRouter): void {
    this.router = router;
  }

  /**
   * Tells `listener` of every driver's message once it is recorded (whoever answers it).
   * Returns the unsubscribe function.
   */
  onDriverMessage(listener: (e: DriverMessageEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the messages being handled now (on shutdown). */
  async stop(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async handleNow(m: InboundMessage): Promise<void> {
    if (m.messageId) {
      // Never released: the id stays "seen" until the lease lapses.
      const first = await this.o.lock.tryLease(`seen:${m.channel}:${m.messageId}`, this.duplicateWindowMs);
      if (!first) return;
    }
    const outlet = this.outlets.get(m.channel);
    if (!outlet) throw new Error(`no outlet is registered for channel "${m.channel}"`);
    await this.o.lock.withLock(`turn:${m.channel}:${m.conversationId}`, this.turnLockMs, () =>
      this.turn(m, outlet),
    );
  }

  private async turn(m: InboundMessage, outlet: ChannelOutlet): Promise<void> {
    const to: ConversationAddress = {
      channel: m.channel,
      conversationId: m.conversationId,
      userId: m.user.id,
      address: m.address ?? {},
    };
    const route = await this.router.route({
      channel: m.channel,
      conversationId: m.conversationId,
      ...(m.text !== undefined ? { text: m.text } : {}),
      ...(m.value !== undefined ? { value: m.value } : {}),
    });
    // only a hint, and only when the bot will answer (a person's typing is shown by `typing`)
    const hint = route === 'bot' ? this.botTyping(outlet, to) : { cancel: () => undefined };
    let storedId: string | null = null;
    let reached = false;
    let handoffRequested = false; // by any run of the turn (a replayed one may not ask again)
    let ctx: TurnContext | undefined;
    const logic = async (turn: TurnContext) => {
      reached = true;
      storedId = (turn.turnState.get(CONVERSATION_ID) as string | undefined) ?? null;
      try {
        if (route === 'bot') await this.o.bot.run(turn);
      } finally {
        if (turn.turnState.get(HANDOFF_REQUESTED)) handoffRequested = true;
      }
    };
    const undelivered: DeliveryFailure[] = [];
    const output: TurnOutput = {
      outlet,
      to,
      flush: async (_turn, replies) => {
        hint.cancel(); // the answer is here: no "typing…" after it
        const failure = await this.send(outlet, to, replies, { role: 'bot' });
        if (failure) undelivered.push(failure);
      },
    };
    const activity = toActivity(m);
    const run = (replay: boolean) =>
      this.adapter.runTurn(activity, output, logic, { replay, onContext: (c) => (ctx = c) });
    try {
      await run(false).catch(async (e: unknown) => {
        if (!(e instanceof StateConflictError)) throw e;
        this.o.logger.warn(
          { channel: m.channel, conversationId: m.conversationId, key: e.key },
          'bot state conflict: running the turn again',
        );
        await run(true);
      });
    } catch (e) {
      this.o.logger.error({ err: e, channel: m.channel, conversationId: m.conversationId }, 'turn failed');
      hint.cancel();
      await this.apologise(outlet, to, ctx, storedId);
    } finally {
      hint.cancel();
    }
    // after the transcript has the replies, so the note follows what it is about
    if (storedId) for (const failure of undelivered) await this.recordFailure(storedId, failure);
    if (reached)
      this.tell({
        channel: m.channel,
        conversationId: m.conversationId,
        storedId,
        route,
        m,
        handoffRequested,
      });
  }

  /** The bot's "typing…" on the outlet, now or once `botTypingAfterMs` have passed, unless cancelled first. */
  private botTyping(outlet: ChannelOutlet, to: ConversationAddress): { cancel(): void } {
    const show = () => void outlet.typing?.(to).catch(() => undefined);
    const after = this.o.botTypingAfterMs ?? 0;
    if (!outlet.typing) return { cancel: () => undefined };
    if (after <= 0) {
      show();
      return { cancel: () => undefined };
    }
    const timer = setTimeout(show, after);
    return { cancel: () => clearTimeout(timer) };
  }

  /** "Sorry, something went wrong" in the driver's language, recorded as the bot's. */
  private async apologise(
    outlet: ChannelOutlet,
    to: ConversationAddress,
    ctx: TurnContext | undefined,
    storedId: string | null,
  ): Promise<void> {
    const locale = ctx ? turnLocale(ctx) : 'en';
    const sorry = { ...reply(messages(locale).error), id: randomUUID(), locale };
    const failure = await this.send(outlet, to, [sorry], { role: 'bot' });
    if (!storedId) return;
    await this.o.conversations
      .append(storedId, {
        direction: 'out',
        sender: 'bot',
        text: sorry.text ?? null,
        payload: failure ? { undelivered: failure } : null,
      })
      .catch((e: unknown) => this.o.logger.error({ err: e, conversationId: storedId }, 'could not record'));
  }

  /** Sends through the outlet; a failure is logged and returned, never thrown. */
  private async send(
    outlet: ChannelOutlet,
    to: ConversationAddress,
    activities: readonly Partial<Activity>[],
    from: Sender,
  ): Promise<DeliveryFailure | null> {
    try {
      await outlet.send(to, activities, from);
      return null;
    } catch (e) {
      const kind = e instanceof DeliveryError ? e.kind : 'retryable';
      this.o.logger.warn(
        { err: e, kind, channel: to.channel, conversationId: to.conversationId },
        'message not delivered',
      );
      return kind;
    }
  }

  private async recordFailure(conversationId: string, failure: DeliveryFailure): Promise<void> {
    await this.o.conversations
      .append(conversationId, {
        direction: 'out',
        sender: 'system',
        text: null,
        payload: { undelivered: failure },
      })
      .catch((e: unknown) => this.o.logger.error({ err: e, conversationId }, 'could not record'));
  }

  private tell(t: {
    channel: string;
    conversationId: string;
    storedId: string | null;
    route: TurnRoute;
    m: InboundMessage;
    handoffRequested: boolean;
  }): void {
    const event: DriverMessageEvent = {
      channel: t.channel,
      conversationId: t.conversationId,
      storedId: t.storedId,
      routedTo: t.route,
      handoffRequested: t.handoffRequested,
      ...(t.m.text !== undefined ? { text: t.m.text } : {}),
      ...(t.m.value !== undefined ? { value: t.m.value } : {}),
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.o.logger.error({ err: e, conversationId: t.conversationId }, 'driver message listener failed');
      }
    }
  }
}

/** The address an outlet needs, from a stored conversation (its reference keeps the channel data). */
function addressOf(c: StoredConversation): ConversationAddress {
  const ref = c.reference as {
    user?: { id?: string };
    conversation?: { properties?: { address?: Record<string, unknown> } };
  };
  return {
    channel: c.channel,
    conversationId: c.externalId,
    ...(ref.user?.id ? { userId: ref.user.id } : {}),
    address: ref.conversation?.properties?.address ?? {},
  };
}

/** An inbound message as the bot activity botbuilder middleware and dialogs expect. */
function toActivity(m: InboundMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    channelId: m.channel,
    id: m.messageId ?? randomUUID(),
    timestamp: new Date(),
    serviceUrl: `runtime:${m.channel}`,
    from: {
      id: m.user.id,
      name: m.user.name ?? '',
      role: 'user',
      ...(m.user.phone ? { properties: { phone: m.user.phone } } : {}),
    },
    recipient: { id: 'parking-bot', name: 'Parking bot', role: 'bot' },
    conversation: {
      id: m.conversationId,
      isGroup: false,
      conversationType: 'personal',
      name: '',
      ...(m.address ? { properties: { address: m.address } } : {}),
    },
    text: m.text ?? '',
    ...(m.value !== undefined ? { value: m.value } : {}),
    ...(m.locale ? { locale: m.locale } : {}),
  };
}
