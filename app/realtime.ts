import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server as SocketServer } from 'socket.io';
import type { PlatformContext } from './module.ts';

/**
 * The socket.io server shared by every namespace (`/chat`, `/live`, …). With REDIS_URL, events
 * fan out to clients connected to any instance through the Redis adapter.
 */
export function createRealtime(http: HttpServer, ctx: PlatformContext): SocketServer {
  const io = new SocketServer(http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 20_000,
    pingTimeout: 20_000,
    cors: {
      origin: ctx.config.WIDGET_ORIGINS.includes('*') ? true : [...ctx.config.WIDGET_ORIGINS],
      credentials: false,
    },
  });
  const pub = ctx.redis('socket.io-pub');
  const sub = ctx.redis('socket.io-sub', { subscriber: true });
  if (pub && sub) io.adapter(createAdapter(pub, sub));
  return io;
}
