import { io, type Socket } from 'socket.io-client';
import { asActivity, asHistory, isFacilityFree, isNotice, isSession } from './guards.ts';
import {
  CHAT_NAMESPACE,
  type ChatActivity,
  type ClientMessage,
  type ClientToServerEvents,
  type FacilityFree,
  type Notice,
  type ServerToClientEvents,
  type Session,
} from './protocol.ts';
import type { SessionStore } from './session-store.ts';

/** What the driver should know about the link to the server. */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unavailable';

/** What the widget does with each server event, after its shape has been checked. */
export interface ChatHandlers {
  status(status: ConnectionStatus): void;
  /** after the token is stored; a new `conversationId` means the server started afresh */
  session(session: Session): void;
  history(activities: ChatActivity[]): void;
  activity(activity: ChatActivity): void;
  /** the bot is working on a reply, or the agent `name` is writing one */
  typing(name?: string): void;
  notice(notice: Notice): void;
  facilityFree(update: FacilityFree): void;
}

/** An open chat session with the server. */
export interface ChatConnection {
  /** Sends a message; `false` (and nothing sent) while not connected, so nothing is lost silently. */
  send(message: ClientMessage): boolean;
  close(): void;
}

const RETRY_MS = [5_000, 15_000, 60_000];

/**
 * Connects to the `/chat` namespace of `server`, presenting the stored token; the server answers
 * with `session` (a new token when it had none or an invalid one), which replaces the stored one.
 * socket.io reconnects by itself after network loss; this adds retries for the cases it leaves to
 * the application (the server refused or closed the connection on purpose).
 *
 * @example const chat = connectChat('https://park.example', browserSessionStore(origin), handlers)
 */
export function connectChat(server: string, store: SessionStore, on: ChatHandlers): ChatConnection {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server + CHAT_NAMESPACE, {
    // a function, so every reconnect presents the latest token rather than the first one
    auth: (cb) => {
      const token = store.token();
      cb(token ? { token } : {});
    },
    // WebSocket first: it needs no sticky sessions when several instances sit behind a balancer;
    // long-polling stays as the fallback for networks that block WebSockets
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
    withCredentials: false,
  });
  let connectedOnce = false;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const retryLater = () => {
    clearTimeout(retry);
    retry = setTimeout(() => socket.connect(), RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)]);
  };

  on.status('connecting');
  socket.on('connect', () => {
    connectedOnce = true;
    failures = 0;
    on.status('connected');
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return;
    on.status('reconnecting');
    if (reason === 'io server disconnect') retryLater();
  });
  socket.on('connect_error', (error) => {
    if (socket.active) {
      on.status(connectedOnce ? 'reconnecting' : 'connecting');
      return;
    }
    // refused by the server, e.g. an origin missing from WIDGET_ORIGINS: tell the site's developer
    if (failures === 0) console.warn(`[parking chat] ${error.message}`);
    on.status('unavailable');
    retryLater();
  });

  socket.on('session', (s) => {
    if (!isSession(s)) return;
    store.setToken(s.token);
    on.session(s);
  });
  socket.on('history', (h) => on.history(asHistory(h)));
  socket.on('activity', (a) => {
    const activity = asActivity(a);
    if (activity) on.activity(activity);
  });
  socket.on('typing', (t) => {
    const name = typeof t?.name === 'string' && t.name.trim() ? t.name.trim().slice(0, 80) : undefined;
    on.typing(name);
  });
  socket.on('notice', (n) => {
    if (isNotice(n)) on.notice(n);
  });
  socket.on('facility.free', (f) => {
    if (isFacilityFree(f)) on.facilityFree(f);
  });

  return {
    send(message) {
      if (!socket.connected) return false;
      socket.emit('message', message);
      return true;
    },
    close() {
      clearTimeout(retry);
      socket.disconnect();
    },
  };
}
