import { describe, expect, it } from 'vitest';
import { MemoryChoiceMemory, pickChoice, type Choice } from './choices.ts';

const yesNo: Choice[] = [
  { title: 'Book it', value: 'confirm:yes' },
  { title: 'Change something', value: 'confirm:change' },
  { title: 'No thanks', value: 'confirm:no' },
];
const parks: Choice[] = [
  { title: "King's Cross Central", value: 'facility:kx' },
  { title: 'Camden Market', value: 'facility:cm' },
  { title: 'Camden Lock', value: 'facility:cl' },
];

describe('numbered choices', () => {
  it('a typed number picks the choice in that position', () => {
    expect(pickChoice('2', yesNo)?.value).toBe('confirm:change');
    expect(pickChoice(' 3. ', yesNo)?.value).toBe('confirm:no');
    expect(pickChoice('#1', yesNo)?.value).toBe('confirm:yes');
  });

  it('a number past the list, or any other text, picks nothing (the bot reads it)', () => {
    expect(pickChoice('4', yesNo)).toBeNull();
    expect(pickChoice('0', yesNo)).toBeNull();
    expect(pickChoice('2 hours', yesNo)).toBeNull();
    expect(pickChoice('book it', yesNo)).toBeNull(); // words only where asked for
    expect(pickChoice('1', [])).toBeNull();
  });

  it("with words, the choice's own words pick it", () => {
    expect(pickChoice('book it', yesNo, true)?.value).toBe('confirm:yes');
    expect(pickChoice('Book it please', yesNo, true)?.value).toBe('confirm:yes');
    expect(pickChoice('kings cross', parks, true)?.value).toBe('facility:kx');
    expect(pickChoice('Camden Lock', parks, true)?.value).toBe('facility:cl');
  });

  it('words that fit several choices, or hide in a longer sentence, pick nothing', () => {
    expect(pickChoice('camden', parks, true)).toBeNull();
    expect(pickChoice('book it but at 3pm instead', yesNo, true)).toBeNull();
    expect(pickChoice('a', parks, true)).toBeNull();
  });
});

describe('MemoryChoiceMemory', () => {
  it('remembers the last choices per conversation; offering none forgets them', async () => {
    const memory = new MemoryChoiceMemory();
    await memory.remember('a', yesNo);
    await memory.remember('b', parks);
    expect(await memory.recall('a')).toEqual(yesNo);
    await memory.remember('a', []);
    expect(await memory.recall('a')).toEqual([]);
    expect(await memory.recall('b')).toEqual(parks);
  });

  it('forgets after its time to live and keeps a bounded number of conversations', async () => {
    const lapsed = new MemoryChoiceMemory(-1);
    await lapsed.remember('a', yesNo);
    expect(await lapsed.recall('a')).toEqual([]);
    const small = new MemoryChoiceMemory(60_000, 2);
    for (const id of ['a', 'b', 'c']) await small.remember(id, yesNo);
    expect(await small.recall('a')).toEqual([]);
    expect(await small.recall('c')).toEqual(yesNo);
  });
});
