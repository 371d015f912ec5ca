/**
 * The intents the bot understands, in the exact names. `none` is everything that is not
 * about what this bot does (weather, banking, jokes…).
 *
 * @example
 * if (INTENTS.includes(label as Intent)) handle(label as Intent);
 */
export const INTENTS = [
  'find_parking',
  'book_parking',
  'cancel_booking',
  'extend_booking',
  'my_bookings',
  'pricing',
  'pay',
  'human_agent',
  'greet',
  'goodbye',
  'thanks',
  'affirm',
  'deny',
  'help',
  'delete_my_data',
  'none',
] as const;

export type Intent = (typeof INTENTS)[number];

/** Languages with a corpus of their own. */
export const LOCALES = ['en', 'es'] as const;

export type Locale = (typeof LOCALES)[number];

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value);
}
