// bot: the dialogue engine on botbuilder. Channel-neutral: adapters in channels/ feed it
// activities and render what it sends back.

// Commonly used
export { createParkingBot, type ParkingBotSetup, type ParkingBotParts } from './create-bot.ts';
export { ParkingBot, MAX_MESSAGE_LENGTH } from './parking-bot.ts';
export {
  INTENTS,
  type Intent,
  type Locale,
  type Understood,
  type Understanding,
  type RateLimiter,
} from './ports.ts';
export {
  BOOKING_SUMMARY,
  FACILITY_LIST,
  LOCATION_REQUEST,
  actionsOf,
  attachmentSchema,
  fromCardAction,
  suggestedActionSchema,
  toCardAction,
  type BookingCard,
  type ChatAttachment,
  type FacilityCardItem,
  type FacilityListCard,
  type OpenUrlAction,
  type PostBackAction,
  type RequestLocationAction,
  type SuggestedAction,
} from './cards.ts';
export { button, openUrl, reply, requestLocation } from './turn.ts';
export { notificationActivities, type NotificationContext } from './notifications.ts';

// Advanced: storage and middleware pieces, and what a channel runtime needs of a turn
export { RedisStorage } from './storage/redis-storage.ts';
export { MemoryBotStorage, OptimisticStorage, StateConflictError } from './storage/state-conflict.ts';
export { MemoryRateLimiter, RedisRateLimiter } from './storage/rate-limiters.ts';
export {
  CONVERSATION_MODES,
  PrismaConversationStore,
  TRANSCRIPT_SENDERS,
  type ConversationKey,
  type ConversationLookup,
  type ConversationMode,
  type ConversationStore,
  type StoredConversation,
  type TranscriptEntry,
  type TranscriptSender,
} from './storage/conversation-store.ts';
export { MemoryConversationStore } from './storage/memory-conversation-store.ts';
export { TranscriptMiddleware, transcriptPayload } from './middleware/transcript.ts';
export { CONVERSATION_ID, HANDOFF_REQUESTED, REPLAYED_TURN, turnLocale } from './turn.ts';
export { messages } from './messages/index.ts';
