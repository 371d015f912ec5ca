import type { Activity } from 'botbuilder';

/**
 * What a channel adapter hands the runtime for each inbound platform message.
 *
 *   await runtime.handle({
 *     channel: 'telegram', conversationId: String(chat.id), user: { id: String(from.id), name: from.first_name },
 *     messageId: String(update.update_id), locale: from.language_code, text: message.text,
 *     address: { chatId: chat.id },
 *   });
 */
export interface InboundMessage {
  /** 'web' | 'telegram' | 'whatsapp' | 'whatsapp-web' — the name its outlet was registered with */
  readonly channel: string;
  /** the channel's own conversation id (web conversation uuid, Telegram chat id, wa_id) */
  readonly conversationId: string;
  /**
   * the channel identity: one (channel, user.id) is one driver; `name` and `phone` travel on the
   * activity as `from.name` and `from.properties.phone`
   */
  readonly user: { readonly id: string; readonly name?: string; readonly phone?: string };
  /** the platform's message id; a repeated one (per channel) is processed once */
  readonly messageId?: string;
  /** a language hint from the platform, e.g. Telegram's `from.language_code` */
  readonly locale?: string;
  /** typed text */
  readonly text?: string;
  /**
   * a pressed button's value, exactly the postBack value the bot offered; a shared location is
   * `location:<lat>,<lng>`, as the widget sends it
   */
  readonly value?: string;
  /** channel data needed to reply later (kept in the stored conversation reference) */
  readonly address?: Readonly<Record<string, unknown>>;
}

/** Where an outlet sends: the conversation, and the channel data its inbound message carried. */
export interface ConversationAddress {
  readonly channel: string;
  /** the channel's own conversation id */
  readonly conversationId: string;
  /** the channel's user id of the driver, when known */
  readonly userId?: string;
  /** the `address` of the conversation's latest inbound message ({} when none was given) */
  readonly address: Readonly<Record<string, unknown>>;
}

/** Who a delivered message is from; channels show an agent's name where they can. */
export interface Sender {
  readonly role: 'bot' | 'agent' | 'system';
  readonly name?: string;
}

/**
 * A channel's way out: renders channel-neutral activities (text, suggested actions — postBack,
 * openUrl, requestLocation — and the cards of `bot/cards.ts`) natively and sends them, in order.
 * Throws {@link DeliveryError} when the platform refuses; the runtime records it and goes on.
 *
 *   runtime.registerChannel({ channel: 'telegram', send: async (to, activities, from) => { … } });
 */
export interface ChannelOutlet {
  readonly channel: string;
  send(to: ConversationAddress, activities: readonly Partial<Activity>[], from: Sender): Promise<void>;
  /** shows "typing…" while a turn runs or an agent writes (`from`), where the platform can */
  typing?(to: ConversationAddress, from?: Sender): Promise<void>;
}

/** How a delivery failed: see {@link DeliveryError}, plus the runtime's own two reasons. */
export type DeliveryFailure = DeliveryErrorKind | 'unknown-conversation' | 'no-channel';

/** What `deliver` did: sent (and recorded), or why not (also recorded when the conversation exists). */
export type DeliveryResult =
  | { readonly delivered: true; readonly conversationId: string }
  | { readonly delivered: false; readonly conversationId: string | null; readonly reason: DeliveryFailure };

/**
 * - `unreachable`: the driver cannot be reached (blocked the bot, left);
 * - `window-closed`: the platform only allows templates now (WhatsApp's 24-hour window);
 * - `retryable`: a transient failure that outlived the outlet's own retries;
 * - `rejected`: the platform refused this message (malformed, too long…).
 */
export type DeliveryErrorKind = 'unreachable' | 'window-closed' | 'retryable' | 'rejected';

/**
 * Raised by outlets when a message could not be delivered; the runtime records it (a `system`
 * transcript entry and a log line) instead of crashing.
 *
 *   throw new DeliveryError('unreachable', 'the driver blocked the bot', { cause: e });
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    readonly kind: DeliveryErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Who answers a driver's message: the bot, or the agents (the handoff console). */
export type TurnRoute = 'bot' | 'agents';

/** A driver's message, as the runtime tells listeners (the handoff console) after recording it. */
export interface DriverMessageEvent {
  readonly channel: string;
  /** the channel's own conversation id */
  readonly conversationId: string;
  /** the platform's conversation id (`StoredConversation.id`), null if nothing was stored */
  readonly storedId: string | null;
  readonly text?: string;
  readonly value?: string;
  /** who was asked to answer it */
  readonly routedTo: TurnRoute;
  /**
   * Whether the bot asked for a person while answering it (stored a handoff request); absent when
   * the runtime cannot tell. False lets the handoff side skip looking for a new request.
   */
  readonly handoffRequested?: boolean;
}

/**
 * Decides whether a driver's message goes to the bot or to the agents (the handoff console plugs
 * one in with `runtime.setRouter`). The default sends everything to the bot. Called inside the
 * conversation's turn lock.
 */
export interface HandoffRouter {
  route(conversation: {
    readonly channel: string;
    readonly conversationId: string;
    /** what the driver wrote or pressed, so "back to the bot" can leave the queue */
    readonly text?: string;
    readonly value?: string;
  }): TurnRoute | Promise<TurnRoute>;
}

/**
 * Keyed locks with expiry: `MemoryKeyedLock` by default, `RedisKeyedLock` across instances; both
 * pass `keyed-lock.contract.ts`.
 *
 *   await lock.withLock('turn:web:abc', 30_000, () => runTurn());
 *   const lease = await lock.tryLease('telegram:polling', 30_000); // null: another instance polls
 */
export interface KeyedLock {
  /**
   * Runs `fn` holding `key`, waiting for it first (callers on one instance in arrival order). While
   * `fn` runs the lock is kept; if the holder dies it expires `ttlMs` later. Throws
   * `LockTimeoutError` when the key stays taken longer than the lock's wait limit.
   */
  withLock<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T>;
  /**
   * A renewable lease for run-once things (Telegram polling, a WhatsApp Web session, a message id
   * processed once): null if someone holds `key`. Unless renewed it expires `ttlMs` after taking.
   */
  tryLease(key: string, ttlMs: number): Promise<Lease | null>;
}

export interface Lease {
  /** extends the lease by its ttl; false if it was lost (expired and taken by someone else) */
  renew(): Promise<boolean>;
  /** gives it up (a no-op if it was lost) */
  release(): Promise<void>;
}

/** `withLock` waited longer than its limit for a key someone else holds. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  constructor(
    readonly key: string,
    waitedMs: number,
  ) {
    super(`lock "${key}" still taken after ${waitedMs} ms`);
  }
}
