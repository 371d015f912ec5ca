import { describe, expect, it } from 'vitest';
import type { Understood } from '../ports.ts';
import { askedQuestion, detectPattern, isPaymentDispute, wantsToLeave } from './index.ts';

const heard = (
  intent: Understood['intent'],
  entities: Understood['entities'] = {},
  score = 0.95,
): Understood => ({
  intent,
  score,
  locale: 'en',
  entities,
});
const booking = { flow: 'booking' };

describe('conversation patterns', () => {
  it('reads leaving in many words, and nothing longer', () => {
    for (const t of [
      'stop',
      'cancel',
      'Forget it!',
      'nah forget it',
      'never mind',
      'nvm',
      'cancela',
      'olvídalo',
    ])
      expect(wantsToLeave(t), t).toBe(true);
    for (const t of ['stop at 5pm', 'cancel my booking PK1234AB', 'book it'])
      expect(wantsToLeave(t), t).toBe(false);
  });

  it('leaves, hands over, switches, digresses or fills', () => {
    expect(detectPattern(heard('deny'), 'stop', booking)).toEqual({ kind: 'cancel' });
    expect(detectPattern(heard('cancel_booking'), 'cancela la reserva', booking)).toEqual({ kind: 'cancel' });
    expect(detectPattern(heard('human_agent'), 'talk to a person', booking)).toEqual({ kind: 'handoff' });
    expect(detectPattern(heard('delete_my_data'), 'delete my data', booking)).toEqual({
      kind: 'switch',
      intent: 'delete_my_data',
    });
    expect(detectPattern(heard('my_bookings'), 'my bookings', booking)).toEqual({
      kind: 'digression',
      intent: 'my_bookings',
    });
    expect(detectPattern(heard('thanks'), 'thanks', booking)).toEqual({ kind: 'chitchat', intent: 'thanks' });
    expect(detectPattern(heard('goodbye'), 'bye', booking)).toEqual({ kind: 'goodbye' });
  });

  it('hands a payment dispute to a person from inside any flow, and leaves plain payment questions alone', () => {
    for (const t of [
      'you took the money twice from my card',
      'I was overcharged last time',
      "i've been charged but have no booking",
      'where is my refund?',
      'I want my money back',
      'me habéis cobrado dos veces',
      'dónde está mi devolución',
    ])
      expect(isPaymentDispute(t), t).toBe(true);
    for (const t of ['how do I pay?', 'send me the payment link', 'can I pay with PayPal', '¿cómo pago?'])
      expect(isPaymentDispute(t), t).toBe(false);
    expect(detectPattern(heard('none'), 'wait, I was overcharged last time', booking)).toEqual({
      kind: 'switch',
      intent: 'pay',
    });
  });

  it('lets the flow take any message with booking details, whatever its intent', () => {
    const plate = heard('affirm', { plate: 'AB12CDE' });
    expect(detectPattern(plate, 'plate is AB12CDE', booking)).toEqual({ kind: 'fill' });
    const range = heard('extend_booking', { time: { start: new Date(), end: new Date() } });
    expect(detectPattern(range, 'actually make it 10 to 12', booking)).toEqual({ kind: 'fill' });
  });

  it('answers a question even when it names details', () => {
    const e = { facility: { id: 'kx', name: "King's Cross" } };
    expect(detectPattern(heard('find_parking', e), 'how many spaces free at kings cross?', booking)).toEqual({
      kind: 'digression',
      question: 'availability',
    });
  });

  it('tells availability, price, hours and maximum-stay questions apart', () => {
    const q = (t: string, intent: Understood['intent'] = 'find_parking') => askedQuestion(t, heard(intent));
    expect(q('how many spaces free at kings cross right now')).toBe('availability');
    expect(q('any EV bays free?')).toBe('availability');
    expect(q('hay plazas libres en wembley?')).toBe('availability');
    expect(q('how much for 3 hours at southbank tomorrow', 'pricing')).toBe('price');
    expect(q('is kings cross open on sunday', 'none')).toBe('hours');
    expect(q('how long can i stay at southbank', 'extend_booking')).toBe('maxStay');
    expect(q('book an EV space at paddington with a charger tomorrow', 'book_parking')).toBeNull();
    expect(q('i need to charge my electric car at kings cross', 'book_parking')).toBeNull();
  });
});
