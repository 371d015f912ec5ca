import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonsOf, startBotHarness, textOf, type BotHarness } from '../test/support/bot.ts';

// Monday 3 June 2030, 09:00 in London: "tomorrow" is Tuesday, every demo car park is open.
const NOW = new Date('2030-06-03T08:00:00Z');
const TUESDAY_9_LONDON = '2030-06-04T08:00:00.000Z';
const TUESDAY_11_LONDON = '2030-06-04T10:00:00.000Z';

describe('parking bot dialogues', () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await startBotHarness({ now: NOW });
  });
  afterAll(() => h?.close());

  const bookingsOf = async (userId: string) => {
    const identity = await h.db.prisma.channelIdentity.findUnique({
      where: { channel_externalId: { channel: 'test', externalId: userId } },
    });
    return identity
      ? h.db.prisma.booking.findMany({ where: { driverId: identity.driverId }, include: { space: true } })
      : [];
  };

  it('books in one message plus a confirmation', async () => {
    const ada = h.user();
    const offer = await ada.say('book an EV space at Paddington tomorrow 9-11, plate AB12 CDE');
    expect(textOf(offer)).toMatch(
      /EV charging space at Paddington Station Car Park, tomorrow 09:00–11:00: £\d+\.\d\d/,
    );
    expect(buttonsOf(offer).map((b) => b.value)).toEqual(['confirm:yes', 'confirm:change', 'confirm:no']);
    const done = await ada.press('confirm:yes');
    expect(textOf(done)).toMatch(/Your booking PK[A-Z0-9]{6} is confirmed/);
    expect(done[0]?.attachments?.[0]?.contentType).toBe('application/vnd.parking.booking+json');
    const [b] = await bookingsOf(ada.userId);
    expect(b).toMatchObject({ status: 'confirmed', plate: 'AB12CDE' });
    expect(b?.space.kind).toBe('ev');
    expect(b?.startsAt.toISOString()).toBe(TUESDAY_9_LONDON);
    expect(b?.endsAt.toISOString()).toBe(TUESDAY_11_LONDON);
  });

  it('asks only for what is missing, one question at a time', async () => {
    const bo = h.user();
    expect(textOf(await bo.say('I want to book a parking space'))).toMatch(/Where would you like to park/);
    expect(textOf(await bo.say("King's Cross"))).toMatch(/When do you arrive/);
    expect(textOf(await bo.say('tomorrow at 10am'))).toMatch(/Until when/);
    expect(textOf(await bo.say('for 2 hours'))).toMatch(/licence plate/);
    const offer = await bo.say('XY19 ZZZ');
    expect(textOf(offer)).toMatch(/Standard space at King's Cross St Pancras Car Park, tomorrow 10:00–12:00/);
    expect(textOf(await bo.say('yes please'))).toMatch(/is confirmed/);
    expect((await bookingsOf(bo.userId))[0]).toMatchObject({ status: 'confirmed', plate: 'XY19ZZZ' });
  });

  it('takes a correction in the middle of the flow and keeps going', async () => {
    const cy = h.user();
    expect(textOf(await cy.say('book a space at Wembley tomorrow from 9 to 11'))).toMatch(/licence plate/);
    const corrected = await cy.say('actually make it 3pm');
    expect(textOf(corrected)).toMatch(/Got it — starting tomorrow 15:00, until tomorrow 17:00/);
    expect(textOf(corrected)).toMatch(/licence plate/);
    expect(textOf(await cy.say('CY12 ABC'))).toMatch(/tomorrow 15:00–17:00/);
    const fromQuote = await cy.say('change it to 4pm');
    expect(textOf(fromQuote)).toMatch(/tomorrow 16:00–18:00/);
  });

  it('answers a question in the middle of a flow, then resumes it', async () => {
    const di = h.user();
    expect(textOf(await di.say('book a space at Southbank tomorrow at 10'))).toMatch(/Until when/);
    const digression = await di.say('how much does parking cost?');
    expect(textOf(digression)).toMatch(/Prices per hour/);
    expect(textOf(digression)).toMatch(/Until when/); // the question again
    expect(textOf(await di.say('until noon'))).toMatch(/licence plate/);
  });

  it('leaves the flow on "stop" without booking anything', async () => {
    const ed = h.user();
    expect(textOf(await ed.say('book a space at Paddington tomorrow 9 to 11'))).toMatch(/licence plate/);
    expect(textOf(await ed.say('stop'))).toMatch(/Nothing was booked/);
    expect(textOf(await ed.say('AB12 CDE'))).not.toMatch(/Shall I book it/);
    expect(await bookingsOf(ed.userId)).toHaveLength(0);
  });

  it('asks again differently, then offers a person after two misunderstandings in a row', async () => {
    const di = h.user();
    expect(textOf(await di.say('whatever the thing is'))).toMatch(/didn't get that/);
    const fi = h.user();
    const first = await fi.say("what's the weather like in Paris?");
    expect(textOf(first)).toMatch(/can't help with that. I can find and book parking/);
    const second = await fi.say('tell me a joke about cats');
    expect(textOf(second)).toMatch(/talk to a person/i);
    expect(buttonsOf(second).map((b) => b.value)).toContain('intent:human_agent');
    const handoff = await fi.press('intent:human_agent');
    expect(textOf(handoff)).toMatch(/asked a person to join/);
    expect(
      await h.db.prisma.handoffRequest.count({ where: { conversation: { externalId: fi.conversationId } } }),
    ).toBe(1);
  });

  it('speaks Spanish to a Spanish-speaking driver', async () => {
    const gi = h.user();
    const offer = await gi.say(
      'quiero reservar una plaza en Paddington mañana de 9 a 11, matrícula 1234 BCD',
    );
    expect(textOf(offer)).toMatch(
      /Plaza normal en Paddington Station Car Park, mañana 09:00–11:00: .*¿La reservo\?/,
    );
    expect(textOf(await gi.say('sí'))).toMatch(/Tu reserva PK[A-Z0-9]{6} está confirmada/);
  });

  it('lists, extends and cancels the driver’s bookings', async () => {
    const ha = h.user();
    await ha.say('book a space at Paddington tomorrow 9-11 plate HA12 AAA');
    await ha.press('confirm:yes');
    const list = await ha.say('show my bookings');
    expect(textOf(list)).toMatch(/Your upcoming bookings/);
    const ref = /PK[A-Z0-9]{6}/.exec(textOf(list))?.[0] ?? '';
    const extend = await ha.say(`extend ${ref} by 1 hour`);
    expect(textOf(extend)).toMatch(new RegExp(`Extend ${ref} until tomorrow 12:00 for £`));
    expect(textOf(await ha.press('confirm:yes'))).toMatch(new RegExp(`${ref} now ends tomorrow 12:00`));
    const cancel = await ha.say('cancel my booking');
    expect(textOf(cancel)).toMatch(new RegExp(`Cancel booking ${ref}`));
    expect(textOf(await ha.say('yes'))).toMatch(new RegExp(`${ref} is cancelled`));
    expect((await bookingsOf(ha.userId))[0]?.status).toBe('cancelled');
  });

  it('erases the driver’s data after confirmation, keeping the booking anonymised', async () => {
    const iv = h.user();
    await iv.say('book a space at Paddington tomorrow 13-14 plate IV12 AAA');
    await iv.press('confirm:yes');
    const ask = await iv.say('please delete all my personal data');
    expect(textOf(ask)).toMatch(/Delete everything\?/);
    expect(textOf(await iv.press('confirm:yes'))).toMatch(/personal data has been erased/);
    expect(await h.db.prisma.channelIdentity.count({ where: { externalId: iv.userId } })).toBe(0);
    expect(await h.db.prisma.conversation.count({ where: { externalId: iv.conversationId } })).toBe(0);
    const anonymised = await h.db.prisma.booking.findMany({ where: { plate: 'ERASED' } });
    expect(anonymised.length).toBeGreaterThanOrEqual(1);
    expect(anonymised.every((b) => b.driverId === null && b.status === 'cancelled')).toBe(true);
  });

  it('keeps a transcript of every message in and out, and the conversation reference', async () => {
    const jo = h.user();
    await jo.say('hello');
    await jo.say('thanks!');
    const conv = await h.db.prisma.conversation.findFirst({
      where: { externalId: jo.conversationId },
      include: { messages: { orderBy: { id: 'asc' } } },
    });
    expect(conv?.reference).toMatchObject({
      conversation: { id: jo.conversationId },
      user: { id: jo.userId },
    });
    expect(conv?.messages.map((m) => [m.direction, m.text?.slice(0, 5)])).toEqual([
      ['in', 'hello'],
      ['out', 'Hi! I'],
      ['in', 'thank'],
      ['out', "You'r"],
    ]);
  });

  it('starts over when a flow has been idle too long', async () => {
    const ke = h.user();
    expect(textOf(await ke.say('book a space at Wembley tomorrow at 9'))).toMatch(/Until when/);
    h.advance(31 * 60_000);
    const after = await ke.say('for 2 hours');
    expect(textOf(after)).toMatch(/started over/);
    expect(textOf(after)).not.toMatch(/licence plate/);
  });

  it('asks the time when only a day was said, and books from now when only an end was said', async () => {
    const lu = h.user();
    expect(textOf(await lu.say('book a space at Wembley tomorrow'))).toMatch(/What time tomorrow\?/);
    expect(textOf(await lu.say('at 9am'))).toMatch(/Until when/);
    expect(textOf(await lu.say('2 hours'))).toMatch(/licence plate/);
    expect(textOf(await lu.say('LU12 AAA'))).toMatch(/Wembley Stadium Red Car Park, tomorrow 09:00–11:00/);
    const mo = h.user();
    expect(textOf(await mo.say('book a space at Southbank until 1pm plate MO12 AAA'))).toMatch(
      /Southbank Centre Car Park, today 09:\d\d–13:00/,
    ); // from now (the clock moved on in an earlier test)
  });
});
