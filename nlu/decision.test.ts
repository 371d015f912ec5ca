import { describe, expect, it } from 'vitest';
import { decide } from './decision.ts';

const policy = { minScore: 0.55, ambiguityMargin: 0.15 };

describe('decide', () => {
  it('answers the best intent when it is confident and alone', () => {
    expect(
      decide(
        [
          { intent: 'pricing', score: 0.9 },
          { intent: 'pay', score: 0.05 },
        ],
        policy,
      ),
    ).toEqual({ intent: 'pricing', score: 0.9 });
  });

  it('answers none with the real weak score below the threshold', () => {
    expect(
      decide(
        [
          { intent: 'help', score: 0.4 },
          { intent: 'none', score: 0.35 },
        ],
        policy,
      ),
    ).toEqual({ intent: 'none', score: 0.4 });
  });

  it('answers none when none wins', () => {
    expect(decide([{ intent: 'none', score: 0.7 }], policy)).toEqual({ intent: 'none', score: 0.7 });
  });

  it('flags two close parking intents, even when neither alone passes the threshold', () => {
    expect(
      decide(
        [
          { intent: 'book_parking', score: 0.48 },
          { intent: 'find_parking', score: 0.45 },
        ],
        policy,
      ),
    ).toEqual({ intent: 'book_parking', score: 0.48, ambiguous: ['book_parking', 'find_parking'] });
  });

  it('asks between the two best when neither alone but both together pass the threshold', () => {
    expect(
      decide(
        [
          { intent: 'book_parking', score: 0.35 },
          { intent: 'affirm', score: 0.25 },
          { intent: 'none', score: 0.2 },
        ],
        policy,
      ),
    ).toEqual({ intent: 'book_parking', score: 0.35, ambiguous: ['book_parking', 'affirm'] });
  });

  it('does not call it ambiguous when the runner-up is none', () => {
    expect(
      decide(
        [
          { intent: 'greet', score: 0.6 },
          { intent: 'none', score: 0.5 },
        ],
        policy,
      ).ambiguous,
    ).toBeUndefined();
  });
});
