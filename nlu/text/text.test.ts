import { describe, expect, it } from 'vitest';
import { foldCase, normaliseWords } from './normalise.ts';
import { stemSpanish } from './spanish-stemmer.ts';
import { neighbourKeys, oneEditApart, TypoCorrector } from './typo-corrector.ts';

describe('normaliseWords', () => {
  it('expands texting shorthand per language', () => {
    expect(normaliseWords('Thx, c u tmrw!!', 'en')).toEqual(['thanks', 'c', 'you', 'tomorrow']);
    expect(normaliseWords('xq no hay sitio mñn?', 'es')).toEqual(['porque', 'no', 'hay', 'sitio', 'manana']);
  });

  it('folds accents and squeezes stretched letters', () => {
    expect(foldCase('Sí, Mañana')).toBe('si, manana');
    expect(normaliseWords('yesssss', 'en')).toEqual(['yess']);
  });

  it('reads a thumbs-up as yes', () => {
    expect(normaliseWords('👍', 'en')).toEqual(['yes']);
    expect(normaliseWords('👍', 'es')).toEqual(['si']);
  });
});

describe('stemSpanish', () => {
  it.each([
    ['reservar', 'reserv'],
    ['reservas', 'reserv'],
    ['reservaciones', 'reserv'],
    ['cancelarla', 'cancel'],
    ['cancela', 'cancel'],
    ['aparcamiento', 'aparc'],
    ['aparcar', 'aparc'],
  ])('%s → %s', (word, stem) => {
    expect(stemSpanish(word)).toBe(stem);
  });

  it('leaves short words and numbers alone', () => {
    expect(stemSpanish('mis')).toBe('mis');
    expect(stemSpanish('1234')).toBe('1234');
  });
});

describe('TypoCorrector', () => {
  const corrector = new TypoCorrector(['parking', 'parking', 'book', 'cancel', 'reserva', 'tomorrow']);

  it.each([
    ['parkign', 'parking'],
    ['parkng', 'parking'],
    ['cancle', 'cancel'],
    ['reserba', 'reserva'],
    ['tomorow', 'tomorrow'],
    ['bokk', 'book'],
  ])('%s → %s', (typo, word) => {
    expect(corrector.correct(typo)).toBe(word);
  });

  it('keeps words whose start differs, so other topics stay other topics', () => {
    expect(corrector.correct('cook')).toBe('cook');
    expect(corrector.correct('look')).toBe('look');
  });

  it('knows what one edit is', () => {
    expect(oneEditApart('parkign', 'parking')).toBe(true);
    expect(oneEditApart('bread', 'bored')).toBe(false);
  });

  it('only takes a different letter for a typo when its key is next to the right one', () => {
    expect(neighbourKeys('v', 'b')).toBe(true);
    expect(neighbourKeys('m', 'c')).toBe(false);
    expect(new TypoCorrector(['price']).correct('prime')).toBe('prime');
    expect(new TypoCorrector(['price']).correct('prixe')).toBe('price');
    expect(new TypoCorrector(['cancelar']).correct('canselar')).toBe('cancelar');
  });
});
