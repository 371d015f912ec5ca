import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphCall } from '../test/support/whatsapp-graph.ts';
import { FakeGraphApi, GRAPH_ERRORS, postWebhook, wa, webhookBody } from '../test/support/whatsapp-graph.ts';
import { payAtTestCheckout, startTestPlatform, type RunningPlatform } from '../test/support/platform.ts';

const CHROMIUM = existsSync('/usr/bin/chromium');
const APP_SECRET = 'whatsapp-app-secret-for-tests';
const VERIFY = 'verify-me-please';
let n = 0;
const newDriver = () => `4477009${String(100_000 + ++n * 7919).slice(-5)}`;

type Interactive = { type: string; body: { text: string }; action: Record<string, unknown> };
const interactiveOf = (c: GraphCall | undefined) => c?.body['interactive'] as Interactive | undefined;
const textBody = (c: GraphCall) =>
  c.body.type === 'text' ? (c.body['text'] as { body: string }).body : (interactiveOf(c)?.body.text ?? '');
const buttonIds = (c: GraphCall | undefined) =>
  ((interactiveOf(c)?.action['buttons'] ?? []) as Array<{ reply: { id: string } }>).map((b) => b.reply.id);
const rowsOf = (c: GraphCall | undefined) =>
  (
    (interactiveOf(c)?.action['sections'] ?? []) as Array<{
      rows: Array<{ id: string; title: string; description?: string }>;
    }>
  ).flatMap((s) => s.rows);
/** the link of a CTA URL button ("Pay £…") */
const ctaOf = (c: GraphCall | undefined) =>
  interactiveOf(c)?.type === 'cta_url'
    ? (interactiveOf(c)!.action['parameters'] as { display_text: string; url: string })
    : undefined;

describe('WhatsApp Cloud API, end to end against a stand-in Graph API', () => {
  const graph = new FakeGraphApi();
  let platform: RunningPlatform;
  let webhook: string;
  let stopped = false;
  let sessionDir: string;
  /** Chromium processes of this platform's WhatsApp Web session */
  const chromiums = () =>
    execFileSync('ps', ['-eo', 'args='], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /chrom/i.test(l) && l.includes(sessionDir));

  beforeAll(async () => {
    await graph.start();
    sessionDir = await mkdtemp(join(tmpdir(), 'wa-web-session-'));
    platform = await startTestPlatform('pglite', {
      NODE_ENV: 'test',
      // WhatsApp Web too, on real Chromium where there is one: with no internet it cannot start
      ...(CHROMIUM ? { WHATSAPP_WEB: '1', WHATSAPP_WEB_SESSION_DIR: sessionDir } : {}),
      WHATSAPP_TOKEN: graph.token,
      WHATSAPP_PHONE_NUMBER_ID: '1234567890',
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_VERIFY_TOKEN: VERIFY,
      WHATSAPP_GRAPH_URL: graph.url,
    });
    webhook = `${platform.url}/channels/whatsapp/webhook`;
  });
  afterAll(async () => {
    if (!stopped) await platform?.stop();
    await graph.stop();
    await rm(sessionDir, { recursive: true, force: true });
  });

  /** Posts a signed webhook with one message and waits for the bot's next message to that driver. */
  async function send(message: ReturnType<typeof wa.text>, replies = 1): Promise<GraphCall[]> {
    const before = graph.sent(message.from).length;
    const res = await postWebhook(webhook, webhookBody({ messages: [message] }), APP_SECRET);
    expect(res.status).toBe(200);
    await graph.waitFor(() => graph.sent(message.from).length >= before + replies);
    await new Promise((r) => setTimeout(r, 150)); // the rest of this turn's messages
    return graph.sent(message.from).slice(before);
  }

  const bookingsOf = async (plate: string) =>
    (
      (await (await platform.api(`/api/v1/bookings?plate=${plate}`)).json()) as {
        bookings: Array<{ id: string; status: string; driverId: string; reference: string }>;
      }
    ).bookings;

  /**
   * "Book it" holds the space and sends a CTA URL button to the embedded test checkout: the driver
   * pays there, the booking is confirmed, and the confirmation arrives on WhatsApp.
   */
  async function payForHeld(who: string, plate: string) {
    const payLink = () =>
      graph
        .sent(who)
        .map(ctaOf)
        .find((c) => c !== undefined);
    await graph.waitFor(() => payLink() !== undefined);
    const pay = payLink()!;
    expect(pay.display_text).toMatch(/^Pay £\d+\.\d\d$/);
    expect(pay.url).toMatch(new RegExp(`^${platform.url}/pay/tcs_`));
    const [held] = await bookingsOf(plate);
    expect(held).toMatchObject({ status: 'held' });
    const before = graph.sent(who).length;
    await payAtTestCheckout(pay.url, held!.reference);
    await graph.waitFor(() =>
      graph
        .sent(who)
        .slice(before)
        .some((c) => /Payment received — booking confirmed/.test(textBody(c))),
    );
    expect(await bookingsOf(plate)).toEqual([expect.objectContaining({ status: 'confirmed' })]);
    return held!;
  }

  it("answers Meta's verification handshake only with the right token", async () => {
    const q = (token: string) =>
      `${webhook}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const ok = await fetch(q(VERIFY));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    expect((await fetch(q('wrong'))).status).toBe(403);
  });

  it('books by pressing reply buttons; the driver is their WhatsApp number; messages are marked read', async () => {
    const who = newDriver();
    const first = wa.text(who, 'book an EV space at Paddington tomorrow 9-11, plate AB12 CDE');
    const offer = await send(first);
    const withButtons = offer.find((c) => interactiveOf(c)?.type === 'button');
    expect(buttonIds(withButtons)).toEqual(['confirm:yes', 'confirm:change', 'confirm:no']);
    expect(graph.readReceipts()).toContain(first.id);

    const done = await send(wa.buttonReply(who, 'confirm:yes', 'Book it'));
    expect(done.map(textBody).join('\n')).toMatch(/AB12 ?CDE/);
    const booking = await payForHeld(who, 'AB12CDE');
    const driver = await platform.db.prisma.driver.findUnique({
      where: { phone: `+${who}` },
      include: { identities: true },
    });
    expect(driver?.id).toBe(booking!.driverId);
    expect(driver?.identities).toEqual([expect.objectContaining({ channel: 'whatsapp', externalId: who })]);
  });

  it('books by typing the number of a choice', async () => {
    const who = newDriver();
    const offer = await send(wa.text(who, 'book a space at Wembley tomorrow 14 to 16, plate NU12 BER'));
    expect(buttonIds(offer.find((c) => interactiveOf(c)?.type === 'button'))[0]).toBe('confirm:yes');
    await send(wa.text(who, '1'));
    await payForHeld(who, 'NU12BER');
  });

  it('a shared location gets the nearest car parks as a list with free counts; a row picks one', async () => {
    const who = newDriver();
    const nearest = await send(wa.location(who, 51.5316, -0.1236));
    const list = nearest.find((c) => interactiveOf(c)?.type === 'list');
    const rows = rowsOf(list);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.every((r) => r.id.startsWith('facility:') && /\d+\/\d+ free/.test(r.description ?? ''))).toBe(
      true,
    );
    const after = await send(wa.listReply(who, rows[0]!.id, rows[0]!.title));
    expect(after.map(textBody).join('\n')).toMatch(/\S/);
    const transcript = await platform.db.prisma.transcriptMessage.findMany({
      where: { conversation: { channel: 'whatsapp', externalId: who }, direction: 'in' },
      orderBy: { id: 'asc' },
    });
    expect(transcript.map((t) => (t.payload as { value?: string } | null)?.value)).toEqual([
      'location:51.5316,-0.1236',
      rows[0]!.id,
    ]);
  });

  it('answers a photo politely without bothering the bot', async () => {
    const who = newDriver();
    const [answer] = await send(wa.image(who));
    expect(textBody(answer!)).toMatch(/text, buttons and locations/);
  });

  it('refuses a forged, missing or stale signature with 401 and processes nothing', async () => {
    const who = newDriver();
    const body = webhookBody({ messages: [wa.text(who, 'book Paddington tomorrow 9-11 plate FO12 RGE')] });
    for (const sig of [null, 'sha256=' + '0'.repeat(64), 'sha256=deadbeef'])
      expect((await postWebhook(webhook, body, APP_SECRET, sig)).status).toBe(401);
    expect((await postWebhook(webhook, body, 'another-apps-secret')).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(graph.sent(who)).toEqual([]);
    expect(await platform.db.prisma.conversation.count({ where: { externalId: who } })).toBe(0);
  });

  it('processes a redelivered message once', async () => {
    const who = newDriver();
    const body = webhookBody({ messages: [wa.text(who, 'hello')] });
    const [a, b] = await Promise.all([
      postWebhook(webhook, body, APP_SECRET),
      postWebhook(webhook, body, APP_SECRET),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await graph.waitFor(() => graph.sent(who).length >= 1);
    await postWebhook(webhook, body, APP_SECRET);
    await new Promise((r) => setTimeout(r, 500));
    const inbound = await platform.db.prisma.transcriptMessage.count({
      where: { conversation: { channel: 'whatsapp', externalId: who }, direction: 'in' },
    });
    expect(inbound).toBe(1);
  });

  it('records status callbacks on the transcript entry of the message they are about', async () => {
    const who = newDriver();
    const [reply] = await send(wa.text(who, 'help'));
    const activityId = String(reply!.body['biz_opaque_callback_data']);
    const status = (s: 'sent' | 'delivered' | 'read') => ({
      ...wa.status(`wamid.out${s}`, who, s),
      biz_opaque_callback_data: activityId,
    });
    await postWebhook(webhook, webhookBody({ statuses: [status('sent'), status('delivered')] }), APP_SECRET);
    await postWebhook(webhook, webhookBody({ statuses: [status('read')] }), APP_SECRET);
    await postWebhook(webhook, webhookBody({ statuses: [status('delivered')] }), APP_SECRET); // late, older news
    await expect
      .poll(async () => {
        const entries = await platform.db.prisma.transcriptMessage.findMany({
          where: { conversation: { externalId: who }, direction: 'out' },
        });
        return entries
          .map((e) => e.payload as { activityId?: string; delivery?: { status: string } })
          .find((p) => p.activityId === activityId)?.delivery?.status;
      })
      .toBe('read');
  });

  it('outside the 24-hour window nothing free-form is sent without a template: recorded undeliverable', async () => {
    const who = newDriver();
    const yesterday = new Date(Date.now() - 25 * 3_600_000);
    await postWebhook(webhook, webhookBody({ messages: [wa.text(who, 'hello', yesterday)] }), APP_SECRET);
    await new Promise((r) => setTimeout(r, 1000));
    const result = await platform.runtime.deliver(
      { channel: 'whatsapp', externalId: who },
      [{ type: 'message', text: 'Your booking starts in 30 minutes' }],
      { role: 'system' },
    );
    expect(result).toMatchObject({ delivered: false, reason: 'window-closed' });
    expect(graph.sent(who)).toEqual([]);
    const out = await platform.db.prisma.transcriptMessage.findMany({
      where: { conversation: { externalId: who }, direction: 'out' },
    });
    expect(
      out.some((e) => (e.payload as { undelivered?: string } | null)?.undelivered === 'window-closed'),
    ).toBe(true);
  });

  it('a Graph API error is recorded with its kind and the conversation goes on; rate limits are retried', async () => {
    const who = newDriver();
    graph.failNext(GRAPH_ERRORS.notOnWhatsApp());
    await postWebhook(webhook, webhookBody({ messages: [wa.text(who, 'hello')] }), APP_SECRET);
    await expect
      .poll(async () =>
        (
          await platform.db.prisma.transcriptMessage.findMany({
            where: { conversation: { externalId: who }, direction: 'out' },
          })
        ).some((e) => (e.payload as { undelivered?: string } | null)?.undelivered === 'unreachable'),
      )
      .toBe(true);
    graph.failNext(GRAPH_ERRORS.rateLimit(), 2);
    const replies = await send(wa.text(who, 'help'));
    expect(replies.length).toBeGreaterThan(0);
  });

  it('GET /api/v1/channels lists every channel with its state and counts', async () => {
    const res = await platform.api('/api/v1/channels');
    expect(res.status).toBe(200);
    const { channels } = (await res.json()) as {
      channels: Array<{
        channel: string;
        enabled: boolean;
        state: string;
        messagesIn: number;
        messagesOut: number;
      }>;
    };
    expect(channels.map((c) => c.channel)).toEqual(
      expect.arrayContaining(['web', 'telegram', 'whatsapp', 'whatsapp-web']),
    );
    const whatsapp = channels.find((c) => c.channel === 'whatsapp')!;
    expect(whatsapp).toMatchObject({ enabled: true, state: 'connected' });
    expect(whatsapp.messagesIn).toBeGreaterThan(5);
    expect(whatsapp.messagesOut).toBeGreaterThan(5);
    expect((await platform.api('/api/v1/channels', { auth: false })).status).toBe(401);
  });

  it.skipIf(!CHROMIUM)(
    'WhatsApp Web without internet: reported, retried, and the rest keeps serving',
    async () => {
      await expect
        .poll(
          async () => {
            const { channels } = (await (await platform.api('/api/v1/channels')).json()) as {
              channels: Array<{ channel: string; enabled: boolean; state: string; lastError: string | null }>;
            };
            return channels.find((c) => c.channel === 'whatsapp-web');
          },
          { timeout: 30_000 },
        )
        .toMatchObject({
          enabled: true,
          state: 'disconnected',
          lastError: expect.stringMatching(/ERR_|net::/),
        });
      expect((await platform.api('/api/v1/channels/whatsapp-web/qr')).status).toBe(404);
      expect((await platform.api('/api/v1/facilities')).status).toBe(200);
    },
  );

  it.skipIf(!CHROMIUM)('on shutdown no Chromium outlives the platform', async () => {
    stopped = true;
    await platform.stop();
    expect(chromiums()).toEqual([]);
  });
});
