import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';
import { redactUrl } from './logger.ts';

/**
 * Opens Redis connections for REDIS_URL. Each caller gets its own connection (pub/sub needs one
 * per subscriber); all are closed together. Errors are logged once per burst, never thrown at
 * the event loop; ioredis reconnects by itself. Commands issued in the same event-loop tick on a
 * connection (many conversations' turns at once) go out as one pipeline: one write and one read
 * instead of one each (ioredis's auto-pipelining; a subscriber connection has nothing to batch).
 */
export function redisConnections(url: string, logger: Logger) {
  const open: Redis[] = [];
  return {
    connect(purpose: string, options: { subscriber?: boolean } = {}): Redis {
      const client = new Redis(url, {
        connectionName: `spp:${purpose}`,
        maxRetriesPerRequest: 3,
        enableAutoPipelining: !options.subscriber,
      });
      let reported = false;
      client.on('error', (e: Error) => {
        if (!reported)
          logger.warn({ purpose, redis: redactUrl(url), err: e.message }, 'Redis connection problem');
        reported = true;
      });
      client.on('ready', () => (reported = false));
      open.push(client);
      return client;
    },
    /** each open connection's purpose and ioredis status ('ready' when usable) */
    states(): Array<{ purpose: string; status: string }> {
      return open.map((c) => ({
        purpose: (c.options.connectionName ?? '').replace(/^spp:/, ''),
        status: c.status,
      }));
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
