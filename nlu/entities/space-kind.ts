import { foldCase } from '../text/normalise.ts';
import type { SpaceKind } from '../types.ts';

// Checked in this order: "disabled EV bay" is rarer than either, and accessible needs win over EV.
const KINDS: Array<[SpaceKind, RegExp]> = [
  [
    'accessible',
    /\b(accessible|disabled|disability|wheel ?chair|blue badge|handicap(ped)?|mobility|minusvalid[oa]s?|discapacitad[oa]s?|discapacidad|movilidad reducida|pmr|accesibles?|silla de ruedas)\b/,
  ],
  [
    'ev',
    /\b(ev|evs|electric|electrico|electrica|charg(e|er|ers|ing)|charge ?point|plug[- ]?in|tesla|cargador(es)?|carga|recarga|enchufe|electrolinera)\b/,
  ],
  [
    'motorcycle',
    /\b(motor ?bikes?|motorcycles?|motos?|motocicletas?|scooters?|vespa|mopeds?|bike (?=bays?|spaces?|spots?|slots?|parking))\b/,
  ],
];

/**
 * @example
 * findSpaceKind('the EV one')            // 'ev'
 * findSpaceKind('plaza para minusválidos') // 'accessible'
 */
export function findSpaceKind(text: string): SpaceKind | undefined {
  const folded = foldCase(text);
  return KINDS.find(([, pattern]) => pattern.test(folded))?.[0];
}
