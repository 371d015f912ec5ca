/**
 * Well-known places drivers name that have no car park of ours, with where they are, so the bot
 * can say "I don't have a car park at Heathrow; the nearest I know are …" with real distances
 * instead of guessing a car park whose name shares a word.
 */
export interface Landmark {
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
}

const LANDMARKS: ReadonlyArray<readonly [RegExp, Landmark]> = [
  [/\bheathrow\b(?! express)/i, { name: 'Heathrow', latitude: 51.47, longitude: -0.4543 }],
  [/\bgatwick\b/i, { name: 'Gatwick', latitude: 51.1537, longitude: -0.1821 }],
  [/\bstansted\b/i, { name: 'Stansted', latitude: 51.886, longitude: 0.2389 }],
  [/\bluton\b/i, { name: 'Luton', latitude: 51.8747, longitude: -0.3683 }],
  [/\bcity airport\b/i, { name: 'London City Airport', latitude: 51.5048, longitude: 0.0495 }],
  [/\boxford st(reet)?\b/i, { name: 'Oxford Street', latitude: 51.5154, longitude: -0.141 }],
  [/\bbritish museum\b/i, { name: 'the British Museum', latitude: 51.5194, longitude: -0.127 }],
  [/\bhyde park\b/i, { name: 'Hyde Park', latitude: 51.5073, longitude: -0.1657 }],
  [/\btower (bridge|of london)\b/i, { name: 'Tower Bridge', latitude: 51.5055, longitude: -0.0754 }],
  [/\b(the )?o2( arena)?\b|\bgreenwich\b/i, { name: 'the O2', latitude: 51.503, longitude: 0.0032 }],
  [/\bcamden\b/i, { name: 'Camden', latitude: 51.539, longitude: -0.1426 }],
  [/\bcovent garden\b/i, { name: 'Covent Garden', latitude: 51.5117, longitude: -0.124 }],
  [/\bpiccadilly\b/i, { name: 'Piccadilly Circus', latitude: 51.51, longitude: -0.1345 }],
  [/\bbuckingham\b/i, { name: 'Buckingham Palace', latitude: 51.5014, longitude: -0.1419 }],
  [/\bvictoria\b/i, { name: 'Victoria', latitude: 51.4952, longitude: -0.1441 }],
  [/\beuston\b/i, { name: 'Euston', latitude: 51.5282, longitude: -0.1337 }],
  [/\bliverpool st(reet)?\b/i, { name: 'Liverpool Street', latitude: 51.5178, longitude: -0.0823 }],
  [/\blondon bridge\b/i, { name: 'London Bridge', latitude: 51.505, longitude: -0.086 }],
  [/\bstratford\b/i, { name: 'Stratford', latitude: 51.5416, longitude: -0.0032 }],
  [/\bsoho\b/i, { name: 'Soho', latitude: 51.5136, longitude: -0.1365 }],
  [/\bbrixton\b/i, { name: 'Brixton', latitude: 51.4613, longitude: -0.1156 }],
  [/\bwimbledon\b/i, { name: 'Wimbledon', latitude: 51.4214, longitude: -0.2064 }],
  [/\btwickenham\b/i, { name: 'Twickenham', latitude: 51.456, longitude: -0.3415 }],
  [/\bhampstead\b/i, { name: 'Hampstead', latitude: 51.556, longitude: -0.178 }],
  [/\bbig ben\b|\bwestminster\b/i, { name: 'Westminster', latitude: 51.5007, longitude: -0.1246 }],
  [/\bkensington\b/i, { name: 'Kensington', latitude: 51.4988, longitude: -0.1749 }],
  [/\bmanchester\b/i, { name: 'Manchester', latitude: 53.4808, longitude: -2.2426 }],
  [/\bbirmingham\b/i, { name: 'Birmingham', latitude: 52.4862, longitude: -1.8904 }],
  [/\baeropuerto\b|\bairport\b/i, { name: 'Heathrow', latitude: 51.47, longitude: -0.4543 }],
];

/** The well-known place a message names, if any. */
export function findLandmark(text: string): Landmark | null {
  for (const [re, landmark] of LANDMARKS) if (re.test(text)) return landmark;
  return null;
}

const AFTER_CUE =
  /\b(?:at|in|near|nr|by|around|close to|next to|en|cerca de(?:l)?|junto a(?:l)?)\s+(?:the\s+|el\s+|la\s+)?([a-z][a-z'’ -]{2,30}?)(?:\s+(?:today|tonight|tomorrow|tmrw|now|right now|please|pls|for|from|at|on|hoy|ma[nñ]ana|ahora|para|desde)\b|[?.!,]|$)/i;

/** The place a message names after "at", "near", "en"…, as said ("parking at Narnia" → "Narnia"). */
export function namedPlace(text: string): string | null {
  const m = AFTER_CUE.exec(text);
  const place = m?.[1]?.trim();
  if (
    !place ||
    /^(all|any|the moment|moment|once|least|most|night|home|work|hours?|noon|midday|midnight|lunch|weekend|the weekend|this|that|it|you|your|my|our|peak|busy|short notice|el momento|este momento|la noche|\d|((an?|una?|one|any|mi|my) )?(plazas?|spaces?|spots?|bays?|slots?|stalls?|sitios?|huecos?)\b)/i.test(
      place,
    )
  )
    return null;
  return place;
}
