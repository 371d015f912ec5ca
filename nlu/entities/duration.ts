import { foldCase } from '../text/normalise.ts';

export interface Duration {
  minutes: number;
  allDay: boolean;
  /** Where the phrase sits in the folded text, so time parsing can leave it alone. */
  text: string;
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
  another: 1,
  couple: 2,
  un: 1,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  doce: 12,
};

const AMOUNT = String.raw`(\d+(?:[.,]\d+)?|an?|another|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a couple of|couple of|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|doce)`;
// Single-letter units only after digits: "2h", "90m" — "i am" must not read as one minute.
const UNIT = String.raw`(minutes?|mins?|hours?|hrs?|days?|minutos?|horas?|dias?)`;
const EXTRA = String.raw`(?:(?:more|extra|additional|mas)\s)?`;

const ALL_DAY = /\b(all day|whole day|full day|entire day|todo el dia|el dia entero|dia completo)\b/;
const HOUR_AND_HALF = /\b(an? hour and a half|one and a half hours?|una hora y media|hora y media)\b/;
const HALF_HOUR = /\b(half an hour|half hour|media hora)\b/;
const AMOUNT_AND_UNIT = new RegExp(
  String.raw`\b(?:${AMOUNT}\s?${EXTRA}${UNIT}|(\d+(?:[.,]\d+)?)\s?(h|m))(?:\s(?:and a half|y media))?\b`,
);
// "in 2 hours" is when the stay starts, not how long it lasts.
const STARTS_IN = /\b(in|en|within|dentro de)\s$/;

function amountOf(word: string): number {
  const key = word.replace(/^(a )?couple of$/, 'couple');
  return NUMBER_WORDS[key] ?? Number(word.replace(',', '.'));
}

function minutesPerUnit(unit: string): number {
  if (/^(d|dia)/.test(unit)) return 24 * 60;
  if (/^(h|hr|hora)/.test(unit)) return 60;
  return 1;
}

/**
 * A stay length said outright: "90 minutes", "2 hours", "hora y media", "all day".
 *
 * @example
 * findDuration('from 3pm for 2 hours') // { minutes: 120, allDay: false, text: '2 hours' }
 */
export function findDuration(text: string): Duration | undefined {
  const folded = foldCase(text);
  const allDay = ALL_DAY.exec(folded);
  if (allDay) return { minutes: 24 * 60, allDay: true, text: allDay[0] };
  const hourAndHalf = HOUR_AND_HALF.exec(folded);
  if (hourAndHalf) return { minutes: 90, allDay: false, text: hourAndHalf[0] };
  const half = HALF_HOUR.exec(folded);
  if (half) return { minutes: 30, allDay: false, text: half[0] };
  const match = AMOUNT_AND_UNIT.exec(folded);
  const amountWord = match?.[1] ?? match?.[3];
  const unit = match?.[2] ?? match?.[4];
  if (!match || amountWord === undefined || unit === undefined) return undefined;
  const before = folded.slice(0, match.index);
  if (STARTS_IN.test(before)) return undefined;
  // "at 9 h" or "las 9 h" is a clock time, not a length of stay.
  if (/^(h|m)$/.test(unit) && /\b(at|a las|las|from|desde)\s$/.test(before)) return undefined;
  const amount = amountOf(amountWord) + (/(and a half|y media)$/.test(match[0]) ? 0.5 : 0);
  const minutes = Math.round(amount * minutesPerUnit(unit));
  return Number.isFinite(minutes) && minutes > 0 ? { minutes, allDay: false, text: match[0] } : undefined;
}
