/**
 * The web chat protocol between the widget (or any other front end) and the server, on the
 * socket.io namespace `/chat`. One zod schema per event; the browser imports the types only.
 *
 *   client → server   connect with auth { token? }         (a stored session token, if any)
 *   server → client   session  { token, conversationId }   (a new token when none or invalid)
 *   server → client   history  { activities: Activity[] }  (recent transcript, on reconnect)
 *   client → server   message  { text } | { value }        (typed text, or a button's value)
 *   server → client   activity Activity                    (a bot or agent message)
 *   server → client   typing   { name? }                   (the bot is working on a reply, or agent `name` writes)
 *   server → client   notice   { code, message }           (rate limited, too long, …)
 *   server → client   facility.free { facilityId, free, total }  (live count for a facility on a card)
 */
import { z } from 'zod';
import { attachmentSchema, suggestedActionSchema } from '../../bot/index.ts';

export const CHAT_NAMESPACE = '/chat';
export const MAX_TEXT_LENGTH = 2000;

export {
  BOOKING_SUMMARY,
  FACILITY_LIST,
  LOCATION_REQUEST,
  actionsOf,
  attachmentSchema,
  toCardAction,
  type ChatAttachment,
  type FacilityCardItem,
  type OpenUrlAction,
  type PostBackAction,
  type RequestLocationAction,
  type SuggestedAction,
} from '../../bot/index.ts';

export const activitySchema = z.object({
  id: z.string(),
  type: z.literal('message'),
  /** who wrote it: the bot, a support agent, or (in history) the driver */
  from: z.enum(['bot', 'agent', 'driver']).default('bot'),
  /** the support agent's display name, on an agent's message */
  name: z.string().max(80).optional(),
  text: z.string().optional(),
  suggestedActions: z.array(suggestedActionSchema).optional(),
  attachments: z.array(attachmentSchema).optional(),
  /** ISO-8601 */
  timestamp: z.string(),
  locale: z.string().optional(),
});

export const clientMessageSchema = z.union([
  z
    .object({
      text: z
        .string()
        .min(1)
        .max(MAX_TEXT_LENGTH * 5),
    })
    .strict(),
  z.object({ value: z.string().min(1).max(500) }).strict(),
]);

export const sessionSchema = z.object({ token: z.string(), conversationId: z.string() });
export const historySchema = z.object({ activities: z.array(activitySchema) });
export const noticeSchema = z.object({ code: z.string(), message: z.string() });
export const facilityFreeSchema = z.object({
  facilityId: z.string(),
  free: z.number().int(),
  total: z.number().int(),
});

export type ChatActivity = z.infer<typeof activitySchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type Session = z.infer<typeof sessionSchema>;
export type History = z.infer<typeof historySchema>;
export type Notice = z.infer<typeof noticeSchema>;
export type FacilityFree = z.infer<typeof facilityFreeSchema>;

/** Typed socket.io events, for `Server<ClientToServer, ServerToClient>` and `Socket<ServerToClient, ClientToServer>`. */
export interface ServerToClientEvents {
  session: (s: Session) => void;
  history: (h: History) => void;
  activity: (a: ChatActivity) => void;
  typing: (t: { name?: string }) => void;
  notice: (n: Notice) => void;
  'facility.free': (f: FacilityFree) => void;
}
export interface ClientToServerEvents {
  message: (m: ClientMessage) => void;
}
