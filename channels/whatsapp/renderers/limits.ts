/** WhatsApp Cloud API limits, in characters. */
export const LIMITS = {
  text: 4096,
  buttonBody: 1024,
  buttonTitle: 20,
  buttons: 3,
  listBody: 4096,
  listButton: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  ctaBody: 1024,
  ctaText: 20,
  locationBody: 1024,
} as const;

/** `s` cut to `max` characters (code points), ending in "…" when cut. */
export function clip(s: string, max: number): string {
  const chars = Array.from(s.trim());
  return chars.length <= max
    ? chars.join('')
    : chars
        .slice(0, max - 1)
        .join('')
        .trimEnd() + '…';
}

/**
 * Splits a long text into pieces of at most `max` characters, at a paragraph, line, sentence or
 * word break where there is one.
 */
export function splitText(text: string, max: number = LIMITS.text): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (Array.from(rest).length > max) {
    const head = Array.from(rest).slice(0, max).join('');
    const floor = Math.floor(head.length / 2);
    const at = ['\n\n', '\n', '. ', ' '].map((sep) => head.lastIndexOf(sep)).find((i) => i >= floor);
    const cut = at !== undefined && at > 0 ? at : head.length;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}
