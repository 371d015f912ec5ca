import type { Locale } from './ports.ts';

/** What the payment step and booking notifications say, in English and Spanish. */
export const PAYMENT_TEXTS = {
  en: {
    heldPay: (price: string, minutes: number, ref: string) =>
      `I'm holding the space for ${minutes} minutes (booking ${ref}). It's ${price} — pay with the button below and it's yours.`,
    payButton: (price: string) => `Pay ${price}`,
    howToPay:
      'You pay online when you book: after "Book it" I hold the space and send a Pay button (card or PayPal). Nothing of yours is waiting for payment right now.',
    disputeNeedsPerson:
      "I can't sort out a payment problem myself, so I'm passing this to a person who can look at your payments.",
    payUnavailable: (minutes: number) =>
      `I'm holding the space for ${minutes} minutes, but I can't open the payment page right now. Please try again in a moment.`,
    confirmed: 'Payment received — booking confirmed.',
    extensionPaid: 'Payment received — your extra time is confirmed.',
    receipt: (amount: string, ref: string, provider: string) =>
      `Receipt: ${amount} for booking ${ref} (${provider}).`,
    receiptLink: 'Receipt',
    startsSoon: (place: string, space: string, time: string) =>
      `Reminder: your parking at ${place} starts at ${time}, space ${space}.`,
    directions: 'Directions',
    endsSoon: (time: string) => `Your parking ends at ${time}.`,
    endsSoonExtend: (time: string) =>
      `Your parking ends at ${time}. Need longer? The space is free for another hour.`,
    extendHour: 'Extend 1 hour',
    holdLapsed: (ref: string) =>
      `The hold on booking ${ref} lapsed before it was paid, so the space was released.`,
    bookAgain: 'Book again',
    refunded: (amount: string, ref: string) =>
      `A refund of ${amount} for booking ${ref} is on its way back to you.`,
    extendPay: (price: string, until: string) =>
      `I've added the time until ${until}. It's ${price} more — pay to keep it.`,
    stopReminders:
      'OK, no more reminders. I will still tell you about payments and refunds. Say "start reminders" to have them back.',
    startReminders: "OK, I'll remind you before your bookings start and end.",
    cancelPolicy: (amount: string) => `Cancelling now refunds ${amount} in full.`,
    cancelNoRefund: (hours: number) =>
      `Cancelling now refunds nothing: full refunds are up to ${hours} hours before the start.`,
    providers: { stripe: 'Stripe', paypal: 'PayPal', test: 'test payment, no money moved' } as Record<
      string,
      string
    >,
  },
  es: {
    heldPay: (price: string, minutes: number, ref: string) =>
      `Te guardo la plaza ${minutes} minutos (reserva ${ref}). Son ${price}: paga con el botón de abajo y es tuya.`,
    payButton: (price: string) => `Pagar ${price}`,
    howToPay:
      'Se paga online al reservar: tras "Reservar" te guardo la plaza y te envío un botón de pago (tarjeta o PayPal). Ahora mismo no tienes nada pendiente de pago.',
    disputeNeedsPerson:
      'No puedo resolver un problema con un pago yo solo, así que se lo paso a una persona que pueda revisar tus pagos.',
    payUnavailable: (minutes: number) =>
      `Te guardo la plaza ${minutes} minutos, pero ahora mismo no puedo abrir la página de pago. Inténtalo de nuevo en un momento.`,
    confirmed: 'Pago recibido: reserva confirmada.',
    extensionPaid: 'Pago recibido: tu tiempo extra está confirmado.',
    receipt: (amount: string, ref: string, provider: string) =>
      `Recibo: ${amount} por la reserva ${ref} (${provider}).`,
    receiptLink: 'Recibo',
    startsSoon: (place: string, space: string, time: string) =>
      `Recordatorio: tu aparcamiento en ${place} empieza a las ${time}, plaza ${space}.`,
    directions: 'Cómo llegar',
    endsSoon: (time: string) => `Tu aparcamiento termina a las ${time}.`,
    endsSoonExtend: (time: string) =>
      `Tu aparcamiento termina a las ${time}. ¿Necesitas más? La plaza está libre una hora más.`,
    extendHour: 'Ampliar 1 hora',
    holdLapsed: (ref: string) => `La reserva ${ref} no se pagó a tiempo y la plaza quedó libre.`,
    bookAgain: 'Reservar de nuevo',
    refunded: (amount: string, ref: string) => `Te estamos devolviendo ${amount} de la reserva ${ref}.`,
    extendPay: (price: string, until: string) =>
      `He añadido el tiempo hasta las ${until}. Son ${price} más: paga para mantenerlo.`,
    stopReminders:
      'Vale, no más recordatorios. Te seguiré avisando de pagos y devoluciones. Di "activar recordatorios" para recuperarlos.',
    startReminders: 'Vale, te avisaré antes de que empiecen y terminen tus reservas.',
    cancelPolicy: (amount: string) => `Si cancelas ahora se te devuelven ${amount} íntegros.`,
    cancelNoRefund: (hours: number) =>
      `Si cancelas ahora no hay devolución: solo se devuelve todo hasta ${hours} horas antes del inicio.`,
    providers: { stripe: 'Stripe', paypal: 'PayPal', test: 'pago de prueba, sin dinero real' } as Record<
      string,
      string
    >,
  },
} satisfies Record<Locale, unknown>;

export type PaymentTexts = (typeof PAYMENT_TEXTS)['en'];
export const paymentTexts = (locale: Locale): PaymentTexts => PAYMENT_TEXTS[locale];
