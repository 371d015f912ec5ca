import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { addToLogContext, logContext, withLogContext } from './log-context.ts';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('info', 'json', sink) };
}

describe('log context', () => {
  it('puts the ids of the turn into every line written inside it, however deep, and nowhere else', async () => {
    const { lines, logger } = capture();
    const deepInBookingCore = async () => {
      await new Promise((r) => setTimeout(r, 1));
      addToLogContext({ bookingId: 'b-1' });
      await Promise.resolve();
      logger.warn({ code: 'X' }, 'deep');
    };
    await withLogContext({ channel: 'web', conversationId: 'c-1' }, async () => {
      logger.info('first');
      await deepInBookingCore();
      logger.info({ conversationId: 'explicit' }, 'explicit wins');
    });
    logger.info('outside');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed[0]).toMatchObject({ msg: 'first', channel: 'web', conversationId: 'c-1' });
    expect(parsed[0]).not.toHaveProperty('bookingId');
    expect(parsed[1]).toMatchObject({ msg: 'deep', conversationId: 'c-1', bookingId: 'b-1', code: 'X' });
    expect(parsed[2]).toMatchObject({ conversationId: 'explicit', bookingId: 'b-1' });
    expect(parsed[3]).not.toHaveProperty('conversationId');
    expect(logContext()).toEqual({});
  });

  it('keeps an outer request id in a nested turn, and never writes a key twice', async () => {
    const { lines, logger } = capture();
    await withLogContext({ requestId: 'r-1' }, () =>
      withLogContext({ conversationId: 'c-2' }, async () => {
        logger.child({ requestId: 'r-1' }).info('from the request logger'); // pino-http binds it
        logger.info('from the root logger');
      }),
    );
    expect(lines[0]!.match(/"requestId"/g)).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ requestId: 'r-1', conversationId: 'c-2' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ requestId: 'r-1', conversationId: 'c-2' });
  });

  it('leaves two concurrent turns apart', async () => {
    const { lines, logger } = capture();
    const turn = (id: string, ms: number) =>
      withLogContext({ conversationId: id }, async () => {
        await new Promise((r) => setTimeout(r, ms));
        addToLogContext({ bookingId: `booking-of-${id}` });
        await new Promise((r) => setTimeout(r, ms));
        logger.info('done');
      });
    await Promise.all([turn('a', 5), turn('b', 1)]);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => [p['conversationId'], p['bookingId']]).sort()).toEqual([
      ['a', 'booking-of-a'],
      ['b', 'booking-of-b'],
    ]);
  });
});
