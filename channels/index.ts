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
