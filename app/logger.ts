import { pino, symbols, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { logContext } from './log-context.ts';

export type { Logger };

/** `auto`: readable lines on a terminal, JSON lines otherwise (containers, files, pipes). */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Whether logs come out as readable lines: `pretty`, or `auto` with stdout on a terminal. */
export const isPretty = (format: LogFormat, stdoutIsTty = Boolean(process.stdout.isTTY)): boolean =>
  format === 'pretty' || (format === 'auto' && stdoutIsTty);

/**
 * Logs on stdout: JSON lines for machines, or pino-pretty's coloured lines for a person at a
 * terminal (formatted in-process, no worker thread). Anything that might carry a secret is
 * redacted at the source, so a careless `log.info({ req })` cannot leak a key or token. Every line
 * carries the ids of the request or chat turn it was written in (`withLogContext`).
 *
 *   const logger = createLogger('info', 'auto');
 */
export function createLogger(
  level: string,
  format: LogFormat = 'json',
  destination?: DestinationStream,
): Logger {
  const stream =
    destination ??
    (isPretty(format)
      ? pretty({
          sync: true,
          colorize: Boolean(process.stdout.isTTY),
          translateTime: 'HH:MM:ss',
          ignore: 'pid,hostname,service',
        })
      : undefined);
  const options = {
    level,
    base: { service: 'smart-parking-platform' },
    mixin: contextIds,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'authorization',
        '*.apiKey',
        '*.token',
        '*.password',
        '*.secret',
        'config.API_KEYS',
        'config.DATABASE_URL',
      ],
      censor: '[redacted]',
    },
  };
  return stream ? pino(options, stream) : pino(options);
}

/**
 * The log context's ids for one line, minus those the logger already binds (pino-http's request
 * logger binds `requestId`), so no key appears twice in a line.
 */
function contextIds(_line: object, _level: number, logger: Logger): object {
  const ids = logContext();
  const bound = (logger as unknown as Record<symbol, string>)[symbols.chindingsSym] ?? '';
  for (const key of Object.keys(ids) as Array<keyof typeof ids>)
    if (bound.includes(`"${key}":`)) delete ids[key];
  return ids;
}

/** A connection string with its password replaced, for messages. */
export const redactUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
};
