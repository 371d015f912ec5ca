import { formatBanner } from './banner.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger, isPretty } from './logger.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  for (const p of e.problems) console.error(`configuration error: ${p.variable} ${p.message}`);
  process.exit(1);
}
const logger = createLogger(config.LOG_LEVEL, config.LOG_FORMAT);
process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
const forPeople = isPretty(config.LOG_FORMAT);

// Tracing starts before the platform's modules are imported, so it can wrap http, express, pg and
// ioredis; without an endpoint the OpenTelemetry SDK is never loaded.
let stopTracing = async () => {};
if (config.OTEL_EXPORTER_OTLP_ENDPOINT) {
  const { startTracing } = await import('./tracing.ts');
  stopTracing = startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME,
  });
  logger.info({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT }, 'OpenTelemetry tracing on');
}
const { startPlatform } = await import('./platform.ts');

let generatedKey: string | undefined;
const platform = await startPlatform(config, logger, {
  // A person at a terminal sees a new key once, in the banner; machine logs never carry it.
  onGeneratedApiKey: (key, file) => {
    if (forPeople) generatedKey = key;
    else logger.warn({ file }, 'a new API key was generated; it is kept in the data directory');
  },
}).catch((e: unknown) => {
  logger.fatal({ err: e }, e instanceof Error ? e.message : 'start-up failed');
  // The log line is for machines; a person starting it by hand should read the reason plainly.
  process.stderr.write(
    `\n  smart-parking-platform could not start:\n  ${e instanceof Error ? e.message : String(e)}\n\n`,
  );
  process.exit(1);
});

if (forPeople) process.stdout.write(formatBanner(platform.banner, generatedKey ? { generatedKey } : {}));
else logger.info({ where: Object.fromEntries(platform.banner) }, 'where to find it');

let stoppingSince = 0;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stoppingSince) {
      // npm and tsx relay the terminal's Ctrl-C too, so one key press can arrive twice: only a
      // signal that comes later, while shutdown is still under way, means "stop now".
      if (Date.now() - stoppingSince < 2000) return;
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'shutting down');
    platform
      .close()
      .then(() => stopTracing().catch(() => {}))
      .then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
  });
}
