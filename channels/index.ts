// channels: one folder per messaging channel; each turns platform messages into bot activities
// and renders the bot's activities back in that platform's best form.

export { WebChat, type WebChatDeps } from './web/web-chat.ts';
export { WebChatAdapter } from './web/adapter.ts';
export { webChatConfigSchema, type WebChatConfig } from './web/config.ts';
export { WEB_CHANNEL } from './web/inbound.ts';
export { CHAT_NAMESPACE } from './web/protocol.ts';
export type {
  ChatActivity,
  ClientMessage,
  ServerToClientEvents,
  ClientToServerEvents,
} from './web/protocol.ts';
