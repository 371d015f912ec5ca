/**
 * The scripted replies of the fake chat server used by the widget's browser tests: a greeting
 * with buttons, an echo, a facility list (with hostile strings and an unknown attachment type)
 * and a booking summary. Node-only test support; never bundled into the widget.
 */
import type { ChatActivity, ChatAttachment, SuggestedAction } from '../src/protocol.ts';

/**
 * A bot activity without id and timestamp (the server adds those). Attachments are loosely typed
 * so a script can send card types the protocol does not (yet) define.
 */
export type Reply = Omit<ChatActivity, 'id' | 'timestamp' | 'type' | 'from' | 'attachments'> & {
  attachments?: ReadonlyArray<ChatAttachment | { contentType: string; content: unknown }>;
};

export const GREETING: Reply = {
  text: 'Hi! I can find and book parking for you. Where would you like to park?',
  suggestedActions: [
    { title: 'Find parking near me', value: 'intent:find' },
    { title: 'My bookings', value: 'intent:bookings' },
  ],
};

/** Strings a careless renderer would execute; the widget must show them as text. */
export const HOSTILE_NAME = '<img src=x onerror="alert(\'card\')">';
export const HOSTILE_ADDRESS = '<script>alert("address")</script>';

const facilityList: ChatAttachment = {
  contentType: 'application/vnd.parking.facility-list+json',
  content: {
    title: 'Car parks near Covent Garden',
    facilities: [
      {
        facilityId: 'f-covent',
        name: 'Covent Garden',
        address: '12 Drury Lane, WC2B 5RH',
        distanceKm: 0.4,
        free: 12,
        total: 240,
        price: '£6.50/h',
        hoursToday: '00:00–24:00',
        action: { title: 'Book Covent Garden', value: 'facility:f-covent' },
      },
      {
        facilityId: 'f-kings',
        name: "King's Cross",
        address: '3 Goods Way, N1C 4AB',
        distanceKm: 2.1,
        free: 3,
        total: 410,
        price: '£5.20/h',
        action: { title: "Book King's Cross", value: 'facility:f-kings' },
      },
      {
        facilityId: 'f-odd',
        name: HOSTILE_NAME,
        address: HOSTILE_ADDRESS,
        free: 5,
        total: 20,
        price: '£1.00/h',
      },
    ],
  },
};

export const FACILITY_REPLY: Reply = {
  text: 'Here are car parks near Covent Garden with free spaces now:',
  attachments: [
    facilityList,
    // a card type this widget does not know: it must be skipped, not break the message
    { contentType: 'application/vnd.parking.weather+json', content: { forecast: 'rain' } },
  ],
  suggestedActions: [{ title: 'Somewhere else', value: 'intent:other' }],
};

export const BOOKING_REPLY: Reply = {
  text: "Done — I've held a space for you.",
  attachments: [
    {
      contentType: 'application/vnd.parking.booking+json',
      content: {
        title: 'Your booking',
        reference: 'CP-7Q2K',
        status: 'held',
        statusLabel: 'Held — pay within 15 minutes',
        facilityName: 'Covent Garden',
        spaceCode: 'B12',
        spaceKind: 'EV charging',
        plate: 'LD71 ABC',
        when: 'Tue 14 May, 09:00–17:00',
        price: '£52.00',
        note: 'Pay here: https://pay.example/cp-7q2k',
      },
    },
  ],
};

/** Every action type: a link (and a link that is not http(s)), a location request, and a type from the future. */
export const ACTIONS_REPLY: Reply = {
  text: 'Pay for your booking, or share where you are.',
  suggestedActions: [
    { type: 'openUrl', title: 'Pay now', url: 'https://pay.example/cp-7q2k' },
    { type: 'openUrl', title: 'Sneaky', url: 'javascript:alert(1)' },
    { type: 'requestLocation', title: 'Share my location' },
    // an action type this widget does not know: shown as its title
    { type: 'call', title: 'Call us on 020 7946 0000' } as unknown as SuggestedAction,
  ],
};

/** The reply to typed text: a facility list for "find…", every action type for "pay", otherwise an echo. */
export function replyToText(text: string): Reply {
  if (/^find\b/i.test(text)) return FACILITY_REPLY;
  if (/^pay\b/i.test(text)) return ACTIONS_REPLY;
  return { text: `You said: ${text}`, suggestedActions: [{ title: 'Find parking', value: 'intent:find' }] };
}

/** The reply to a pressed button's value. */
export function replyToValue(value: string): Reply {
  if (value === 'intent:find') return FACILITY_REPLY;
  if (value.startsWith('facility:')) return BOOKING_REPLY;
  return { text: `You chose: ${value}` };
}

/** The title of the button with this value in the transcript, for the driver's line in history. */
export function titleOf(value: string, transcript: readonly ChatActivity[]): string {
  for (const a of [...transcript].reverse()) {
    const actions = [
      ...(a.suggestedActions ?? []),
      ...(a.attachments ?? []).flatMap((att) =>
        att.contentType === 'application/vnd.parking.facility-list+json'
          ? att.content.facilities.flatMap((f) => (f.action ? [f.action] : []))
          : [],
      ),
    ];
    const hit = actions.find((x) => 'value' in x && x.value === value);
    if (hit) return hit.title;
  }
  return value;
}
