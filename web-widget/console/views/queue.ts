import { el } from '../../src/dom.ts';
import { CHANNELS, LANGUAGES, waited } from '../format.ts';
import type { HandoffItem } from '../protocol.ts';

export interface QueueHandlers {
  open(handoff: HandoffItem): void;
}

/** The queue: waiting conversations (oldest first), then those held by agents. Every field is text. */
export function renderQueue(
  root: HTMLElement,
  handoffs: readonly HandoffItem[],
  me: string,
  selected: string | null,
  h: QueueHandlers,
): void {
  const waiting = handoffs.filter((x) => x.status === 'waiting');
  const mine = handoffs.filter((x) => x.status === 'active' && x.agent?.id === me);
  const others = handoffs.filter((x) => x.status === 'active' && x.agent?.id !== me);
  const section = (title: string, items: HandoffItem[], empty: string) =>
    el('section', { class: 'queue-section' }, [
      el('h2', { text: `${title} (${items.length})` }),
      items.length
        ? el(
            'ul',
            { class: 'queue-list' },
            items.map((x) => item(x, x.id === selected, h)),
          )
        : el('p', { class: 'muted', text: empty }),
    ]);
  root.replaceChildren(
    section('Waiting', waiting, 'Nobody is waiting.'),
    section('Mine', mine, 'You hold no conversations.'),
    section('With other agents', others, 'None.'),
  );
}

function item(x: HandoffItem, selected: boolean, h: QueueHandlers): HTMLLIElement {
  const button = el(
    'button',
    { class: `queue-item${selected ? ' selected' : ''}`, attrs: { type: 'button', 'data-handoff': x.id } },
    [
      el('span', { class: 'channel', text: CHANNELS[x.channel] ?? x.channel }),
      el('span', { class: 'language', text: x.language ? (LANGUAGES[x.language] ?? x.language) : '' }),
      el('span', { class: 'waited', text: waited(x.createdAt), attrs: { 'data-since': x.createdAt } }),
      el('span', { class: 'reason', text: x.reason ?? 'asked for a person' }),
      x.agent ? el('span', { class: 'holder', text: x.agent.displayName }) : undefined,
    ],
  );
  button.addEventListener('click', () => h.open(x));
  return el('li', {}, [button]);
}
