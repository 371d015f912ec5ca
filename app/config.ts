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

/** Every environment variable the platform reads, with its default. Nothing else reads process.env. */
export const configSchema = z.object({
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
