import type { Locale } from '../ports.ts';
import { en, type Messages } from './en.ts';
import { es } from './es.ts';

const BY_LOCALE: Record<Locale, Messages> = { en, es };

/** The bot's words in a language. */
export const messages = (locale: Locale): Messages => BY_LOCALE[locale];
export type { Messages };
