/**
 * The web chat protocol as the widget sees it: types only, from the server's channel, so the
 * compiler checks both sides against one definition while nothing of zod reaches the bundle.
 * This is the one file that knows where the protocol lives.
 */
import type {
  BOOKING_SUMMARY,
  CHAT_NAMESPACE as SERVER_CHAT_NAMESPACE,
  ChatAttachment,
  FACILITY_LIST,
  MAX_TEXT_LENGTH as SERVER_MAX_TEXT_LENGTH,
} from '../../channels/web/protocol.ts';

export type {
  ChatActivity,
  ChatAttachment,
  ClientMessage,
  ClientToServerEvents,
  FacilityCardItem,
  FacilityFree,
  History,
  Notice,
  ServerToClientEvents,
  Session,
  OpenUrlAction,
  PostBackAction,
  RequestLocationAction,
  SuggestedAction,
} from '../../channels/web/protocol.ts';

/** The socket.io namespace of the chat (typed against the server's constant). */
export const CHAT_NAMESPACE: typeof SERVER_CHAT_NAMESPACE = '/chat';
/** The longest text the server accepts as a message; the input is limited to it. */
export const MAX_TEXT_LENGTH: typeof SERVER_MAX_TEXT_LENGTH = 2000;

export type FacilityListContent = Extract<ChatAttachment, { contentType: typeof FACILITY_LIST }>['content'];
export type BookingSummaryContent = Extract<
  ChatAttachment,
  { contentType: typeof BOOKING_SUMMARY }
>['content'];
