// channels: one conversation runtime (channels/runtime) and one folder per messaging channel; each
// channel turns platform messages into the runtime's inbound messages and renders the bot's
// activities back in that platform's best form through its outlet.

// The runtime every channel stands on
export {
  ConversationRuntime,
  DeliveryError,
  LockTimeoutError,
  MemoryKeyedLock,
  RedisKeyedLock,
  type ChannelOutlet,
  type ConversationAddress,
  type ConversationRuntimeOptions,
  type DeliveryErrorKind,
  type DeliveryFailure,
  type DeliveryResult,
  type DriverMessageEvent,
  type HandoffRouter,
  type InboundMessage,
  type KeyedLock,
  type Lease,
  type RuntimeLogger,
  type Sender,
  type TurnRoute,
} from './runtime/index.ts';

// The web widget channel
export { WebChat, type WebChatDeps } from './web/web-chat.ts';
export { WebChatOutlet } from './web/adapter.ts';
export { webChatConfigSchema, type WebChatConfig } from './web/config.ts';
export { WEB_CHANNEL } from './web/inbound.ts';
export { CHAT_NAMESPACE } from './web/protocol.ts';
export type {
  ChatActivity,
  ClientMessage,
  ServerToClientEvents,
  ClientToServerEvents,
} from './web/protocol.ts';

// The Telegram channel
export { TelegramChannel, type TelegramChannelDeps, type TelegramLogger } from './telegram/adapter.ts';
export { telegramConfigSchema, TELEGRAM_WEBHOOK_PATH, type TelegramConfig } from './telegram/config.ts';
export { TELEGRAM_CHANNEL } from './telegram/inbound.ts';
export { MemoryCallbackTokens, RedisCallbackTokens, type CallbackTokenStore } from './telegram/tokens.ts';
// Channel status for operators, and WhatsApp (Cloud API and whatsapp-web.js)
export { ChannelStatusRegistry, type ChannelState, type ChannelStatus } from './channel-status.ts';
export { WhatsAppCloudChannel, WEBHOOK_PATH as WHATSAPP_WEBHOOK_PATH } from './whatsapp/adapter.ts';
export { whatsAppConfigSchema, type WhatsAppConfig } from './whatsapp/config.ts';
export { MemoryChoiceMemory, RedisChoiceMemory, type ChoiceMemory } from './whatsapp/choices.ts';
export { WHATSAPP_CHANNEL, type StatusUpdate as WhatsAppStatusUpdate } from './whatsapp/inbound.ts';
export { WhatsAppWebChannel } from './whatsapp-web/adapter.ts';
export { whatsAppWebConfigSchema, type WhatsAppWebConfig } from './whatsapp-web/config.ts';
export { chromiumClientFactory, type WebClient, type WebClientFactory } from './whatsapp-web/client.ts';
export { WHATSAPP_WEB_CHANNEL } from './whatsapp-web/inbound.ts';
export { qrArt } from './whatsapp-web/qr.ts';
export {
  PrismaTranscriptDeliveries,
  type DeliveryStatus,
  type TranscriptDeliveries,
} from './storage/transcript-deliveries.ts';
