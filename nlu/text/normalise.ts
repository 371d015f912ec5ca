import type { Locale } from '../intents.ts';

// Texting shorthand drivers actually type, mapped to the words the corpus is written in. Kept per
// language because the same letters mean different things ("ya" is "already" in Spanish).
const SHORTHAND: Record<Locale, Record<string, string>> = {
  en: {
    u: 'you',
    ur: 'your',
    r: 'are',
    pls: 'please',
    plz: 'please',
    pleas: 'please',
    thx: 'thanks',
    thnx: 'thanks',
    thanx: 'thanks',
    tnx: 'thanks',
    ty: 'thank you',
    tysm: 'thank you so much',
    tmrw: 'tomorrow',
    tmr: 'tomorrow',
    tmrrw: 'tomorrow',
    tmw: 'tomorrow',
    tomoz: 'tomorrow',
    '2moro': 'tomorrow',
    '2morrow': 'tomorrow',
    tonite: 'tonight',
    '2nite': 'tonight',
    '2day': 'today',
    tdy: 'today',
    k: 'ok',
    kk: 'ok',
    okey: 'ok',
    okay: 'ok',
    wanna: 'want to',
    gonna: 'going to',
    gotta: 'got to',
    dont: 'do not',
    cant: 'can not',
    wont: 'will not',
    didnt: 'did not',
    doesnt: 'does not',
    isnt: 'is not',
    im: 'i am',
    ive: 'i have',
    whats: 'what is',
    hows: 'how is',
    wheres: 'where is',
    b4: 'before',
    rn: 'right now',
    hrs: 'hours',
    hr: 'hour',
    h: 'hours',
    mins: 'minutes',
    min: 'minutes',
    cx: 'cancel',
    canx: 'cancel',
    res: 'reservation',
    rez: 'reservation',
    reg: 'registration',
    ev: 'electric',
    pp: 'parking',
    carpark: 'car park',
    abt: 'about',
    msg: 'message',
    ppl: 'people',
    bc: 'because',
    cuz: 'because',
    coz: 'because',
    thru: 'through',
    nite: 'night',
    gd: 'good',
    pic: 'picture',
    asap: 'as soon as possible',
    yh: 'yeah',
    ya: 'yeah',
    yep: 'yep',
    nvm: 'never mind',
    idk: 'i do not know',
    ppark: 'park',
    til: 'until',
    till: 'until',
    untill: 'until',
    lemme: 'let me',
    gimme: 'give me',
    avail: 'available',
    lookin: 'looking',
    parkin: 'parking',
    prking: 'parking',
    pking: 'parking',
    wat: 'what',
    wot: 'what',
    hw: 'how',
    whr: 'where',
    wher: 'where',
    arvo: 'afternoon',
    thurs: 'thursday',
    tues: 'tuesday',
    weds: 'wednesday',
    cos: 'because',
    stall: 'space',
    stalls: 'spaces',
    spc: 'space',
    spce: 'space',
    rego: 'registration',
    numberplate: 'number plate',
    bkg: 'booking',
    bking: 'booking',
    resv: 'reservation',
  },
  es: {
    q: 'que',
    k: 'que',
    ke: 'que',
    xq: 'porque',
    pq: 'porque',
    porq: 'porque',
    x: 'por',
    tb: 'tambien',
    tmb: 'tambien',
    tbn: 'tambien',
    mñn: 'manana',
    mñna: 'manana',
    mna: 'manana',
    mnn: 'manana',
    d: 'de',
    pf: 'por favor',
    porfa: 'por favor',
    porfi: 'por favor',
    xfa: 'por favor',
    xfavor: 'por favor',
    plis: 'por favor',
    toy: 'estoy',
    nd: 'nada',
    grax: 'gracias',
    grx: 'gracias',
    grcs: 'gracias',
    hla: 'hola',
    ola: 'hola',
    vl: 'vale',
    vle: 'vale',
    dsp: 'despues',
    dps: 'despues',
    hs: 'horas',
    hrs: 'horas',
    h: 'horas',
    min: 'minutos',
    mins: 'minutos',
    msj: 'mensaje',
    tmp: 'tampoco',
    tp: 'tampoco',
    aki: 'aqui',
    aka: 'aca',
    kiero: 'quiero',
    qiero: 'quiero',
    kuanto: 'cuanto',
    cuant: 'cuanto',
    cn: 'con',
    sta: 'esta',
    parkin: 'parking',
    ok: 'vale',
    okey: 'vale',
    oki: 'vale',
    okis: 'vale',
    sip: 'si',
    sep: 'si',
    nop: 'no',
    nel: 'no',
    ev: 'electrico',
    pa: 'para',
    xa: 'para',
    aparcao: 'aparcado',
    mñana: 'manana',
    kieres: 'quieres',
    tng: 'tengo',
    tngo: 'tengo',
    dnd: 'donde',
    cdo: 'cuando',
    xfi: 'por favor',
  },
};

// Emoji carry meaning in chat: a thumbs-up answers "shall I book it?".
const EMOJI: Array<[RegExp, Record<Locale, string>]> = [
  [/(\u{1F44D}|\u{1F44C}|\u{2705}|\u{2714}\u{FE0F}?)/gu, { en: ' yes ', es: ' si ' }],
  [/(\u{1F44E}|\u{274C}|\u{1F6AB})/gu, { en: ' no ', es: ' no ' }],
  [/\u{1F64F}/gu, { en: ' thanks ', es: ' gracias ' }],
  [/\u{1F44B}/gu, { en: ' hi ', es: ' hola ' }],
];

const WORD = /[\p{L}\p{N}]+(?:['’:.][\p{L}\p{N}]+)*/gu;

/** Lower case without accents (ñ becomes n), as NLP.js's own normaliser does. */
export function foldCase(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * The words of a message, folded, with stretched letters squeezed ("yesss" → "yess"; the typo
 * corrector finishes the job) and texting shorthand expanded.
 *
 * @example
 * normaliseWords('Thx, c u tmrw!!', 'en') // ['thanks', 'c', 'you', 'tomorrow']
 */
export function normaliseWords(text: string, locale: Locale): string[] {
  let source = text;
  for (const [pattern, words] of EMOJI) source = source.replace(pattern, words[locale]);
  const words: string[] = [];
  for (const match of foldCase(source.replace(/’/g, "'")).matchAll(WORD))
    words.push(...expandShorthand(match[0].replace(/(.)\1{2,}/g, '$1$1'), locale));
  return words;
}

/**
 * What one folded word stands for in `locale`'s texting shorthand, or the word itself.
 *
 * @example
 * expandShorthand('tmrw', 'en') // ['tomorrow']
 */
export function expandShorthand(word: string, locale: Locale): string[] {
  const expanded = Object.hasOwn(SHORTHAND[locale], word) ? SHORTHAND[locale][word] : undefined;
  return expanded === undefined ? [word] : expanded.split(' ');
}
