import { timingSafeEqual } from 'node:crypto';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { InboundMessage, KeyedLock } from '../runtime/index.ts';
import { callTelegram, DEFAULT_RETRY, type RetryPolicy } from './calls.ts';
import { webhookEndpoint, type TelegramConfig } from './config.ts';
import { COMMAND_MENU, TOKEN_PREFIX, toInbound, type PressedButton } from './inbound.ts';
import { TelegramOutlet } from './outlet.ts';
import type { CallbackTokenStore } from './tokens.ts';

/** The few logger methods the channel uses (pino's shape). */
export interface TelegramLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface TelegramChannelDeps {
  readonly config: TelegramConfig;
  /** the conversation runtime: where drivers' messages go */
  readonly runtime: { handle(message: InboundMessage): Promise<void> };
  /** for the polling lease: only one instance polls (Redis across instances) */
  readonly lock: KeyedLock;
  readonly tokens: CallbackTokenStore;
  readonly logger: TelegramLogger;
  /** the webhook's secret_token (webhook mode) */
  readonly webhookSecret?: string;
  readonly retry?: RetryPolicy;
  /** how long a crashed poller keeps the lease (default 30 s) */
  readonly pollingLeaseMs?: number;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

/**
 * The Telegram channel on the conversation runtime, through telegraf. Receives updates by webhook
 * (`acceptWebhook`, every instance) or long polling (one instance at a time, holding a lease),
 * turns them into the runtime's messages (inbound.ts) one after another per chat, answers every
 * button press and takes its keyboard off, and sends the runtime's replies through its outlet.
 *
 *   const channel = new TelegramChannel({ config, runtime, lock, tokens, logger, webhookSecret });
 *   runtime.registerChannel(channel.outlet);
 *   await channel.start(); // connects in the background; `channel.ready` when connected
 */
export class TelegramChannel {
  readonly bot: Telegraf;
  readonly outlet: TelegramOutlet;
  /** settles once the bot is connected (webhook registered, or polling), or gave up */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private readonly chats = new Map<string, Promise<unknown>>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private polling = false;

  constructor(private readonly d: TelegramChannelDeps) {
    // Webhook replies (answering with a method in the webhook's response) are off: every call is
    // a normal request, so its result and errors are seen.
    this.bot = new Telegraf(d.config.token, {
      telegram: { apiRoot: d.config.apiRoot, webhookReply: false },
    });
    this.bot.use((ctx) => this.onUpdate(ctx.update));
    this.bot.catch((err, ctx) =>
      d.logger.error({ err, updateId: ctx.update.update_id }, 'telegram: update failed'),
    );
    this.outlet = new TelegramOutlet(this.bot.telegram, d.tokens, this.retry, (why, waitMs) =>
      d.logger.warn({ why, waitMs }, 'telegram: retrying a call'),
    );
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  private get retry(): RetryPolicy {
    return this.d.retry ?? DEFAULT_RETRY;
  }

  get mode(): 'webhook' | 'polling' {
    return this.d.config.webhookUrl ? 'webhook' : 'polling';
  }

  /** Connects in the background (Telegram may be unreachable at start); never rejects. */
  async start(): Promise<void> {
    this.loop = this.connect().catch((e: unknown) => {
      this.d.logger.error({ err: e }, 'telegram: the channel stopped');
      this.markReady();
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.polling) this.stopPolling('shutdown');
    await this.loop;
    while (this.chats.size) await Promise.allSettled([...this.chats.values()]);
  }

  private stopPolling(reason: string): void {
    try {
      this.bot.stop(reason);
    } catch {
      // launch() is still starting (removing the webhook): try again once it polls
      if (this.polling) setTimeout(() => this.stopPolling(reason), 50).unref();
    }
  }

  /** True when the webhook request carries the secret (compared in constant time). */
  isAuthentic(header: string | string[] | undefined): boolean {
    const expected = Buffer.from(this.d.webhookSecret ?? '');
    const given = Buffer.from(typeof header === 'string' ? header : '');
    return expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * A webhook request whose secret was checked: handled before answering (a failed instance's
   * update is sent again by Telegram, and a repeat is processed once).
   */
  async acceptWebhook(body: unknown): Promise<{ status: number; body: object }> {
    if (!isUpdate(body))
      return { status: 400, body: { code: 'TELEGRAM.UPDATE_INVALID', message: 'not a Telegram update' } };
    await this.bot.handleUpdate(body);
    return { status: 200, body: {} };
  }

  private async connect(): Promise<void> {
    const me = await this.untilDone('getMe', () => this.bot.telegram.getMe());
    if (!me) return;
    this.bot.botInfo = me;
    await this.untilDone('setMyCommands', async () => {
      const menu = (lang: keyof typeof COMMAND_MENU) =>
        Object.entries(COMMAND_MENU[lang]).map(([command, description]) => ({ command, description }));
      await this.bot.telegram.setMyCommands(menu('default'));
      await this.bot.telegram.setMyCommands(menu('es'), { language_code: 'es' });
    });
    if (this.d.config.webhookUrl) {
      const url = webhookEndpoint(this.d.config.webhookUrl);
      const set = await this.untilDone('setWebhook', () =>
        this.bot.telegram.setWebhook(url, {
          ...(this.d.webhookSecret ? { secret_token: this.d.webhookSecret } : {}),
          allowed_updates: [...ALLOWED_UPDATES],
        }),
      );
      if (set) this.d.logger.info({ bot: me.username, url }, 'telegram: receiving updates by webhook');
      this.markReady();
      return;
    }
    await this.pollWhileLeased(me.id);
  }

  /**
   * Long polling by exactly one instance: whoever holds the lease polls and renews it; the others
   * wait and take over when it lapses.
   */
  private async pollWhileLeased(botId: number): Promise<void> {
    const ttl = this.d.pollingLeaseMs ?? 30_000;
    const key = `telegram:polling:${botId}`;
    let waitingSaid = false;
    while (!this.stopping.signal.aborted) {
      const lease = await this.d.lock.tryLease(key, ttl).catch((e: unknown) => {
        this.d.logger.warn({ err: e }, 'telegram: could not ask for the polling lease');
        return null;
      });
      if (!lease) {
        if (!waitingSaid)
          this.d.logger.info({}, 'telegram: another instance is polling for updates; this one stands by');
        waitingSaid = true;
        this.markReady();
        await this.pause(ttl / 2);
        continue;
      }
      if (this.stopping.signal.aborted) {
        await lease.release().catch(() => undefined);
        break;
      }
      waitingSaid = false;
      this.d.logger.info(
        { bot: this.bot.botInfo?.username },
        'telegram: this instance is polling for updates',
      );
      const renewal = setInterval(() => {
        void lease
          .renew()
          .catch(() => true) // Redis unreachable for a moment: keep polling; the lease lapses if it lasts
          .then((kept) => {
            if (kept || !this.polling) return;
            this.d.logger.warn({}, 'telegram: lost the polling lease; stopping polling');
            this.stopPolling('lease lost');
          });
      }, ttl / 3);
      try {
        this.polling = true;
        // launch() removes any webhook, then polls; it resolves only once polling stops.
        const polling = this.bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] });
        this.markReady();
        await polling;
      } catch (e) {
        this.d.logger.error({ err: e }, 'telegram: polling failed');
      } finally {
        this.polling = false;
        clearInterval(renewal);
        await lease.release().catch(() => undefined);
      }
      await this.pause(this.retry.backoffMs);
    }
  }

  /** Retries a start-up call until it works, the token is refused (null), or the channel stops. */
  private async untilDone<T>(what: string, call: () => Promise<T>): Promise<T | null> {
    for (let wait = this.retry.backoffMs; !this.stopping.signal.aborted; wait = Math.min(wait * 2, 60_000)) {
      try {
        return await callTelegram(call, this.retry);
      } catch (e) {
        const refused = e instanceof Error && /401|404/.test(String((e.cause as Error | undefined)?.message));
        this.d.logger.error(
          { err: e, what },
          refused
            ? 'telegram: TELEGRAM_BOT_TOKEN was refused; the channel is off'
            : 'telegram: start-up call failed; retrying',
        );
        if (refused) break;
        await this.pause(wait);
      }
    }
    this.markReady();
    return null;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  /** One update: a press is answered and its keyboard removed first; then the runtime, in chat order. */
  private onUpdate(update: Update): Promise<unknown> {
    const inbound = toInbound(update);
    const chat = inbound.kind === 'message' ? inbound.message.conversationId : `update:${update.update_id}`;
    return this.inChatOrder(chat, async () => {
      if (inbound.pressed) await this.acknowledge(Number(chat), inbound.pressed);
      if (inbound.kind === 'ignored') return;
      let message = inbound.message;
      if (message.value?.startsWith(TOKEN_PREFIX)) {
        const value = await this.d.tokens.get(message.value);
        if (!value) {
          this.d.logger.warn(
            { conversationId: chat },
            'telegram: a button whose value was forgotten was pressed',
          );
          return;
        }
        message = { ...message, value };
      }
      await this.d.runtime.handle(message);
    });
  }

  /** Stops the spinner on the pressed button and takes the keyboard off, so it cannot be pressed twice. */
  private async acknowledge(chatId: number, pressed: PressedButton): Promise<void> {
    const once = { ...this.retry, attempts: 2 };
    const quiet = (what: string) => (e: unknown) =>
      // "query is too old", "message is not modified": already done (a repeated update)
      this.d.logger.info(
        { err: e instanceof Error ? e.message : e, what },
        'telegram: button acknowledgement skipped',
      );
    await callTelegram(() => this.bot.telegram.answerCbQuery(pressed.queryId), once).catch(
      quiet('answerCallbackQuery'),
    );
    if (pressed.messageId !== undefined && Number.isFinite(chatId))
      await callTelegram(
        () => this.bot.telegram.editMessageReplyMarkup(chatId, pressed.messageId, undefined, undefined),
        once,
      ).catch(quiet('editMessageReplyMarkup'));
  }

  private inChatOrder(chat: string, task: () => Promise<void>): Promise<void> {
    const previous = this.chats.get(chat) ?? Promise.resolve();
    const next = previous.then(task, task);
    const tail = next.catch(() => undefined);
    this.chats.set(chat, tail);
    void tail.then(() => {
      if (this.chats.get(chat) === tail) this.chats.delete(chat);
    });
    return next;
  }
}

const isUpdate = (body: unknown): body is Update =>
  typeof body === 'object' && body !== null && Number.isInteger((body as { update_id?: unknown }).update_id);
