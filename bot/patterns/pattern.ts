import type { Intent } from '../ports.ts';
import type { Question } from './questions.ts';

/**
 * Conversation patterns (after Rasa CALM's): what a message means for the flow in progress,
 * decided once, before any prompt reads it.
 * - `cancel`: leave the flow ("stop", "forget it", "cancela").
 * - `handoff`: a person is asked for; the flow ends.
 * - `switch`: another flow replaces this one, and the bot says so ("delete my data").
 * - `digression`: a question answered in one reply, then the flow's question is asked again.
 * - `chitchat`: small talk answered, then the question again.
 * - `goodbye`: the driver is leaving.
 * - `cannotHandle`: clearly about something else ("tell me a joke"): said so, then the question again.
 * - `fill`: the flow takes it — an answer, a detail for another slot, or a correction.
 */
export type Pattern =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'handoff' }
  | { readonly kind: 'switch'; readonly intent: Intent }
  | { readonly kind: 'digression'; readonly question?: Question; readonly intent?: Intent }
  | { readonly kind: 'chitchat'; readonly intent: Intent }
  | { readonly kind: 'goodbye' }
  | { readonly kind: 'cannotHandle' }
  | { readonly kind: 'fill' };
