import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGraphApi, GRAPH_ERRORS } from '../../test/support/whatsapp-graph.ts';
import { GraphApiError, GraphClient } from './graph-client.ts';

const to = '447700900123';

describe('GraphClient against the stand-in Graph API', () => {
  const graph = new FakeGraphApi();
  let client: GraphClient;
  beforeAll(async () => {
    await graph.start();
    client = new GraphClient({
      graphUrl: graph.url,
      token: graph.token,
      phoneNumberId: '1234567890',
      retryBaseMs: 5,
    });
  });
  afterAll(() => graph.stop());

  it('sends a message and returns its wamid; marks a message read', async () => {
    const sent = await client.send(to, { type: 'text', text: { body: 'Hi' } });
    expect(sent.id).toMatch(/^wamid\./);
    await client.markRead('wamid.in1');
    expect(graph.calls.at(-2)).toMatchObject({
      phoneNumberId: '1234567890',
      body: {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        type: 'text',
        text: { body: 'Hi' },
      },
    });
    expect(graph.readReceipts()).toContain('wamid.in1');
  });

  it('backs off and retries a rate limit until it goes through', async () => {
    graph.failNext(GRAPH_ERRORS.rateLimit(), 2);
    const before = graph.calls.length;
    await expect(client.send(to, { type: 'text', text: { body: 'later' } })).resolves.toHaveProperty('id');
    expect(graph.calls.length - before).toBe(3);
  });

  it('gives up on a lasting rate limit with its code', async () => {
    graph.failNext(GRAPH_ERRORS.rateLimit(), 4);
    const e = await client.send(to, { type: 'text', text: { body: 'x' } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GraphApiError);
    expect(e).toMatchObject({ kind: 'rate-limited', code: 130429 });
  });

  it('reports an invalid token, a number not on WhatsApp and a closed window once, with their codes', async () => {
    const cases = [
      [GRAPH_ERRORS.invalidToken(), 'auth', 190],
      [GRAPH_ERRORS.notOnWhatsApp(), 'unreachable', 131026],
      [GRAPH_ERRORS.windowClosed(), 'window-closed', 131047],
    ] as const;
    for (const [error, kind, code] of cases) {
      graph.failNext(error);
      const before = graph.calls.length;
      const e = (await client
        .send(to, { type: 'text', text: { body: 'x' } })
        .catch((x: unknown) => x)) as GraphApiError;
      expect(e).toMatchObject({ kind, code, status: error[0] });
      expect(e.fbtraceId).toBeTruthy();
      expect(graph.calls.length - before).toBe(1);
    }
  });

  it('a wrong token is refused by the API itself; the token never appears in the error', async () => {
    const wrong = new GraphClient({
      graphUrl: graph.url,
      token: 'not-the-token',
      phoneNumberId: '1',
      maxAttempts: 1,
    });
    const e = (await wrong.markRead('wamid.x').catch((x: unknown) => x)) as GraphApiError;
    expect(e).toMatchObject({ kind: 'auth', code: 190, status: 401 });
    expect(e.message).not.toContain('not-the-token');
  });

  it('an unreachable Graph API is a server error after the retries', async () => {
    const down = new GraphClient({
      graphUrl: 'http://127.0.0.1:9/v23.0',
      token: 't',
      phoneNumberId: '1',
      retryBaseMs: 1,
      maxAttempts: 2,
    });
    await expect(down.markRead('wamid.x')).rejects.toMatchObject({ kind: 'server', status: 0 });
  });
});
