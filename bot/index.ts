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
  attachmentSchema,
  suggestedActionSchema,
  type BookingCard,
  type ChatAttachment,
  type FacilityCardItem,
  type FacilityListCard,
  type SuggestedAction,
} from './cards.ts';

// Advanced: storage and middleware pieces
export { RedisStorage } from './storage/redis-storage.ts';
export { MemoryRateLimiter, RedisRateLimiter } from './storage/rate-limiters.ts';
export type { ConversationStore, ConversationKey, TranscriptEntry } from './storage/conversation-store.ts';
export { messages } from './messages/index.ts';
