import { el, srOnly } from '../dom.ts';
import type { ChatActivity } from '../protocol.ts';
import { renderActions } from './actions.ts';
import { renderAttachment, type CardContext } from './cards.ts';
import { appendLinkedText } from './linked-text.ts';

/**
 * One activity as a message: who said it (for screen readers), the text bubble, its cards, and
 * its suggested-reply buttons. `data-activity-id` lets the log skip an activity it already shows.
 *
 * @example log.append(renderActivity(activity, { t: strings('en'), lang: 'en' }))
 */
export function renderActivity(a: ChatActivity, ctx: CardContext): HTMLElement {
  const who = { bot: ctx.t.bot, agent: ctx.t.agent, driver: ctx.t.you }[a.from];
  const cards = (a.attachments ?? []).map((att) => renderAttachment(att, ctx));
  const node = el(
    'div',
    { class: `msg from-${a.from}${cards.length ? ' has-cards' : ''}`, attrs: { 'data-activity-id': a.id } },
    [
      srOnly(who),
      // an agent's name is shown as text (it is an agent's, but still never parsed as HTML)
      a.from === 'agent' && a.name ? el('span', { class: 'sender-name', text: a.name }) : undefined,
      a.text ? bubble(a.text, a.from !== 'driver') : undefined,
      ...cards,
      renderActions(a.suggestedActions ?? [], ctx.t),
    ],
  );
  const time = new Date(a.timestamp);
  if (!Number.isNaN(time.getTime())) node.title = time.toLocaleString(ctx.lang);
  return node;
}

/** The driver's own words, shown at once when sent (typed, or a button's title). */
export function renderDriverText(text: string, ctx: CardContext): HTMLElement {
  return el('div', { class: 'msg from-driver local' }, [srOnly(ctx.t.you), bubble(text, false)]);
}

/** A small system line: a notice from the server or from the widget itself. */
export function renderNotice(message: string): HTMLElement {
  return el('p', { class: 'notice', text: message, attrs: { dir: 'auto' } });
}

/**
 * A text bubble. `dir="auto"` lets right-to-left text lay out correctly on its own; links (only
 * in the bot's or an agent's words, only http/https) are made as `<a>` nodes, the rest is text.
 */
function bubble(text: string, linkify: boolean): HTMLElement {
  const p = el('p', { class: 'bubble', attrs: { dir: 'auto' } });
  if (!linkify) {
    p.textContent = text;
    return p;
  }
  return appendLinkedText(p, text);
}
