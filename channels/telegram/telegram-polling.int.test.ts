import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payAtTestCheckout } from '../../test/support/platform.ts';
import {
  blockedByUser,
  tooManyRequests,
  type SentMessage,
  type StandInDriver,
} from '../../test/support/telegram-api.ts';
import {
  hasButton,
  startTelegramPlatform,
  urlButton,
  type TelegramPlatform,
} from '../../test/support/telegram-platform.ts';

// Whole conversations with the platform's Telegram channel, long polling a stand-in Bot API that
// speaks Telegram's wire format, driven by telegraf. Drivers type what drivers type.
describe('Telegram channel, long polling', () => {
  let t: TelegramPlatform;
  let nextId = 710_000 + Math.floor(Math.random() * 100_000);
  const driver = (first_name: string, language_code = 'en') =>
    t.tg.driver({ id: nextId++, first_name, language_code });
  const texts = (ms: Array<{ text: string }>) => ms.map((m) => m.text).join('\n');
  const PAY = /^(Pay|Pagar) /;
  const hasPayLink = (m: SentMessage) => urlButton(m, PAY) !== undefined;
  /**
   * "Book it" holds the space and sends a Pay link to the embedded test checkout: the driver pays
   * there, and the confirmation arrives in the Telegram chat. Returns that confirmation.
   */
  const payForHeld = async (d: StandInDriver, replies: SentMessage[], confirmed: RegExp) => {
    const [held] = await t.bookingsOf(d);
    expect(held?.status).toBe('held');
    const url = replies.map((m) => urlButton(m, PAY)).find(Boolean);
    expect(url).toMatch(new RegExp(`^${t.p.url}/pay/tcs_`));
    const paid = await t.turn(
      d,
      () => payAtTestCheckout(url!, held!.reference),
      (m) => confirmed.test(m.text),
    );
    expect(await t.bookingsOf(d)).toMatchObject([{ status: 'confirmed', reference: held!.reference }]);
    return paid.find((m) => confirmed.test(m.text))!;
  };

  beforeAll(async () => {
    t = await startTelegramPlatform('polling', 'pglite');
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('registers the commands, and greets on /start with buttons', async () => {
    expect(t.tg.commands.map((c) => c.command)).toEqual(['start', 'help', 'mybookings', 'cancel']);
    const ana = driver('Ana');
    const hello = await t.turn(ana, () => ana.say('/start'), hasButton(/^intent:/));
    expect(texts(hello)).toMatch(/parking assistant/i);
    expect(t.tg.callsOf('sendChatAction').some((c) => c.params['chat_id'] === ana.chatId)).toBe(true);
  });

  it('books in one message confirmed through an inline button, and an old button cannot book twice', async () => {
    const bo = driver('Bo');
    const offer = await t.turn(
      bo,
      () => bo.say("book an EV space at King's Cross tomorrow 9 to 11, plate AB12 CDE"),
      hasButton('confirm:yes'),
    );
    const offerMsg = offer.find(hasButton('confirm:yes'))!;
    const done = await t.turn(bo, () => bo.pressValue('confirm:yes'), hasPayLink);
    expect(texts(done)).toMatch(/PK[A-Z0-9]{6}/);
    expect(texts(done)).toMatch(/Reference: PK[A-Z0-9]{6}\nStatus: /); // the booking card, formatted
    // the press was answered, and the pressed keyboard taken off
    expect(t.tg.callsOf('answerCallbackQuery').filter((c) => c.status === 200).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(t.tg.message(bo.chatId, offerMsg.message_id)?.reply_markup).toBeUndefined();
    expect(await t.bookingsOf(bo)).toMatchObject([
      { status: 'held', plate: 'AB12CDE', facility: /King's Cross/ },
    ]);
    await payForHeld(bo, done, /Payment received — booking confirmed/);
    expect(await t.bookingsOf(bo)).toMatchObject([
      { status: 'confirmed', plate: 'AB12CDE', facility: /King's Cross/ },
    ]);

    // an old client still shows the button and presses it again: answered, nothing booked
    const answered = t.tg.callsOf('answerCallbackQuery').length;
    await bo.pressData(offerMsg, 'confirm:yes');
    await t.turn(bo, () => bo.say('/mybookings'));
    expect(t.tg.callsOf('answerCallbackQuery').length).toBe(answered + 1);
    expect(await t.bookingsOf(bo)).toHaveLength(1);
  });

  it('books step by step', async () => {
    const cy = driver('Cy');
    await t.turn(cy, () => cy.say('I want to book a parking space'));
    await t.turn(cy, () => cy.say("King's Cross"));
    await t.turn(cy, () => cy.say('tomorrow at 10am'));
    await t.turn(cy, () => cy.say('for 2 hours'));
    await t.turn(cy, () => cy.say('XY19 ZZZ'), hasButton('confirm:yes'));
    const held = await t.turn(cy, () => cy.pressValue('confirm:yes'), hasPayLink);
    await payForHeld(cy, held, /Payment received — booking confirmed/);
    expect(await t.bookingsOf(cy)).toMatchObject([
      { status: 'confirmed', plate: 'XY19ZZZ', facility: /King's Cross/ },
    ]);
  });

  it('lists, extends and cancels a booking (/mybookings, /cancel)', async () => {
    const di = driver('Di');
    await t.turn(
      di,
      () => di.say('book a space at Paddington tomorrow 9-11 plate DI12 AAA'),
      hasButton('confirm:yes'),
    );
    await t.turn(di, () => di.pressValue('confirm:yes'));
    const [booked] = await t.bookingsOf(di);
    const list = await t.turn(di, () => di.say('/mybookings'));
    expect(texts(list)).toContain(booked!.reference);
    await t.turn(di, () => di.say(`extend ${booked!.reference} by 1 hour`), hasButton('confirm:yes'));
    await t.turn(di, () => di.pressValue('confirm:yes'));
    const [extended] = await t.bookingsOf(di);
    expect(extended!.endsAt.getTime() - booked!.endsAt.getTime()).toBe(3_600_000);
    await t.turn(di, () => di.say('/cancel'), hasButton('confirm:yes'));
    await t.turn(di, () => di.pressValue('confirm:yes'));
    expect(await t.bookingsOf(di)).toMatchObject([{ status: 'cancelled', reference: booked!.reference }]);
  });

  it('finds car parks near a shared location, with live free counts and "Book here" buttons', async () => {
    const ed = driver('Ed');
    const ask = await t.turn(ed, () => ed.say('where can I park?'));
    expect(ask.some((m) => m.reply_markup?.keyboard?.flat().some((b) => b.request_location))).toBe(true);
    const near = await t.turn(ed, () => ed.shareLocation(51.5316, -0.1236), hasButton(/^(facility|book):/));
    expect(texts(near)).toMatch(/King's Cross/);
    expect(texts(near)).toMatch(/\d+ of \d+ free|Full \(\d+ spaces\)/);
    const next = await t.turn(ed, () => ed.pressValue(/^(facility|book):/));
    expect(next.length).toBeGreaterThan(0);
  });

  it('speaks Spanish to a driver whose Telegram is in Spanish, and books in Spanish', async () => {
    const gi = driver('Gi', 'es');
    expect(texts(await t.turn(gi, () => gi.say('/start')))).toMatch(/Hola/);
    await t.turn(
      gi,
      () => gi.say('quiero reservar una plaza en Paddington mañana de 9 a 11, matrícula 1234 BCD'),
      hasButton('confirm:yes'),
    );
    const done = await t.turn(gi, () => gi.pressValue('confirm:yes'), hasPayLink);
    expect(texts(done)).toMatch(/Referencia: PK[A-Z0-9]{6}/);
    expect(done.map((m) => urlButton(m, /^Pagar /)).find(Boolean)).toBeDefined();
    expect(await t.bookingsOf(gi)).toMatchObject([{ status: 'held', plate: '1234BCD' }]);
    await payForHeld(gi, done, /Pago recibido: reserva confirmada/);
    expect(await t.bookingsOf(gi)).toMatchObject([{ status: 'confirmed', plate: '1234BCD' }]);
  });

  it('processes a repeated update once', async () => {
    const fa = driver('Fa');
    const update = {
      update_id: t.tg.takeUpdateId(),
      message: {
        message_id: 5,
        from: fa.user,
        chat: { id: fa.chatId, type: 'private', first_name: 'Fa' },
        date: 1,
        text: 'hello',
      },
    };
    await t.tg.send(update);
    await t.tg.send(update);
    await t.turn(
      fa,
      () => fa.say('/help'),
      (m) => /help|can/i.test(m.text),
    );
    const conversation = await t.p.db.prisma.conversation.findUnique({
      where: { channel_externalId: { channel: 'telegram', externalId: String(fa.chatId) } },
      include: { messages: { where: { direction: 'in' } } },
    });
    expect(conversation?.messages.filter((m) => m.text === 'hello')).toHaveLength(1);
  });

  it('waits the retry_after of a 429 and retries a dropped connection, so the reply still arrives', async () => {
    const gu = driver('Gu');
    t.tg.failNext('sendMessage', tooManyRequests(1));
    t.tg.failNext('sendMessage', 'drop');
    const reply = await t.turn(gu, () => gu.say('/start'), hasButton(/^intent:/));
    expect(texts(reply)).toMatch(/parking assistant/i);
    const sends = t.tg.callsOf('sendMessage').map((c) => c.status);
    expect(sends.indexOf(429)).toBeGreaterThanOrEqual(0);
    expect(sends.slice(sends.indexOf(429))).toEqual(expect.arrayContaining([429, 0, 200]));
  });

  it('records a driver who blocked the bot as unreachable, and goes on serving others', async () => {
    const ha = driver('Ha');
    await t.turn(ha, () => ha.say('hello'));
    t.tg.blockBy(ha.chatId);
    t.tg.failNext('sendChatAction', blockedByUser());
    await ha.say('/mybookings');
    const conversationId = String(ha.chatId);
    const undelivered = async () => {
      const c = await t.p.db.prisma.conversation.findUnique({
        where: { channel_externalId: { channel: 'telegram', externalId: conversationId } },
        include: { messages: true },
      });
      return (
        c?.messages.filter(
          (m) => (m.payload as { undelivered?: string } | null)?.undelivered === 'unreachable',
        ) ?? []
      );
    };
    for (let i = 0; i < 100 && !(await undelivered()).length; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await undelivered()).length).toBeGreaterThan(0);
    const ivy = driver('Ivy');
    expect(texts(await t.turn(ivy, () => ivy.say('/start')))).toMatch(/parking assistant/i);
  });

  it('deletes a Telegram driver’s data as on the widget', async () => {
    const jo = driver('Jo');
    await t.turn(
      jo,
      () => jo.say('book a space at Paddington tomorrow 13-14 plate JO12 AAA'),
      hasButton('confirm:yes'),
    );
    await t.turn(jo, () => jo.pressValue('confirm:yes'));
    await t.turn(jo, () => jo.say('please delete all my personal data'), hasButton('confirm:yes'));
    await t.turn(jo, () => jo.pressValue('confirm:yes'));
    expect(
      await t.p.db.prisma.channelIdentity.count({
        where: { channel: 'telegram', externalId: String(jo.user.id) },
      }),
    ).toBe(0);
    expect(
      await t.p.db.prisma.conversation.count({
        where: { channel: 'telegram', externalId: String(jo.chatId) },
      }),
    ).toBe(0);
  });
});
