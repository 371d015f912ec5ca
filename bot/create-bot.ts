import { ConversationState, UserState, type Middleware, type Storage } from 'botbuilder';
import type { Redis } from 'ioredis';
import type { BookingCore, Database } from '../booking-core/index.ts';
import { FacilityDirectory } from './facility-directory.ts';
import { IdentityMiddleware } from './middleware/identity.ts';
import { RateLimitMiddleware } from './middleware/rate-limit.ts';
import { TranscriptMiddleware } from './middleware/transcript.ts';
import { ParkingBot } from './parking-bot.ts';
import type { Understanding } from './ports.ts';
import { PrismaConversationStore, type ConversationStore } from './storage/conversation-store.ts';
import { MemoryRateLimiter, RedisRateLimiter } from './storage/rate-limiters.ts';
import { RedisStorage } from './storage/redis-storage.ts';
import { MemoryBotStorage, OptimisticStorage } from './storage/state-conflict.ts';

export interface ParkingBotSetup {
  readonly db: Database;
  readonly core: BookingCore;
  readonly understanding: Understanding;
  /** Redis for state and rate limits shared by instances; memory when null */
  readonly redis: Redis | null;
  readonly defaultTimeZone: string;
  readonly idleMinutes: number;
  readonly messagesPerMinute: number;
  readonly onError: (e: unknown) => void;
  readonly clock?: () => Date;
  /** bot state storage; defaults to Redis (with `redis`) or memory */
  readonly storage?: Storage;
}

export interface ParkingBotParts {
  readonly bot: ParkingBot;
  /** middleware every channel adapter runs, in order: rate limit, identity, transcript */
  readonly middleware: readonly Middleware[];
  readonly conversations: ConversationStore;
  readonly directory: FacilityDirectory;
  readonly storage: Storage;
}

/**
 * Builds the bot and what surrounds it: state storage, the conversation store and middleware.
 *
 *   const { bot, middleware } = createParkingBot({ db, core, understanding, redis: null, … });
 *   adapter.use(...middleware);
 *   await adapter.processActivity(activity, (ctx) => bot.run(ctx));
 */
export function createParkingBot(s: ParkingBotSetup): ParkingBotParts {
  const storage =
    s.storage ?? (s.redis ? new RedisStorage(s.redis, { ttlSeconds: 30 * 86_400 }) : new MemoryBotStorage());
  const conversations = new PrismaConversationStore(s.db);
  const directory = new FacilityDirectory(s.core, s.understanding);
  const checked = new OptimisticStorage(storage); // a stale save fails with StateConflictError
  const bot = new ParkingBot({
    deps: { core: s.core, understanding: s.understanding, directory, conversations },
    conversationState: new ConversationState(checked),
    userState: new UserState(checked),
    defaultTimeZone: s.defaultTimeZone,
    idleMinutes: s.idleMinutes,
    ...(s.clock ? { clock: s.clock } : {}),
  });
  const limiter = s.redis ? new RedisRateLimiter(s.redis) : new MemoryRateLimiter();
  const middleware: Middleware[] = [
    new RateLimitMiddleware(limiter, s.messagesPerMinute, s.clock),
    new IdentityMiddleware(s.core.drivers),
    new TranscriptMiddleware(conversations, s.onError),
  ];
  return { bot, middleware, conversations, directory, storage };
}
