import { el } from '../dom.ts';
import type { Strings } from '../i18n.ts';
import type { PostBackAction, SuggestedAction } from '../protocol.ts';

/** The value of a button that asks for the driver's position (see the chat protocol). */
export const LOCATION_REQUEST = 'location:ask';

/**
 * A button that sends `value` and shows `title` as the driver's words when pressed. The click is
 * handled once, by delegation on the message log (see `ui/chat-view.ts`), which finds buttons by
 * the `action` class and reads the value from `data-value`.
 */
export function actionButton(action: PostBackAction, extraClass = ''): HTMLButtonElement {
  return el('button', {
    class: `action ${extraClass}`.trim(),
    text: action.title,
    attrs: { type: 'button', 'data-value': action.value, dir: 'auto' },
  });
}

/** A link that looks like the other buttons and opens in a new tab (e.g. a payment page). */
function linkButton(title: string, url: string): HTMLElement {
  return el('a', {
    class: 'action action-link',
    text: title,
    attrs: { href: url, target: '_blank', rel: 'noopener noreferrer', dir: 'auto' },
  });
}

type Renderer = (a: SuggestedAction) => HTMLElement | undefined;

/** One renderer per action type; a type missing here (a newer server's) is shown as its title. */
const RENDERERS: Record<string, Renderer> = {
  postBack: (a) => ('value' in a ? actionButton(a) : undefined),
  openUrl: (a) => ('url' in a && /^https?:\/\//i.test(a.url) ? linkButton(a.title, a.url) : undefined),
  // the controller answers this value by asking the browser for the position
  requestLocation: (a) => actionButton({ title: a.title, value: LOCATION_REQUEST }),
};

const asText = (a: { title: string }) =>
  el('span', { class: 'action-text', text: a.title, attrs: { dir: 'auto' } });

/** One action in its native form, or its title as text when this widget cannot show its type. */
export function renderAction(a: SuggestedAction): HTMLElement {
  const type = a.type ?? 'postBack';
  const render = Object.prototype.hasOwnProperty.call(RENDERERS, type) ? RENDERERS[type] : undefined;
  return render?.(a) ?? asText(a);
}

/** A labelled group of suggested-reply buttons, or nothing when there are none. */
export function renderActions(actions: readonly SuggestedAction[], t: Strings): HTMLElement | undefined {
  if (actions.length === 0) return undefined;
  return el(
    'div',
    { class: 'actions', attrs: { role: 'group', 'aria-label': t.replies } },
    actions.map(renderAction),
  );
}
