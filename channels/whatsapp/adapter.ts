import express, { Router, type Request, type Response } from 'express';
import type { ChannelStatusRegistry } from '../channel-status.ts';
import type { ConversationRuntime } from '../runtime/index.ts';
import { pickChoice, type ChoiceMemory } from './choices.ts';
import type { WhatsAppConfig } from './config.ts';
import { GraphClient } from './graph-client.ts';
import {
  UNSUPPORTED_REPLY,
  WHATSAPP_CHANNEL,
  readWebhook,
  type StatusUpdate,
  type WebhookBatch,
  type WhatsAppInbound,
} from './inbound.ts';
import { WhatsAppOutlet } from './outlet.ts';
import { verifySignature } from './signature.ts';

export const WEBHOOK_PATH = '/channels/whatsapp/webhook';

export interface WhatsAppChannelDeps {
  readonly config: WhatsAppConfig;
  readonly runtime: ConversationRuntime;
  readonly choices: ChoiceMemory;
  /** true the first time a key is seen (across instances): a redelivered odd message is answered once */
  readonly firstTime: (key: string) => Promise<boolean>;
  /** the conversation's language, when known */
  readonly localeOf: (waId: string) => Promise<string | null>;
  /** records a status callback on the transcript entry it belongs to */
  readonly onStatus: (waId: string, status: StatusUpdate) => Promise<void>;
  readonly status?: ChannelStatusRegistry;
  readonly logger: { warn(o: object, m: string): void; error(o: object, m: string): void };
  readonly fetch?: typeof fetch;
}

/**
 * WhatsApp through Meta's Cloud API: the webhook (verification handshake; signed deliveries,
 * answered 200 at once and processed after) and the outlet that sends through the Graph API.
 * Drivers' messages are marked read, a typed number picks the choice last offered, and anything
 * the bot cannot read gets a polite answer.
 */
export class WhatsAppCloudChannel {
  readonly graph: GraphClient;
  readonly outlet: WhatsAppOutlet;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: WhatsAppChannelDeps) {
    const c = deps.config;
    this.graph = new GraphClient({
      graphUrl: c.graphUrl,
      token: c.token,
      phoneNumberId: c.phoneNumberId,
      retryBaseMs: c.retryBaseMs,
      maxAttempts: c.maxAttempts,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    this.outlet = new WhatsAppOutlet({
      graph: this.graph,
      choices: deps.choices,
      templates: c.templates,
      templateLanguage: c.templateLanguage,
      onError: (e) =>
        deps.status?.report(WHATSAPP_CHANNEL, {
          lastError: e.message,
          // a token Meta no longer accepts stops the channel until someone fixes it
          ...(e.kind === 'auth' ? { state: 'disconnected' as const } : {}),
        }),
    });
  }

  /** `GET` and `POST /channels/whatsapp/webhook`; mount it before any body parser. */
  router(): Router {
    const router = Router();
    router.get(WEBHOOK_PATH, (req, res) => this.verify(req, res));
    router.post(WEBHOOK_PATH, express.raw({ type: () => true, limit: '3mb' }), (req, res) =>
      this.receive(req, res),
    );
    return router;
  }

  /** Waits for deliveries being processed (on shutdown). */
  async stop(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Meta's handshake when the webhook is set up: echo the challenge for the right token. */
  private verify(req: Request, res: Response): void {
    const q = req.query as Record<string, unknown>;
    if (q['hub.mode'] === 'subscribe' && q['hub.verify_token'] === this.deps.config.verifyToken) {
      res.type('text/plain').send(String(q['hub.challenge'] ?? ''));
      return;
    }
    res.status(403).json({
      code: 'WEBHOOK.VERIFY_TOKEN',
      message: 'hub.verify_token does not match WHATSAPP_VERIFY_TOKEN',
    });
  }

  private receive(req: Request, res: Response): void {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // the signature covers the exact bytes: checked before anything is parsed
    if (!verifySignature(raw, req.get('x-hub-signature-256'), this.deps.config.appSecret)) {
      res.status(401).json({ code: 'WEBHOOK.SIGNATURE', message: 'missing or wrong X-Hub-Signature-256' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).json({ code: 'WEBHOOK.INVALID', message: 'the body is not JSON' });
      return;
    }
    res.sendStatus(200); // Meta wants a quick answer; the work happens after
    const batch = readWebhook(body);
    if (!batch) return;
    const work = this.process(batch).catch((e: unknown) =>
      this.deps.logger.error({ err: e, channel: WHATSAPP_CHANNEL }, 'webhook processing failed'),
    );
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async process(batch: WebhookBatch): Promise<void> {
    for (const s of batch.statuses) {
      await this.deps
        .onStatus(s.recipient, s)
        .catch((e: unknown) =>
          this.deps.logger.warn({ err: e, messageId: s.messageId }, 'could not record a WhatsApp status'),
        );
      if (s.status === 'failed')
        this.deps.status?.report(WHATSAPP_CHANNEL, {
          lastError: `message ${s.status}: ${s.errors.map((e) => `${e.code} ${e.title ?? ''}`.trim()).join(', ')}`,
        });
    }
    for (const m of batch.messages) {
      this.graph.markRead(m.inbound.messageId).catch((e: unknown) => this.graphFailed(e, 'mark as read'));
      if (m.supported) await this.deps.runtime.handle(await this.withChoice(m.inbound));
      else await this.answerUnsupported(m.inbound);
    }
  }

  /** A typed number ("2") becomes the value of the second choice offered last. */
  private async withChoice(inbound: WhatsAppInbound): Promise<WhatsAppInbound> {
    if (inbound.value !== undefined || !inbound.text) return inbound;
    const picked = pickChoice(inbound.text, await this.deps.choices.recall(inbound.conversationId));
    if (!picked) return inbound;
    const { text: _typed, ...rest } = inbound;
    return { ...rest, value: picked.value };
  }

  private async answerUnsupported(inbound: WhatsAppInbound): Promise<void> {
    if (!(await this.deps.firstTime(`whatsapp:unsupported:${inbound.messageId}`))) return;
    this.deps.status?.countIn(WHATSAPP_CHANNEL);
    const locale = (await this.deps.localeOf(inbound.conversationId).catch(() => null)) ?? 'en';
    const text = UNSUPPORTED_REPLY[locale.slice(0, 2)] ?? UNSUPPORTED_REPLY['en']!;
    await this.outlet
      .send(
        {
          channel: WHATSAPP_CHANNEL,
          conversationId: inbound.conversationId,
          userId: inbound.user.id,
          address: inbound.address,
        },
        [{ type: 'message', text, locale }],
        { role: 'bot' },
      )
      .catch((e: unknown) => this.graphFailed(e, 'answer an unsupported message'));
  }

  private graphFailed(e: unknown, what: string): void {
    const message = e instanceof Error ? e.message : String(e);
    this.deps.status?.report(WHATSAPP_CHANNEL, { lastError: message });
    this.deps.logger.warn({ err: e, channel: WHATSAPP_CHANNEL }, `WhatsApp: could not ${what}`);
  }
}
