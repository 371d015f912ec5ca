// Registration shapes drivers type, loosest last. Spaces and hyphens are optional where people
// drop them. German and Dutch shapes need their separators: without them they look like words.
const SHAPES: RegExp[] = [
  /\b[A-Z]{2}\d{2}[\s-]?[A-Z]{3}\b/i, // UK current: AB12 CDE
  /\b\d{4}[\s-]?[BCDFGHJKLMNPRSTVWXYZ]{3}\b/i, // Spain: 1234 BCD
  /\b[A-Z]{1,2}[\s-]?\d{4}[\s-]?[A-Z]{1,2}\b/i, // Spain, old: M-1234-AB
  /\b[A-Z]{2}[\s-]?\d{3}[\s-]?[A-Z]{2}\b/i, // France / Italy: AB-123-CD
  /\b[A-Z]\d{1,3}[\s-]?[A-Z]{3}\b/i, // UK prefix: A123 BCD
  /\b[A-Z]{3}[\s-]?\d{1,3}[A-Z]\b/i, // UK suffix: ABC 123D
  /\b[A-ZÄÖÜ]{1,3}-[A-Z]{1,2}[\s-]?\d{1,4}[EH]?\b/i, // Germany: B-AB 1234
  /\b(\d{1,3}-[A-Z]{2,3}-\d{1,2}|[A-Z]{1,3}-\d{2,3}-[A-Z]{1,3})\b/i, // Netherlands: 12-ABC-3
  /\b\d[A-Z]{3}\d{3}\b/i, // US, California: 7ABC123
  /\b[A-Z]{3}[\s-]?\d{3,4}\b/i, // US: ABC 1234
];

// Words that would otherwise pass for the letters of a plate: "for 120", "the 9:30", "at 1430".
const COMMON_WORDS =
  /^(a|e|i|o|y|u|for|the|and|are|was|too|two|at|on|in|by|to|now|not|you|car|van|bus|way|off|out|all|any|its|can|but|get|who|how|why|day|one|new|old|till|from|los|las|del|por|con|una|uno|dos|sin|hay|hoy|mas|que|son|muy|ver|hasta|desde|pm|am|h|hrs|min|mins|pk)$/i;

const PLATE_CUE =
  /\b(plate|reg|registration|number plate|licen[cs]e|matricula|matrícula|placa|car is|coche es)\b/i;

// After a cue word any run of letters and digits that looks like a registration is one, whatever
// its country: "matrícula 1234ABC", "reg: KL19XYZ", "number plate is 123 ab 45".
const CUED =
  /(?<![\p{L}\p{N}])(?:number plate|licen[cs]e plate|licen[cs]e|plate|reg(?:istration)?|rego|matr[ií]cula|placa|patente)(?: (?:number|no\.?|n[uú]mero|is|es|será|sera))?\s*[:#]?\s*/giu;
const CUED_TOKEN = /^[\p{L}\p{N}]+/u;

const REFERENCE_SHAPE = /\bpk[\s-]?[a-z2-9]{6}\b/gi;

function normalise(plate: string): string {
  return plate.replace(/[\s-]/g, '').toUpperCase();
}

function plausible(found: string, text: string, index: number): boolean {
  // Letters typed in capitals are meant as a plate; lower-case ones may be ordinary words.
  const letters = found.match(/[A-Za-zÄÖÜäöü]+/g) ?? [];
  if (letters.some((part) => part !== part.toUpperCase() && COMMON_WORDS.test(part))) return false;
  if (/^[A-Z]{3}[\s-]?\d{3,4}$/i.test(found)) {
    // The loosest shape ("abc 123") needs capitals or a cue word, or prices and times pass for plates.
    return found === found.toUpperCase() || PLATE_CUE.test(text.slice(Math.max(0, index - 30), index));
  }
  return true;
}

type PlateMatch = { index: number; length: number; plate: string };

/** Up to three short runs after a cue, the longest that has letters and digits and 4–8 of them. */
function cuedPlate(text: string): PlateMatch | undefined {
  for (const cue of text.matchAll(CUED)) {
    const start = cue.index + cue[0].length;
    const tokens: Array<{ text: string; end: number }> = [];
    let at = start;
    while (tokens.length < 3) {
      const token = CUED_TOKEN.exec(text.slice(at))?.[0];
      if (!token || token.length > 8 || COMMON_WORDS.test(token)) break;
      tokens.push({ text: token, end: at + token.length });
      const gap = /^[\s-]/.exec(text.slice(at + token.length));
      if (!gap) break;
      at += token.length + 1;
    }
    for (let count = tokens.length; count > 0; count -= 1) {
      const compact = tokens
        .slice(0, count)
        .map((t) => t.text)
        .join('');
      const parts = tokens.slice(0, count);
      if (count > 1 && parts.some((t) => t.text.length > 4)) continue;
      if (compact.length < 4 || compact.length > 8 || !/\d/.test(compact) || !/\p{L}/u.test(compact))
        continue;
      const end = parts.at(-1)?.end ?? start;
      return { index: start, length: end - start, plate: normalise(compact) };
    }
  }
  return undefined;
}

/** Where a plate is in `text` (references such as PK7F3K9Q already removed). */
export function matchPlate(text: string): PlateMatch | undefined {
  const cued = cuedPlate(text);
  if (cued) return cued;
  for (const shape of SHAPES) {
    const match = shape.exec(text);
    if (match && plausible(match[0], text, match.index)) {
      return { index: match.index, length: match[0].length, plate: normalise(match[0]) };
    }
  }
  return undefined;
}

/**
 * A licence plate in a common European, UK or US shape, upper-cased without separators.
 *
 * @example
 * findPlate('my reg is ab12 cde') // 'AB12CDE'
 * findPlate('matrícula 1234-BCD') // '1234BCD'
 */
export function findPlate(text: string): string | undefined {
  return matchPlate(text.replace(REFERENCE_SHAPE, ' '))?.plate;
}
