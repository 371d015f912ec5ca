import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotHarness, textOf, type BotHarness } from '../test/support/bot.ts';

// "Is space 9 free?" answered about that space from its live bookings (the space a booking got is
// only known afterwards, so this is a test rather than a story).
describe('the state of a numbered space', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: new Date('2030-06-03T08:00:00Z') });
  });
  afterAll(() => h?.close());

  it('says a booked space is taken now, and free after its booking', async () => {
    const driver = h.user('space-status');
    await driver.say('book paddington now for 1 hour plate TK12NOW');
    await driver.press('confirm:yes');
    const booking = await h.db.prisma.booking.findFirst({
      where: { status: 'confirmed' },
      include: { space: true },
    });
    const code = booking?.space.code ?? '';
    expect(code).not.toBe('');

    const now = textOf(await driver.say(`is bay ${code} at paddington free rn?`));
    expect(now).toContain(`${code} at Paddington Station Car Park is taken (booked) right now`);

    const later = textOf(await driver.say(`is bay ${code} at paddington free tomorrow 10 to 12?`));
    expect(later).toContain(`${code} at Paddington Station Car Park is free tomorrow 10:00–12:00`);

    const spanish = textOf(await h.user('plaza').say(`¿está libre la plaza ${code} en paddington?`));
    expect(spanish).toContain(
      `La plaza ${code} de Paddington Station Car Park está ocupada (reservada) ahora mismo`,
    );
  });
});
