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
    this.candidates = facilities.flatMap((facility) =>
      [facility.name, ...facility.aliases]
        .map((label) => ({ facility, words: words(label) }))
        .filter((candidate) => candidate.words.length > 0),
    );
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
