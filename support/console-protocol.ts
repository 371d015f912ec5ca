/**
 * The agents' console protocol, on the socket.io namespace `/agents` (authenticated by the
 * console's session cookie; operators are refused). One zod schema per client event; the
 * browser imports the types only.
 *
 *   server → client   queue          { handoffs: HandoffItem[] }        (waiting and active, on connect)
 *   server → client   handoff.changed { handoff: HandoffItem, change }  (requested, claimed, released, closed)
 *   server → client   handoff.message { handoffId, line, internal }     (driver, agent or note, live)
 *   server → client   driver.typing  { handoffId }
 *   server → client   agents.online  { agents: [{ id, displayName }] }
 *   server → client   facility.free  { facilityId, free, total }
 *   client → server   handoff.watch  { handoffId }                      (live lines of one conversation)
 *   client → server   facility.watch { facilityIds }                    (live counts of the driver's car parks)
 *   client → server   typing         { handoffId }                      (shown to the driver where the channel can)
 */
import { z } from 'zod';

export const AGENTS_NAMESPACE = '/agents';

export const watchHandoffSchema = z.object({ handoffId: z.uuid() }).strict();
export const watchFacilitiesSchema = z.object({ facilityIds: z.array(z.uuid()).max(20) }).strict();
export const typingSchema = z.object({ handoffId: z.uuid() }).strict();

/** A handoff as the console and the REST API show it (instants as ISO-8601). */
export interface HandoffItem {
  readonly id: string;
  readonly conversationId: string;
  readonly channel: string;
  readonly language: string | null;
  readonly status: 'waiting' | 'active' | 'released' | 'closed';
  readonly reason: string | null;
  readonly summary: string | null;
  readonly agent: { readonly id: string; readonly displayName: string } | null;
  readonly resolution: string | null;
  readonly rating: number | null;
  readonly createdAt: string;
  readonly takenAt: string | null;
  readonly closedAt: string | null;
}

export interface TranscriptItem {
  readonly id: string;
  readonly sender: 'driver' | 'bot' | 'agent' | 'system';
  readonly text: string | null;
  readonly value: string | null;
  readonly at: string;
}

export interface BookingItem {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly from: string;
  readonly to: string;
  readonly plate: string;
  readonly spaceCode: string;
  readonly spaceKind: string;
  readonly price: { readonly amountMinor: number; readonly currency: string };
  readonly facility: {
    readonly id: string;
    readonly name: string;
    readonly timeZone: string;
    readonly free: number;
    readonly total: number;
  } | null;
}

export interface HandoffDetailItem {
  readonly handoff: HandoffItem;
  readonly transcript: TranscriptItem[];
  readonly notes: Array<{ readonly agentId: string | null; readonly text: string; readonly at: string }>;
  readonly bookings: BookingItem[];
}

export type HandoffChange = 'requested' | 'claimed' | 'released' | 'closed';

export interface AgentsServerEvents {
  queue: (e: { handoffs: HandoffItem[] }) => void;
  'handoff.changed': (e: { handoff: HandoffItem; change: HandoffChange }) => void;
  'handoff.message': (e: { handoffId: string; line: TranscriptItem; internal: boolean }) => void;
  'driver.typing': (e: { handoffId: string }) => void;
  'agents.online': (e: { agents: Array<{ id: string; displayName: string }> }) => void;
  'facility.free': (e: { facilityId: string; free: number; total: number }) => void;
}

export interface AgentsClientEvents {
  'handoff.watch': (e: z.infer<typeof watchHandoffSchema>) => void;
  'facility.watch': (e: z.infer<typeof watchFacilitiesSchema>) => void;
  typing: (e: z.infer<typeof typingSchema>) => void;
}

/** What the console's page asks the server at start: who is signed in, and the CSRF token. */
export interface ConsoleSession {
  readonly agent: {
    readonly id: string;
    readonly email: string;
    readonly displayName: string;
    readonly role: 'agent' | 'admin' | 'operator';
  };
  readonly csrfToken: string;
  readonly expiresAt: string;
}

/** The header that carries the session's CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-csrf-token';
