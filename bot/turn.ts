import { ActivityTypes, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Driver } from '../booking-core/index.ts';
import type { ChatAttachment, SuggestedAction } from './cards.ts';
import { messages, type Messages } from './messages/index.ts';
import type { Locale, Understood } from './ports.ts';

/** What the bot learnt about this turn before any dialog runs. */
export interface TurnInfo {
  readonly driver: Driver;
  readonly locale: Locale;
  readonly now: Date;
  readonly timeZone: string;
  /** the message text, trimmed and limited in length ('' for a button press) */
  readonly text: string;
  /** a pressed button's value, e.g. "facility:<id>" */
  readonly value: string | null;
  readonly understood: Understood;
  readonly conversationId: string | null;
}

const TURN_INFO = Symbol('parking.turn');
/** set when the driver's data was erased this turn, so nothing more is recorded about them */
export const ERASED = Symbol('parking.erased');
/** the driver behind this turn, set by the identity middleware */
export const DRIVER = Symbol('parking.driver');
/** the stored conversation's id, set by the transcript middleware */
export const CONVERSATION_ID = Symbol('parking.conversation');

export const setTurnInfo = (ctx: TurnContext, info: TurnInfo) => ctx.turnState.set(TURN_INFO, info);

export function turnInfo(ctx: TurnContext): TurnInfo {
  const info = ctx.turnState.get(TURN_INFO) as TurnInfo | undefined;
  if (!info) throw new Error('turn info is set by ParkingBot before dialogs run');
  return info;
}

export const say = (ctx: TurnContext): Messages => messages(turnInfo(ctx).locale);

/** A message with optional buttons and cards, in the channel-neutral form every adapter renders. */
export function reply(
  text: string,
  buttons: readonly SuggestedAction[] = [],
  cards: readonly ChatAttachment[] = [],
): Partial<Activity> {
  const activity = MessageFactory.text(text);
  if (buttons.length) {
    activity.suggestedActions = {
      to: [],
      actions: buttons.map((b) => ({ type: 'postBack', title: b.title, value: b.value })),
    };
  }
  if (cards.length)
    activity.attachments = cards.map((c) => ({ contentType: c.contentType, content: c.content }));
  activity.type = ActivityTypes.Message;
  return activity;
}

/** Button values are "<kind>:<payload>"; this splits one. */
export function parseValue(value: string | null): { kind: string; payload: string } | null {
  if (!value) return null;
  const i = value.indexOf(':');
  return i > 0 ? { kind: value.slice(0, i), payload: value.slice(i + 1) } : { kind: value, payload: '' };
}

export const button = (title: string, value: string): SuggestedAction => ({ title, value });

/** A waterfall's scratch values, typed loosely (botbuilder types them as `object`). */
export const vals = (step: { values: object }) => step.values as Record<string, unknown>;
