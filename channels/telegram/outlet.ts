import type { Activity } from 'botbuilder';
import type { Telegram } from 'telegraf';
import type { ChannelOutlet, ConversationAddress, Sender } from '../runtime/index.ts';
import { callTelegram, DEFAULT_RETRY, type RetryPolicy } from './calls.ts';
import { TELEGRAM_CHANNEL } from './inbound.ts';
import { renderActivity } from './render.ts';
import type { CallbackTokenStore } from './tokens.ts';

/** The chat to send to: the address kept from the driver's messages, or the conversation id. */
export const chatIdOf = (to: ConversationAddress): number =>
  Number(to.address['chatId'] ?? to.conversationId);

/**
 * Telegram's outlet on the conversation runtime: renders each activity (render.ts) and sends it
 * with `sendMessage` in HTML parse mode, in order, keeping Telegram's rate and retry rules
 * (calls.ts). A driver who blocked the bot raises `DeliveryError('unreachable')`, which the
 * runtime records.
 */
export class TelegramOutlet implements ChannelOutlet {
  readonly channel = TELEGRAM_CHANNEL;

  constructor(
    private readonly telegram: Telegram,
    private readonly tokens: CallbackTokenStore,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly onRetry?: (why: string, waitMs: number) => void,
  ) {}

  async send(to: ConversationAddress, activities: readonly Partial<Activity>[], from: Sender): Promise<void> {
    const chatId = chatIdOf(to);
    for (const a of activities) {
      const { messages, tokens } = renderActivity(a, {
        ...(a.locale ? { locale: a.locale } : {}),
        sender: from,
      });
      await this.tokens.put(tokens);
      for (const m of messages) {
        await callTelegram(
          () =>
            this.telegram.sendMessage(chatId, m.text, {
              parse_mode: 'HTML',
              link_preview_options: { is_disabled: true },
              ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
            }),
          this.retry,
          this.onRetry,
        );
      }
    }
  }

  /** "typing…" for the driver; only a hint, so never retried. */
  async typing(to: ConversationAddress): Promise<void> {
    await callTelegram(() => this.telegram.sendChatAction(chatIdOf(to), 'typing'), {
      ...this.retry,
      attempts: 1,
    });
  }
}
