import type { Redis } from 'ioredis';

import type { Intent, Locale } from '../nlu/index.ts';

export { INTENTS, type Intent, type Locale } from '../nlu/index.ts';

/** What the bot understood of one message: intent, language and the details a booking needs. */
export interface Understood {
  readonly intent: Intent;
  readonly score: number;
  readonly locale: Locale;
  /** the two best intents were too close to call */
  readonly ambiguous?: readonly [Intent, Intent];
  readonly entities: {
    readonly facility?: { readonly id: string; readonly name: string };
    /** a landmark, "the stadium", for matching against facility names and addresses */
    readonly place?: string;
    /** `dateOnly`: only a day was said ("tomorrow"); `start` is then that day's midnight */
    readonly time?: { readonly start?: Date; readonly end?: Date; readonly dateOnly?: boolean };
    readonly durationMinutes?: number;
    readonly plate?: string;
    readonly spaceKind?: 'ev' | 'accessible' | 'motorcycle' | 'family' | 'oversize';
    readonly bookingReference?: string;
    /** a numbered space ("is space 9 free"): its number or code as said */
    readonly spaceNumber?: string;
  };
}

/**
 * The bot's port to natural-language understanding (implemented over `nlu/` in app wiring).
 *
 *   const u = await understanding.classify('book me a space tomorrow 9-11', { now, timeZone: 'Europe/London' });
 */
export interface Understanding {
  classify(
    text: string,
    options: { locale?: Locale; languageHint?: Locale; now: Date; timeZone: string },
  ): Promise<Understood>;
  /** facility names and aliases the NLU should recognise */
  setFacilities(facilities: ReadonlyArray<{ id: string; name: string; aliases: readonly string[] }>): void;
}

/** Counts messages per key in fixed one-minute windows. */
export interface RateLimiter {
  /** how many messages `key` has sent in the current window, including this one */
  hit(key: string, now: Date): Promise<{ count: number; windowEndsAt: Date }>;
}

export type RedisFactory = (purpose: string) => Redis | null;
