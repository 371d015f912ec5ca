/**
 * The one way the widget makes elements. Text goes in through `textContent` and attributes through
 * `setAttribute`, so nothing that came from a server or a driver is ever parsed as HTML.
 */
export interface ElementSpec {
  readonly class?: string;
  /** set as `textContent`: shown as typed, never interpreted */
  readonly text?: string;
  /** attribute names are always literals in our code; values may be data */
  readonly attrs?: Readonly<Record<string, string>>;
}

/**
 * An element with classes, text, attributes and children.
 *
 * @example el('p', { class: 'bubble', text: userText, attrs: { dir: 'auto' } })
 */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  spec: ElementSpec = {},
  children: ReadonlyArray<Node | undefined> = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (spec.class) node.className = spec.class;
  if (spec.text !== undefined) node.textContent = spec.text;
  for (const [name, value] of Object.entries(spec.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Text for screen readers only (e.g. "Assistant:" before a bubble). */
export function srOnly(text: string): HTMLSpanElement {
  return el('span', { class: 'sr-only', text });
}
