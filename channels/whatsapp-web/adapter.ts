import type { Activity } from 'botbuilder';
import type { Message } from 'whatsapp-web.js';
import type { ChannelStatusRegistry } from '../channel-status.ts';
import {
  DeliveryError,
  type ChannelOutlet,
  type ConversationAddress,
  type ConversationRuntime,
  type KeyedLock,
} from '../runtime/index.ts';
import { pickChoice, type ChoiceMemory } from '../whatsapp/choices.ts';
import { UNSUPPORTED_REPLY } from '../whatsapp/inbound.ts';
import type { WebClientFactory } from './client.ts';
import type { WhatsAppWebConfig } from './config.ts';
import { WHATSAPP_WEB_CHANNEL, readMessage, type WhatsAppWebInbound } from './inbound.ts';
import { renderTexts } from './render.ts';
import { WhatsAppWebSession, type WebSessionState } from './session.ts';

export interface WhatsAppWebChannelDeps {
  readonly config: WhatsAppWebConfig;
  readonly runtime: ConversationRuntime;
  readonly lock: KeyedLock;
  readonly createClient: WebClientFactory;
  readonly choices: ChoiceMemory;
  readonly status?: ChannelStatusRegistry;
  /** shown a new QR code to scan (the app prints it in the terminal) */
  readonly onQr?: (qr: string) => void;
  readonly logger: {
    info(o: object, m: string): void;
    warn(o: object, m: string): void;
    error(o: object, m: string): void;
  };
}

const chatIdOf = (to: ConversationAddress) => String(to.address['chatId'] ?? to.conversationId);

/**
 * WhatsApp through an ordinary phone linked by QR code (whatsapp-web.js). Choices go out as
 * numbered text (buttons and lists are deprecated there); a number or the choice's words pick one.
 * The session runs on one instance (see WhatsAppWebSession); the rest of the platform never waits
 * for it.
 */
export class WhatsAppWebChannel {
  readonly session: WhatsAppWebSession;
  readonly outlet: ChannelOutlet;

  constructor(private readonly deps: WhatsAppWebChannelDeps) {
    const c = deps.config;
    this.session = new WhatsAppWebSession({
      createClient: deps.createClient,
      lock: deps.lock,
      leaseKey: c.leaseKey,
      leaseTtlMs: c.leaseTtlMs,
      retryBaseMs: c.retryBaseMs,
      retryMaxMs: c.retryMaxMs,
      onMessage: (m) => void this.receive(m),
      onQr: (qr) => deps.onQr?.(qr),
      onStateChange: (state, error) => this.stateChanged(state, error),
    });
    this.outlet = {
      channel: WHATSAPP_WEB_CHANNEL,
      send: (to, activities) => this.send(to, activities),
      // only on the instance running the session, like sending
      typing: (to) => this.session.typing(chatIdOf(to)),
    };
  }

  start(): void {
    this.deps.status?.report(WHATSAPP_WEB_CHANNEL, { enabled: true, state: 'connecting' });
    this.session.start();
  }

  /** Closes the browser (no Chromium outlives the platform) and gives the session to another instance. */
  stop(): Promise<void> {
    return this.session.stop();
  }

  private stateChanged(state: WebSessionState, error: string | null): void {
    if (state === 'stopped') return;
    this.deps.status?.report(WHATSAPP_WEB_CHANNEL, {
      state,
      ...(error ? { lastError: error } : {}),
    });
    const log = state === 'disconnected' ? this.deps.logger.warn : this.deps.logger.info;
    log.call(
      this.deps.logger,
      { channel: WHATSAPP_WEB_CHANNEL, state, ...(error ? { error } : {}) },
      `WhatsApp Web: ${state}`,
    );
  }

  private async send(to: ConversationAddress, activities: readonly Partial<Activity>[]): Promise<void> {
    const chatId = chatIdOf(to);
    const { texts, choices } = renderTexts(activities);
    for (const text of texts) {
      try {
        await this.session.send(chatId, text);
      } catch (e) {
        throw new DeliveryError('retryable', `WhatsApp Web could not send: ${(e as Error).message}`, {
          cause: e,
        });
      }
    }
    await this.deps.choices.remember(to.conversationId, choices);
  }

  private async receive(m: Message): Promise<void> {
    try {
      const read = readMessage(m);
      if (!read) return;
      if (read.supported) await this.deps.runtime.handle(await this.withChoice(read.inbound));
      else await this.answerUnsupported(read.inbound);
    } catch (e) {
      this.deps.logger.error({ err: e, channel: WHATSAPP_WEB_CHANNEL }, 'WhatsApp Web message failed');
    }
  }

  /** "2", or the choice's own words, become the value of the choice offered last. */
  private async withChoice(inbound: WhatsAppWebInbound): Promise<WhatsAppWebInbound> {
    if (inbound.value !== undefined || !inbound.text) return inbound;
    const picked = pickChoice(inbound.text, await this.deps.choices.recall(inbound.conversationId), true);
    if (!picked) return inbound;
    const { text: _typed, ...rest } = inbound;
    return { ...rest, value: picked.value };
  }

  private async answerUnsupported(inbound: WhatsAppWebInbound): Promise<void> {
    this.deps.status?.countIn(WHATSAPP_WEB_CHANNEL);
    await this.session.send(inbound.conversationId, UNSUPPORTED_REPLY['en']!).catch(() => undefined);
  }
}
