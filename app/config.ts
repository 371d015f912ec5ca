import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgresql:// connection string')
  .refine((v) => URL.canParse(v), 'is not a valid URL');

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
/** "90s", "10m", "1h", or plain seconds ("600") → milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)?$/, 'must be a duration such as 600, 90s, 10m or 1h')
  .transform((v) => {
    const m = /^(\d+)(ms|s|m|h)?$/.exec(v)!;
    return Number(m[1]) * UNIT_MS[(m[2] ?? 's') as keyof typeof UNIT_MS];
  });

/** Days a kind of record is kept: at least a day, at most 30 years. */
const retentionDays = (d: number) => z.coerce.number().int().min(1).max(10_958).default(d);

const urlWithScheme = (schemes: string[]) =>
  z.string().refine((v) => URL.canParse(v) && schemes.includes(new URL(v).protocol.slice(0, -1)), {
    message: `must be a URL starting with ${schemes.map((s) => `${s}://`).join(' or ')}`,
  });

const list = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
      : [],
  );

const WHATSAPP_CLOUD_KEYS = [
  'WHATSAPP_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
] as const;

/** Every environment variable the platform reads, with its default. Nothing else reads process.env. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./.data'),
    DATABASE_URL: postgresUrl.optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    API_KEYS: list.refine(
      (keys) => keys.every((k) => k.length >= 16),
      'each key must be at least 16 characters',
    ),
    HOLD_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
    LIFECYCLE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),

    // retention (days each kind of record is kept) and the periodic roll-up that precedes deletion
    ROLLUP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    RETENTION_TRANSCRIPTS_DAYS: retentionDays(90),
    RETENTION_OCCUPANCY_DAYS: retentionDays(90),
    RETENTION_SENSOR_EVENTS_DAYS: retentionDays(90),
    RETENTION_AUDIT_DAYS: retentionDays(2557),
    RETENTION_PAYMENTS_DAYS: retentionDays(2557),
    SEED_DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
    TRUST_PROXY: bool.default(false),

    // operations: log format, metrics, traces
    /** auto: human-readable on a terminal, JSON lines otherwise (containers, files, pipes) */
    LOG_FORMAT: z.enum(['auto', 'pretty', 'json']).default('auto'),
    /** when set, GET /metrics needs `Authorization: Bearer <token>` */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** OTLP/HTTP collector base URL (e.g. http://jaeger:4318); traces are off when unset */
    OTEL_EXPORTER_OTLP_ENDPOINT: urlWithScheme(['http', 'https']).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default('smart-parking-platform'),

    // real-time state shared by instances
    REDIS_URL: urlWithScheme(['redis', 'rediss']).optional(),

    // sensors
    MQTT_URL: urlWithScheme(['mqtt', 'mqtts', 'tcp', 'ws', 'wss']).optional(),
    MQTT_SHARED_GROUP: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, - or _')
      .optional(),
    /** unset: 1883, or any free port when 1883 is taken (e.g. by Mosquitto); set: exactly this port */
    MQTT_BROKER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    /** where the embedded broker listens; 0.0.0.0 lets sensors on the LAN reach it (it has no authentication) */
    MQTT_BROKER_HOST: z.string().min(1).default('127.0.0.1'),
    SENSOR_OFFLINE_AFTER: duration.default(600_000),

    // chat
    WIDGET_ORIGINS: list.refine(
      (origins) => origins.every((o) => o === '*' || URL.canParse(o)),
      'must be origins such as https://shop.example',
    ),
    CONVERSATION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(600).default(20),
    /** the bot shows "typing…" only when its answer takes longer than this (0: at once) */
    TYPING_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(300),
    /** signs widget session tokens; generated into DATA_DIR when unset (set it when running several instances) */
    WIDGET_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** zone for understanding times ("tomorrow at 9") before the driver has picked a car park */
    DEFAULT_TIME_ZONE: z
      .string()
      .refine(
        (tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC',
        'must be an IANA time zone such as Europe/London',
      )
      .default('Europe/London'),

    // ── Telegram channel (channels/telegram) ──
    /** the bot's token from @BotFather; turns the Telegram channel on */
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456789:AA… (the token @BotFather gave)')
      .optional(),
    /** the Bot API server: Telegram's, a self-hosted telegram-bot-api, or a test stand-in */
    TELEGRAM_API_ROOT: urlWithScheme(['https', 'http']).default('https://api.telegram.org'),
    /** the platform's public base URL: webhook at <url>/channels/telegram/webhook; unset: long polling */
    TELEGRAM_WEBHOOK_URL: urlWithScheme(['https', 'http']).optional(),
    /** the webhook's secret_token; generated into DATA_DIR when unset (set it when running several instances) */
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 characters of A–Z, a–z, 0–9, _ and -')
      .optional(),
    // payments (none configured: the embedded test checkout, where no money moves)
    /** the platform's public base URL, for checkout and return links (default: where it listens) */
    PUBLIC_URL: urlWithScheme(['http', 'https'])
      .transform((v) => v.replace(/\/+$/, ''))
      .optional(),
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    /** another Stripe API server, as a bare origin (the client always calls /v1/…) */
    STRIPE_API_URL: urlWithScheme(['http', 'https'])
      .refine(
        (v) => ['', '/'].includes(new URL(v).pathname),
        'must be a bare origin such as http://127.0.0.1:12111',
      )
      .optional(),
    PAYPAL_CLIENT_ID: z.string().min(1).optional(),
    PAYPAL_CLIENT_SECRET: z.string().min(1).optional(),
    PAYPAL_API_URL: urlWithScheme(['http', 'https']).default('https://api-m.paypal.com'),
    PAYPAL_WEBHOOK_ID: z.string().min(1).optional(),
    REFUND_FULL_HOURS: z.coerce
      .number()
      .min(0)
      .max(24 * 365)
      .default(24),

    // WhatsApp — Cloud API (on when its four credentials are set) and whatsapp-web.js (WHATSAPP_WEB)
    /** a system user's permanent access token for the Graph API */
    WHATSAPP_TOKEN: z.string().min(1).optional(),
    /** the business phone number's id in Meta's WhatsApp Manager (not the number itself) */
    WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'must be the numeric phone number id').optional(),
    /** the Meta app's secret: every webhook delivery is signed with it */
    WHATSAPP_APP_SECRET: z.string().min(1).optional(),
    /** any string; typed into Meta's webhook settings and echoed in the verification handshake */
    WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
    /** the Graph API base including its version (tests point it at a local stand-in) */
    WHATSAPP_GRAPH_URL: urlWithScheme(['http', 'https']).default('https://graph.facebook.com/v23.0'),
    /** approved template (one body variable) for proactive messages outside the 24-hour window */
    WHATSAPP_TEMPLATE_NOTICE: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/, 'must be a template name')
      .optional(),
    /** approved template for an agent's reply outside the window (default: WHATSAPP_TEMPLATE_NOTICE) */
    WHATSAPP_TEMPLATE_AGENT: z
      .string()
      .regex(/^[a-z0-9_]{1,512}$/, 'must be a template name')
      .optional(),
    /** templates' language when the driver's is unknown */
    WHATSAPP_TEMPLATE_LANGUAGE: z
      .string()
      .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as en or en_US')
      .default('en'),
    /** link an ordinary phone by QR code (whatsapp-web.js) */
    WHATSAPP_WEB: bool.default(false),
    /** where the linked phone's session is kept (shared storage when several instances may run it) */
    WHATSAPP_WEB_SESSION_DIR: z.string().min(1).optional(),
    /** the browser whatsapp-web.js drives; the install never downloads one */
    CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),

    // support console: agents' accounts, sessions, single sign-on, the handoff queue
    /** the first administrator, created on first start when there are no accounts */
    AGENT_ADMIN_EMAIL: z.email('must be an email address').default('admin@parking.local'),
    /** its password; unset: one is generated and printed once */
    AGENT_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    AGENT_SESSION_HOURS: z.coerce
      .number()
      .min(0.01)
      .max(24 * 30)
      .default(12),
    AGENT_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .min(1)
      .max(24 * 60)
      .default(60),
    /** failed sign-ins per account and address within 15 minutes before further tries get 429 (an address: 4×) */
    AGENT_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** `auto`: Secure cookies when NODE_ENV=production (behind HTTPS) */
    AGENT_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
    OIDC_ISSUER_URL: urlWithScheme(['https', 'http']).optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** where the issuer sends agents back; unset: <this server>/console/sso/callback as the browser reached it */
    OIDC_REDIRECT_URL: urlWithScheme(['https', 'http']).optional(),
    /** a driver waiting this long unclaimed is told honestly and offered the bot or a message */
    HANDOFF_WAIT_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(10),
  })
  .superRefine((c, ctx) => {
    const oidc = [c.OIDC_ISSUER_URL, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc > 0 && oidc < 3) {
      const missing = (['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).find(
        (k) => !c[k],
      );
      ctx.addIssue({
        code: 'custom',
        path: [missing ?? 'OIDC_ISSUER_URL'],
        message: 'is needed too: set all three OIDC_ settings or none',
      });
    }
    // The Cloud API needs all four credentials; some without the others is a mistake worth stopping for.
    const set = WHATSAPP_CLOUD_KEYS.filter((k) => c[k] !== undefined);
    if (set.length > 0 && set.length < WHATSAPP_CLOUD_KEYS.length)
      for (const k of WHATSAPP_CLOUD_KEYS.filter((k) => c[k] === undefined))
        ctx.addIssue({ code: 'custom', path: [k], message: `is required with ${set.join(', ')}` });
  });

export type Config = Readonly<z.infer<typeof configSchema>>;

/** A setting that failed validation; the message names each variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ReadonlyArray<{ variable: string; message: string }>) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable} ${p.message}`).join('; ')}`);
  }
}

/**
 * Parses the environment once, at start. Empty strings count as unset.
 *
 *   const config = loadConfig(process.env); // throws ConfigError naming e.g. PORT
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  return Object.freeze(parsed.data);
}
