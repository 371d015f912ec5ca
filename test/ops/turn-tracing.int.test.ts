import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WidgetDriver } from '../../scripts/soak/widget-driver.ts';
import { freshDatabase, TEST_DATABASE_URL, type TestDatabase } from '../support/databases.ts';
import { eventually } from '../support/mqtt.ts';
import { TEST_REDIS_URL } from '../support/redis.ts';
import { apiError, TelegramApiStandIn, type SentMessage } from '../support/telegram-api.ts';
import { OPS_API_KEY, OPS_WIDGET_SECRET, startInstance, type Instance } from './harness.ts';

/** A span as OTLP/HTTP JSON carries it, attributes flattened. */
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, string | number | boolean>;
  links: Array<{ traceId: string; spanId: string }>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}

/** A local OTLP/HTTP receiver (what Jaeger or a Collector listens with on :4318), JSON encoding. */
async function otlpReceiver(): Promise<{
  server: Server;
  url: string;
  spans: ExportedSpan[];
  raw: string[];
}> {
  const spans: ExportedSpan[] = [];
  const raw: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        raw.push(body);
        const doc = JSON.parse(body) as {
          resourceSpans: Array<{
            scopeSpans: Array<{
              spans: Array<
                Omit<ExportedSpan, 'attributes' | 'links'> & {
                  attributes?: Array<{ key: string; value: OtlpValue }>;
                  links?: Array<{ traceId: string; spanId: string }>;
                }
              >;
            }>;
          }>;
        };
        for (const rs of doc.resourceSpans)
          for (const ss of rs.scopeSpans)
            for (const s of ss.spans)
              spans.push({
                ...s,
                parentSpanId: s.parentSpanId || undefined,
                attributes: Object.fromEntries(
                  (s.attributes ?? []).map((a) => [
                    a.key,
                    a.value.stringValue ??
                      a.value.boolValue ??
                      Number(a.value.intValue ?? a.value.doubleValue),
                  ]),
                ),
                links: s.links ?? [],
              });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans, raw };
}

const PLACE_TEXT = "book a space at King's Cross tomorrow 9 to 11, plate TR42 ACE";

describe('one trace and one set of log ids per chat turn', () => {
  let receiver: Awaited<ReturnType<typeof otlpReceiver>>;
  let tg: TelegramApiStandIn;
  let database: TestDatabase | undefined;
  let instance: Instance;

  beforeAll(async () => {
    receiver = await otlpReceiver();
    tg = await TelegramApiStandIn.start();
    if (TEST_DATABASE_URL) database = await freshDatabase('postgres');
    instance = await startInstance({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      MQTT_BROKER_PORT: '0',
      SEED_DEMO: 'true',
      LOG_LEVEL: 'debug',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.url,
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
      ...(TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL } : {}),
    });
  });
  afterAll(async () => {
    await instance?.stop();
    await tg?.stop();
    await database?.close();
    receiver?.server.close();
  });

  it('traces a widget booking from the inbound message through NLU, dialogue and booking-core to PostgreSQL', async () => {
    const driver = await WidgetDriver.connect(instance.url);
    try {
      await driver.say(PLACE_TEXT, /Shall I book it/);
      await driver.press('confirm:yes', /holding the space/);
    } finally {
      driver.close();
    }
    const spans = receiver.spans;
    const roots = () =>
      spans.filter(
        (s) => s.name === 'chat.message' && s.attributes['chat.conversation_id'] === driver.conversationId,
      );
    await eventually(() => expect(roots()).toHaveLength(2), 20_000);
    const byInput = (input: string) => roots().find((s) => s.attributes['chat.input'] === input)!;
    const [asked, booked] = [byInput('text'), byInput('button')];
    // one trace per turn, each starting at the inbound message
    expect(asked!.attributes).toMatchObject({ 'chat.channel': 'web', 'chat.input': 'text' });
    expect(booked!.attributes).toMatchObject({ 'chat.channel': 'web', 'chat.input': 'button' });
    expect(asked!.parentSpanId).toBeUndefined();
    expect(booked!.parentSpanId).toBeUndefined();
    expect(asked!.traceId).not.toBe(booked!.traceId);

    const inTrace = (root: ExportedSpan) => spans.filter((s) => s.traceId === root.traceId);
    const childOf = (parent: ExportedSpan, name: string | RegExp) =>
      inTrace(parent).filter(
        (s) =>
          s.parentSpanId === parent.spanId &&
          (typeof name === 'string' ? s.name === name : name.test(s.name)),
      );
    await eventually(() => {
      const turn = childOf(asked!, 'dialogue.turn')[0];
      expect(turn).toBeDefined();
      const nlu = childOf(turn!, 'nlu.classify');
      expect(nlu).toHaveLength(1);
      expect(nlu[0]!.attributes).toMatchObject({ 'nlu.intent': 'book_parking', 'nlu.locale': 'en' });
      expect(childOf(turn!, 'facilities.quote')[0]?.attributes['facility.id']).toEqual(expect.any(String));
    }, 20_000);

    await eventually(() => {
      const turn = childOf(booked!, 'dialogue.turn')[0];
      expect(turn).toBeDefined();
      const [hold] = childOf(turn!, 'bookings.hold');
      expect(hold?.attributes).toMatchObject({ 'booking.outcome': 'ok', 'facility.id': expect.any(String) });
      const bookingId = hold!.attributes['booking.id'];
      expect(bookingId).toMatch(/^[0-9a-f-]{36}$/);
      expect(booked!.attributes['booking.id']).toBe(bookingId); // the root names the booking it made
      expect(childOf(turn!, 'payments.checkout')[0]?.attributes['booking.id']).toBe(bookingId);
      // the database's own spans (the pg instrumentation) beneath booking-core's
      if (database) expect(childOf(hold!, /^pg\.query/).length).toBeGreaterThan(0);
    }, 20_000);

    // what the driver wrote, their plate and the platform's secrets never leave in a span
    const exported = receiver.raw.join('\n');
    for (const secret of ["King's Cross tomorrow", 'TR42', OPS_API_KEY, OPS_WIDGET_SECRET, driver.token])
      expect(exported).not.toContain(secret);
  });

  it('traces REST calls and their queries too', async () => {
    expect((await instance.api('/api/v1/facilities')).status).toBe(200);
    await eventually(() => {
      const get = receiver.spans.find(
        (s) => /^GET( \/api\/v1\/facilities)?$/.test(s.name) && !s.parentSpanId,
      );
      expect(get).toBeDefined();
      const list = receiver.spans.find((s) => s.name === 'facilities.list' && s.traceId === get!.traceId);
      expect(list).toBeDefined();
      if (database) expect(receiver.spans.some((s) => /^pg\.query/.test(s.name))).toBe(true);
    }, 20_000);
  });

  it('names the conversation, and then the booking, in every line logged during a turn', async () => {
    const texts = (ms: SentMessage[]) => ms.map((m) => m.text).join('\n');
    const ana = tg.driver({ id: 880_000 + Math.floor(Math.random() * 100_000), first_name: 'Ana' });
    const conversationId = String(ana.chatId);
    await ana.say(PLACE_TEXT);
    await tg.until(() => /Shall I book it/.test(texts(tg.sentTo(ana.chatId))), 'the offer');
    // Telegram fails the reply to "Book it" once: the outlet's retry warning comes from deep in the turn,
    // after the hold, and says nothing of the conversation itself
    tg.failNext('sendMessage', apiError(502, 'Bad Gateway'));
    await ana.pressValue('confirm:yes');
    await tg.until(() => /holding the space/i.test(texts(tg.sentTo(ana.chatId))), 'the hold');

    const ofTurn = instance.logs.filter((l) => l['conversationId'] === conversationId);
    const held = ofTurn.find((l) => l['msg'] === 'booking.held'); // logged by booking-core's event
    expect(held).toMatchObject({ channel: 'telegram', bookingId: expect.any(String) });
    const retry = ofTurn.find((l) => l['msg'] === 'telegram: retrying a call');
    expect(retry).toMatchObject({ level: 40, channel: 'telegram', bookingId: held!['bookingId'] });

    // an HTTP request's lines name it and the booking it is about: paying at the checkout
    const link = tg
      .sentTo(ana.chatId)
      .flatMap((m) => m.reply_markup?.inline_keyboard?.flat() ?? [])
      .find((b) => b.url && /^Pay /.test(b.text))!.url!;
    const page = await (await fetch(link)).text();
    const action = /<form method="post" action="([^"]+\/pay)">/.exec(page)![1]!;
    const paid = await fetch(new URL(action, link), {
      method: 'POST',
      headers: { 'x-request-id': 'checkout-req-42' },
      redirect: 'manual',
    });
    expect(paid.status).toBeLessThan(400);
    await eventually(() =>
      expect(
        instance.logs.find((l) => l['msg'] === 'booking.confirmed' && l['requestId'] === 'checkout-req-42'),
      ).toMatchObject({ bookingId: held!['bookingId'] }),
    );
    expect(JSON.stringify(instance.logs)).not.toContain(OPS_API_KEY);
  });
});
