import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** `auto`: readable lines on a terminal, JSON lines otherwise (containers, files, pipes). */
export type LogFormat = 'auto' | 'pretty' | 'json';

/** Whether logs come out as readable lines: `pretty`, or `auto` with stdout on a terminal. */
export const isPretty = (format: LogFormat, stdoutIsTty = Boolean(process.stdout.isTTY)): boolean =>
  format === 'pretty' || (format === 'auto' && stdoutIsTty);

/**
 * Logs on stdout: JSON lines for machines, or pino-pretty's coloured lines for a person at a
 * terminal (formatted in-process, no worker thread). Anything that might carry a secret is
 * redacted at the source, so a careless `log.info({ req })` cannot leak a key or token.
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
