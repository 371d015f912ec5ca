import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs on stdout. Anything that might carry a secret is redacted at the source, so a
 * careless `log.info({ req })` cannot leak a key or token.
 */
export function createLogger(level: string): Logger {
  return pino({
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
  });
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
