import type { Understood } from '../ports.ts';

/** A question the bot answers directly, in one reply, instead of starting a booking. */
export type Question = 'space' | 'availability' | 'price' | 'hours' | 'maxStay';

const ASKS: ReadonlyArray<readonly [Question, RegExp]> = [
  [
    'maxStay',
    /\b(how long can (i|you|we)|max(imum)?\.? (stay|time|length|hours)|longest (stay|i can)|time limit|cu[aá]nto tiempo (puedo|se puede)|estancia m[aá]xima|tiempo m[aá]ximo|m[aá]ximo de horas)\b/i,
  ],
  [
    'hours',
    /\b(opening (hours|times)|open(ing)? (on|at|till|til|until|today|tonight|tomorrow|now|24)|is (it|\S+( \S+)?) open|are (you|they) open|what time does|when does .{0,30}(open|close)|(open|close)s? at what time|closing time|horario|a qu[eé] hora (abre|cierra)|est[aá] abierto|abre (el|los|hoy|ma[nñ]ana)|cierra)\b/i,
  ],
  [
    'price',
    /\b(how much|what('?s| is| does| would)? (it|the|that)? ?(cost|price|charge)|price|prices|pricing|cost|costs|rate|rates|tariff|fees?|charges|do you charge|cu[aá]nto (cuesta|vale|sale|es|ser[ií]a|costar[ií]a)|precio|precios|tarifa|cobr)/i,
  ],
  [
    'availability',
    /\b(how many|any (\w+ ){0,3}(free|available|empty|open|left|spare)|^(got |have you got |do you have )?any (space|spaces|spots?|slots?|bays?|places?|stalls?|room|parking)\b|(is|are) there (any )?(\w+ ){0,2}(free|space|spaces|spots?|slots?|bays?|places?|room|availability|parking)|availability|(free|empty|available|open|spare) (spaces|spots|slots|bays|places|stalls)|(spaces|spots|slots|bays|places|stalls) (free|left|available|empty|open)|(is|are) (it|\S+) (full|busy|taken|occupied)|how (full|busy)|cu[aá]nt[ao]s (plazas|sitios|huecos)|hay (plazas|sitio|sitios|hueco|huecos|aparcamiento|parking|algo|alguna|libre)|quedan|libres?\b.*\?|disponib|est[aá] (lleno|completo|ocupado))/i,
  ],
];

// "is space 9 free", "bay 12 taken?", "¿está libre la plaza 9?": the state of one numbered space.
const SPACE_STATE =
  /\?|\b(taken|free|occupied|available|empty|in use|libre|ocupad[oa]|disponible|vac[ií][oa])\b/i;

/**
 * Which direct question a message asks, if any: "how many spaces free at kings cross right now",
 * "how much for 3 hours at southbank", "is wembley open on sunday", "how long can I stay".
 * Booking requests ("book me a space…") are never questions.
 */
export function askedQuestion(text: string, u: Understood): Question | null {
  if (u.intent === 'book_parking' && !/\?|^(is|are|how|any|what|cu[aá]nt|hay|qu[eé])\b/i.test(text))
    return null;
  if (['cancel_booking', 'delete_my_data', 'human_agent', 'my_bookings', 'pay'].includes(u.intent))
    return null;
  if (u.entities.spaceNumber && SPACE_STATE.test(text)) return 'space';
  for (const [q, re] of ASKS) if (re.test(text)) return q;
  if (u.intent === 'pricing' && !u.ambiguous) return 'price';
  return null;
}

const EXIT =
  /^(pls |please |ok |okay |oh |no |nah |nope |just )*(cancel|cancel (it|that|this|the booking|booking)|stop( it)?|stop (this|that)|quit|exit|never ?mind|nvm|forget (it|that|about it)|abort|leave it|scrap (it|that)|start (again|over)|cancelar|canc[eé]lalo|cancela(lo|la)?( (la|esta) reserva)?|para|parar|basta|olv[ií]dalo|d[ée]jalo|d[ée]jalo estar|salir|no importa)( please| pls| thanks| thank you| por favor| gracias)?[\s.!]*$/i;

/** "stop", "forget it", "cancela": leave whatever flow is running. */
export const wantsToLeave = (text: string) => EXIT.test(text.trim());
