/**
 * The whole conversation over the web chat channel, with Stripe (a local stand-in) on: a driver
 * books in their own words, gets a Pay link, closes the chat, pays; the signed webhook confirms the
 * booking and the confirmation with its receipt reaches their conversation. Later the reminder
 * before the end offers "Extend 1 hour", and pressing it extends the booking.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatActivity, Session } from '../channels/web/protocol.ts';
import { BACKENDS } from '../test/support/databases.ts';
import { startTestPlatform, type RunningPlatform } from '../test/support/platform.ts';
import { startStripeStandIn, type StripeStandIn } from '../test/support/stripe-api.ts';

describe.each(BACKENDS)('paying for a booking made in chat, on %s', (backend) => {
  let p: RunningPlatform;
  let stripe: StripeStandIn;
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stripe = await startStripeStandIn({ clock });
    p = await startTestPlatform(
      backend,
      {
        STRIPE_SECRET_KEY: stripe.secretKey,
        STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
        STRIPE_API_URL: stripe.url,
        LIFECYCLE_INTERVAL_SECONDS: '3600',
      },
      { clock },
    );
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await p?.stop();
    await stripe?.close();
  });

  function client(token?: string) {
    const s = io(`${p.url}/chat`, {
      transports: ['websocket'],
      auth: token ? { token } : {},
      forceNew: true,
    });
    sockets.push(s);
    const seen: ChatActivity[] = [];
    s.on('activity', (a: ChatActivity) => seen.push(a));
    s.on('history', (h: { activities: ChatActivity[] }) => seen.push(...h.activities));
    const session = new Promise<Session>((resolve) => s.once('session', resolve));
    const until = (test: (a: ChatActivity) => boolean) =>
      new Promise<ChatActivity>((resolve) => {
        const check = () => {
          const hit = seen.find((a) => a.from !== 'driver' && test(a));
          if (hit) resolve(hit);
          else setTimeout(check, 25);
        };
        check();
      });
    return { s, session, seen, until };
  }
  const said = (re: RegExp) => (a: ChatActivity) => re.test(a.text ?? '');

  it('books in chat, pays after closing the chat, and finds the confirmation and receipt there', async () => {
    const chat = client();
    const { token } = await chat.session;
    chat.s.emit('message', { text: "book a space at King's Cross tomorrow 9 to 11, plate AB12 CDE" });
    await chat.until(said(/Shall I book it/));
    chat.s.emit('message', { value: 'confirm:yes' });
    const offer = await chat.until(said(/holding the space for 15 minutes/));
    expect(offer.text).toMatch(/£\d+\.\d\d/);
    const pay = offer.suggestedActions?.find((a) => 'url' in a) as { title: string; url: string } | undefined;
    expect(pay?.title).toMatch(/^Pay £/);
    expect(pay?.url).toMatch(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
    expect(JSON.stringify(offer.attachments)).toContain("King's Cross");
    const booking = await p.db.prisma.booking.findFirstOrThrow({
      where: { plate: 'AB12CDE' },
      select: { id: true, reference: true, status: true },
    });
    expect(booking.status).toBe('held');

    chat.s.close(); // the driver closes the chat, then pays
    const sessionId = pay!.url.split('/').at(-1)!;
    const { body, signature } = stripe.sign(stripe.complete(sessionId));
    const r = await fetch(`${p.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body,
    });
    expect(r.status).toBe(200);
    expect((await p.db.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe(
      'confirmed',
    );

    // the confirmation goes out on the driver's conversation (nobody is in the chat to see it)…
    await expect
      .poll(
        async () =>
          (
            await p.db.prisma.notification.findMany({
              where: { bookingId: booking.id, kind: 'confirmed' },
            })
          ).map((n) => n.status),
        { timeout: 15_000 },
      )
      .toEqual(['sent']);

    const back = client(token); // …and when they open the chat again, it is there
    const confirmed = await back.until(said(/Payment received — booking confirmed/));
    expect(JSON.stringify(confirmed.attachments)).toContain(booking.reference);
    const receipt = await back.until(said(/^Receipt: £\d+\.\d\d for booking/));
    expect(receipt.text).toContain(booking.reference);
    expect(
      receipt.suggestedActions?.some((a) => 'url' in a && /pay\.stripe\.com\/receipts/.test(a.url)),
    ).toBe(true);
  });

  it("reminds before the end with 'Extend 1 hour', and the button extends the booking", async () => {
    const chat = client();
    await chat.session;
    chat.s.emit('message', { text: 'book a space at Paddington tomorrow 9 to 11, plate KL19 XYZ' });
    await chat.until(said(/Shall I book it/));
    chat.s.emit('message', { value: 'confirm:yes' });
    const offer = await chat.until(said(/holding the space/));
    const sessionId = (offer.suggestedActions?.find((a) => 'url' in a) as { url: string }).url
      .split('/')
      .at(-1)!;
    const paid = stripe.sign(stripe.complete(sessionId));
    await fetch(`${p.url}/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': paid.signature },
      body: paid.body,
    });
    await chat.until(said(/Payment received/));
    const booking = await p.db.prisma.booking.findFirstOrThrow({ where: { plate: 'KL19XYZ' } });

    offset = booking.endsAt.getTime() - 14 * 60_000 - Date.now(); // 14 minutes before the end
    await p.core.notifications.dispatchDue();
    await chat.until(said(/starts at/)); // the start reminder was due too
    const endsSoon = await chat.until(said(/ends at .*free for another hour/));
    const extend = endsSoon.suggestedActions?.find((a) => a.title === 'Extend 1 hour') as { value: string };
    expect(extend.value).toBe(`extend:${booking.id}+60`);
    chat.s.emit('message', { value: extend.value });
    await chat.until(said(/12:00/));
    chat.s.emit('message', { value: 'confirm:yes' });
    const more = await chat.until(said(/It's £\d+\.\d\d more/));
    expect(more.suggestedActions?.some((a) => 'url' in a)).toBe(true);
    const after = await p.db.prisma.booking.findUniqueOrThrow({ where: { id: booking.id } });
    expect(after.endsAt.getTime()).toBe(booking.endsAt.getTime() + 3_600_000);
    const reminders = await p.db.prisma.notification.findMany({
      where: { bookingId: booking.id, kind: { in: ['starts_soon', 'ends_soon'] } },
    });
    // each sent once; the new end has its own reminder waiting
    expect(reminders.map((n) => [n.kind, n.status]).sort()).toEqual([
      ['ends_soon', 'pending'],
      ['ends_soon', 'sent'],
      ['starts_soon', 'sent'],
    ]);
  });

  it('answers "how do I pay?" with a fresh Pay button for the booking waiting for payment', async () => {
    const chat = client();
    await chat.session;
    chat.s.emit('message', { text: 'how do i pay?' });
    await chat.until(said(/Nothing of yours is waiting for payment/));
    chat.s.emit('message', { text: 'book a space at Paddington tomorrow 13 to 15, plate PY12 ABC' });
    await chat.until(said(/Shall I book it/));
    chat.s.emit('message', { value: 'confirm:yes' });
    const first = await chat.until(said(/holding the space/));
    chat.s.emit('message', { text: 'how do i pay for it' });
    const again = await chat.until((a) => a !== first && /holding the space/.test(a.text ?? ''));
    const pay = again.suggestedActions?.find((a) => 'url' in a) as { url: string } | undefined;
    expect(pay?.url).toMatch(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
    const held = await p.db.prisma.booking.findFirstOrThrow({ where: { plate: 'PY12ABC' } });
    expect(again.text).toContain(held.reference);
    expect(held.status).toBe('held');
  });
});
