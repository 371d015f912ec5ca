// Drivers type fast on phones: "parkign", "reserba", "cancle". A word the corpus never uses is
// replaced by a corpus word one edit away (found by symmetric-delete lookup, so a call costs a few
// map reads, not a scan of the vocabulary). Real words often sit one edit from ours, so two rules
// keep them: the start must agree (one letter, two for four-letter words) — else "cook" becomes
// "book" — and a swapped letter must be a keyboard neighbour of the right one or sound like it —
// else "prime" becomes "price".

const MIN_LENGTH = 4;

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function keyPosition(letter: string): [number, number] | undefined {
  for (const [row, keys] of KEYBOARD_ROWS.entries()) {
    const column = keys.indexOf(letter);
    if (column >= 0) return [row, column + row * 0.5];
  }
  return undefined;
}

// Letters Spanish spells by ear and mixes up: "canselar", "reserbar", "kiero".
const SOUND_ALIKE = new Set([
  'sc',
  'cs',
  'sz',
  'zs',
  'cz',
  'zc',
  'bv',
  'vb',
  'yi',
  'iy',
  'kc',
  'ck',
  'gj',
  'jg',
]);

/** True for keys next to each other on a QWERTY keyboard (staggered rows), where fingers slip. */
export function neighbourKeys(a: string, b: string): boolean {
  const [p, q] = [keyPosition(a), keyPosition(b)];
  if (!p || !q) return false;
  return Math.abs(p[0] - q[0]) <= 1 && Math.abs(p[1] - q[1]) <= 1;
}

function deletions(word: string): string[] {
  const result: string[] = [];
  for (let i = 0; i < word.length; i += 1) result.push(word.slice(0, i) + word.slice(i + 1));
  return result;
}

/** True when `a` becomes `b` by one insertion, deletion, swap of neighbours, or slip to a neighbouring key. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  const tail = (x: string, n: number) => x.slice(i + n);
  if (a.length === b.length) {
    const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && tail(a, 2) === tail(b, 2);
    const [x, y] = [a[i] ?? '', b[i] ?? ''];
    const slipped = (neighbourKeys(x, y) || SOUND_ALIKE.has(x + y)) && tail(a, 1) === tail(b, 1);
    return swapped || slipped;
  }
  return a.length > b.length ? tail(a, 1) === tail(b, 0) : tail(a, 0) === tail(b, 1);
}

function sameStart(a: string, b: string): boolean {
  const length = a.length <= 4 ? 2 : 1;
  return a.slice(0, length) === b.slice(0, length);
}

export class TypoCorrector {
  private readonly known = new Map<string, number>();
  private readonly byDeletion = new Map<string, string[]>();

  /** `words` is every word of the corpus, repeats included (frequency breaks ties). */
  constructor(words: Iterable<string>) {
    for (const word of words) this.known.set(word, (this.known.get(word) ?? 0) + 1);
    for (const word of this.known.keys()) {
      if (word.length < MIN_LENGTH - 1 || /\d/.test(word)) continue;
      for (const key of new Set([word, ...deletions(word)])) {
        const list = this.byDeletion.get(key) ?? [];
        list.push(word);
        this.byDeletion.set(key, list);
      }
    }
  }

  /** How many times the corpus uses `word`. */
  frequency(word: string): number {
    return this.known.get(word) ?? 0;
  }

  /**
   * The corpus word meant by `word`, or `word` itself when it is known or nothing is close.
   *
   * @example
   * new TypoCorrector(['parking']).correct('parkign') // 'parking'
   */
  correct(word: string): string {
    if (word.length < MIN_LENGTH || this.known.has(word) || /\d/.test(word)) return word;
    let best: string | undefined;
    for (const key of new Set([word, ...deletions(word)])) {
      for (const candidate of this.byDeletion.get(key) ?? []) {
        if (!sameStart(word, candidate) || !oneEditApart(word, candidate)) continue;
        if (best === undefined || (this.known.get(candidate) ?? 0) > (this.known.get(best) ?? 0))
          best = candidate;
      }
    }
    return best ?? word;
  }
}
