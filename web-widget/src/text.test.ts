import { describe, expect, it } from 'vitest';
import { prepareOutgoing, splitLinks } from './text.ts';

describe('prepareOutgoing', () => {
  it('trims, and sends nothing for blank text', () => {
    expect(prepareOutgoing('  hi there \n', 2000)).toEqual({ text: 'hi there', truncated: false });
    expect(prepareOutgoing(' \n\t ', 2000)).toBeUndefined();
  });

  it('cuts to the limit and says so', () => {
    expect(prepareOutgoing('x'.repeat(10_000), 2000)).toEqual({ text: 'x'.repeat(2000), truncated: true });
  });

  it('never leaves half an emoji at the cut', () => {
    const out = prepareOutgoing(`${'a'.repeat(1999)}🚗🚗`, 2000);
    expect(out).toEqual({ text: 'a'.repeat(1999), truncated: true });
  });

  it('keeps markup as it was typed', () => {
    expect(prepareOutgoing('<script>alert(1)</script>', 2000)?.text).toBe('<script>alert(1)</script>');
  });
});

describe('splitLinks', () => {
  it('finds http(s) links and leaves trailing punctuation out', () => {
    expect(splitLinks('Pay at https://pay.example/x?id=1. Thanks')).toEqual([
      { text: 'Pay at ' },
      { text: 'https://pay.example/x?id=1', href: 'https://pay.example/x?id=1' },
      { text: '. Thanks' },
    ]);
  });

  it('links nothing but http and https', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'ftp://files.example/a',
      'no links here',
    ]) {
      expect(splitLinks(text)).toEqual([{ text }]);
    }
  });

  it('does not let a link swallow markup around it', () => {
    const parts = splitLinks('see <a href="https://evil.example">x</a>');
    expect(parts.find((p) => p.href)?.href).toBe('https://evil.example/');
    expect(parts.map((p) => p.text).join('')).toBe('see <a href="https://evil.example">x</a>');
  });
});
