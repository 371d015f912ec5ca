/**
 * A small stand-in for the real chat server, for the widget's browser tests: express serves the
 * demo page and the freshly built widget; a socket.io `/chat` namespace speaks the protocol with
 * scripted replies (see fake-bot-script.ts) and can be steered by the test. Node-only.
 */
import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Server as SocketServer, type Socket } from 'socket.io';
import { buildWidget } from '../build.ts';
import { demoPageHtml } from '../demo-page.ts';
import type {
  ChatActivity,
  ClientMessage,
  ClientToServerEvents,
  FacilityFree,
  Notice,
  ServerToClientEvents,
} from '../src/protocol.ts';
import { GREETING, replyToText, replyToValue, titleOf, type Reply } from './fake-bot-script.ts';

type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** The fake server, its records, and the handles a test pulls. */
export interface FakeChatServer {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** every message received, in order, with the token of the session that sent it */
  readonly received: Array<{ token: string; message: ClientMessage }>;
  /** the token each connection presented (`undefined`: none) */
  readonly presentedTokens: Array<string | undefined>;
  /** transcripts by session token */
  readonly transcripts: Map<string, ChatActivity[]>;
  /** whether a new session starts with the bot's greeting (the real server sends none) */
  greet: boolean;
  /** how long the bot "types" before replying */
  replyDelayMs: number;
  sendFacilityFree(update: FacilityFree): void;
  sendNotice(notice: Notice): void;
  /** sends a bot activity to every connected session (and records it) */
  push(reply: Reply): void;
  /** drops every connection at the transport level, as a network loss would */
  dropConnections(): void;
  /** while held, new connections wait (the widget shows it is reconnecting) */
  holdConnections(hold: boolean): void;
  close(): Promise<void>;
}

/**
 * Starts the fake server on a random port of 127.0.0.1.
 *
 * @example const fake = await startFakeChatServer(); await page.goto(fake.url);
 */
export async function startFakeChatServer(): Promise<FakeChatServer> {
  const widgetJs = await buildWidget({ sourcemap: true });
  const app = express();
  app.get('/', async (_req, res) => {
    res.type('html').send(await demoPageHtml());
  });
  app.get('/widget.js', (_req, res) => {
    res.type('text/javascript').send(widgetJs);
  });

  const http: HttpServer = createServer(app);
  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents>(http, {
    serveClient: false,
    cors: { origin: true, credentials: false },
  });
  const chat = io.of('/chat');
  const received: FakeChatServer['received'] = [];
  const presentedTokens: FakeChatServer['presentedTokens'] = [];
  const transcripts = new Map<string, ChatActivity[]>();
  const tokenOf = new Map<string, string>(); // socket id → token
  let held: Array<() => void> | undefined;
  let seq = 0;

  const activity = (reply: Reply, from: ChatActivity['from'] = 'bot'): ChatActivity => ({
    ...(reply as ChatActivity),
    id: `a-${++seq}`,
    type: 'message',
    from,
    timestamp: new Date().toISOString(),
  });
  const say = (socket: ChatSocket, token: string, reply: Reply) => {
    const a = activity(reply);
    transcripts.get(token)?.push(a);
    socket.emit('activity', a);
  };

  chat.use((_socket, next) => {
    if (held) held.push(() => next());
    else next();
  });

  chat.on('connection', (socket: ChatSocket) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const presented = typeof auth.token === 'string' ? auth.token : undefined;
    presentedTokens.push(presented);
    const known = presented !== undefined && transcripts.has(presented);
    const token = known ? presented : `tok-${++seq}-${Math.random().toString(36).slice(2)}`;
    tokenOf.set(socket.id, token);
    socket.emit('session', { token, conversationId: `conv-${token}` });
    if (known) {
      socket.emit('history', { activities: transcripts.get(token) ?? [] });
    } else {
      transcripts.set(token, []);
      if (fake.greet) say(socket, token, GREETING);
    }

    socket.on('message', (message) => {
      received.push({ token, message });
      const transcript = transcripts.get(token) ?? [];
      const shown = 'text' in message ? message.text : titleOf(message.value, transcript);
      transcript.push(activity({ text: shown }, 'driver'));
      socket.emit('typing', {});
      const reply = 'text' in message ? replyToText(message.text) : replyToValue(message.value);
      setTimeout(() => say(socket, token, reply), fake.replyDelayMs);
    });
    socket.on('disconnect', () => tokenOf.delete(socket.id));
  });

  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;

  const fake: FakeChatServer = {
    url: `http://127.0.0.1:${port}`,
    received,
    presentedTokens,
    transcripts,
    greet: true,
    replyDelayMs: 400,
    sendFacilityFree: (update) => chat.emit('facility.free', update),
    sendNotice: (notice) => chat.emit('notice', notice),
    push(reply) {
      for (const socket of chat.sockets.values()) say(socket, tokenOf.get(socket.id) ?? '', reply);
    },
    dropConnections() {
      for (const socket of chat.sockets.values()) socket.conn.close();
    },
    holdConnections(hold) {
      if (hold) {
        held ??= [];
        return;
      }
      const waiting = held ?? [];
      held = undefined;
      for (const release of waiting) release();
    },
    async close() {
      await io.close();
      http.closeAllConnections();
    },
  };
  return fake;
}
