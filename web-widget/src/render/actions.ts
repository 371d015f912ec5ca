import { el } from '../dom.ts';
import type { Strings } from '../i18n.ts';
import type { SuggestedAction } from '../protocol.ts';

/**
 * A button that sends `value` and shows `title` as the driver's words when pressed. The click is
 * handled once, by delegation on the message log (see `ui/chat-view.ts`), which finds buttons by
 * the `action` class and reads the value from `data-value`.
 */
export function actionButton(action: SuggestedAction, extraClass = ''): HTMLButtonElement {
  return el('button', {
    class: `action ${extraClass}`.trim(),
    text: action.title,
    attrs: { type: 'button', 'data-value': action.value, dir: 'auto' },
  });
}

/** A labelled group of suggested-reply buttons, or nothing when there are none. */
export function renderActions(actions: readonly SuggestedAction[], t: Strings): HTMLElement | undefined {
  if (actions.length === 0) return undefined;
  return el(
    'div',
    { class: 'actions', attrs: { role: 'group', 'aria-label': t.replies } },
    actions.map((a) => actionButton(a)),
  );
}
