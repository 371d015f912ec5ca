/**
 * The agents' console protocol as the browser sees it: types only, from the server's support
 * module, so nothing of zod reaches the bundle.
 */
import type {
  AGENTS_NAMESPACE as SERVER_NAMESPACE,
  CSRF_HEADER as SERVER_CSRF_HEADER,
} from '../../support/console-protocol.ts';

export type {
  AgentsClientEvents,
  AgentsServerEvents,
  BookingItem,
  ConsoleSession,
  HandoffDetailItem,
  HandoffItem,
  TranscriptItem,
} from '../../support/console-protocol.ts';

export const AGENTS_NAMESPACE: typeof SERVER_NAMESPACE = '/agents';
export const CSRF_HEADER: typeof SERVER_CSRF_HEADER = 'x-csrf-token';
