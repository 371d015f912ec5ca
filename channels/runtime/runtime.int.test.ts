import { ConversationState, type Activity, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  HANDOFF_REQUESTED,
  MemoryBotStorage,
  MemoryConversationStore,
  OptimisticStorage,
  TranscriptMiddleware,
  messages,
} from '../../bot/index.ts';
import { TEST_REDIS_URL, testRedis } from '../../test/support/redis.ts';
import { sleep } from './keyed-queue.ts';
import { MemoryKeyedLock } from './memory-keyed-lock.ts';
import { RedisKeyedLock } from './redis-keyed-lock.ts';
import { ConversationRuntime, type ConversationRuntimeOptions } from './runtime.ts';
import {
  DeliveryError,
  type ChannelOutlet,
  type ConversationAddress,
  type DriverMessageEvent,
  type KeyedLock,
  type Sender,
} from './types.ts';

/** A small bot with real botbuilder state: counts its turns and says so. */
class CountingBot {
  readonly state: ConversationState;
  private readonly count: StatePropertyAccessor<number>;
  /** runs after the reply, before the state is saved (to let "another instance" write first) */
  beforeSave: ((ctx: TurnContext) => Promise<void>) | null = null;

  constructor(readonly storage: MemoryBotStorage) {
    this.state = new ConversationState(new OptimisticStorage(storage));
    this.count = this.state.createProperty('count');
  }

  async run(ctx: TurnContext): Promise<void> {
    if (ctx.activity.text === 'boom') throw new Error('the bot broke');
    if (ctx.activity.text === 'a person please') ctx.turnState.set(HANDOFF_REQUESTED, true);
    const n = (await this.count.get(ctx, 0)) + 1;
    await sleep(15); // a window in which an unserialised second turn would read the same count
    await this.count.set(ctx, n);
    await ctx.sendActivity(`turn ${n}: ${ctx.activity.text || String(ctx.activity.value)}`);
    await this.beforeSave?.(ctx);
    await this.state.saveChanges(ctx);
  }
}

interface Sent {
  conversationId: string;
  text: string | undefined;
  from: Sender;
  address: ConversationAddress['address'];
}

class RecordingOutlet implements ChannelOutlet {
  readonly sent: Sent[] = [];
  /** the conversations shown "typing…", in order */
  readonly typed: string[] = [];
  failWith: Error | null = null;
  constructor(readonly channel = 'test') {}
  async typing(to: ConversationAddress, from?: Sender) {
    const who = from?.name ? `:${from.name}` : '';
    this.typed.push(`${to.conversationId}:${String(to.address['chatId'] ?? '')}${who}`);
  }
  async send(to: ConversationAddress, activities: readonly Partial<Activity>[], from: Sender) {
    if (this.failWith) throw this.failWith;
    for (const a of activities)
      this.sent.push({ conversationId: to.conversationId, text: a.text, from, address: to.address });
  }
}

const connections: Redis[] = [];
afterAll(async () => {
  for (const c of connections) await c.quit();
});

/** Two instances' locks: one shared memory lock, or two Redis connections on one prefix. */
type TwoLocks = () => readonly [KeyedLock, KeyedLock];
const LOCKS: Array<[string, TwoLocks]> = [
  [
    'memory lock',
    () => {
      const lock = new MemoryKeyedLock();
      return [lock, lock];
    },
  ],
  ...(TEST_REDIS_URL
    ? ([
        [
          'Redis lock',
          () => {
            const a = testRedis();
            const b = testRedis();
            connections.push(a.redis, b.redis);
            return [
              new RedisKeyedLock(a.redis, { prefix: a.prefix }),
              new RedisKeyedLock(b.redis, { prefix: a.prefix }),
            ];
          },
        ],
      ] as Array<[string, TwoLocks]>)
    : []),
];

describe.each(LOCKS)('conversation runtime with a %s', (_name, makeLocks) => {
  /** Two instances sharing bot state and conversations, as two processes share Redis and PostgreSQL. */
  function twoInstances(options: Partial<ConversationRuntimeOptions> = {}) {
    const storage = new MemoryBotStorage();
    const conversations = new MemoryConversationStore();
    const bot = new CountingBot(storage);
    const logs: Array<{ level: string; details: Record<string, unknown>; message: string }> = [];
    const logger = {
      warn: (details: object, message: string) =>
        logs.push({ level: 'warn', details: details as Record<string, unknown>, message }),
      error: (details: object, message: string) =>
        logs.push({ level: 'error', details: details as Record<string, unknown>, message }),
    };
    const outlet = new RecordingOutlet();
    const [lockA, lockB] = makeLocks();
    const make = (lock: KeyedLock) => {
      const r = new ConversationRuntime({
        bot,
        middleware: [new TranscriptMiddleware(conversations, (e) => logger.error({ err: e }, 'transcript'))],
        conversations,
        lock,
        logger,
        typingEveryMs: 300,
        ...options,
      });
      r.registerChannel(outlet);
      return r;
    };
    return { a: make(lockA), b: make(lockB), bot, storage, conversations, outlet, logs };
  }
  let n = 0;
  const chat = () => `chat-${process.pid}-${++n}-${Math.random().toString(36).slice(2, 6)}`;
  const message = (conversationId: string, text: string, extra: object = {}) => ({
    channel: 'test',
    conversationId,
    user: { id: `u-${conversationId}` },
    text,
    ...extra,
  });

  it('runs one turn at a time per conversation across instances: no lost state, replies in order', async () => {
    const t = twoInstances();
    const id = chat();
    await Promise.all([
      t.a.handle(message(id, 'one')),
      t.b.handle(message(id, 'two')),
      t.a.handle(message(id, 'three')),
      t.b.handle(message(id, 'four')),
    ]);
    const replies = t.outlet.sent.map((s) => s.text ?? '');
    expect(replies.map((r) => r.split(':')[0])).toEqual(['turn 1', 'turn 2', 'turn 3', 'turn 4']);
    expect(replies.filter((r) => / (one|three)$/.test(r)).map((r) => r.split(': ')[1])).toEqual([
      'one',
      'three',
    ]); // one instance's messages keep their order
    expect(t.logs.filter((l) => /conflict/.test(l.message))).toEqual([]);
    const transcript = await t.conversations.recent({ channel: 'test', externalId: id }, 20);
    expect(transcript.map((e) => e.sender)).toEqual([
      'driver',
      'bot',
      'driver',
      'bot',
      'driver',
      'bot',
      'driver',
      'bot',
    ]);
  });

  it('runs a turn again after a state conflict, and the driver sees only the second answer', async () => {
    const t = twoInstances();
    const id = chat();
    await t.a.handle(message(id, 'hello'));
    t.bot.beforeSave = async (ctx) => {
      t.bot.beforeSave = null;
      const key = t.bot.state.getStorageKey(ctx) ?? '';
      await t.storage.write({ [key]: { count: 10, eTag: '*' } }); // another instance saved meanwhile
    };
    await t.b.handle(message(id, 'again'));
    expect(t.outlet.sent.map((s) => s.text)).toEqual(['turn 1: hello', 'turn 11: again']);
    expect(t.logs.map((l) => l.message)).toEqual(['bot state conflict: running the turn again']);
    const transcript = await t.conversations.recent({ channel: 'test', externalId: id }, 20);
    expect(transcript.map((e) => `${e.sender}:${e.text}`)).toEqual([
      'driver:hello',
      'bot:turn 1: hello',
      'driver:again',
      'bot:turn 11: again',
    ]);
  });

  it("answers a failed turn in the driver's language and logs it with the conversation id", async () => {
    const t = twoInstances();
    const id = chat();
    await expect(t.a.handle(message(id, 'boom', { locale: 'es-ES' }))).resolves.toBeUndefined();
    expect(t.outlet.sent.map((s) => s.text)).toEqual([messages('es').error]);
    expect(messages('es').error).not.toBe(messages('en').error);
    const logged = t.logs.find((l) => l.level === 'error');
    expect(logged).toMatchObject({
      message: 'turn failed',
      details: { conversationId: id, channel: 'test' },
    });
    expect(String(logged?.details['err'])).toMatch(/the bot broke/);
    const transcript = await t.conversations.recent({ channel: 'test', externalId: id }, 5);
    expect(transcript.map((e) => `${e.sender}:${e.text}`)).toEqual([
      'driver:boom',
      `bot:${messages('es').error}`,
    ]);
  });

  it('processes a repeated message id once, whichever instance it reaches', async () => {
    const t = twoInstances();
    const id = chat();
    const same = message(id, 'book it', { messageId: `m-${id}` });
    await Promise.all([t.a.handle(same), t.b.handle(same)]);
    await t.a.handle(same);
    await t.b.handle(message(id, 'thanks', { messageId: `m2-${id}` }));
    expect(t.outlet.sent.map((s) => s.text)).toEqual(['turn 1: book it', 'turn 2: thanks']);
  });

  it('delivers to a stored conversation from any instance, recording the sender', async () => {
    const t = twoInstances();
    const id = chat();
    await t.a.handle(message(id, 'hi', { address: { chatId: 42 } }));
    const stored = await t.conversations.find({ channel: 'test', externalId: id });
    const byKey = await t.b.deliver(
      { channel: 'test', externalId: id },
      [{ type: 'message', text: 'Ana here, from support.' }],
      { role: 'agent', name: 'Ana' },
    );
    expect(byKey).toEqual({ delivered: true, conversationId: stored?.id });
    const byId = await t.a.deliver({ id: stored?.id ?? '' }, [{ text: 'Payment received.' }], {
      role: 'system',
    });
    expect(byId.delivered).toBe(true);
    expect(t.outlet.sent.slice(1)).toEqual([
      {
        conversationId: id,
        text: 'Ana here, from support.',
        from: { role: 'agent', name: 'Ana' },
        address: { chatId: 42 },
      },
      { conversationId: id, text: 'Payment received.', from: { role: 'system' }, address: { chatId: 42 } },
    ]);
    const transcript = await t.conversations.recent({ channel: 'test', externalId: id }, 10);
    expect(transcript.slice(2).map((e) => [e.sender, e.text, e.payload])).toEqual([
      ['agent', 'Ana here, from support.', { senderName: 'Ana', activityId: expect.any(String) }],
      ['system', 'Payment received.', { activityId: expect.any(String) }],
    ]);
    expect(
      await t.a.deliver({ channel: 'test', externalId: 'nobody' }, [{ text: 'x' }], { role: 'bot' }),
    ).toEqual({
      delivered: false,
      conversationId: null,
      reason: 'unknown-conversation',
    });
  });

  it('records what an outlet could not deliver, in a turn and from deliver(), and goes on', async () => {
    const t = twoInstances();
    const id = chat();
    await t.a.handle(message(id, 'hi'));
    t.outlet.failWith = new DeliveryError('unreachable', 'the driver blocked the bot');
    const result = await t.b.deliver({ channel: 'test', externalId: id }, [{ text: 'Reminder' }], {
      role: 'system',
    });
    expect(result).toMatchObject({ delivered: false, reason: 'unreachable' });
    await expect(t.a.handle(message(id, 'still there?'))).resolves.toBeUndefined();
    const transcript = await t.conversations.recent({ channel: 'test', externalId: id }, 10);
    expect(transcript.slice(2).map((e) => [e.sender, e.text, e.payload])).toEqual([
      ['system', 'Reminder', { undelivered: 'unreachable', activityId: expect.any(String) }],
      ['driver', 'still there?', null],
      ['bot', 'turn 2: still there?', { activityId: expect.any(String) }],
      ['system', null, { undelivered: 'unreachable' }],
    ]);
    expect(t.logs.filter((l) => l.message === 'message not delivered')).toHaveLength(2);
    t.outlet.failWith = new Error('socket closed'); // any other outlet error counts as retryable
    expect(
      await t.b.deliver({ channel: 'test', externalId: id }, [{ text: 'x' }], { role: 'bot' }),
    ).toMatchObject({
      reason: 'retryable',
    });
  });

  it('tells listeners whether the bot asked for a person in that turn (the handoff side looks only then)', async () => {
    const t = twoInstances();
    const id = chat();
    const heard: DriverMessageEvent[] = [];
    const stop = t.a.onDriverMessage((e) => heard.push(e));
    await t.a.handle(message(id, 'hello'));
    await t.a.handle(message(id, 'a person please'));
    stop();
    expect(heard.map((e) => [e.text, e.routedTo, e.handoffRequested])).toEqual([
      ['hello', 'bot', false],
      ['a person please', 'bot', true],
    ]);
  });

  it("routes a conversation's messages to the agents when the router says so, and tells listeners", async () => {
    const t = twoInstances();
    const id = chat();
    const heard: DriverMessageEvent[] = [];
    const stop = t.a.onDriverMessage((e) => heard.push(e));
    t.a.setRouter({ route: (c) => (c.conversationId === id ? 'agents' : 'bot') });
    await t.a.handle(message(id, 'I need a person'));
    expect(t.outlet.sent).toEqual([]);
    const stored = await t.conversations.find({ channel: 'test', externalId: id });
    expect(heard).toEqual([
      {
        channel: 'test',
        conversationId: id,
        storedId: stored?.id,
        text: 'I need a person',
        routedTo: 'agents',
        handoffRequested: false,
      },
    ]);
    expect((await t.conversations.recent({ channel: 'test', externalId: id }, 5)).map((e) => e.text)).toEqual(
      ['I need a person'],
    );
    t.a.setRouter({ route: () => 'bot' });
    await t.a.handle(message(id, 'thanks'));
    expect(t.outlet.sent.map((s) => s.text)).toEqual(['turn 1: thanks']);
    stop();
    await t.a.handle(message(id, 'bye'));
    expect(heard).toHaveLength(2);
  });

  it('shows "typing…" from any instance at most once per interval per conversation, never for the bot while agents answer', async () => {
    const t = twoInstances();
    const [id, other] = [chat(), chat()];
    await t.a.handle(message(id, 'hi', { address: { chatId: 42 } }));
    await t.a.handle(message(other, 'hello'));
    expect(t.outlet.typed).toEqual([`${id}:42`, `${other}:`]); // the bot's own hint while it works
    const stored = await t.conversations.find({ channel: 'test', externalId: id });
    const shown = await Promise.all([
      t.a.typing({ id: stored!.id }),
      t.b.typing({ id: stored!.id }),
      t.b.typing({ channel: 'test', externalId: id }),
    ]);
    expect(shown.filter(Boolean)).toHaveLength(1);
    expect(await t.b.typing({ channel: 'test', externalId: other })).toBe(true); // per conversation
    expect(t.outlet.typed.slice(2)).toEqual([`${id}:42`, `${other}:`]);
    await sleep(400);
    // the interval has passed; the channel is told who is writing
    expect(await t.b.typing({ id: stored!.id }, { role: 'agent', name: 'Ana' })).toBe(true);
    expect(t.outlet.typed.at(-1)).toBe(`${id}:42:Ana`);
    expect(await t.a.typing({ channel: 'test', externalId: 'nobody' })).toBe(false);

    t.a.setRouter({ route: () => 'agents' });
    const before = t.outlet.typed.length;
    await t.a.handle(message(other, 'still waiting for a person'));
    expect(t.outlet.typed).toHaveLength(before); // the bot stays quiet, so shows nothing either
    t.outlet.typing = async () => {
      throw new Error('platform down');
    };
    await sleep(400);
    await expect(t.a.typing({ id: stored!.id })).resolves.toBe(false); // only a hint: never rejects
    expect(t.logs.map((l) => l.message)).toContain('typing indicator not shown');
  });

  it('shows the bot\'s "typing…" only when its answer is slow to come', async () => {
    // a minute: no answer takes that long, so this one never needs the hint
    const patient = twoInstances({ botTypingAfterMs: 60_000 });
    await patient.a.handle(message(chat(), 'hi'));
    expect(patient.outlet.sent).toHaveLength(1);
    expect(patient.outlet.typed).toEqual([]);

    // an answer that waits until the driver has been shown "typing…", 20 ms into the turn
    const t = twoInstances({ botTypingAfterMs: 20 });
    let shown: () => void = () => undefined;
    const typed = new Promise<void>((resolve) => (shown = resolve));
    const typing = t.outlet.typing.bind(t.outlet);
    t.outlet.typing = async (to, from) => {
      await typing(to, from);
      shown();
    };
    t.bot.beforeSave = () => typed;
    const slow = chat();
    await t.a.handle(message(slow, 'what a slow answer'));
    expect(t.outlet.typed).toEqual([`${slow}:`]);
    expect(t.outlet.sent.map((x) => x.text)).toEqual(['turn 1: what a slow answer']);
  });
});
