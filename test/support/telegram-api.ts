/**
 * A local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api) on 127.0.0.1.
 * It speaks the real wire format — `POST /bot<token>/<method>` with JSON, form or query
 * parameters, answered `{ ok: true, result }` or `{ ok: false, error_code, description,
 * parameters? }` — for the methods the Telegram channel uses, so the real client (telegraf) can
 * be pointed at it with `TELEGRAM_API_ROOT`.
 *
 * It plays Telegram's side of a conversation: drivers' updates are queued for long polling or
 * POSTed to the registered webhook with `X-Telegram-Bot-Api-Secret-Token`; the bot's calls are
 * recorded; sent messages keep their keyboards so a test can press a button the bot really sent.
 * It checks what Telegram checks (HTML parse mode, 4,096 characters, callback data ≤ 64 bytes,
 * one poller at a time) and can be told to answer with 429 `retry_after`, 403 "bot was blocked",
 * or to drop the connection.
 *
 *   const tg = await TelegramApiStandIn.start();
 *   const ana = tg.driver({ id: 42, first_name: 'Ana', language_code: 'es' });
 *   await ana.say('reservar en King's Cross mañana de 9 a 11, matrícula AB12 CDE');
 *   const [reply] = await tg.waitForMessages(ana.chatId, 1);
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_BOT_TOKEN = '123456789:AAFakeTokenForTheLocalStandInServer_x';

type Params = Record<string, unknown>;
type InlineButton = { text: string; callback_data?: string; url?: string };
type ReplyButton = { text: string; request_location?: boolean };
export interface ReplyMarkup {
  inline_keyboard?: InlineButton[][];
  keyboard?: ReplyButton[][];
  one_time_keyboard?: boolean;
  resize_keyboard?: boolean;
  remove_keyboard?: boolean;
}

/** A message the bot sent, as the stand-in keeps it (with its current keyboard). */
export interface SentMessage {
  message_id: number;
  chat_id: number;
  /** the text as sent (HTML source when parse_mode is HTML) */
  source: string;
  /** the text as the driver sees it (tags removed, entities decoded) */
  text: string;
  parse_mode?: string;
  reply_markup?: ReplyMarkup;
  date: number;
}

export interface RecordedCall {
  method: string;
  params: Params;
  /** what the stand-in answered */
  status: number;
}

interface ApiError {
  status: number;
  body: { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };
}

export const apiError = (code: number, description: string, retryAfter?: number): ApiError => ({
  status: code,
  body: {
    ok: false,
    error_code: code,
    description,
    ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
  },
});

export const tooManyRequests = (retryAfter: number) =>
  apiError(429, `Too Many Requests: retry after ${retryAfter}`, retryAfter);
export const blockedByUser = () => apiError(403, 'Forbidden: bot was blocked by the user');
const badRequest = (what: string) => apiError(400, `Bad Request: ${what}`);

const TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'a',
  'code',
  'pre',
  'tg-spoiler',
  'span',
  'blockquote',
  'tg-emoji',
]);
const NAMED = { lt: '<', gt: '>', amp: '&', quot: '"' } as const;

/**
 * Parses Telegram's HTML parse mode the way the Bot API does: only its tags, balanced, and `<`,
 * `>`, `&` only as tags or entities. Returns the visible text, or the API's refusal.
 */
export function parseTelegramHtml(source: string): { text: string } | { error: string } {
  const open: string[] = [];
  let text = '';
  for (let i = 0; i < source.length;) {
    const c = source[i]!;
    if (c === '<') {
      const end = source.indexOf('>', i);
      if (end < 0) return { error: `can't parse entities: Unclosed start tag at byte offset ${i}` };
      const inner = source.slice(i + 1, end);
      const closing = inner.startsWith('/');
      const name = (closing ? inner.slice(1) : inner).split(/\s/)[0]!.toLowerCase();
      if (!TAGS.has(name))
        return { error: `can't parse entities: Unsupported start tag "${name}" at byte offset ${i}` };
      if (closing) {
        if (open.pop() !== name)
          return {
            error: `can't parse entities: Unmatched end tag at byte offset ${i}, expected "</${open.at(-1) ?? ''}>", found "</${name}>"`,
          };
      } else open.push(name);
      i = end + 1;
    } else if (c === '&') {
      const m = /^&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/i.exec(source.slice(i));
      if (!m)
        return {
          error: `can't parse entities: Character '&' is reserved and must be escaped at byte offset ${i}`,
        };
      const name = m[1]!;
      text += name.startsWith('#')
        ? String.fromCodePoint(Number(name.startsWith('#x') ? `0x${name.slice(2)}` : name.slice(1)))
        : NAMED[name.toLowerCase() as keyof typeof NAMED];
      i += m[0].length;
    } else if (c === '>') {
      return {
        error: `can't parse entities: Character '>' is reserved and must be escaped at byte offset ${i}`,
      };
    } else {
      text += c;
      i += 1;
    }
  }
  if (open.length)
    return { error: `can't parse entities: Can't find end tag corresponding to start tag "${open.at(-1)}"` };
  return { text };
}

interface PendingPoll {
  res: ServerResponse;
  timer: NodeJS.Timeout;
  offset: number;
  limit: number;
  method: string;
  params: Params;
}

type Handler = (p: Params) => { result: unknown } | ApiError | Promise<{ result: unknown } | ApiError>;

export interface DriverProfile {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** The stand-in Bot API server. */
export class TelegramApiStandIn {
  /** every call, in order */
  readonly calls: RecordedCall[] = [];
  /** updates waiting for getUpdates (long polling) */
  private readonly queue: Array<Record<string, unknown> & { update_id: number }> = [];
  private readonly messages = new Map<string, SentMessage>();
  private readonly failures: Array<{ method: string; error: ApiError | 'drop' }> = [];
  private readonly blocked = new Set<number>();
  private poll: PendingPoll | null = null;
  // random starts: tests on one shared Redis must not see each other's ids as repeats
  private nextUpdateId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  private nextMessageId = 1 + Math.floor(Math.random() * 1_000_000);
  private listeners: Array<() => void> = [];
  webhook: { url: string; secret_token?: string; allowed_updates?: unknown } | null = null;
  commands: Array<{ command: string; description: string }> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly token: string,
    readonly bot: { id: number; first_name: string; username: string },
  ) {}

  static async start(token = TEST_BOT_TOKEN): Promise<TelegramApiStandIn> {
    const ref: { self?: TelegramApiStandIn } = {};
    const server = createServer((req, res) => void ref.self?.onRequest(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const self = new TelegramApiStandIn(server, `http://127.0.0.1:${port}`, token, {
      id: Number(token.split(':')[0]),
      first_name: 'Parking',
      username: 'ParkingStandInBot',
    });
    ref.self = self;
    return self;
  }

  async stop(): Promise<void> {
    if (this.poll) this.answerPoll([]);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── what tests do ────────────────────────────────────────────────────────────────────────────

  /** The next call to `method` ('*' for any) is answered with this error, or its connection dropped. */
  failNext(method: string, error: ApiError | 'drop'): void {
    this.failures.push({ method, error });
  }

  /** From now on every message or chat action to this chat gets 403 "bot was blocked by the user". */
  blockBy(chatId: number): void {
    this.blocked.add(chatId);
  }

  /**
   * Delivers an update the way Telegram would: POSTed to the webhook when one is set (returns the
   * webhook's HTTP status), otherwise queued for getUpdates (returns null).
   */
  async send(update: Record<string, unknown>, opts: { secret?: string | null } = {}): Promise<number | null> {
    const full = { update_id: this.nextUpdateId++, ...update } as Record<string, unknown> & {
      update_id: number;
    };
    if (!this.webhook) {
      this.queue.push(full);
      if (this.poll) this.flushPoll();
      return null;
    }
    return this.postToWebhook(full, opts);
  }

  /** POSTs an update to the registered webhook, with its secret (or the one given, or none). */
  async postToWebhook(
    update: Record<string, unknown>,
    opts: { secret?: string | null } = {},
  ): Promise<number> {
    if (!this.webhook) throw new Error('no webhook is set');
    const secret = opts.secret === undefined ? this.webhook.secret_token : opts.secret;
    const res = await fetch(this.webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}),
      },
      body: JSON.stringify(update),
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** A private chat with a driver, who can type, press the bot's buttons and share a location. */
  driver(profile: DriverProfile): StandInDriver {
    return new StandInDriver(this, { is_bot: false, ...profile });
  }

  /** Messages the bot sent to a chat, oldest first (keyboards as they are now). */
  sentTo(chatId: number): SentMessage[] {
    return [...this.messages.values()].filter((m) => m.chat_id === chatId);
  }

  message(chatId: number, messageId: number): SentMessage | undefined {
    return this.messages.get(`${chatId}:${messageId}`);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `check` holds, or fails after `ms`. */
  async until<T>(check: () => T | undefined | false | null, what: string, ms = 20_000): Promise<T> {
    const found = check();
    if (found) return found;
    return new Promise<T>((resolve, reject) => {
      // re-checked after every call the bot makes, and now and then for what the bot does between calls
      const ticker = setInterval(() => listener(), 25);
      const timer = setTimeout(() => {
        clearInterval(ticker);
        this.listeners = this.listeners.filter((l) => l !== listener);
        reject(new Error(`timed out waiting for ${what}`));
      }, ms);
      const listener = () => {
        const value = check();
        if (!value) return;
        clearTimeout(timer);
        clearInterval(ticker);
        this.listeners = this.listeners.filter((l) => l !== listener);
        resolve(value);
      };
      this.listeners.push(listener);
    });
  }

  /** Waits until the bot has sent at least `count` messages to the chat; returns them all. */
  waitForMessages(chatId: number, count: number, ms?: number): Promise<SentMessage[]> {
    return this.until(
      () => {
        const sent = this.sentTo(chatId);
        return sent.length >= count ? sent : undefined;
      },
      `${count} messages to chat ${chatId}`,
      ms,
    );
  }

  /** Records a callback query as pending an answer (done by StandInDriver.press). */
  readonly pendingQueries = new Set<string>();

  // ── the Bot API ──────────────────────────────────────────────────────────────────────────────

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    let params: Params = Object.fromEntries(url.searchParams);
    try {
      params = { ...params, ...(await readBody(req)) };
    } catch {
      return this.reply(res, '?', params, badRequest('invalid JSON'));
    }
    if (!m) return this.reply(res, '?', params, apiError(404, 'Not Found'));
    const [, token, method] = m as unknown as [string, string, string];
    if (token !== this.token) return this.reply(res, method, params, apiError(401, 'Unauthorized'));
    const i = this.failures.findIndex((f) => f.method === method || f.method === '*');
    if (i >= 0) {
      const [failure] = this.failures.splice(i, 1);
      if (failure!.error === 'drop') {
        this.calls.push({ method, params, status: 0 });
        req.socket.destroy();
        this.notify();
        return;
      }
      return this.reply(res, method, params, failure!.error);
    }
    if (method === 'getUpdates') return this.getUpdates(res, params);
    const handler = this.methods[method];
    if (!handler) return this.reply(res, method, params, apiError(404, 'Not Found: method not found'));
    this.reply(res, method, params, await handler(params));
  }

  private reply(
    res: ServerResponse,
    method: string,
    params: Params,
    answer: { result: unknown } | ApiError,
  ): void {
    const error = 'status' in answer;
    const status = error ? answer.status : 200;
    this.calls.push({ method, params, status });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(error ? answer.body : { ok: true, result: answer.result }));
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private getUpdates(res: ServerResponse, params: Params): void {
    if (this.webhook)
      return this.reply(
        res,
        'getUpdates',
        params,
        apiError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        ),
      );
    if (this.poll) {
      // Telegram ends the earlier request when another poller arrives.
      const earlier = this.poll;
      clearTimeout(earlier.timer);
      this.poll = null;
      this.reply(
        earlier.res,
        'getUpdates',
        earlier.params,
        apiError(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        ),
      );
    }
    const offset = Number(params['offset'] ?? 0);
    const limit = Math.min(Math.max(Number(params['limit'] ?? 100), 1), 100);
    if (offset > 0)
      this.queue.splice(0, this.queue.length, ...this.queue.filter((u) => u.update_id >= offset));
    const timeout = Math.max(0, Number(params['timeout'] ?? 0));
    this.poll = {
      res,
      offset,
      limit,
      method: 'getUpdates',
      params,
      timer: setTimeout(() => this.answerPoll([]), timeout * 1000),
    };
    res.on('close', () => {
      if (this.poll?.res === res) {
        clearTimeout(this.poll.timer);
        this.poll = null;
      }
    });
    if (this.queue.length || timeout === 0) this.flushPoll();
  }

  private flushPoll(): void {
    if (!this.poll) return;
    this.answerPoll(this.queue.slice(0, this.poll.limit));
  }

  private answerPoll(updates: unknown[]): void {
    const poll = this.poll;
    if (!poll) return;
    clearTimeout(poll.timer);
    this.poll = null;
    this.reply(poll.res, 'getUpdates', poll.params, { result: updates });
  }

  private readonly methods: Record<string, Handler> = {
    getMe: () => ({
      result: {
        ...this.bot,
        is_bot: true,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      },
    }),
    setWebhook: (p) => {
      const url = String(p['url'] ?? '');
      if (!url) {
        this.webhook = null;
        return { result: true };
      }
      if (!/^https?:\/\//.test(url))
        return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = p['secret_token'];
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(secret)))
        return badRequest('bad webhook: Secret token contains unallowed characters');
      if (p['drop_pending_updates']) this.queue.length = 0;
      this.webhook = {
        url,
        ...(secret !== undefined ? { secret_token: String(secret) } : {}),
        ...(p['allowed_updates'] !== undefined ? { allowed_updates: p['allowed_updates'] } : {}),
      };
      return { result: true };
    },
    deleteWebhook: (p) => {
      this.webhook = null;
      if (p['drop_pending_updates']) this.queue.length = 0;
      return { result: true };
    },
    getWebhookInfo: () => ({
      result: {
        url: this.webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: this.queue.length,
        max_connections: 40,
        ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
      },
    }),
    sendMessage: (p) => this.sendMessage(p),
    editMessageText: (p) => {
      const msg = this.messages.get(`${Number(p['chat_id'])}:${Number(p['message_id'])}`);
      if (!msg) return badRequest('message to edit not found');
      const text = this.visibleText(p);
      if ('error' in text) return badRequest(text.error);
      const markup = p['reply_markup'] as ReplyMarkup | undefined;
      if (text.text === msg.text && JSON.stringify(markup) === JSON.stringify(msg.reply_markup))
        return badRequest(NOT_MODIFIED);
      msg.source = String(p['text']);
      msg.text = text.text;
      if (markup) msg.reply_markup = markup;
      else delete msg.reply_markup;
      return { result: this.asMessage(msg) };
    },
    editMessageReplyMarkup: (p) => {
      const msg = this.messages.get(`${Number(p['chat_id'])}:${Number(p['message_id'])}`);
      if (!msg) return badRequest('message to edit not found');
      const markup = p['reply_markup'] as ReplyMarkup | undefined;
      const empty = (r?: ReplyMarkup) => !r?.inline_keyboard?.some((row) => row.length);
      if (
        JSON.stringify(markup) === JSON.stringify(msg.reply_markup) ||
        (empty(markup) && empty(msg.reply_markup))
      )
        return badRequest(NOT_MODIFIED);
      if (markup && !empty(markup)) msg.reply_markup = markup;
      else delete msg.reply_markup;
      return { result: this.asMessage(msg) };
    },
    answerCallbackQuery: (p) => {
      const id = String(p['callback_query_id'] ?? '');
      if (!this.pendingQueries.delete(id))
        return badRequest('query is too old and response timeout expired or query ID is invalid');
      return { result: true };
    },
    sendChatAction: (p) => {
      const chat = Number(p['chat_id']);
      if (this.blocked.has(chat)) return blockedByUser();
      if (!p['action']) return badRequest('action is empty');
      return { result: true };
    },
    setMyCommands: (p) => {
      const commands = (
        typeof p['commands'] === 'string' ? JSON.parse(p['commands']) : p['commands']
      ) as Array<{
        command: string;
        description: string;
      }>;
      if (!Array.isArray(commands)) return badRequest('commands must be an array');
      for (const c of commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(c.command)) return badRequest('BOT_COMMAND_INVALID');
        if (!c.description || c.description.length > 256)
          return badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      if (!p['language_code']) this.commands = commands;
      return { result: true };
    },
  };

  private visibleText(p: Params): { text: string } | { error: string } {
    const source = String(p['text'] ?? '');
    const parsed = p['parse_mode'] === 'HTML' ? parseTelegramHtml(source) : { text: source };
    if ('error' in parsed) return parsed;
    if (!parsed.text.trim()) return { error: 'message text is empty' };
    if ([...parsed.text].length > 4096) return { error: 'message is too long' };
    return parsed;
  }

  private sendMessage(p: Params): { result: unknown } | ApiError {
    const chat = Number(p['chat_id']);
    if (!Number.isFinite(chat)) return badRequest('chat not found');
    if (this.blocked.has(chat)) return blockedByUser();
    const text = this.visibleText(p);
    if ('error' in text) return badRequest(text.error);
    const markup = (
      typeof p['reply_markup'] === 'string' ? JSON.parse(p['reply_markup']) : p['reply_markup']
    ) as ReplyMarkup | undefined;
    for (const b of markup?.inline_keyboard?.flat() ?? []) {
      if (
        b.callback_data !== undefined &&
        (Buffer.byteLength(b.callback_data) < 1 || Buffer.byteLength(b.callback_data) > 64)
      )
        return badRequest('BUTTON_DATA_INVALID');
      if (b.url !== undefined && !/^(https?|tg):\/\//.test(b.url))
        return badRequest(`inline keyboard button URL '${b.url}' is invalid: Unsupported URL protocol`);
      if (b.url === undefined && b.callback_data === undefined)
        return badRequest("can't parse inline keyboard button");
    }
    const msg: SentMessage = {
      message_id: this.nextMessageId++,
      chat_id: chat,
      source: String(p['text']),
      text: text.text,
      ...(p['parse_mode'] ? { parse_mode: String(p['parse_mode']) } : {}),
      ...(markup && !markup.remove_keyboard ? { reply_markup: markup } : {}),
      date: Math.floor(Date.now() / 1000),
    };
    this.messages.set(`${chat}:${msg.message_id}`, msg);
    return { result: this.asMessage(msg) };
  }

  asMessage(msg: SentMessage): Record<string, unknown> {
    return {
      message_id: msg.message_id,
      from: { ...this.bot, is_bot: true },
      chat: { id: msg.chat_id, type: 'private' },
      date: msg.date,
      text: msg.text,
      ...(msg.reply_markup?.inline_keyboard
        ? { reply_markup: { inline_keyboard: msg.reply_markup.inline_keyboard } }
        : {}),
    };
  }

  /** A fresh update id (for tests that build updates by hand). */
  takeUpdateId(): number {
    return this.nextUpdateId++;
  }
}

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

async function readBody(req: IncomingMessage): Promise<Params> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(raw) as Params;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return {};
}

/** A driver in a private chat with the bot. */
export class StandInDriver {
  readonly chatId: number;
  private nextMessageId = 1_000_000;

  constructor(
    private readonly api: TelegramApiStandIn,
    readonly user: DriverProfile & { is_bot: false },
  ) {
    this.chatId = user.id;
  }

  private chat() {
    return {
      id: this.chatId,
      type: 'private',
      first_name: this.user.first_name,
      ...(this.user.last_name ? { last_name: this.user.last_name } : {}),
      ...(this.user.username ? { username: this.user.username } : {}),
    };
  }

  private message(extra: Record<string, unknown>): Record<string, unknown> {
    return {
      message: {
        message_id: this.nextMessageId++,
        from: this.user,
        chat: this.chat(),
        date: Math.floor(Date.now() / 1000),
        ...extra,
      },
    };
  }

  /** Types a message (a leading `/command` is marked as a bot command, as Telegram does). */
  say(text: string, opts: { secret?: string | null } = {}): Promise<number | null> {
    const command = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
    return this.api.send(
      this.message({
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      }),
      opts,
    );
  }

  /** Shares a location (the reply keyboard's request_location button, or the attachment menu). */
  shareLocation(latitude: number, longitude: number): Promise<number | null> {
    return this.api.send(this.message({ location: { latitude, longitude } }));
  }

  /** Presses an inline button the bot sent: the latest message carrying one whose text matches. */
  press(title: string | RegExp): Promise<number | null> {
    const matches = (b: InlineButton) => (typeof title === 'string' ? b.text === title : title.test(b.text));
    const msg = [...this.api.sentTo(this.chatId)]
      .reverse()
      .find((m) => m.reply_markup?.inline_keyboard?.flat().some((b) => matches(b) && b.callback_data));
    if (!msg) throw new Error(`no button ${String(title)} on screen in chat ${this.chatId}`);
    const button = msg.reply_markup!.inline_keyboard!.flat().find((b) => matches(b) && b.callback_data)!;
    return this.pressData(msg, button.callback_data!);
  }

  /** Presses the button carrying this value (callback data) on the latest message that shows one. */
  pressValue(data: string | RegExp): Promise<number | null> {
    const matches = (b: InlineButton) =>
      b.callback_data !== undefined &&
      (typeof data === 'string' ? b.callback_data === data : data.test(b.callback_data));
    const msg = [...this.api.sentTo(this.chatId)]
      .reverse()
      .find((m) => m.reply_markup?.inline_keyboard?.flat().some(matches));
    if (!msg) throw new Error(`no button with value ${String(data)} on screen in chat ${this.chatId}`);
    return this.pressData(msg, msg.reply_markup!.inline_keyboard!.flat().find(matches)!.callback_data!);
  }

  /** Presses a button with this callback data on this message (even one no longer shown: an old client). */
  pressData(msg: SentMessage, data: string): Promise<number | null> {
    const id = randomUUID().replace(/-/g, '').slice(0, 19);
    this.api.pendingQueries.add(id);
    return this.api.send({
      callback_query: {
        id,
        from: this.user,
        message: this.api.asMessage(msg),
        chat_instance: `-${this.chatId}77`,
        data,
      },
    });
  }

  /** Buttons shown under the bot's messages now, by text. */
  buttons(): string[] {
    return this.api
      .sentTo(this.chatId)
      .flatMap((m) => (m.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text));
  }
}
