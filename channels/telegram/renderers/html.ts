/** Telegram's limit on one message's text. */
export const MAX_MESSAGE_CHARS = 4096;

/** Escapes text for Telegram's HTML parse mode (only `<`, `>` and `&` are special). */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Escapes an attribute value (an `<a href>`). */
export const escapeAttr = (s: string): string => escapeHtml(s).replace(/"/g, '&quot;');

export const bold = (s: string) => `<b>${escapeHtml(s)}</b>`;
export const italic = (s: string) => `<i>${escapeHtml(s)}</i>`;
export const code = (s: string) => `<code>${escapeHtml(s)}</code>`;

/**
 * A piece of a message: self-contained HTML (its tags balanced) and the plain text it came
 * from, so a piece too long for one message can be cut as plain text.
 */
export interface Block {
  html: string;
  plain: string;
}

export const textBlock = (plain: string): Block => ({ html: escapeHtml(plain), plain });

/** Cuts plain text into pieces whose escaped form fits `limit`, at line, then word, breaks. */
function cutPlain(plain: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = plain;
  while (escapeHtml(rest).length > limit) {
    // the longest prefix whose escaped form fits (escaping at most quintuples a character)
    let end = Math.min(rest.length, limit);
    while (escapeHtml(rest.slice(0, end)).length > limit) end = Math.floor(end * 0.9);
    const window = rest.slice(0, end);
    const at = Math.max(window.lastIndexOf('\n'), window.lastIndexOf(' '));
    const cut = at > end / 2 ? at : end;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/**
 * Packs blocks into as few messages as fit Telegram's limit, blocks separated by a blank line;
 * a block that fits no message alone is cut as plain text (losing only its formatting).
 */
export function packBlocks(blocks: Block[], limit = MAX_MESSAGE_CHARS): string[] {
  const out: string[] = [];
  let current = '';
  const push = (html: string) => {
    if (current && current.length + 2 + html.length <= limit) current += `\n\n${html}`;
    else {
      if (current) out.push(current);
      current = html;
    }
  };
  for (const b of blocks) {
    if (!b.html.trim()) continue;
    if (b.html.length <= limit) push(b.html);
    else for (const piece of cutPlain(b.plain, limit)) push(escapeHtml(piece));
  }
  if (current) out.push(current);
  return out;
}
