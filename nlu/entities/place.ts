// "near the stadium", "close to Central Station", "cerca del estadio": the landmark after a
// proximity cue, up to where the sentence moves on to times, durations or another request.
const CUES = [
  'near(?:by)?',
  'close to',
  'close by',
  'next to',
  'by',
  'beside',
  'around',
  'opposite',
  'outside',
  'walking distance (?:of|from|to)',
  'in the area of',
  'at the',
  'cerca de(?:l| la| los| las)?',
  'junto a(?:l| la)?',
  'al lado de(?:l| la)?',
  'enfrente de(?:l| la)?',
  'frente a(?:l| la)?',
  'delante de(?:l| la)?',
  'por la zona de(?:l| la)?',
  'alrededor de(?:l| la)?',
  'en el',
  'en la',
];

const STOP_WORDS = [
  'for',
  'from',
  'at',
  'on',
  'tomorrow',
  'today',
  'tonight',
  'this',
  'next',
  'until',
  'till',
  'til',
  'to',
  'and',
  'please',
  'pls',
  'with',
  'between',
  'in',
  'para',
  'desde',
  'de las',
  'a las',
  'manana',
  'mañana',
  'hoy',
  'esta',
  'este',
  'el proximo',
  'el próximo',
  'hasta',
  'durante',
  'entre',
  'y',
  'por favor',
  'porfa',
  'con',
  'que',
];

const TIME_WORDS =
  /^(the )?(morning|afternoon|evening|night|weekend|moment|minute|end|same time|match|game|manana|mañana|tarde|noche|momento|fin de semana|finde)$/i;

const CUE = new RegExp(String.raw`\b(?:${CUES.join('|')})\s+`, 'gi');
const STOP = new RegExp(String.raw`\s+(?:${STOP_WORDS.join('|')})\b|[,.;!?()]|\s+\d`, 'i');
const NOT_A_PLACE = /^(me|you|us|here|there|mi|mí|ti|aqui|aquí|alli|allí)$/i;
const LEADING_ARTICLE = /^(the|el|la|los|las)\s+/i;

/**
 * The landmark text a driver parks near, for geocoding against facility addresses.
 *
 * @example
 * findPlace('any spaces near the stadium tomorrow at 9') // 'stadium'
 * findPlace('aparcar cerca de la Estación Central')     // 'Estación Central'
 */
export function findPlace(text: string): string | undefined {
  for (const cue of text.matchAll(CUE)) {
    const tail = text.slice(cue.index + cue[0].length);
    const stop = STOP.exec(tail);
    const landmark = (stop ? tail.slice(0, stop.index) : tail).trim().replace(LEADING_ARTICLE, '');
    if (
      landmark !== '' &&
      !/^\d/.test(landmark) &&
      !TIME_WORDS.test(landmark) &&
      !NOT_A_PLACE.test(landmark)
    ) {
      return landmark;
    }
  }
  return undefined;
}
