import { mkdir } from 'node:fs/promises';
import { TestAdapter, type Activity } from 'botbuilder';
import { createBookingCore, type BookingCore } from '../../booking-core/index.ts';
import { createParkingBot, type ParkingBotParts, type Understanding } from '../../bot/index.ts';
import { createNlu, type Nlu } from '../../nlu/index.ts';
import { seedDemoCity } from '../../prisma/seed.ts';
import { freshDatabase, type TestDatabase } from './databases.ts';

const NLU_CACHE = '.data/nlu-cache';
let sharedNlu: Promise<Nlu> | null = null;
/** The real NLU, trained once per test process (and cached on disk by corpus hash). */
export const testNlu = () =>
  (sharedNlu ??= mkdir(NLU_CACHE, { recursive: true }).then(() => createNlu({ cacheDir: NLU_CACHE })));

export interface BotHarness {
  readonly db: TestDatabase;
  readonly core: BookingCore;
  readonly parts: ParkingBotParts;
  /** a driver: sends one message (text or a pressed button) and returns the bot's replies */
  user(id?: string): Driver;
  /** moves the clock the bot and booking-core see */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface Driver {
  say(text: string): Promise<Partial<Activity>[]>;
  press(value: string): Promise<Partial<Activity>[]>;
  readonly conversationId: string;
  readonly userId: string;
}

/** Replies as one string (for "contains" checks), buttons and cards included. */
export const textOf = (replies: Partial<Activity>[]) =>
  replies
    .map((r) =>
      [
        r.text ?? '',
        ...(r.suggestedActions?.actions ?? []).map((a) => `[${String(a.title)}|${String(a.value)}]`),
        ...(r.attachments ?? []).map((a) => JSON.stringify(a.content)),
      ].join(' '),
    )
    .join('\n');

export const buttonsOf = (replies: Partial<Activity>[]) =>
  replies.flatMap((r) =>
    (r.suggestedActions?.actions ?? []).map((a) => ({ title: String(a.title), value: String(a.value) })),
  );

/**
 * The real bot on a fresh embedded database with the demo city, driven through botbuilder's
 * TestAdapter, with the clock fixed at `now`.
 */
export async function startBotHarness(options: {
  /** wraps the real NLU, e.g. to force an outcome the model rarely produces */
  understanding?: (real: Understanding) => Understanding;
  now: Date;
  storage?: ParkingBotParts['storage'];
  db?: TestDatabase;
  idleMinutes?: number;
  messagesPerMinute?: number;
}): Promise<BotHarness> {
  const db = options.db ?? (await freshDatabase('pglite'));
  if (!options.db) await seedDemoCity(db.prisma);
  let now = options.now;
  const core = createBookingCore({ db, clock: { now: () => new Date(now) } });
  const parts = createParkingBot({
    db,
    core,
    understanding: options.understanding ? options.understanding(await testNlu()) : await testNlu(),
    redis: null,
    defaultTimeZone: 'Europe/London',
    idleMinutes: options.idleMinutes ?? 30,
    messagesPerMinute: options.messagesPerMinute ?? 1000,
    onError: (e) => {
      throw e;
    },
    clock: () => new Date(now),
    ...(options.storage ? { storage: options.storage } : {}),
  });
  await parts.directory.all();
  const adapter = new TestAdapter(async (ctx) => parts.bot.run(ctx));
  adapter.use(...parts.middleware);
  adapter.onTurnError = async (_ctx, e) => {
    throw e;
  };
  let n = 0;
  const user = (id = `user-${++n}`): Driver => {
    const conversation = { id: `conv-${id}`, isGroup: false, conversationType: 'personal', name: '' };
    const send = async (activity: Partial<Activity>) => {
      adapter.activeQueue.splice(0);
      await adapter.processActivity(
        { type: 'message', channelId: 'test', from: { id, name: id }, conversation, ...activity },
        async (ctx) => parts.bot.run(ctx),
      );
      return adapter.activeQueue.splice(0);
    };
    return {
      conversationId: conversation.id,
      userId: id,
      say: (text) => send({ text }),
      press: (value) => send({ value, text: '' }),
    };
  };
  return {
    db,
    core,
    parts,
    user,
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    close: async () => {
      if (!options.db) await db.close();
    },
  };
}
