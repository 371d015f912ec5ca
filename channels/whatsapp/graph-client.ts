import { setTimeout as sleep } from 'node:timers/promises';
import type { GraphMessage } from './renderers/messages.ts';

/** Graph API error codes that mean "slow down": retried after a growing wait. */
const RATE_LIMITED = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** The recipient is not a WhatsApp user (or cannot receive from us). */
const UNREACHABLE = new Set([131026, 131030, 133010]);
/** More than 24 hours since the driver's last message: only a template may go. */
const WINDOW_CLOSED = new Set([131047]);
/** The token is invalid or expired, or lacks permission. */
const AUTH = new Set([0, 3, 10, 190]);

export type GraphErrorKind =
  'rate-limited' | 'unreachable' | 'window-closed' | 'auth' | 'server' | 'rejected';

/**
 * A Graph API error answer (`{ error: { message, type, code, error_subcode, fbtrace_id } }`) or a
 * network failure. `kind` sorts it for the caller; `code` is Meta's.
 */
export class GraphApiError extends Error {
  override readonly name = 'GraphApiError';
  readonly kind: GraphErrorKind;
  constructor(
    message: string,
    readonly status: number,
    readonly code: number,
    readonly subcode?: number,
    readonly fbtraceId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.kind = RATE_LIMITED.has(code)
      ? 'rate-limited'
      : UNREACHABLE.has(code)
        ? 'unreachable'
        : WINDOW_CLOSED.has(code)
          ? 'window-closed'
          : AUTH.has(code) || status === 401
            ? 'auth'
            : status >= 500 || status === 0
              ? 'server'
              : 'rejected';
  }
}

export interface GraphClientOptions {
  /** Graph API base including its version, e.g. https://graph.facebook.com/v23.0 */
  readonly graphUrl: string;
  readonly token: string;
  readonly phoneNumberId: string;
  /** first wait after a rate limit or server error; doubles each time */
  readonly retryBaseMs?: number;
  readonly maxAttempts?: number;
  readonly fetch?: typeof fetch;
}

interface SendResponse {
  messaging_product: 'whatsapp';
  contacts?: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: string }>;
}

/**
 * The WhatsApp Cloud API over plain `fetch` (Meta publishes no maintained Node SDK).
 *
 *   const graph = new GraphClient({ graphUrl, token, phoneNumberId });
 *   const { id } = await graph.send('447700900123', { type: 'text', text: { body: 'Hi' } });
 */
export class GraphClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly options: GraphClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Sends one message; resolves with WhatsApp's message id (wamid…). `callbackData` returns in its status callbacks. */
  async send(
    to: string,
    message: GraphMessage,
    callbackData?: string,
  ): Promise<{ id: string; waId?: string }> {
    const body = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      ...message,
      // comes back in this message's status callbacks
      ...(callbackData ? { biz_opaque_callback_data: callbackData.slice(0, 512) } : {}),
    };
    const res = (await this.post(body)) as SendResponse;
    const id = res.messages?.[0]?.id;
    if (!id) throw new GraphApiError('the Graph API answered without a message id', 200, -1);
    const waId = res.contacts?.[0]?.wa_id;
    return { id, ...(waId ? { waId } : {}) };
  }

  /**
   * Marks a driver's message (and the ones before it) as read (blue ticks); with `typing`, the
   * driver also sees "typing…" until our next message or for 25 seconds.
   */
  async markRead(messageId: string, opts: { typing?: boolean } = {}): Promise<void> {
    const body = {
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: messageId,
      ...(opts.typing ? { typing_indicator: { type: 'text' } } : {}),
    };
    // a typing hint retried later could land after our reply and linger: one attempt only
    await this.post(body, opts.typing ? 1 : undefined);
  }

  private async post(body: object, maxAttempts = this.options.maxAttempts ?? 4): Promise<unknown> {
    const { retryBaseMs = 1000 } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.postOnce(body);
      } catch (e) {
        const retry = e instanceof GraphApiError && (e.kind === 'rate-limited' || e.kind === 'server');
        if (!retry || attempt >= maxAttempts) throw e;
        await sleep(retryBaseMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
      }
    }
  }

  private async postOnce(body: object): Promise<unknown> {
    const url = `${this.options.graphUrl}/${encodeURIComponent(this.options.phoneNumberId)}/messages`;
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
    } catch (e) {
      throw new GraphApiError(
        `the Graph API could not be reached: ${(e as Error).message}`,
        0,
        -1,
        undefined,
        undefined,
        {
          cause: e,
        },
      );
    }
    const json = (await res.json().catch(() => null)) as {
      error?: { message?: string; code?: number; error_subcode?: number; fbtrace_id?: string };
    } | null;
    if (res.ok && json && !json.error) return json;
    const err = json?.error;
    throw new GraphApiError(
      `Graph API ${res.status}: ${err?.message ?? res.statusText} (code ${err?.code ?? 'none'})`,
      res.status,
      err?.code ?? -1,
      err?.error_subcode,
      err?.fbtrace_id,
    );
  }
}
