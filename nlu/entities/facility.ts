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

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(
        Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  // The distance is at least the difference in length: skip the work when that already fails.
  if (longest === 0 || Math.abs(a.length - b.length) > (1 - MIN_SIMILARITY) * longest) return 0;
  return 1 - editDistance(a, b) / longest;
}

/**
 * Finds the caller's facilities in messages by name or alias, tolerant of case and small typos.
 *
 * @example
 * const finder = new FacilityFinder([{ id: 'f1', name: 'Riverside Car Park', aliases: ['the river lot'] }]);
 * finder.find('book riverside carpark tmrw') // { id: 'f1', name: 'Riverside Car Park', matched: 'riverside carpark', score: 0.94 }
 */
export class FacilityFinder {
  private readonly candidates: Candidate[];

  constructor(facilities: readonly FacilityRef[]) {
    this.candidates = facilities.flatMap((facility) => {
      const labels = [facility.name, ...facility.aliases].map(words).filter((label) => label.length > 0);
      const seen = new Set<string>();
      return [...labels, ...labels.flatMap(nicknames)]
        .filter((label) => !seen.has(label.join(' ')) && seen.add(label.join(' ')))
        .map((label) => ({ facility, words: label }));
    });
  }

  find(text: string): FacilityMatch | undefined {
    const message = words(text);
    let best: FacilityMatch | undefined;
    for (const { facility, words: label } of this.candidates) {
      const target = label.join(' ');
      // Windows one word shorter or longer than the label catch "carpark" for "car park".
      for (let size = Math.max(1, label.length - 1); size <= label.length + 1; size += 1) {
        for (let start = 0; start + size <= message.length; start += 1) {
          const window = message.slice(start, start + size).join(' ');
          const score = similarity(window.replace(/ /g, ''), target.replace(/ /g, ''));
          const better =
            !best || score > best.score || (score === best.score && window.length > best.matched.length);
          if (score >= MIN_SIMILARITY && better) {
            best = { id: facility.id, name: facility.name, matched: window, score: Number(score.toFixed(3)) };
          }
        }
      }
    }
    return best;
  }
}
