import { describe, expect, it } from 'vitest';
import { findBookingReference } from './booking-reference.ts';
import { findDuration } from './duration.ts';
import { FacilityFinder } from './facility.ts';
import { findPlace } from './place.ts';
import { findPlate } from './plate.ts';
import { extractEntities } from './index.ts';
import { findSpaceKind } from './space-kind.ts';
import { findSpaceNumber } from './space-number.ts';

describe('findDuration', () => {
  it.each([
    ['for 90 minutes', 90],
    ['2 hours please', 120],
    ['an hour and a half', 90],
    ['half an hour', 30],
    ['give me 2 more hours', 120],
    ['another 45 mins', 45],
    ['1.5 hours', 90],
    ['2h', 120],
    ['durante 2 horas', 120],
    ['hora y media', 90],
    ['media hora más', 30],
    ['for 3 days', 3 * 24 * 60],
    ['hour and a half', 90],
    ['2.5 hours', 150],
    ['2,5 horas', 150],
    ['two and a half hours', 150],
    ['3 and a half hrs', 210],
    ['2 hours and a half', 150],
    ['dos horas y media', 150],
    ['una hora y cuarto', 75],
    ['a quarter of an hour', 15],
    ['three quarters of an hour', 45],
    ['a couple of hours', 120],
    ['un par de horas', 120],
    ['1h30', 90],
    ['1 hour 30 minutes', 90],
    ['2 horas y 15 minutos', 135],
    ['from 9 for 3 hours', 180],
    ['desde las 10 durante 3 horas', 180],
  ])('%s → %i minutes', (text, minutes) => {
    expect(findDuration(text)?.minutes).toBe(minutes);
  });

  it('reads "all day" and "todo el día" as a whole day', () => {
    expect(findDuration('need it all day')).toMatchObject({ minutes: 1440, allDay: true });
    expect(findDuration('todo el día')).toMatchObject({ minutes: 1440, allDay: true });
  });

  it('does not take a start ("in 2 hours") or "i am" for a duration', () => {
    expect(findDuration('starting in 2 hours')).toBeUndefined();
    expect(findDuration('i am at the station')).toBeUndefined();
  });
});

describe('findPlate', () => {
  it.each([
    ['my reg is ab12 cde', 'AB12CDE'],
    ['AB12CDE', 'AB12CDE'],
    ['matrícula 1234-BCD', '1234BCD'],
    ['plate AB-123-CD', 'AB123CD'],
    ['car is A123 BCD', 'A123BCD'],
    ['B-MW 1234', 'BMW1234'],
    ['7ABC123', '7ABC123'],
    ['licence plate abc 1234', 'ABC1234'],
    ['quiero reservar una plaza en kings cross mañana de 10 a 12, matrícula 1234ABC', '1234ABC'],
    ['matricula 1234 abc y mañana', '1234ABC'],
    ['reg kl19xyz', 'KL19XYZ'],
    ['registration: GH66 JKL tomorrow', 'GH66JKL'],
    ['my number plate is 123 ab 45', '123AB45'],
    ['reg AB12 CDE for 2 hours', 'AB12CDE'],
    ['plate is AB12CDE', 'AB12CDE'],
  ])('%s → %s', (text, plate) => {
    expect(findPlate(text)).toBe(plate);
  });

  it.each([
    'my plate is on the dashboard',
    'registration for tomorrow at 9',
    'for 120 minutes',
    'from 9 to 11',
    'cancel PK7F3K9Q',
    'the M25 was awful',
    'at 1430 tomorrow',
  ])('finds none in "%s"', (text) => {
    expect(findPlate(text)).toBeUndefined();
  });
});

describe('findBookingReference', () => {
  it('normalises case and separators', () => {
    expect(findBookingReference('cancel pk-7f3k9q please')).toBe('PK7F3K9Q');
    expect(findBookingReference('ref PK 2H8MVQ')).toBe('PK2H8MVQ');
  });

  it('rejects characters our references never use (I, O, 0, 1)', () => {
    expect(findBookingReference('PK1O0I23')).toBeUndefined();
  });
});

describe('findSpaceKind', () => {
  it.each([
    ['the EV one', 'ev'],
    ['somewhere i can charge my car', 'ev'],
    ['plaza con cargador', 'ev'],
    ['a disabled bay', 'accessible'],
    ['I have a blue badge', 'accessible'],
    ['plaza para minusválidos', 'accessible'],
    ['space for my motorbike', 'motorcycle'],
    ['sitio para la moto', 'motorcycle'],
    ['any bike bays free', 'motorcycle'],
    ['quiero una plaza adaptada', 'accessible'],
    ['hay plazas adaptadas libres', 'accessible'],
    ['plaza de movilidad reducida', 'accessible'],
    ['reserva para un ciclomotor', 'motorcycle'],
    ['un sitio para mi híbrido enchufable', 'ev'],
    ['a parent and child space', 'family'],
    ['somewhere with room for the pushchair', 'family'],
    ['plaza familiar para el sábado', 'family'],
    ['una plaza para familias con carrito de bebé', 'family'],
    ['room for a motorhome', 'oversize'],
    ['una plaza para furgoneta', 'oversize'],
    ['plazas grandes libres', 'oversize'],
  ])('%s → %s', (text, kind) => {
    expect(findSpaceKind(text)).toBe(kind);
  });

  it('reads "van" as a vehicle only in English', () => {
    expect(findSpaceKind('need a bay for my van', 'en')).toBe('oversize');
    expect(findSpaceKind('cuántas plazas van a quedar', 'es')).toBeUndefined();
  });

  it('finds none in an ordinary request', () => {
    expect(findSpaceKind('book a space tomorrow')).toBeUndefined();
    expect(findSpaceKind('un parking grande cerca del estadio', 'es')).toBeUndefined();
  });
});

describe('findSpaceNumber', () => {
  it.each([
    ['is 9 taken', '9'],
    ['is space 9 free at paddington', '9'],
    ['bay 12 at kings cross occupied?', '12'],
    ['is slot B1-009 free', 'B1-009'],
    ['space #14 free?', '14'],
    ['¿está libre la plaza 9?', '9'],
    ['está libre la 9?', '9'],
    ['la 9 esta ocupada?', '9'],
    ['la plaza número 12 está ocupada', '12'],
  ])('%s → %s', (text, number) => {
    expect(findSpaceNumber(text)).toBe(number);
  });

  it.each([
    'book a space 2 hours tomorrow',
    'space 9 to 11 tomorrow',
    'a place 9am',
    'any spaces free at 9',
    'is 9am free',
    'quiero 2 plazas',
    'plaza 3 horas',
    'is no 5 taken',
    'la plaza esta libre a las 9',
  ])('finds no space number in "%s"', (text) => {
    expect(findSpaceNumber(text)).toBeUndefined();
  });

  it('keeps a space number out of times: "is 9 taken" has no time, "bay 2-016" no range', () => {
    const context = {
      locale: 'en' as const,
      now: new Date('2030-06-03T08:00:00Z'),
      timeZone: 'Europe/London',
      facilities: new FacilityFinder([]),
    };
    expect(extractEntities('is 9 taken', context)).toEqual({ spaceNumber: '9' });
    expect(extractEntities('is bay 2-016 free', context)).toEqual({ spaceNumber: '2-016' });
    const booking = extractEntities('book bay 12 for friday 9-5', context);
    expect(booking.spaceNumber).toBe('12');
    expect(booking.time?.text).toBe('friday from 9:00 to 5:00');
  });
});

describe('findPlace', () => {
  it.each([
    ['any parking near the stadium?', 'stadium'],
    ['close to Central Station tomorrow at 9', 'Central Station'],
    ['somewhere next to the town hall, for 2 hours', 'town hall'],
    ['aparcar cerca del estadio mañana', 'estadio'],
    ['parking cerca de la Estación Central', 'Estación Central'],
  ])('%s → %s', (text, place) => {
    expect(findPlace(text)).toBe(place);
  });

  it('ignores "near me" and times', () => {
    expect(findPlace('parking near me')).toBeUndefined();
    expect(findPlace('by 5pm')).toBeUndefined();
  });
});

describe('FacilityFinder', () => {
  const finder = new FacilityFinder([
    { id: 'riverside', name: 'Riverside Car Park', aliases: ['the river lot'] },
    { id: 'central', name: 'Central Station Parking', aliases: ['central'] },
  ]);

  it('matches names and aliases whatever the case', () => {
    expect(finder.find('book RIVERSIDE CAR PARK tomorrow')).toMatchObject({ id: 'riverside', score: 1 });
    expect(finder.find('is the river lot full')).toMatchObject({ id: 'riverside', matched: 'the river lot' });
  });

  it('tolerates small typos and a missing space', () => {
    expect(finder.find('space at riversde carpark pls')).toMatchObject({ id: 'riverside' });
    expect(finder.find('space at riverside carpark pls')?.score).toBeGreaterThan(0.9);
  });

  it('does not match unrelated words', () => {
    expect(finder.find('parking near the stadium')).toBeUndefined();
  });

  it('knows everyday nicknames and abbreviations without configured aliases', () => {
    const city = new FacilityFinder([
      { id: 'kx', name: "King's Cross St Pancras Car Park", aliases: [] },
      { id: 'cw', name: 'Canary Wharf Jubilee Place', aliases: [] },
      { id: 'sb', name: 'Southbank Centre Car Park', aliases: [] },
      { id: 'central', name: 'Central Station Parking', aliases: [] },
    ]);
    expect(city.find('any spaces at kx')).toMatchObject({ id: 'kx', matched: 'kx' });
    expect(city.find('kings x tmrw 9-11')).toMatchObject({ id: 'kx' });
    expect(city.find('book saint pancras')).toMatchObject({ id: 'kx' });
    expect(city.find('book canary wharf at 9')).toMatchObject({ id: 'cw' });
    expect(city.find('spot at southbank center')).toMatchObject({ id: 'sb' });
    expect(city.find('is central busy')).toBeUndefined();
    expect(city.find('the kings speech')).toBeUndefined();
  });

  it('passes over the car park a correction takes back, wherever it stands', () => {
    const city = new FacilityFinder([
      { id: 'pad', name: 'Paddington Station Car Park', aliases: [] },
      { id: 'wf', name: "Westfield Shepherd's Bush", aliases: [] },
    ]);
    // "paddington" alone matches better than "westfield" (the longer name): only the "not" decides
    expect(city.find('i meant westfield not paddington')).toMatchObject({ id: 'wf' });
    expect(city.find('not at paddington, westfield')).toMatchObject({ id: 'wf' });
    expect(city.find('westfield instead of the paddington one')).toMatchObject({ id: 'wf' });
    expect(city.find('mejor en westfield, no en paddington')).toMatchObject({ id: 'wf' });
    expect(city.find('en westfield en vez de paddington')).toMatchObject({ id: 'wf' });
    // taken back with nothing else named: still the only car park there is (the dialogue decides)
    expect(city.find('not paddington')).toMatchObject({ id: 'pad' });
    expect(city.find('book paddington, westfield is full')).toMatchObject({ id: 'pad' });
  });
});
