import { el } from '../../src/dom.ts';
import { CHANNELS, money, time } from '../format.ts';
import type { BookingItem, HandoffDetailItem, TranscriptItem } from '../protocol.ts';

export interface ConversationHandlers {
  claim(): void;
  send(text: string, internal: boolean): void;
  typing(): void;
  release(): void;
  close(resolution: string): void;
  cancelBooking(b: BookingItem): void;
  extendBooking(b: BookingItem, to: string): void;
}

/** Ready answers for what agents say most; they go into the reply box to be edited, never sent blind. */
export const CANNED_REPLIES: readonly string[] = [
  "Hi, I'm here to help. Let me look at your booking.",
  'Thanks for waiting. I have cancelled that booking for you; you will not be charged.',
  'I have extended your booking. Anything else I can do?',
  'I am handing you back to the assistant now. Write "agent" any time to reach us again.',
];

const SENDER: Record<TranscriptItem['sender'], string> = {
  driver: 'Driver',
  bot: 'Bot',
  agent: 'Agent',
  system: 'System',
};

/** One transcript line; what the driver wrote goes in as text only. */
export function lineView(line: TranscriptItem, internal = false): HTMLLIElement {
  return el('li', { class: `line from-${line.sender}${internal ? ' internal' : ''}` }, [
    el('span', { class: 'who', text: internal ? 'Internal note' : SENDER[line.sender] }),
    el('span', { class: 'text', text: line.text ?? (line.value ? `[pressed ${line.value}]` : '') }),
    el('time', { class: 'at', text: time(line.at), attrs: { datetime: line.at } }),
  ]);
}

/** The whole conversation: summary, transcript and notes, the driver's bookings, and the actions. */
export function renderConversation(
  root: HTMLElement,
  d: HandoffDetailItem,
  me: string,
  h: ConversationHandlers,
): { transcript: HTMLOListElement; typing: HTMLElement } {
  const x = d.handoff;
  const mine = x.status === 'active' && x.agent?.id === me;
  const transcript = el('ol', { class: 'transcript', attrs: { 'aria-label': 'Transcript' } }, [
    ...d.transcript.map((l) => lineView(l)),
    ...d.notes.map((n) =>
      lineView({ id: `note-${n.at}`, sender: 'agent', text: n.text, value: null, at: n.at }, true),
    ),
  ]);
  const typing = el('p', { class: 'typing muted', attrs: { hidden: '' } });
  root.replaceChildren(
    el('header', { class: 'conversation-head' }, [
      el('h2', { text: `${CHANNELS[x.channel] ?? x.channel} conversation` }),
      el('p', {
        class: 'status',
        text: x.status === 'active' ? `Held by ${x.agent?.displayName ?? 'an agent'}` : `Status: ${x.status}`,
      }),
      actions(x.status, mine, h),
    ]),
    el('section', { class: 'summary' }, [
      el('h3', { text: "Bot's summary" }),
      el('p', { class: 'reason', text: `Reason: ${x.reason ?? 'asked for a person'}` }),
      el('p', { class: 'summary-text', text: x.summary ?? 'No summary.' }),
    ]),
    bookings(d.bookings, mine, h),
    transcript,
    typing,
    mine
      ? replyBox(h)
      : el('p', { class: 'muted', text: x.status === 'waiting' ? 'Claim the conversation to reply.' : '' }),
  );
  transcript.lastElementChild?.scrollIntoView({ block: 'end' });
  return { transcript, typing };
}

function actions(status: string, mine: boolean, h: ConversationHandlers): HTMLElement {
  const button = (label: string, run: () => void, cls = '') => {
    const b = el('button', { class: cls, text: label, attrs: { type: 'button' } });
    b.addEventListener('click', run);
    return b;
  };
  if (status === 'waiting') return el('div', { class: 'actions' }, [button('Claim', h.claim, 'primary')]);
  if (!mine) return el('div', { class: 'actions' });
  const resolution = el('input', {
    attrs: { name: 'resolution', placeholder: 'Resolution', maxlength: '1000' },
  });
  return el('div', { class: 'actions' }, [
    button('Hand back to the bot', h.release),
    resolution,
    button('Close', () => {
      const r = resolution.value.trim();
      if (r) h.close(r);
      else resolution.focus();
    }),
  ]);
}

function bookings(items: readonly BookingItem[], mine: boolean, h: ConversationHandlers): HTMLElement {
  if (!items.length)
    return el('section', { class: 'bookings' }, [
      el('h3', { text: "Driver's bookings" }),
      el('p', { class: 'muted', text: 'No current bookings.' }),
    ]);
  return el('section', { class: 'bookings' }, [
    el('h3', { text: "Driver's bookings" }),
    el(
      'ul',
      {},
      items.map((b) => {
        const tz = b.facility?.timeZone;
        const extendTo = el('input', {
          attrs: { type: 'datetime-local', name: 'extend-to', 'aria-label': `New end for ${b.reference}` },
        });
        const cancel = el('button', { text: 'Cancel', attrs: { type: 'button' } });
        const extend = el('button', { text: 'Extend', attrs: { type: 'button' } });
        cancel.addEventListener('click', () => h.cancelBooking(b));
        extend.addEventListener(
          'click',
          () => extendTo.value && h.extendBooking(b, new Date(extendTo.value).toISOString()),
        );
        return el('li', { class: 'booking', attrs: { 'data-booking': b.id } }, [
          el('strong', { text: `${b.reference} · ${b.status}` }),
          el('span', {
            text: `${b.facility?.name ?? 'Car park'} · space ${b.spaceCode} (${b.spaceKind}) · ${b.plate}`,
          }),
          el('span', {
            text: `${time(b.from, tz)} – ${time(b.to, tz)} · ${money(b.price.amountMinor, b.price.currency)}`,
          }),
          b.facility
            ? el('span', {
                class: 'free',
                text: `${b.facility.free} of ${b.facility.total} free now`,
                attrs: { 'data-facility': b.facility.id },
              })
            : undefined,
          mine ? el('div', { class: 'booking-actions' }, [cancel, extendTo, extend]) : undefined,
        ]);
      }),
    ),
  ]);
}

/** how often, at most, the composer tells the server the agent is typing */
const TYPING_EVERY_MS = 2_000;

function replyBox(h: ConversationHandlers): HTMLFormElement {
  const text = el('textarea', {
    attrs: {
      name: 'reply',
      rows: '3',
      maxlength: '4000',
      placeholder: 'Reply to the driver…',
      'aria-label': 'Reply',
    },
  });
  const internal = el('input', { attrs: { type: 'checkbox', name: 'internal' } });
  const canned = el('select', { attrs: { name: 'canned', 'aria-label': 'Canned replies' } }, [
    el('option', { text: 'Canned replies…', attrs: { value: '' } }),
    ...CANNED_REPLIES.map((r) => el('option', { text: r, attrs: { value: r } })),
  ]);
  canned.addEventListener('change', () => {
    if (canned.value) text.value = canned.value;
    canned.value = '';
    text.focus();
  });
  // The server shows the driver "typing…" at most every few seconds; a note is not for the driver.
  let lastTyping = 0;
  text.addEventListener('input', () => {
    if (!internal.checked && Date.now() - lastTyping > TYPING_EVERY_MS) {
      lastTyping = Date.now();
      h.typing();
    }
  });
  const form = el('form', { class: 'reply' }, [
    text,
    el('div', { class: 'reply-row' }, [
      canned,
      el('label', {}, [internal, document.createTextNode(' Internal note')]),
      el('button', { class: 'primary', text: 'Send', attrs: { type: 'submit' } }),
    ]),
  ]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const t = text.value.trim();
    if (!t) return;
    h.send(t, internal.checked);
    text.value = '';
  });
  return form;
}
