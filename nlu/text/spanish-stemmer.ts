// NLP.js stems Spanish only with @nlpjs/lang-es, which is not installed; without a stemmer
// "cancela mis reservas" shares no feature with "cancelar mi reserva". This light stemmer strips
// the endings that matter for intent (verb endings, plurals, gender, -ción/-miento nouns and
// object pronouns glued to verbs) — far cruder than Snowball, enough for a classifier.

const ENCLITIC = /(ar|er|ir|ando|iendo)(melo|mela|selo|sela|me|te|se|lo|la|le|los|las|les|nos)$/;

const SUFFIXES = [
  'amientos',
  'imientos',
  'amiento',
  'imiento',
  'aciones',
  'iciones',
  'ariamos',
  'eriamos',
  'iriamos',
  'aremos',
  'eremos',
  'iremos',
  'adores',
  'adoras',
  'acion',
  'icion',
  'adora',
  'ador',
  'ando',
  'iendo',
  'ieron',
  'aban',
  'aron',
  'aria',
  'eria',
  'iria',
  'amos',
  'emos',
  'imos',
  'aste',
  'iste',
  'adas',
  'ados',
  'idas',
  'idos',
  'ada',
  'ado',
  'ida',
  'ido',
  'aba',
  'ara',
  'era',
  'ira',
  'an',
  'en',
  'ar',
  'er',
  'ir',
  'as',
  'es',
  'os',
  'a',
  'e',
  'o',
  's',
];

const MIN_STEM = 3;

/**
 * The stem of one folded Spanish word (no accents, lower case).
 *
 * @example
 * stemSpanish('reservaciones') // 'reserv'
 * stemSpanish('cancelarla')    // 'cancel'
 */
export function stemSpanish(word: string): string {
  if (word.length <= MIN_STEM + 1 || /\d/.test(word)) return word;
  const bare = word.replace(ENCLITIC, '$1');
  for (const suffix of SUFFIXES) {
    if (bare.endsWith(suffix) && bare.length - suffix.length >= MIN_STEM) {
      return bare.slice(0, -suffix.length);
    }
  }
  return bare;
}
