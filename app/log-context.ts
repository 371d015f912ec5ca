import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids every log line written while handling one request or chat turn carries. */
export interface LogContext {
  /** the HTTP request's id (its `X-Request-Id`) */
  requestId?: string;
  /** the channel of a chat turn, and the channel's own conversation id */
  channel?: string;
  conversationId?: string;
  /** the booking the request or turn is about, once it is known */
  bookingId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` with `fields` added to the log context, which follows everything `fn` starts (awaits,
 * timers, callbacks), so a line logged deep in booking-core during a chat turn still names the
 * conversation.
 *
 *   await withLogContext({ channel: 'web', conversationId }, () => runtime.handle(message));
 */
export const withLogContext = <T>(fields: LogContext, fn: () => T): T =>
  storage.run({ ...storage.getStore(), ...fields }, fn);

/** Adds ids learnt along the way (the booking a turn made) to the current context, if there is one. */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/** The current context's ids ({} outside any request or turn), as a fresh object. */
export const logContext = (): LogContext => ({ ...storage.getStore() });
