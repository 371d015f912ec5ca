import type { Intent, Understood } from '../ports.ts';
import type { Pattern } from './pattern.ts';
import { isPaymentDispute } from './payment-dispute.ts';
import { askedQuestion, wantsToLeave } from './questions.ts';

export { isPaymentDispute } from './payment-dispute.ts';
export { askedQuestion, wantsToLeave, type Question } from './questions.ts';
export { aboutDraft, patternOfButton } from './flow-context.ts';
export type { Pattern } from './pattern.ts';

/** What the active flow is and what it waits for. */
export interface FlowState {
  /** the root dialog's id: 'booking', 'cancel', 'extend', 'deleteData' */
  readonly flow: string;
}

const hasDetails = (e: Understood['entities']) =>
  Boolean(
    e.facility ||
    e.place ||
    e.time?.start ||
    e.time?.end ||
    e.durationMinutes ||
    e.plate ||
    e.spaceKind ||
    e.bookingReference,
  );

/**
 * A sentence the NLU is sure is about something else ("what's the weather like"), with no detail
 * a flow could use. Short replies ("idk", "the usual") stay with the flow, which asks again.
 */
export const isClearlyElsewhere = (u: Understood, text: string) =>
  u.intent === 'none' && u.score >= 0.9 && !hasDetails(u.entities) && text.trim().split(/\s+/).length >= 3;

const SWITCHES: ReadonlySet<Intent> = new Set(['delete_my_data', 'cancel_booking', 'extend_booking']);
const DIGRESSIONS: ReadonlySet<Intent> = new Set(['help', 'my_bookings', 'pricing', 'pay']);
const CHITCHAT: ReadonlySet<Intent> = new Set(['greet', 'thanks']);

/**
 * Classifies a message received while a flow is running.
 *
 *   detectPattern(understood('stop'), 'stop', { flow: 'booking' }) → { kind: 'cancel' }
 */
export function detectPattern(u: Understood, text: string, state: FlowState): Pattern {
  if (!text) return { kind: 'fill' }; // a pressed button belongs to the flow (intent buttons are routed before)
  if (wantsToLeave(text)) return { kind: 'cancel' };
  if (u.intent === 'human_agent') return { kind: 'handoff' };
  // A payment dispute is for a person whatever the flow was asking; the payment answer hands over.
  if (isPaymentDispute(text)) return { kind: 'switch', intent: 'pay' };
  const question = askedQuestion(text, u);
  const details = hasDetails(u.entities);
  if (question && /\?|^(is|are|how|any|what|when|cu[aá]n|hay|qu[eé]|est[aá])\b/i.test(text))
    return { kind: 'digression', question };
  if (details) {
    if (u.intent === 'cancel_booking' && u.entities.bookingReference)
      return { kind: 'switch', intent: 'cancel_booking' };
    return question && !['booking'].includes(state.flow)
      ? { kind: 'digression', question }
      : { kind: 'fill' };
  }
  if (u.ambiguous) return { kind: 'fill' };
  if (u.intent === 'cancel_booking' && state.flow !== 'cancel') return { kind: 'cancel' };
  if (u.intent === 'goodbye') return { kind: 'goodbye' };
  if (SWITCHES.has(u.intent) && u.intent !== flowIntent(state.flow))
    return { kind: 'switch', intent: u.intent };
  if (question) return { kind: 'digression', question };
  if (DIGRESSIONS.has(u.intent)) return { kind: 'digression', intent: u.intent };
  if (CHITCHAT.has(u.intent) && u.score >= 0.7) return { kind: 'chitchat', intent: u.intent };
  if (isClearlyElsewhere(u, text)) return { kind: 'cannotHandle' };
  return { kind: 'fill' };
}

const FLOW_INTENT: Record<string, Intent> = {
  booking: 'book_parking',
  cancel: 'cancel_booking',
  extend: 'extend_booking',
  deleteData: 'delete_my_data',
};
const flowIntent = (flow: string): Intent | undefined => FLOW_INTENT[flow];
