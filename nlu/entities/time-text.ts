import type { Locale } from '../intents.ts';
import { foldCase, normaliseWords } from '../text/normalise.ts';

// chrono-node reads English best, and its Spanish parser misses ranges ("de 9 a 11") and "y
// media". So both languages are rewritten into the plain English chrono handles well before
// parsing; chrono still does the calendar work (weekdays, "day after tomorrow", months).

type Rule = [RegExp, string | ((...groups: string[]) => string)];

const NUMBERS: Record<string, string> = {
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  ten: '10',
  eleven: '11',
  twelve: '12',
  una: '1',
  dos: '2',
  tres: '3',
  cuatro: '4',
  cinco: '5',
  seis: '6',
  siete: '7',
  ocho: '8',
  nueve: '9',
  diez: '10',
  once: '11',
  doce: '12',
};
const NUMBER_WORD = `(${Object.keys(NUMBERS).join('|')})`;
const CLOCK = String.raw`\d{1,2}(?::\d{2})?(?:\s?(?:am|pm))?`;

const previousHour = (hour: string) => String(((Number(hour) + 10) % 12) + 1);

const SPANISH: Rule[] = [
  [/\bpasado manana\b/g, 'the day after tomorrow'],
  [/\b(por|de|en) la (manana|madrugada)\b/g, 'morning'],
  [/\b(por|de|en) la tarde\b/g, 'afternoon'],
  [/\b(por|de|en) la noche\b/g, 'night'],
  [
    /\besta (manana|tarde|noche)\b/g,
    (_m, part) => ({ manana: 'this morning', tarde: 'this afternoon', noche: 'tonight' })[part] ?? _m,
  ],
  [/\bmanana\b/g, 'tomorrow'],
  [/\bhoy\b/g, 'today'],
  [/\bmediodia\b/g, 'noon'],
  [/\bmedianoche\b/g, 'midnight'],
  [/\ba (noon|midnight)\b/g, 'at $1'],
  [/\b(\d{1,2}) y media\b/g, '$1:30'],
  [/\b(\d{1,2}) y cuarto\b/g, '$1:15'],
  [/\b(\d{1,2}) menos cuarto\b/g, (_m, hour) => `${previousHour(hour)}:45`],
  [/\b(\d{1,2}(?::\d{2})?) (morning)\b/g, '$1 am'],
  [/\b(\d{1,2}(?::\d{2})?) (afternoon|night)\b/g, '$1 pm'],
  [/\bentre (?:las )?(\S+) y (?:las )?(\S+)/g, 'from $1 to $2'],
  [/\bde (?:las )?(\d\S*) a (?:las )?(\d\S*)/g, 'from $1 to $2'],
  [/\bdesde (?:las |la )?/g, 'from '],
  [/\bhasta (?:las |la )?/g, 'until '],
  [/\ba (?:las|la) (\d)/g, 'at $1'],
  [/\blas (\d)/g, '$1'],
  [/\bdurante\b/g, 'for'],
  [/\bhoras?\b/g, 'hours'],
  [/\bminutos?\b/g, 'minutes'],
  [
    /\b(?:el |este )?(?:proximo|que viene) (lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b/g,
    'next $1',
  ],
  [/\b(lunes|martes|miercoles|jueves|viernes|sabado|domingo) que viene\b/g, 'next $1'],
  [/\beste (lunes|martes|miercoles|jueves|viernes|sabado|domingo)\b/g, 'this $1'],
  [/\bla semana que viene\b/g, 'next week'],
  [/\b(?:el )?(?:fin de semana|finde)\b/g, 'weekend'],
  [/\bel (?:dia )?(\d{1,2})\b(?! de)/g, 'on the $1th'],
  [
    /\b(\d{1,2}) de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b/g,
    '$2 $1',
  ],
];

const SPANISH_WORDS: Record<string, string> = {
  lunes: 'monday',
  martes: 'tuesday',
  miercoles: 'wednesday',
  jueves: 'thursday',
  viernes: 'friday',
  sabado: 'saturday',
  domingo: 'sunday',
  enero: 'january',
  febrero: 'february',
  marzo: 'march',
  abril: 'april',
  mayo: 'may',
  junio: 'june',
  julio: 'july',
  agosto: 'august',
  septiembre: 'september',
  octubre: 'october',
  noviembre: 'november',
  diciembre: 'december',
  ahora: 'now',
  y: 'and',
};

const ENGLISH: Rule[] = [
  [
    new RegExp(String.raw`\b(at|until|from|to|by|past|before|after|around|about) ${NUMBER_WORD}\b`, 'g'),
    (_m, cue, n) => `${cue} ${NUMBERS[n] ?? n}`,
  ],
  [
    new RegExp(String.raw`\b${NUMBER_WORD} (am|pm|o'?clock|thirty|fifteen|forty five)\b`, 'g'),
    (_m, n, rest) => `${NUMBERS[n] ?? n} ${rest}`,
  ],
  [/\bhalf past (\d{1,2})\b/g, '$1:30'],
  [/\bhalf (\d{1,2})\b/g, '$1:30'],
  [/\bquarter past (\d{1,2})\b/g, '$1:15'],
  [/\bquarter (?:to|til|until) (\d{1,2})\b/g, (_m, hour) => `${previousHour(hour)}:45`],
  [/\b(\d{1,2}) thirty\b/g, '$1:30'],
  [/\b(\d{1,2}) fifteen\b/g, '$1:15'],
  [/\b(\d{1,2}) forty five\b/g, '$1:45'],
  [/\b(\d{1,2}) o'?clock\b/g, '$1'],
  [/\b(\d{1,2})[.h](\d{2})\b/g, '$1:$2'],
  [/\b(a|p)\.?m\b\.?/g, '$1m'],
  [/\b(?:till|til|untill|untl|up to|up until)\b/g, 'until'],
  [/\bby (\d)/g, 'until $1'],
  [
    /\b(\d{1,2}(?::\d{2})?)(?: ?(am|pm))?\s?(?:-|–|to) ?(\d{1,2}(?::\d{2})?)(?: ?(am|pm))?\b/g,
    (_m, a, am, b, bm) => `from ${a}${am ? ` ${am}` : ''} to ${b}${bm ? ` ${bm}` : ''}`,
  ],
  [/\bfrom from\b/g, 'from'],
  [
    /\b(today|tomorrow|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun) (\d{1,2})\b(?![:\d]| ?(?:am|pm)\b| ?(?:minutes?|hours?|days?|th|st|nd|rd)\b)/g,
    '$1 at $2:00',
  ],
  // chrono skips a bare hour after these ("until 6"); "6:00" it reads.
  [/\b(until|at|from|to) (\d{1,2})\b(?![:\d]| ?(?:am|pm)\b| ?(?:minutes?|hours?|days?)\b)/g, '$1 $2:00'],
  // chrono mis-dates ranges that end at "midnight"; the last minute of the day it handles.
  [/\buntil midnight\b/g, 'until 23:59'],
];

/**
 * Rewrites a message so chrono-node's English parser reads its times.
 *
 * @example
 * timeText('mañana de 9 a 11', 'es')          // 'tomorrow from 9 to 11'
 * timeText('until half past six', 'en')       // 'until 6:30'
 */
export function timeText(text: string, locale: Locale): string {
  // Ranges first, while the hyphen is still there: "9-11" → "9 to 11".
  const ranged = foldCase(text).replace(
    new RegExp(String.raw`(${CLOCK})\s?[-–]\s?(${CLOCK})`, 'g'),
    '$1 to $2',
  );
  let result = normaliseWords(ranged, locale).join(' ');
  if (locale === 'es') {
    result = result
      .split(' ')
      .map((word) => NUMBERS[word] ?? word)
      .join(' ');
    for (const [pattern, replacement] of SPANISH) result = result.replace(pattern, replacement as string);
    result = result
      .split(' ')
      .map((word) => SPANISH_WORDS[word] ?? word)
      .join(' ');
  }
  for (const [pattern, replacement] of ENGLISH) result = result.replace(pattern, replacement as string);
  return result;
}
