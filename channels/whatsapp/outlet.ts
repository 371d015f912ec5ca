import type { Activity } from 'botbuilder';
import { BOOKING_SUMMARY, type ChatAttachment } from '../../bot/index.ts';
import {
  DeliveryError,
  type ChannelOutlet,
  type ConversationAddress,
  type DeliveryErrorKind,
  type Sender,
} from '../runtime/index.ts';
import type { ChoiceMemory } from './choices.ts';
import type { WhatsAppTemplates } from './config.ts';
import { GraphApiError, type GraphClient, type GraphErrorKind } from './graph-client.ts';
import { WHATSAPP_CHANNEL } from './inbound.ts';
import { renderActivities, renderActivity } from './render.ts';
import { bookingText } from './renderers/cards.ts';
import { readActivity } from './renderers/content.ts';
import { clip } from './renderers/limits.ts';
import type { GraphMessage } from './renderers/messages.ts';

/** WhatsApp's customer-service window: free-form messages only this long after the driver's last one. */
export const WINDOW_MS = 24 * 3_600_000;
/** a minute's margin, so a message is not refused on its way */
const WINDOW_MARGIN_MS = 60_000;

const KIND: Record<GraphErrorKind, DeliveryErrorKind> = {
  'rate-limited': 'retryable',
  server: 'retryable',
  unreachable: 'unreachable',
  'window-closed': 'window-closed',
  auth: 'rejected',
  rejected: 'rejected',
};

export interface WhatsAppOutletDeps {
  readonly graph: GraphClient;
  readonly choices: ChoiceMemory;
  readonly templates: WhatsAppTemplates;
  readonly templateLanguage: string;
  /** told of every Graph API refusal (the channel shows the last one to operators) */
  readonly onError?: (error: GraphApiError) => void;
  readonly now?: () => Date;
}

/**
 * The Cloud API channel's way out: renders activities natively (buttons, lists, CTA URL, location
 * request) inside the 24-hour window; outside it, sends the configured template or refuses with
 * DeliveryError('window-closed') so the runtime records the message as undeliverable. Each message
 * carries its activity id as `biz_opaque_callback_data`, so status callbacks find their entry.
 */
export class WhatsAppOutlet implements ChannelOutlet {
  readonly channel = WHATSAPP_CHANNEL;
  constructor(private readonly deps: WhatsAppOutletDeps) {}

  async send(to: ConversationAddress, activities: readonly Partial<Activity>[], from: Sender): Promise<void> {
    const waId = String(to.address['waId'] ?? to.conversationId);
    const named = this.withSenderName(activities, from);
    if (!this.windowOpen(to)) return this.sendTemplates(waId, named, from);
    try {
      for (const a of named) {
        for (const m of renderActivity(a).messages) await this.sendOne(waId, m, a.id);
      }
    } catch (e) {
      // WhatsApp knows the window better than our clock: fall back to the template when it says so
      if (e instanceof DeliveryError && e.kind === 'window-closed')
        return this.sendTemplates(waId, named, from);
      throw e;
    }
    await this.deps.choices.remember(to.conversationId, renderActivities(named).choices);
  }

  /**
   * "typing…" for the driver: WhatsApp shows it when their last message is marked read with a
   * typing indicator (until our next message, or 25 s). Only inside the window, and only a hint:
   * one attempt, a refusal is not a delivery failure.
   */
  async typing(to: ConversationAddress): Promise<void> {
    const last = to.address['lastMessageId'];
    if (typeof last !== 'string' || !this.windowOpen(to)) return;
    await this.deps.graph.markRead(last, { typing: true });
  }

  /** True while the driver's last message is less than 24 hours old. */
  windowOpen(to: ConversationAddress): boolean {
    const last = Date.parse(String(to.address['lastInboundAt'] ?? ''));
    const now = (this.deps.now?.() ?? new Date()).getTime();
    return Number.isFinite(last) && now - last < WINDOW_MS - WINDOW_MARGIN_MS;
  }

  private async sendTemplates(waId: string, activities: readonly Partial<Activity>[], from: Sender) {
    const { templates } = this.deps;
    const name = (from.role === 'agent' ? templates.agent : undefined) ?? templates.notice;
    if (!name)
      throw new DeliveryError(
        'window-closed',
        'more than 24 hours since the driver last wrote and no WHATSAPP_TEMPLATE_NOTICE is set: not sent',
      );
    for (const a of activities) {
      const text = templateText(a);
      if (!text) continue;
      const language = a.locale?.slice(0, 2) || this.deps.templateLanguage;
      await this.sendOne(
        waId,
        {
          type: 'template',
          template: {
            name,
            language: { code: language },
            components: [{ type: 'body', parameters: [{ type: 'text', text }] }],
          },
        },
        a.id,
      );
    }
  }

  private async sendOne(waId: string, message: GraphMessage, activityId: string | undefined): Promise<void> {
    try {
      await this.deps.graph.send(waId, message, activityId);
    } catch (e) {
      if (!(e instanceof GraphApiError)) throw e;
      this.deps.onError?.(e);
      throw new DeliveryError(KIND[e.kind], `WhatsApp refused the message: ${e.message}`, { cause: e });
    }
  }

  /** An agent's name goes in bold above their first message. */
  private withSenderName(activities: readonly Partial<Activity>[], from: Sender): Partial<Activity>[] {
    if (from.role !== 'agent' || !from.name) return [...activities];
    return activities.map((a, i) => (i === 0 && a.text ? { ...a, text: `*${from.name}*\n${a.text}` } : a));
  }
}

/**
 * A template's one text parameter: the activity in a line. Meta refuses parameters with line
 * breaks, tabs or more than four spaces in a row, and the body holds 1,024 characters.
 */
export function templateText(a: Partial<Activity>): string {
  const c = readActivity(a);
  const cardLine = (card: ChatAttachment) =>
    card.contentType === BOOKING_SUMMARY ? bookingText(card) : card.content.title;
  const parts = [c.text, ...c.cards.map(cardLine), ...c.links.map((l) => `${l.title}: ${l.url}`)];
  const line = parts
    .filter(Boolean)
    .join(' · ')
    .replace(/\s*[\r\n\t]+\s*/g, ' · ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return clip(line, 900);
}
