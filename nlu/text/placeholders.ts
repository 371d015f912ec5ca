import { matchPlate } from '../entities/plate.ts';
import { foldCase } from './normalise.ts';

// What entities say is no evidence about the intent, and names, plates and numbers are words the
// corpus cannot know: "book King's Cross 7-8, plate BN000AA" must read as "book zzplace zznum-zznum,
// plate zzplate", not as a sentence full of unknown (so off-topic-looking) words.
export const PLACEHOLDERS = {
  reference: 'zzref',
  plate: 'zzplate',
  number: 'zznum',
  time: 'zztime',
  code: 'zzcode',
  facility: 'zzplace',
  kind: 'zzkind',
} as const;

// Space kinds are what a driver wants, not what the message is about: "book a charging bay" must
// not lean on "charge" (pricing), nor "disabled" or "moto" on anything. A bare "charge" stays a word.
const SPACE_KINDS = new RegExp(
  String.raw`\b(?:ev|evs|e-v|electric(?:al)?|charging|chargers?|charge ?points?|plug[- ]?in|tesla|accessible|disabled|disability|wheel ?chair|blue badge|handicap(?:ped)?|motor ?bikes?|motorcycles?|mopeds?|scooters?|(?:bike|family|parent and child|parent child)(?= (?:bays?|spaces?|spots?|slots?|places?|parking|stalls?))|electric[oa]s?|cargador(?:es)?|recarga|enchufe|electrolinera|minusvalid[oa]s?|discapacitad[oa]s?|discapacidad|movilidad reducida|pmr|accesibles?|adaptad[oa]s?|silla de ruedas|motos?|motocicletas?|ciclomotor(?:es)?|enchufable|familiar(?:es)?|parent (?:and|&) child|mother (?:and|&) baby|pushchair|oversized?|motorhome|camper ?van|furgonetas?|autocaravana|todoterreno)\b`,
  'g',
);

const REFERENCE = /\bpk[\s-]?[a-z2-9]{6}\b/gi;
const NOT_WORD = String.raw`[^\p{L}\p{N}]+`;

/** True for a placeholder or its stem (no real word starts with "zz"). */
export function isPlaceholder(word: string): boolean {
  return word.startsWith('zz');
}

/**
 * The message with booking references, plates, space kinds and (given) the facility's words
 * replaced by placeholders, folded to lower case without accents. Plates are found before folding: capitals
 * are what tell "AB 123" from words.
 *
 * @example
 * maskEntities('book King’s Cross, plate BN000AA', 'king s cross') // 'book zzplace, plate zzplate '
 */
export function maskEntities(text: string, facilityWords?: string): string {
  let masked = text.replace(REFERENCE, ` ${PLACEHOLDERS.reference} `);
  // A message names a plate or two, never many: the cap only guards against a shape re-matching.
  for (let found = 0; found < 3; found += 1) {
    const plate = matchPlate(masked);
    if (!plate) break;
    masked = `${masked.slice(0, plate.index)} ${PLACEHOLDERS.plate} ${masked.slice(plate.index + plate.length)}`;
  }
  masked = foldCase(masked).replace(SPACE_KINDS, PLACEHOLDERS.kind);
  const words = facilityWords?.match(/[\p{L}\p{N}]+/gu);
  if (words) {
    const name = new RegExp(String.raw`(?<![\p{L}\p{N}])${words.join(NOT_WORD)}(?![\p{L}\p{N}])`, 'gu');
    masked = masked.replace(name, PLACEHOLDERS.facility);
  }
  return masked;
}

/**
 * A word with digits as the classifier sees it: "3pm" and "10:30" → zztime, "2h" → zznum h,
 * "x7k2" → zzcode. (A separate "am" would read as "I am".)
 *
 * @example
 * maskNumber('9am') // ['zztime']
 */
export function maskNumber(word: string): string[] {
  if (!/\d/.test(word)) return [word];
  if (/^\d+([:.]\d+)?(am|pm)$|^\d+[:.]\d+$/.test(word)) return [PLACEHOLDERS.time];
  const number = /^\d+([a-z]*)$/.exec(word);
  if (!number) return [PLACEHOLDERS.code];
  return number[1] ? [PLACEHOLDERS.number, number[1]] : [PLACEHOLDERS.number];
}
