import { matchLang, strings, type Lang } from './i18n.ts';

/** How one embedding of the widget looks and where it talks to, read from its `<script>` tag. */
export interface WidgetOptions {
  /** origin of the chat server: where the script was loaded from, e.g. `https://park.example` */
  readonly server: string;
  readonly title: string;
  readonly lang: Lang;
  /** accent colour, `#rrggbb` */
  readonly color: string;
  /** text colour that reads well on the accent colour */
  readonly onColor: string;
  readonly position: 'left' | 'right';
}

/** What `readOptions` needs from the page; plain values so it can be tested without a browser. */
export interface OptionSources {
  /** the script tag's `data-*` attributes (`dataset`) */
  readonly data: Readonly<Record<string, string | undefined>>;
  /** the script tag's absolute `src`, if there is a script tag */
  readonly scriptSrc?: string | undefined;
  readonly pageUrl: string;
  readonly pageLang?: string | undefined;
  readonly browserLang?: string | undefined;
}

export const DEFAULT_COLOR = '#0a7d4f';
const MAX_TITLE = 60;

/**
 * Options from `data-color`, `data-title`, `data-lang` and `data-position`, with safe defaults for
 * anything missing or malformed (a typo on an operator's page must not break the widget).
 *
 * @example readOptions({ data: { lang: 'es' }, scriptSrc: 'https://p.example/widget.js', pageUrl })
 *          // → { server: 'https://p.example', lang: 'es', position: 'right', … }
 */
export function readOptions(src: OptionSources): WidgetOptions {
  const lang = matchLang(src.data['lang']) ?? matchLang(src.pageLang) ?? matchLang(src.browserLang) ?? 'en';
  const color = normaliseHex(src.data['color']) ?? DEFAULT_COLOR;
  const title = src.data['title']?.trim().slice(0, MAX_TITLE) || strings(lang).defaultTitle;
  return {
    server: serverOrigin(src.scriptSrc, src.pageUrl),
    title,
    lang,
    color,
    onColor: textColourOn(color),
    position: src.data['position']?.trim().toLowerCase() === 'left' ? 'left' : 'right',
  };
}

/** The origin the script came from; the page's own origin when there is no usable `src`. */
export function serverOrigin(scriptSrc: string | undefined, pageUrl: string): string {
  // try/catch rather than URL.canParse, which Safari only has since 17
  try {
    if (scriptSrc) return new URL(scriptSrc, pageUrl).origin;
  } catch {
    // fall through to the page's origin
  }
  return new URL(pageUrl).origin;
}

/**
 * `#abc` or `#aabbcc` as lower-case `#aabbcc`; anything else is refused. Only hex is accepted so
 * the value can be used in styles without any chance of injecting CSS, and so its contrast can
 * be computed.
 */
export function normaliseHex(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase() ?? '';
  if (/^#[0-9a-f]{6}$/.test(v)) return v;
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${[...v.slice(1)].map((c) => c + c).join('')}`;
  return undefined;
}

/** White or near-black, whichever contrasts more with the colour (WCAG relative luminance). */
export function textColourOn(hex: string): string {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  // contrast with white is 1.05/(l+0.05), with #111 about (l+0.05)/0.056; pick the larger
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.056 ? '#ffffff' : '#111111';
}
