import { join } from 'node:path';
import { z } from 'zod';
import { PrismaConversationStore } from '../bot/index.ts';
import {
  MemoryChoiceMemory,
  MemoryKeyedLock,
  PrismaTranscriptDeliveries,
  RedisChoiceMemory,
  RedisKeyedLock,
  WHATSAPP_CHANNEL,
  WHATSAPP_WEB_CHANNEL,
  WhatsAppCloudChannel,
  WhatsAppWebChannel,
  chromiumClientFactory,
  qrArt,
  whatsAppConfigSchema,
  whatsAppWebConfigSchema,
  type WebClientFactory,
} from '../channels/index.ts';
import { defineRoute, errorBody } from './http/route.ts';
import type { PlatformContext, PlatformModule } from './module.ts';

export interface WhatsAppModuleOptions {
  /** the whatsapp-web.js client (tests pass a stand-in; default: Chromium at CHROMIUM_PATH) */
  readonly createWebClient?: WebClientFactory;
}

const DAY_MS = 24 * 3_600_000;

/**
 * WhatsApp: the Cloud API (webhook at /channels/whatsapp/webhook, sending through the Graph API)
 * when its four credentials are set, and whatsapp-web.js (a phone linked by QR code) with
 * WHATSAPP_WEB. Both are outlets on the conversation runtime; either may be off.
 */
export async function createWhatsAppModule(
  ctx: PlatformContext,
  _occupancy?: unknown,
  options: WhatsAppModuleOptions = {},
): Promise<PlatformModule> {
  const { config, logger, channels } = ctx;
  const cloudOn = Boolean(config.WHATSAPP_TOKEN);
  channels.report(WHATSAPP_CHANNEL, { enabled: cloudOn });
  channels.report(WHATSAPP_WEB_CHANNEL, { enabled: config.WHATSAPP_WEB });
  if (!cloudOn && !config.WHATSAPP_WEB) return { name: 'whatsapp' };

  const runtime = ctx.runtime.get();
  const choiceRedis = ctx.redis('whatsapp-choices');
  const choices = choiceRedis
    ? new RedisChoiceMemory(choiceRedis, 'spp:whatsapp:choices:')
    : new MemoryChoiceMemory();
  const lockRedis = ctx.redis('whatsapp-locks');
  const lock = lockRedis ? new RedisKeyedLock(lockRedis, { prefix: 'spp:whatsapp:' }) : new MemoryKeyedLock();

  const cloud = cloudOn ? createCloud() : null;
  const web = config.WHATSAPP_WEB ? await createWeb() : null;

  function createCloud() {
    const conversations = new PrismaConversationStore(ctx.db);
    const deliveries = new PrismaTranscriptDeliveries(ctx.db.prisma);
    const channel = new WhatsAppCloudChannel({
      config: whatsAppConfigSchema.parse({
        token: config.WHATSAPP_TOKEN,
        phoneNumberId: config.WHATSAPP_PHONE_NUMBER_ID,
        appSecret: config.WHATSAPP_APP_SECRET,
        verifyToken: config.WHATSAPP_VERIFY_TOKEN,
        graphUrl: config.WHATSAPP_GRAPH_URL,
        templates: { notice: config.WHATSAPP_TEMPLATE_NOTICE, agent: config.WHATSAPP_TEMPLATE_AGENT },
        templateLanguage: config.WHATSAPP_TEMPLATE_LANGUAGE,
        ...(config.NODE_ENV === 'test' ? { retryBaseMs: 20 } : {}),
      }),
      runtime,
      choices,
      firstTime: async (key) => (await lock.tryLease(key, DAY_MS)) !== null,
      localeOf: async (waId) =>
        (await conversations.find({ channel: WHATSAPP_CHANNEL, externalId: waId }))?.locale ?? null,
      onStatus: async (waId, s) => {
        if (!s.activityId) return;
        const error = s.errors.map((e) => `${e.code} ${e.title ?? ''}`.trim()).join(', ');
        const status = { status: s.status, at: s.at, ...(error ? { error } : {}) };
        // a reply is sent before its turn's transcript is written: a very quick status may wait for it
        for (const wait of [0, 500, 2_000]) {
          if (wait) await new Promise((r) => setTimeout(r, wait));
          if (await deliveries.record(WHATSAPP_CHANNEL, waId, s.activityId, status)) return;
        }
      },
      status: channels,
      logger,
    });
    runtime.registerChannel(channel.outlet);
    return channel;
  }

  async function createWeb() {
    const webConfig = whatsAppWebConfigSchema.parse({
      sessionDir: config.WHATSAPP_WEB_SESSION_DIR ?? join(config.DATA_DIR, 'whatsapp-web'),
      chromiumPath: config.CHROMIUM_PATH,
      ...(config.NODE_ENV === 'test' ? { retryBaseMs: 50, retryMaxMs: 500, leaseTtlMs: 2_000 } : {}),
    });
    const channel = new WhatsAppWebChannel({
      config: webConfig,
      runtime,
      lock,
      createClient: options.createWebClient ?? (await chromiumClientFactory(webConfig)),
      choices,
      status: channels,
      onQr: (qr) => {
        // for the person at the terminal; administrators also get it from GET /api/v1/channels/whatsapp-web/qr
        void qrArt(qr).then((art) =>
          process.stdout.write(
            `\nWhatsApp Web: scan this with WhatsApp on the phone (Linked devices):\n${art}\n`,
          ),
        );
      },
      logger,
    });
    runtime.registerChannel(channel.outlet);
    return channel;
  }

  return {
    name: 'whatsapp',
    routes: web ? [qrRoute(web)] : [],
    mount(app) {
      if (cloud) app.use(cloud.router());
    },
    start: async () => web?.start(),
    stop: async () => {
      await web?.stop();
      await cloud?.stop();
    },
  };
}

/** `GET /channels/whatsapp-web/qr`: the code to link the phone, while one is waiting to be scanned. */
function qrRoute(web: WhatsAppWebChannel) {
  return defineRoute({
    method: 'get',
    path: '/channels/whatsapp-web/qr',
    summary: 'WhatsApp Web: the QR code to link the phone (scan it in WhatsApp, Linked devices)',
    responses: {
      200: {
        description: 'The QR code, as its text and as terminal art',
        schema: z.object({ state: z.string(), qr: z.string(), terminal: z.string() }),
      },
      404: { description: 'No QR code is waiting (linked already, or starting)', schema: errorBody },
    },
    handler: async () => {
      const { state, qr } = web.session;
      if (!qr)
        return {
          status: 404,
          body: { code: 'WHATSAPP_WEB.NO_QR', message: `no QR code is waiting; WhatsApp Web is ${state}` },
        };
      return { status: 200, body: { state, qr, terminal: await qrArt(qr) } };
    },
  });
}
