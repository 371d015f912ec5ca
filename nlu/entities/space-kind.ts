import type { Locale } from '../intents.ts';
import { foldCase } from '../text/normalise.ts';
import type { SpaceKind } from '../types.ts';

// Checked in this order: "disabled EV bay" is rarer than either, and accessible needs win over EV.
// Words of both languages, since drivers mix them ("una plaza EV"), except where a word of one is
// an everyday word of the other ("van" is "they go" in Spanish).
const KINDS: Array<[SpaceKind, RegExp, Locale?]> = [
  [
    'accessible',
    /\b(accessible|disabled|disability|wheel ?chair|blue badge|handicap(ped)?|mobility|minusvalid[oa]s?|discapacitad[oa]s?|discapacidad|movilidad reducida|pmr|accesibles?|adaptad[oa]s?|silla de ruedas|tarjeta de (estacionamiento|aparcamiento))\b/,
  ],
  [
    'ev',
    /\b(ev|evs|electric|electrico|electrica|charg(e|er|ers|ing)|charge ?point|plug[- ]?in|tesla|cargador(es)?|carga|recarga|enchufe|enchufable|electrolinera)\b/,
  ],
  [
    'motorcycle',
    /\b(motor ?bikes?|motorcycles?|motos?|motocicletas?|ciclomotor(es)?|scooters?|vespa|mopeds?|bike (?=bays?|spaces?|spots?|slots?|parking))\b/,
  ],
  [
    'family',
    /\b(family|families|parent (and|&) child|mother (and|&) baby|prams?|buggy|pushchair|stroller|familiar(es)?|para familias|con (ninos|bebe|carrito)|carrito de bebe)\b/,
  ],
  [
    'oversize',
    /\b(oversized?|large vehicle|big car|suv|minibus|camper ?van|motorhome|4x4|plazas? grandes?|vehiculo grande|coche grande|furgonetas?|autocaravana|todoterreno)\b/,
  ],
  ['oversize', /\b(vans?)\b/, 'en'],
];

/**
 * @example
 * findSpaceKind('the EV one')              // 'ev'
 * findSpaceKind('plaza adaptada')          // 'accessible'
 * findSpaceKind('a bay for my van', 'en')  // 'oversize'
 */
export function findSpaceKind(text: string, locale?: Locale): SpaceKind | undefined {
  const folded = foldCase(text);
  return KINDS.find(([, pattern, only]) => (!only || only === locale) && pattern.test(folded))?.[0];
}
