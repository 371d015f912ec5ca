import { ActivityTypes, MessageFactory, type Activity, type TurnContext } from 'botbuilder';
import type { Driver } from '../booking-core/index.ts';
import {
  LOCATION_REQUEST,
  toCardAction,
  type ChatAttachment,
  type OpenUrlAction,
  type PostBackAction,
  type RequestLocationAction,
  type SuggestedAction,
} from './cards.ts';
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
/** the car park this turn was about (the booking under way), for the operators' funnel per car park */
export const FACILITY_OF_TURN = Symbol('parking.facility');
/** the stored conversation's id, set by the transcript middleware */
export const CONVERSATION_ID = Symbol('parking.conversation');

/**
 * Set when the bot asked for a person this turn (a handoff request was stored), so whoever tells
 * the driver they are queued need not look for a new request after every other turn.
 */
export const HANDOFF_REQUESTED = Symbol('parking.handoffRequested');

/**
 * Set by a channel runtime when it runs a turn again (after a state conflict): the driver's
 * message is already in the transcript and counted by the rate limit.
 */
export const REPLAYED_TURN = Symbol('parking.replayed');

export const setTurnInfo = (ctx: TurnContext, info: TurnInfo) => ctx.turnState.set(TURN_INFO, info);

export function turnInfo(ctx: TurnContext): TurnInfo {
  const info = ctx.turnState.get(TURN_INFO) as TurnInfo | undefined;
  if (!info) throw new Error('turn info is set by ParkingBot before dialogs run');
  return info;
}

/**
 * The driver's language for this turn, as well as it is known: what the bot understood, else the
 * driver's preferred language, else the channel's hint, else English. Safe to call when a turn
 * failed half-way (for an apology in the driver's language).
 */
export function turnLocale(ctx: TurnContext): Locale {
  const info = ctx.turnState.get(TURN_INFO) as TurnInfo | undefined;
  const driver = ctx.turnState.get(DRIVER) as Driver | undefined;
  const hint = info?.locale ?? driver?.preferredLanguage ?? ctx.activity.locale ?? 'en';
  return hint.toLowerCase().startsWith('es') ? 'es' : 'en';
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
      actions: buttons.map(toCardAction),
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

/** A button whose `value` comes back as the activity's value when pressed. */
export const button = (title: string, value: string): PostBackAction => ({ title, value });
/** A link button (e.g. a payment page); http(s) only. */
export const openUrl = (title: string, url: string): OpenUrlAction => ({ type: 'openUrl', title, url });
/** Asks for the driver's position; it comes back as the value `location:<lat>,<lng>`. */
export const requestLocation = (title: string): RequestLocationAction => ({ type: 'requestLocation', title });
export { LOCATION_REQUEST };

/** A waterfall's scratch values, typed loosely (botbuilder types them as `object`). */
export const vals = (step: { values: object }) => step.values as Record<string, unknown>;
