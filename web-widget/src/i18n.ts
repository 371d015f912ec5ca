/**
 * The widget's own few words (everything else comes from the bot, already in the driver's
 * language). English and Spanish; add a language by adding one object of the same shape.
 */
export const LANGS = ['en', 'es'] as const;
export type Lang = (typeof LANGS)[number];

const en = {
  defaultTitle: 'Parking assistant',
  openChat: (title: string) => `Open chat: ${title}`,
  unread: (n: number) => (n === 1 ? '1 new message' : `${n} new messages`),
  closeChat: 'Close chat',
  intro: 'Hi! Tell me where and when you would like to park, for example “near the station tomorrow 9 to 5”.',
  /** buttons the greeting offers; values as the bot's own buttons ("location:ask" asks the browser) */
  starters: [
    { title: 'Book a space', value: 'intent:book_parking' },
    { title: 'Parking near me', value: 'location:ask' },
    { title: 'Prices', value: 'intent:pricing' },
    { title: 'Talk to a person', value: 'intent:human_agent' },
  ] as ReadonlyArray<{ title: string; value: string }>,
  conversation: 'Conversation',
  inputLabel: 'Your message',
  placeholder: 'Type a message…',
  send: 'Send',
  typing: 'The assistant is typing…',
  agentTyping: (name: string) => `${name} is typing…`,
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  unavailable: 'Chat is unavailable right now. Trying again…',
  notConnected: 'Not connected yet; your message is still in the box. Send it again in a moment.',
  truncated: (max: number) => `Messages are limited to ${max} characters; yours was shortened.`,
  you: 'You:',
  bot: 'Assistant:',
  agent: 'Support agent:',
  replies: 'Suggested replies',
  free: (free: number, total: number) => `${free} of ${total} free`,
  full: (total: number) => `Full (${total} spaces)`,
  today: (hours: string) => `Today ${hours}`,
  reference: 'Reference',
  status: 'Status',
  facility: 'Car park',
  space: 'Space',
  plate: 'Plate',
  when: 'When',
  price: 'Price',
  locationUnavailable: 'Your location is not available; tell me a place or a car park instead.',
};

export type Strings = typeof en;

const es: Strings = {
  defaultTitle: 'Asistente de aparcamiento',
  openChat: (title) => `Abrir chat: ${title}`,
  unread: (n) => (n === 1 ? '1 mensaje nuevo' : `${n} mensajes nuevos`),
  closeChat: 'Cerrar chat',
  intro: '¡Hola! Dime dónde y cuándo quieres aparcar; por ejemplo, «cerca de la estación mañana de 9 a 5».',
  starters: [
    { title: 'Reservar plaza', value: 'intent:book_parking' },
    { title: 'Aparcar cerca de mí', value: 'location:ask' },
    { title: 'Precios', value: 'intent:pricing' },
    { title: 'Hablar con una persona', value: 'intent:human_agent' },
  ],
  conversation: 'Conversación',
  inputLabel: 'Tu mensaje',
  placeholder: 'Escribe un mensaje…',
  send: 'Enviar',
  typing: 'El asistente está escribiendo…',
  agentTyping: (name: string) => `${name} está escribiendo…`,
  connecting: 'Conectando…',
  reconnecting: 'Reconectando…',
  unavailable: 'El chat no está disponible ahora. Lo volvemos a intentar…',
  notConnected: 'Aún sin conexión; tu mensaje sigue en el cuadro. Vuelve a enviarlo en un momento.',
  truncated: (max) => `Los mensajes tienen un máximo de ${max} caracteres; el tuyo se ha recortado.`,
  you: 'Tú:',
  bot: 'Asistente:',
  agent: 'Agente de soporte:',
  replies: 'Respuestas sugeridas',
  free: (free, total) => `${free} de ${total} libres`,
  full: (total) => `Completo (${total} plazas)`,
  today: (hours) => `Hoy ${hours}`,
  reference: 'Referencia',
  status: 'Estado',
  facility: 'Aparcamiento',
  space: 'Plaza',
  plate: 'Matrícula',
  when: 'Cuándo',
  price: 'Precio',
  locationUnavailable: 'No tengo acceso a tu ubicación; dime un sitio o un aparcamiento.',
};

const byLang: Record<Lang, Strings> = { en, es };

/** The strings for a language, e.g. `strings('es').send === 'Enviar'`. */
export function strings(lang: Lang): Strings {
  return byLang[lang];
}

/** The supported language a tag such as `es-MX` or `EN` names, if any. */
export function matchLang(tag: string | null | undefined): Lang | undefined {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGS.find((l) => l === base);
}
