import type { Intent, Locale } from './intents.ts';

/** A car park as the caller knows it; `aliases` are other names drivers use for it. */
export interface FacilityRef {
  id: string;
  name: string;
  aliases: string[];
}

/** The facility a message names, with how closely it matched (1 = exact). */
export interface FacilityMatch {
  id: string;
  name: string;
  /** The words of the message that matched. */
  matched: string;
  score: number;
}

/**
 * A time phrase resolved to instants (UTC `Date`s) in the caller's time zone, relative to `now`.
 * `start` is absent for "until half past six" (the dialogue assumes "from now"); `end` is absent
 * when only a start was said.
 */
export interface TimeEntity {
  start?: Date;
  end?: Date;
  /** True when only a day was said ("tomorrow"): `start` is that day's first minute, or now if today. */
  dateOnly?: boolean;
  /**
   * True when times were said without a day ("10 to 12", "at 9"). A range is then on the reference
   * day even if it has passed; a single time moves on to its next occurrence. Either way a day
   * given earlier in the conversation should replace it.
   */
  noDay?: boolean;
  /** True when the start has passed ("this afternoon" said at 18:00): say so and offer the next one. */
  passed?: boolean;
  /** The phrase as understood (normalised; for Spanish, after translation of time words). */
  text: string;
}

export type SpaceKind = 'ev' | 'accessible' | 'motorcycle' | 'family' | 'oversize';

export interface Entities {
  facility?: FacilityMatch;
  /** Landmark text ("stadium", "Central Station") for geocoding against facility addresses. */
  place?: string;
  time?: TimeEntity;
  /** Said explicitly ("90 minutes", "2 hours"); "all day" is 1440 with `allDay`. */
  durationMinutes?: number;
  allDay?: boolean;
  /** Upper-case, separators removed: "AB12CDE". */
  plate?: string;
  spaceKind?: SpaceKind;
  /** A numbered space the driver names ("is space 9 free", "bay B1-009"), upper case. */
  spaceNumber?: string;
  /** Upper-case, separators removed: "PK7F3K9Q". */
  bookingReference?: string;
}

export interface IntentScore {
  intent: Intent;
  score: number;
}

export interface NluResult {
  intent: Intent;
  /**
   * The classifier's real probability for its best class (never a made-up 1). When `intent` is
   * `none` because the best parking intent was too weak, this is that weak score.
   */
  score: number;
  locale: Locale;
  entities: Entities;
  /** Set when the two best intents are too close to choose: the dialogue should ask. */
  ambiguous?: [Intent, Intent];
  /** The three best classes with their scores, best first (for logs and the dialogue's fallbacks). */
  ranking: IntentScore[];
}

export interface ClassifyOptions {
  /** Fixes the language; otherwise it is detected. */
  locale?: Locale;
  /**
   * The conversation's language so far: kept when the message's own words don't settle it
   * ("kx tmrw 9 til 11" after English turns is English, whatever trigrams guess).
   */
  languageHint?: Locale;
  /** Reference instant for relative times ("tomorrow"); defaults to the current time. */
  now?: Date;
  /** IANA zone the driver's times are in, e.g. "Europe/London"; defaults to UTC. */
  timeZone?: string;
}
