import { describe, expect, it } from 'vitest';
import { normaliseHex, readOptions, serverOrigin, textColourOn } from './options.ts';

const pageUrl = 'https://shop.example/parking?x=1';

describe('readOptions', () => {
  it('reads the data attributes and the server origin from the script src', () => {
    const o = readOptions({
      data: { color: '#ABC', title: '  CityPark assistant ', lang: 'es-MX', position: 'LEFT' },
      scriptSrc: 'https://park.example:8443/widget.js?v=2',
      pageUrl,
    });
    expect(o).toEqual({
      server: 'https://park.example:8443',
      title: 'CityPark assistant',
      lang: 'es',
      color: '#aabbcc',
      onColor: '#111111',
      position: 'left',
    });
  });

  it('falls back safely on missing or malformed values', () => {
    const o = readOptions({
      data: { color: 'red; } * { display: none', lang: 'xx', position: 'top', title: '   ' },
      pageUrl,
      pageLang: 'fr',
      browserLang: 'es-ES',
    });
    expect(o).toMatchObject({
      server: 'https://shop.example',
      lang: 'es',
      color: '#0a7d4f',
      position: 'right',
    });
    expect(o.title).toBe('Asistente de aparcamiento');
  });

  it('prefers the page language to the browser language, and English last', () => {
    expect(readOptions({ data: {}, pageUrl, pageLang: 'en-GB', browserLang: 'es' }).lang).toBe('en');
    expect(readOptions({ data: {}, pageUrl }).lang).toBe('en');
  });

  it('cuts a very long title', () => {
    expect(readOptions({ data: { title: 'x'.repeat(500) }, pageUrl }).title).toHaveLength(60);
  });
});

describe('serverOrigin', () => {
  it('resolves a relative src against the page', () => {
    expect(serverOrigin('/widget.js', pageUrl)).toBe('https://shop.example');
  });
  it('uses the page origin when the src is missing or unparsable', () => {
    expect(serverOrigin(undefined, pageUrl)).toBe('https://shop.example');
    expect(serverOrigin('http://[bad', pageUrl)).toBe('https://shop.example');
  });
});

describe('colours', () => {
  it('accepts only #rgb and #rrggbb', () => {
    expect(normaliseHex('#0A7D4F')).toBe('#0a7d4f');
    expect(normaliseHex('#fff')).toBe('#ffffff');
    for (const bad of ['0a7d4f', '#12345', 'rgb(0,0,0)', 'url(x)', '#ggg', undefined]) {
      expect(normaliseHex(bad)).toBeUndefined();
    }
  });
  it('picks readable text for dark and light accents', () => {
    expect(textColourOn('#0a7d4f')).toBe('#ffffff');
    expect(textColourOn('#000000')).toBe('#ffffff');
    expect(textColourOn('#ffd400')).toBe('#111111');
    expect(textColourOn('#ffffff')).toBe('#111111');
  });
});
