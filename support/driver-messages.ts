/** What the driver is told about the handoff, in their language (English and Spanish). */
export interface DriverMessages {
  queued(position: number, waitMinutes: number | null): string;
  noAgents: string;
  overdue: string;
  continueWithBot: string;
  leaveMessage: string;
  leaveMessageAck: string;
  left: string;
  claimed(name: string): string;
  released(name: string): string;
  closed(name: string): string;
  thanks: string;
}

const en: DriverMessages = {
  queued: (n, m) =>
    `You're number ${n} in the queue${m ? ` — the wait is usually about ${Math.max(1, Math.round(m * n))} min` : ''}. ` +
    `I'll stay quiet until a person joins; write "back to the bot" to carry on with me instead.`,
  noAgents:
    'Nobody from our team is online right now. You can carry on with me, or leave a message and a person will answer here later.',
  overdue:
    "Sorry — nobody has been free to take this yet. You can carry on with me, or leave a message and we'll answer here.",
  continueWithBot: 'Carry on with the assistant',
  leaveMessage: 'Leave a message',
  leaveMessageAck: 'Write your message here; a person will answer in this chat as soon as someone is free.',
  left: "OK, you're back with the assistant. How can I help?",
  claimed: (name) => `${name} from our team has joined the conversation.`,
  released: (name) => `${name} handed you back to the assistant. How can I help?`,
  closed: (name) => `${name} has closed the conversation. How did we do? (1 = poor, 5 = great)`,
  thanks: 'Thanks for letting us know!',
};

const es: DriverMessages = {
  queued: (n, m) =>
    `Eres el número ${n} en la cola${m ? ` — la espera suele ser de unos ${Math.max(1, Math.round(m * n))} min` : ''}. ` +
    `No responderé hasta que se una una persona; escribe "volver al bot" para seguir conmigo.`,
  noAgents:
    'Ahora mismo no hay nadie del equipo conectado. Puedes seguir conmigo o dejar un mensaje y una persona te responderá aquí más tarde.',
  overdue:
    'Lo siento, nadie ha podido atenderte todavía. Puedes seguir conmigo o dejar un mensaje y te responderemos aquí.',
  continueWithBot: 'Seguir con el asistente',
  leaveMessage: 'Dejar un mensaje',
  leaveMessageAck: 'Escribe tu mensaje aquí; una persona te responderá en este chat en cuanto pueda.',
  left: 'Vale, vuelves a hablar con el asistente. ¿En qué te ayudo?',
  claimed: (name) => `${name}, de nuestro equipo, se ha unido a la conversación.`,
  released: (name) => `${name} te ha devuelto al asistente. ¿En qué te ayudo?`,
  closed: (name) => `${name} ha cerrado la conversación. ¿Qué tal te hemos atendido? (1 = mal, 5 = genial)`,
  thanks: '¡Gracias por decírnoslo!',
};

const BY_LANGUAGE: Record<string, DriverMessages> = { en, es };

export const driverMessages = (locale: string | null | undefined): DriverMessages =>
  BY_LANGUAGE[(locale ?? 'en').slice(0, 2).toLowerCase()] ?? en;

const normalise = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N} ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Leave the queue while waiting: any of these, alone. */
const LEAVE_WHILE_WAITING = new Set([
  'back to the bot',
  'back to bot',
  'bot',
  'the bot',
  'cancel',
  'stop',
  'never mind',
  'nevermind',
  'leave the queue',
  'quit',
  'volver al bot',
  'vuelve al bot',
  'al bot',
  'cancelar',
  'cancela',
  'para',
  'salir',
  'dejalo',
  'olvidalo',
]);
/** While a person is talking, "cancel" may be about a booking: only an explicit request leaves. */
const LEAVE_WHILE_HELD = new Set(['back to the bot', 'back to bot', 'volver al bot', 'vuelve al bot']);

export const BUTTON = {
  leave: 'handoff:leave',
  message: 'handoff:message',
  ratePrefix: 'handoff:rate:',
} as const;

export function wantsToLeave(text: string | undefined, value: string | undefined, held: boolean): boolean {
  if (value === BUTTON.leave) return true;
  if (!text) return false;
  return (held ? LEAVE_WHILE_HELD : LEAVE_WHILE_WAITING).has(normalise(text));
}

export function ratingOf(value: string | undefined): number | null {
  if (!value?.startsWith(BUTTON.ratePrefix)) return null;
  const n = Number(value.slice(BUTTON.ratePrefix.length));
  return Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}
