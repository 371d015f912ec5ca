import { describe, expect, it } from 'vitest';
import { maskEntities, maskNumber } from './placeholders.ts';

describe('maskEntities', () => {
  it('replaces references, plates and the facility’s words, and folds the rest', () => {
    expect(maskEntities('Cancel PK7F3K9Q')).toBe('cancel  zzref ');
    expect(maskEntities('book King’s Cross, plate BN000AA', 'king s cross')).toBe(
      'book zzplace, plate  zzplate ',
    );
    expect(maskEntities('reserva Atocha, matrícula 1234 BCD', 'atocha')).toBe(
      'reserva zzplace, matricula  zzplate ',
    );
  });

  it('replaces space kinds, so "charging" or "disabled" says nothing about prices or accounts', () => {
    expect(maskEntities('book a charging bay')).toBe('book a zzkind bay');
    expect(maskEntities('any EV or disabled spots free')).toBe('any zzkind or zzkind spots free');
    expect(maskEntities('plaza para la moto con cargador')).toBe('plaza para la zzkind con zzkind');
    expect(maskEntities('how much do you charge')).toBe('how much do you charge');
    expect(maskEntities('rent a bike')).toBe('rent a bike');
  });

  it('leaves ordinary words that only look like plates in lower case', () => {
    expect(maskEntities('for 120 minutes')).toBe('for 120 minutes');
  });
});

describe('maskNumber', () => {
  it.each([
    ['9am', ['zztime']],
    ['10:30', ['zztime']],
    ['2h', ['zznum', 'h']],
    ['2', ['zznum']],
    ['x7k2', ['zzcode']],
    ['park', ['park']],
  ])('%s → %j', (word, expected) => {
    expect(maskNumber(word)).toEqual(expected);
  });
});
