import { foldCase } from '../text/normalise.ts';

const SPACE_WORD = String.raw`(?:space|bay|slot|spot|stall|place|plaza|sitio|hueco|numero|number|no\.|n[º°]|#)`;
// A space's number or code ("9", "12", "B1-009", "g-12").
const CODE = String.raw`((?:[a-z]?\d{0,2}-)?[a-z]?\d{1,4})`;
// Not a number of hours or a time: "a space 2 hours tomorrow", "slot 9 to 11", "place 9am".
const NOT_A_STAY = String.raw`(?![\d:.]|\s*(?:h\b|hrs?\b|hours?|mins?\b|minutes?|horas?|minutos?|am\b|pm\b|to\b|a\b|-|til|until|hasta|days?|dias?|y media|and a half))`;
const STATUS = String.raw`(?:taken|free|occupied|available|empty|in use|libre|ocupad[oa]|disponible|vaci[oa])`;

const PATTERNS = [
  // "space 9", "bay #12", "plaza 9", "la plaza número 9", "slot B1-009"
  new RegExp(
    String.raw`(?:^|[^\p{L}\p{N}])${SPACE_WORD}(?:\s*(?:no\.?|number|numero|n[º°]|#))?\s*${CODE}${NOT_A_STAY}`,
    'u',
  ),
  // "is 9 taken", "is no 12 free", "esta la 9 libre"
  new RegExp(String.raw`\b(?:is|esta)\s+(?:the\s+|la\s+|el\s+)?${CODE}\s+${STATUS}\b`),
  // "la 9 esta ocupada?", "the 12 free?"
  new RegExp(String.raw`(?:^|\b(?:y|and)\s+)(?:la|el|the)\s+${CODE}\s+(?:esta\s+|is\s+)?${STATUS}\b`),
  // "esta libre la 9", "está ocupada la 12?"
  new RegExp(String.raw`\besta\s+${STATUS}\s+(?:la|el)\s+${CODE}(?![\d:.])`),
];

/**
 * A numbered space the driver names: "is space 9 free", "bay 12", "is 9 taken", "¿está libre la
 * plaza 9?". Its number or code as said, upper case ("9", "B1-009"); counts, hours and times are
 * not space numbers.
 *
 * @example
 * findSpaceNumber('is 9 taken')                 // '9'
 * findSpaceNumber('book a space 2 hours')       // undefined
 */
export function findSpaceNumber(text: string): string | undefined {
  const folded = foldCase(text);
  for (const pattern of PATTERNS) {
    const found = pattern.exec(folded)?.[1];
    if (found && /\d/.test(found)) return found.toUpperCase();
  }
  return undefined;
}
