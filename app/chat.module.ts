import type { Express } from 'express';
import { createParkingBot, type Understanding } from '../bot/index.ts';
import {
  ConversationRuntime,
  MemoryKeyedLock,
  RedisKeyedLock,
  WebChat,
  webChatConfigSchema,
} from '../channels/index.ts';
import { buildWidget, demoPageHtml } from '../web-widget/index.ts';
import type { Metrics } from './metrics.ts';
import type { PlatformContext, PlatformModule } from './module.ts';
import { storedSecret } from './secrets.ts';
import { traceInbound, tracedBot, tracedUnderstanding } from './spans.ts';

/**
 * The conversational side: the bot (with its NLU), the conversation runtime every channel stands on
 * (one turn at a time per conversation — across instances with a Redis lock when REDIS_URL is set —
 * and delivery to any conversation), and the web widget channel — `/widget.js`, the demo page at
 * `/`, and the `/chat` socket.io namespace. The runtime is published on `ctx.runtime` for the
 * modules built after this one.
 */
export async function createChatModule(
  ctx: PlatformContext,
  understanding: Understanding,
): Promise<PlatformModule> {
  const { config, logger, core } = ctx;
  const onError = (e: unknown, where = 'chat') => logger.error({ err: e, where }, 'chat error');
  const parts = createParkingBot({
    db: ctx.db,
    core,
    understanding: countingFallbacks(tracedUnderstanding(understanding), ctx.metrics),
    redis: ctx.redis('bot-state'),
    defaultTimeZone: config.DEFAULT_TIME_ZONE,
    idleMinutes: config.CONVERSATION_IDLE_MINUTES,
    messagesPerMinute: config.MESSAGES_PER_MINUTE,
    onError,
  });
  await parts.directory.all(); // teach the NLU the car parks' names before the first message
  const secret = config.WIDGET_SECRET ?? (await storedSecret(config.DATA_DIR, 'widget-secret')).value;
  const lockRedis = ctx.redis('locks');
  const runtime = new ConversationRuntime({
    bot: tracedBot(parts.bot),
    middleware: parts.middleware,
    conversations: parts.conversations,
    lock: lockRedis ? new RedisKeyedLock(lockRedis) : new MemoryKeyedLock(),
    logger,
    botTypingAfterMs: config.TYPING_DELAY_MS,
  });
  ctx.runtime.set(runtime);
  traceInbound(runtime);
  countTurns(runtime, ctx.metrics);
  const web = new WebChat({
    runtime,
    conversations: parts.conversations,
    config: webChatConfigSchema.parse({ origins: config.WIDGET_ORIGINS, tokenSecret: secret }),
    freeNow: async (facilityId) => {
      const [f] = await core.facilities.list({ ids: [facilityId] });
      return f ? { facilityId, free: f.freeNow.free, total: f.freeNow.total } : null;
    },
    onFacilityChanged: (listener) => ctx.facilityChanges.subscribe(listener),
    onError,
  });
  const widget = await buildWidget();
  const demo = await demoPageHtml();
  return {
    name: 'chat',
    mount(app: Express) {
      app.get('/widget.js', (_req, res) => {
        res.type('application/javascript').setHeader('Cache-Control', 'public, max-age=300').send(widget);
      });
      app.get('/', (_req, res) => {
        res.type('html').send(demo);
      });
    },
    attach: (io) => web.attach(io),
    stop: async () => {
      await web.stop();
      await runtime.stop();
    },
  };
}

/** Counts every classification that fell back to "didn't understand", by language. */
function countingFallbacks(understanding: Understanding, metrics: Metrics): Understanding {
  return {
    setFacilities: (facilities) => understanding.setFacilities(facilities),
    classify: async (text, options) => {
      const u = await understanding.classify(text, options);
      if (u.intent === 'none') metrics.nluFallbacks.inc({ locale: u.locale });
      return u;
    },
  };
}

/**
 * Chat turns by channel and outcome (answered by the bot, or routed to the agents during a
 * handoff) and their latency, from message in to the last reply sent.
 */
function countTurns(runtime: ConversationRuntime, metrics: Metrics): void {
  const handle = runtime.handle.bind(runtime);
  runtime.handle = (message) => {
    const end = metrics.turnDuration.startTimer({ channel: message.channel });
    return handle(message).finally(() => end());
  };
  runtime.onDriverMessage((e) =>
    metrics.chatTurns.inc({ channel: e.channel, outcome: e.routedTo === 'bot' ? 'answered' : 'handoff' }),
  );
}
