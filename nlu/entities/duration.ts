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
  eleven: 11,
  once: 11,
};

const AMOUNT = String.raw`(\d+(?:[.,]\d+)?|an?|another|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|couple of|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce)`;
// Single-letter units only after digits: "2h", "90m" — "i am" must not read as one minute.
const UNIT = String.raw`(minutes?|mins?|hours?|hrs?|days?|minutos?|horas?|dias?)`;
const EXTRA = String.raw`(?:(?:more|extra|additional|mas)\s)?`;

const ALL_DAY = /\b(all day|whole day|full day|entire day|todo el dia|el dia entero|dia completo)\b/;
// Fixed phrases, checked before numbers: "an hour and a half" is not "an hour".
const PHRASES: Array<[RegExp, number]> = [
  [/\b(?:(?:an?|one) )?hour and a half\b|\bone and a half hours?\b|\b(?:una )?hora y media\b/, 90],
  [/\b(?:an? |one )?hour and a quarter\b|\b(?:una )?hora y cuarto\b/, 75],
  [/\bthree quarters of an hour\b|\btres cuartos de hora\b/, 45],
  [/\b(?:a )?quarter of an hour\b|\b(?:un )?cuarto de hora\b/, 15],
  [/\bhalf an hour\b|\bhalf hour\b|\bmedia hora\b/, 30],
  [/\b(?:a )?couple (?:of )?hours\b|\bun par de horas\b/, 120],
];
// "1h30", "1 hour 30 minutes", "2 horas y 15 minutos".
const HOURS_AND_MINUTES =
  /\b(\d{1,2})\s?(?:h|hrs?|hours?|horas?)\s?(?:and\s|y\s)?(\d{1,2})(\s?(?:m|mins?|minutes?|minutos?))?\b/;
const FRACTION = String.raw`(?:\s(?:and a half|y media|and a quarter|y cuarto))`;
const AMOUNT_AND_UNIT = new RegExp(
  String.raw`\b(?:${AMOUNT}(${FRACTION})?\s?${EXTRA}${UNIT}|(\d+(?:[.,]\d+)?)\s?(h|m))${FRACTION}?\b`,
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
  for (const [pattern, minutes] of PHRASES) {
    const phrase = pattern.exec(folded);
    if (phrase) return { minutes, allDay: false, text: phrase[0] };
  }
  const compound = HOURS_AND_MINUTES.exec(folded);
  // Minutes without a unit only as a clock's quarters: "1h30" yes, "2 hours 9 to 11" no.
  if (compound && (compound[3] || ['15', '30', '45'].includes(compound[2] ?? ''))) {
    const minutes = Number(compound[1]) * 60 + Number(compound[2]);
    if (minutes > 0) return { minutes, allDay: false, text: compound[0] };
  }
  const match = AMOUNT_AND_UNIT.exec(folded);
  const amountWord = match?.[1] ?? match?.[4];
  const unit = match?.[3] ?? match?.[5];
  if (!match || amountWord === undefined || unit === undefined) return undefined;
  const before = folded.slice(0, match.index);
  if (STARTS_IN.test(before)) return undefined;
  // "at 9 h" or "las 9 h" is a clock time, not a length of stay.
  if (/^(h|m)$/.test(unit) && /\b(at|a las|las|from|desde)\s$/.test(before)) return undefined;
  const fraction = /(?:and a quarter|y cuarto)/.test(match[0])
    ? 0.25
    : /(?:and a half|y media)/.test(match[0])
      ? 0.5
      : 0;
  const minutes = Math.round((amountOf(amountWord) + fraction) * minutesPerUnit(unit));
  return Number.isFinite(minutes) && minutes > 0 ? { minutes, allDay: false, text: match[0] } : undefined;
}
