import { foldCase } from '../text/normalise.ts';
import type { FacilityMatch, FacilityRef } from '../types.ts';

// A name or alias matches a run of the message's words when their similarity (1 − edit distance /
// length) reaches this: "riversde car park" still finds "Riverside Car Park", "river" alone does not.
const MIN_SIMILARITY = 0.8;

interface Candidate {
  facility: FacilityRef;
  words: string[];
}

function words(text: string): string[] {
  return foldCase(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Words that say what a place is, not which one: "Riverside Car Park" is "riverside" to drivers.
const GENERIC = new Set(['car', 'park', 'parking', 'garage', 'lot', 'station', 'centre', 'center', 'the']);
// Too common alone to stand for a car park ("central", "city") even when a name starts with them.
const TOO_COMMON = new Set([
  'central',
  'city',
  'north',
  'south',
  'east',
  'west',
  'main',
  'street',
  'town',
  'new',
  'old',
  'royal',
  'grand',
  'upper',
  'lower',
  'great',
  'little',
  'high',
  'market',
  'london',
  'station',
]);
// Spellings drivers use for a word of a name: "kings x", "st pancras", "shepherds bush centre".
const SPELLINGS: Record<string, string[]> = {
  cross: ['x'],
  saint: ['st'],
  st: ['saint'],
  street: ['st'],
  road: ['rd'],
  centre: ['center'],
  center: ['centre'],
};

/**
 * Other names drivers use for a label: each spelling variant, the name without generic words,
 * its first two distinctive words, a distinctive first word alone, and "kx" for "King's Cross".
 *
 * @example
 * nicknames(['king', 's', 'cross', 'st', 'pancras', 'car', 'park']) // includes 'kings x', 'kx', …
 */
export function nicknames(label: string[]): string[][] {
  const core = label.filter((word) => !GENERIC.has(word));
  const result: string[][] = [];
  const distinctive = (word?: string) => word !== undefined && word.length >= 5 && !TOO_COMMON.has(word);
  const named = core.length > 1 || distinctive(core[0]);
  if (named && core.length < label.length) result.push(core);
  if (core.length > 2 && core.slice(0, 2).join('').length >= 6) result.push(core.slice(0, 2));
  const first = core[0];
  if (first && distinctive(first) && core.length > 1) result.push([first]);
  const cross = label.indexOf('cross');
  const before = label[cross - 1] === 's' ? label[cross - 2] : label[cross - 1];
  if (cross > 0 && before) {
    // "King's Cross St Pancras" is "kings cross", "kings x", "kx" and "st pancras" to Londoners.
    const upToCross = core.slice(0, core.indexOf('cross') + 1);
    const afterCross = core.slice(upToCross.length);
    result.push([`${before[0] ?? ''}x`], upToCross);
    if (afterCross.join('').length >= 6) result.push(afterCross);
  }
  const spelt = [label, ...result].flatMap((words) =>
    words.flatMap((word, i) =>
      (SPELLINGS[word] ?? []).map((other) => [...words.slice(0, i), other, ...words.slice(i + 1)]),
    ),
  );
  return [...result, ...spelt];
}

/** Edit distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit`. */
function boundedDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let lowest = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      lowest = Math.min(lowest, value);
    }
    if (lowest > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** 1 − edit distance / length when that reaches MIN_SIMILARITY, else 0. */
function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  const limit = Math.floor((1 - MIN_SIMILARITY) * longest + 1e-9);
  // The distance is at least the difference in length: skip the work when that already fails.
  if (longest === 0 || Math.abs(a.length - b.length) > limit) return 0;
  const distance = a === b ? 0 : boundedDistance(a, b, limit);
  return distance > limit ? 0 : 1 - distance / longest;
}

/** How often each letter or digit occurs (anything else shares one slot). */
function letterCounts(text: string): Int16Array {
  const counts = new Int16Array(37);
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const slot = code >= 97 && code <= 122 ? code - 97 : code >= 48 && code <= 57 ? code - 22 : 36;
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts;
}

/** A lower bound of the edit distance: each edit changes the letter counts by at most 2. */
function countsApart(a: Int16Array, b: Int16Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i += 1) total += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return Math.ceil(total / 2);
}

/**
 * Finds the caller's facilities in messages by name or alias, tolerant of case and small typos.
 *
 * @example
 * const finder = new FacilityFinder([{ id: 'f1', name: 'Riverside Car Park', aliases: ['the river lot'] }]);
 * finder.find('book riverside carpark tmrw') // { id: 'f1', name: 'Riverside Car Park', matched: 'riverside carpark', score: 0.94 }
 */
export class FacilityFinder {
  private readonly candidates: Array<Candidate & { compact: string; letters: Int16Array }>;
  /** Labels by the length of their letters without spaces, each with its place in the list. */
  private readonly byLength = new Map<
    number,
    Array<Candidate & { compact: string; letters: Int16Array; index: number }>
  >();
  private longestLabel = 0;

  constructor(facilities: readonly FacilityRef[]) {
    this.candidates = facilities.flatMap((facility) => {
      const labels = [facility.name, ...facility.aliases].map(words).filter((label) => label.length > 0);
      const seen = new Set<string>();
      return [...labels, ...labels.flatMap(nicknames)]
        .filter((label) => !seen.has(label.join(' ')) && seen.add(label.join(' ')))
        .map((label) => ({
          facility,
          words: label,
          compact: label.join(''),
          letters: letterCounts(label.join('')),
        }));
    });
    this.candidates.forEach((candidate, index) => {
      const indexed = { ...candidate, index };
      const list = this.byLength.get(candidate.compact.length) ?? [];
      list.push(indexed);
      this.byLength.set(candidate.compact.length, list);
      this.longestLabel = Math.max(this.longestLabel, candidate.words.length);
    });
  }

  // Language detection and entity extraction both ask about the same message in a row.
  private last?: { text: string; match: FacilityMatch | undefined };

  find(text: string): FacilityMatch | undefined {
    if (this.last?.text !== text) this.last = { text, match: this.search(text) };
    return this.last.match && { ...this.last.match };
  }

  private search(text: string): FacilityMatch | undefined {
    const message = words(text);
    let best: (FacilityMatch & { rank: number[] }) | undefined;
    // Each run of the message's words is compared only with labels of a length it could match:
    // an edit changes the length by one, and a label differs from the run by one word at most.
    for (let size = 1; size <= Math.min(message.length, this.longestLabel + 1); size += 1) {
      for (let start = 0; start + size <= message.length; start += 1) {
        const run = message.slice(start, start + size);
        const compact = run.join('');
        const shortest = Math.ceil(compact.length * MIN_SIMILARITY - 1e-9);
        const longest = Math.floor(compact.length / MIN_SIMILARITY + 1e-9);
        let letters: Int16Array | undefined;
        for (let length = shortest; length <= longest; length += 1) {
          for (const candidate of this.byLength.get(length) ?? []) {
            if (Math.abs(candidate.words.length - size) > 1) continue;
            letters ??= letterCounts(compact);
            const slack = (1 - MIN_SIMILARITY) * Math.max(compact.length, length) + 1e-9;
            if (countsApart(letters, candidate.letters) > slack) continue;
            const score = similarity(compact, candidate.compact);
            if (score < MIN_SIMILARITY) continue;
            const matched = run.join(' ');
            // One not taken back ("Paddington not Wembley"), the best score, then the longest
            // words, then the first label and run (as listed).
            const rank = [
              negatedAt(message, start) ? 1 : 0,
              -score,
              -matched.length,
              candidate.index,
              size,
              start,
            ];
            if (!best || isBefore(rank, best.rank)) {
              const { facility } = candidate;
              best = { id: facility.id, name: facility.name, matched, score: Number(score.toFixed(3)), rank };
            }
          }
        }
      }
    }
    if (!best) return undefined;
    const { rank: _rank, ...match } = best;
    return match;
  }
}

// What a correction puts before the car park it takes back: "Paddington not Wembley", "instead
// of wembley", "en paddington, no en wembley", "en vez de wembley". Little words may sit between.
const NEGATIONS = [
  ['not'],
  ['instead', 'of'],
  ['rather', 'than'],
  ['except'],
  ['ni'],
  ['vez', 'de'],
  ['lugar', 'de'],
  ['no', 'en'],
  ['no', 'a'],
  ['no', 'al'],
];
const BETWEEN = new Set(['at', 'in', 'the', 'to', 'el', 'la', 'de', 'del', 'en', 'al', 'a']);

/** Whether the words before `start` take back what follows ("not", "instead of", "no en"). */
function negatedAt(message: readonly string[], start: number): boolean {
  for (let end = start; end >= Math.max(0, start - 2); end -= 1) {
    for (const negation of NEGATIONS) {
      const from = end - negation.length;
      if (from >= 0 && negation.every((w, i) => message[from + i] === w)) return true;
    }
    if (end === 0 || !BETWEEN.has(message[end - 1] ?? '')) return false;
  }
  return false;
}

/** Whether rank `a` comes before rank `b` (compared item by item). */
function isBefore(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}
