import type { Messages } from './en.ts';

/** Todo lo que dice el bot en español. */
export const es: Messages = {
  greet:
    '¡Hola! Soy el asistente de aparcamiento. Puedo buscar plaza, reservarla, ampliarla o cancelarla. ¿Dónde quieres aparcar?',
  goodbye: '¡Adiós! Conduce con cuidado.',
  thanks: '¡De nada!',
  hello: '¡Hola! Encantado de ayudarte.',
  help:
    'Puedo:\n• buscar aparcamiento cerca de un sitio («parking cerca del estadio»)\n• reservar plaza («reserva una plaza con cargador en Paddington mañana de 9 a 11»)\n' +
    '• ver, ampliar o cancelar tus reservas\n• decirte precios\n• pasarte con una persona\nEscribe lo que necesites.',
  notUnderstood: [
    'Perdona, no te he entendido. ¿Puedes decirlo de otra forma? Por ejemplo «reserva una plaza mañana a las 9».',
    'Sigo sin entender qué necesitas.',
  ],
  offerPerson: '¿Quieres hablar con una persona o ver qué puedo hacer?',
  didYouMean: '¿Querías decir…',
  stopped: 'Vale, lo dejo. No he reservado nada. ¿Qué más puedo hacer por ti?',
  idleExpired: 'Estábamos a medias, pero ha pasado un rato, así que he empezado de nuevo.',
  rateLimited:
    'Me estás enviando mensajes más rápido de lo que puedo leer. Espera un minuto y vuelve a probar.',
  tooLong: (max: number) => `El mensaje era largo: solo he leído los primeros ${max} caracteres.`,
  error: 'Perdona, algo ha fallado por mi parte. Inténtalo de nuevo en un momento.',

  askFacility: '¿Dónde quieres aparcar? Dime un aparcamiento o un sitio, o comparte tu ubicación.',
  askStart: '¿Cuándo llegas? (p. ej. «mañana a las 9», «hoy a las 15:00»)',
  askStartOn: (day: string) =>
    `¿A qué hora ${day === 'hoy' || day === 'mañana' ? day : `el ${day}`}? (p. ej. «a las 9», «a las 15:00»)`,
  askEnd: '¿Hasta cuándo? (p. ej. «hasta las 11», «durante 2 horas»)',
  askPlate: '¿Cuál es tu matrícula?',
  askPlateRetry: 'Envíame la matrícula, por ejemplo 1234 ABC.',
  askFacilityRetry:
    "No encuentro ese aparcamiento. Prueba con un nombre como «King's Cross» o un sitio como «cerca del estadio».",
  askTimeRetry: 'Perdona, necesito una hora: por ejemplo «mañana a las 9» o «dentro de 30 minutos».',
  choosePlace: (place: string) => `Aparcamientos cerca de ${place}:`,
  chooseFacility: '¿Cuál?',
  noFacilityNear: (place: string) =>
    `No encuentro aparcamientos cerca de ${place}. Prueba con otro sitio o con el nombre del aparcamiento.`,
  corrected: (what: string) => `Entendido: ${what}.`,
  changedStart: (when: string) => `empieza ${when}`,
  changedEnd: (when: string) => `hasta ${when}`,
  changedFacility: (name: string) => `en ${name}`,
  changedPlate: (plate: string) => `matrícula ${plate}`,
  changedKind: (kind: string) => `plaza ${kind}`,
  quote: (facility: string, kind: string, when: string, price: string, surge: string) =>
    `Plaza ${kind} en ${facility}, ${when}: ${price}${surge}. ¿La reservo?`,
  surge: (x: string) => ` (hora punta: ×${x})`,
  bookIt: 'Reservar',
  change: 'Cambiar algo',
  cancelFlow: 'Cancelar',
  whatToChange: '¿Qué cambio? Puedes decirme otra hora, sitio o matrícula.',
  notBooked: 'Vale, no he reservado nada.',
  booked: (ref: string) => `¡Hecho! Tu reserva ${ref} está confirmada. Pagas en el aparcamiento al llegar.`,
  bookingCardTitle: 'Tu reserva',
  refusals: {
    'BOOKING.NO_SPACE_AVAILABLE':
      'Lo siento, ese aparcamiento no tiene plazas libres de ese tipo para esa hora.',
    'BOOKING.SPACE_TAKEN': 'Lo siento, esa plaza se acaba de ocupar.',
    'BOOKING.OUTSIDE_OPENING_HOURS': 'Ese aparcamiento está cerrado durante parte de ese horario.',
    'BOOKING.TOO_LONG': (max: string) => `Es más que la estancia máxima allí (${max}).`,
    'BOOKING.IN_PAST': 'Esa hora ya ha pasado. ¿Cuándo llegas?',
    'BOOKING.INVALID_WINDOW': 'El final tiene que ser después del inicio.',
    'BOOKING.HOLD_EXPIRED': 'La plaza que te guardaba se ha liberado. ¿Lo intentamos de nuevo?',
    'BOOKING.NOT_YOURS': 'No encuentro esa reserva entre las tuyas.',
    'BOOKING.NOT_FOUND': 'No encuentro esa reserva.',
    'BOOKING.INVALID_STATE': 'Esa reserva ya no se puede cambiar.',
    other: 'Lo siento, no he podido hacerlo.',
  },
  tryAnotherTime: 'Probar otra hora',
  tryNearby: 'Ver aparcamientos cercanos',

  nearest: 'Aparcamientos más cercanos con plazas libres ahora:',
  facilities: 'Aparcamientos:',
  bookHere: 'Reservar aquí',
  shareLocation: 'Compartir mi ubicación',
  priceList: 'Precios por hora:',
  priceQuote: (facility: string, when: string, price: string) => `${facility}, ${when}: ${price}.`,

  noBookings: 'No tienes reservas próximas.',
  yourBookings: 'Tus próximas reservas:',
  whichBooking: '¿Qué reserva?',
  confirmCancel: (ref: string, when: string) => `¿Cancelo la reserva ${ref} (${when})?`,
  cancelled: (ref: string) => `La reserva ${ref} está cancelada.`,
  keepIt: 'Mantenerla',
  yesCancel: 'Sí, cancelar',
  askNewEnd: (ref: string, until: string) => `La reserva ${ref} termina ${until}. ¿Hasta cuándo la amplío?`,
  confirmExtend: (ref: string, until: string, extra: string) =>
    `¿Amplío ${ref} hasta ${until} por ${extra} más?`,
  extended: (ref: string, until: string) => `La reserva ${ref} ahora termina ${until}.`,
  extendRef: (ref: string) => `Ampliar ${ref}`,
  cancelRef: (ref: string) => `Cancelar ${ref}`,
  yesExtend: 'Sí, ampliar',
  kept: 'Vale, no he cambiado nada.',

  confirmDelete:
    'Esto borra tu nombre, datos de contacto, matrículas y nuestras conversaciones, y cancela tus próximas reservas. Las reservas pasadas se quedan, anonimizadas. ¿Lo borro todo?',
  deleted: 'Hecho. Tus datos personales se han borrado. Si vuelves a escribir, empezamos de cero.',
  yesDelete: 'Sí, borrar mis datos',
  noKeep: 'No, mantenerlos',
  handoff: 'He pedido que una persona se una a esta conversación. Te responderá aquí en cuanto pueda.',
  talkToPerson: 'Hablar con una persona',
  showHelp: '¿Qué puedes hacer?',
  pay: 'De momento se paga en el aparcamiento; pronto habrá enlaces de pago online.',

  stoppedNothingChanged: 'Vale, lo dejo. No he cambiado nada. ¿Qué más puedo hacer por ti?',
  leftBooking: 'Vale, dejo la reserva que estábamos haciendo (no he reservado nada).',
  cannotHandle: 'Perdona, con eso no puedo ayudarte.',
  whatICanDo: 'Puedo buscar y reservar aparcamiento, y ver, ampliar o cancelar tus reservas.',
  goodbyeMidFlow: 'Vale, lo dejo: no he reservado nada. ¡Adiós! Conduce con cuidado.',

  rightNow: 'ahora mismo',
  freeCount: (n: number) => `${n} ${n === 1 ? 'libre' : 'libres'}`,
  oneFacility: (name: string, free: number, total: number, price: string) =>
    `${name}: ${free} de ${total} plazas libres ahora, ${price}.`,
  spaceWhich: (n: string) =>
    `¿En qué aparcamiento está la plaza ${n}? Dime su nombre, por ejemplo «¿está libre la plaza ${n} en Paddington?».`,
  spaceMissing: (n: string, name: string) => `${name} no tiene ninguna plaza con el número ${n}.`,
  spaceIs: (code: string, name: string, state: string, when: string) =>
    `La plaza ${code} de ${name} está ${state} ${when}.`,
  spacesAre: (n: string, name: string, when: string) => `${name} tiene más de una plaza ${n}; ${when}:`,
  spaceStates: { free: 'libre', booked: 'ocupada (reservada)', occupied: 'ocupada (hay un coche aparcado)' },
  freeAt: (name: string, free: number, total: number, when: string) =>
    `${name} tiene ${free} de ${total} plazas libres ${when}.`,
  freeKindAt: (name: string, free: number, total: number, kind: string, when: string) =>
    free
      ? `${name} tiene ${free} ${free === 1 ? 'plaza' : 'plazas'} ${kind} ${free === 1 ? 'libre' : 'libres'} ${when} (de ${total}).`
      : `${name} no tiene plazas ${kind} libres ${when} (tiene ${total}).`,
  noKindThere: (name: string, kind: string) => `${name} no tiene plazas ${kind}.`,
  byKind: (parts: string) => `Por tipo: ${parts}.`,
  freeList: (kind: string, when: string) => `Plazas ${kind ? `${kind} ` : ''}libres ${when}:`,
  stayPrice: (duration: string, name: string, when: string, total: string, kind?: string) =>
    `${duration}${kind ? ` en plaza ${kind}` : ''} en ${name}, ${when}: ${total}.`,
  normalDemand: (rate: string, hours: string) => `Son ${rate}/h × ${hours} con demanda normal (sin recargo).`,
  busyDemand: (rate: string, hours: string, x: string, pct: number) =>
    `Son ${rate}/h × ${hours} × ${x} por demanda: a esa hora está ocupado el ${pct}% de las plazas de ese tipo.`,
  pricesFor: (duration: string) => `${duration} cuesta, con demanda normal:`,
  askStayForPrice:
    'Para un precio exacto dime dónde y cuánto tiempo, p. ej. «3 horas en Southbank mañana». En horas punta cuesta más (hasta 3×).',
  openingHours: (name: string, hours: string) => `${name} abre ${hours}.`,
  openOnDay: (name: string, day: string, hours: string) =>
    hours === 'cerrado' ? `${name} está cerrado el ${day}.` : `${name} el ${day}: ${hours}.`,
  maxStay: (name: string, max: string) => `En ${name} se puede aparcar como máximo ${max}.`,
  everyDay: 'todos los días',
  closedText: 'cerrado',
  open24: 'abierto 24 horas',
  unknownPlace: (place: string) => `No conozco ningún aparcamiento en ${place}.`,
  nearestTo: (place: string) => `Los aparcamientos que conozco más cercanos a ${place}:`,
  knownCarParks: 'Estos son los aparcamientos que conozco:',
  passed: (asked: string, now: string) =>
    `${asked.charAt(0).toUpperCase() + asked.slice(1)} ya ha pasado: ahora son las ${now}.`,
  proposeInstead: '¿Reservo una de estas opciones, o me dices otra hora?',
  fromNow: (window: string) => `Desde ahora: ${window}`,
  closedThen: (name: string, hours: string) =>
    `${name} está cerrado durante parte de ese horario (ese día abre ${hours}).`,

  weekdays: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
  kinds: {
    standard: 'normal',
    ev: 'con cargador',
    accessible: 'adaptada',
    motorcycle: 'de moto',
    family: 'familiar',
    oversize: 'grande',
  },
  kindWord(kind: string, count: number): string {
    const many: Record<string, string> = {
      standard: 'normales',
      accessible: 'adaptadas',
      family: 'familiares',
      oversize: 'grandes',
    };
    return (count === 1 ? undefined : many[kind]) ?? this.kinds[kind] ?? kind;
  },
  statuses: {
    held: 'reservada provisionalmente',
    confirmed: 'confirmada',
    active: 'en curso',
    completed: 'terminada',
    cancelled: 'cancelada',
    expired: 'caducada',
  },
  yes: 'Sí',
  no: 'No',
  hours: (h: number) => (h === 1 ? '1 hora' : `${h} horas`),
  minutes: (m: number) => `${m} min`,
};
