import { randomUUID } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import type { RunningPlatform } from './platform.ts';
import { TEST_API_KEY } from './platform.ts';

export interface AgentBrowser {
  /** `spp_agent=<token>` for the Cookie header */
  readonly cookie: string;
  readonly csrfToken: string;
  readonly agent: { id: string; email: string; displayName: string; role: string };
  /** fetch with the session cookie (and the CSRF token unless `csrf: false`) */
  fetch(
    path: string,
    init?: { method?: string; json?: unknown; csrf?: boolean; headers?: Record<string, string> },
  ): Promise<Response>;
}

const cookiesOf = (r: Response) => r.headers.getSetCookie().map((c) => c.split(';')[0]!);

/** GET /console, then POST the sign-in form as a browser would (with the form's CSRF token). */
export async function postSignIn(
  p: RunningPlatform,
  email: string,
  password: string,
  origin?: string,
): Promise<Response> {
  const page = await fetch(`${p.url}/console`);
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return fetch(`${p.url}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: cookiesOf(page).join('; '),
      ...(origin ? { origin } : {}),
    },
    body: new URLSearchParams({ email, password, csrf }).toString(),
  });
}

export async function signIn(p: RunningPlatform, email: string, password: string): Promise<AgentBrowser> {
  const r = await postSignIn(p, email, password);
  if (r.status !== 303) throw new Error(`sign-in failed: ${r.status}`);
  const cookie = cookiesOf(r).find((c) => c.startsWith('spp_agent='))!;
  const session = (await (await fetch(`${p.url}/console/session`, { headers: { cookie } })).json()) as {
    csrfToken: string;
    agent: AgentBrowser['agent'];
  };
  return {
    cookie,
    csrfToken: session.csrfToken,
    agent: session.agent,
    fetch: (path, init = {}) =>
      fetch(p.url + path, {
        method: init.method ?? (init.json !== undefined ? 'POST' : 'GET'),
        redirect: 'manual',
        headers: {
          cookie,
          ...(init.csrf === false ? {} : { 'x-csrf-token': session.csrfToken }),
          ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
      }),
  };
}

/** An admin adds an account over the REST API (with the API key). */
export async function addAgent(p: RunningPlatform, role: 'agent' | 'admin' | 'operator', name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomUUID().slice(0, 6)}@parking.test`;
  const password = `pw-${randomUUID()}`;
  const r = await p.api('/api/v1/agents', {
    method: 'POST',
    json: { email, displayName: name, role, password },
  });
  if (r.status !== 201) throw new Error(`could not add agent: ${r.status} ${await r.text()}`);
  const body = (await r.json()) as { id: string };
  return { id: body.id, email, password, displayName: name };
}

/** A web conversation with a transcript, queued for a person over the REST API. */
export async function queueConversation(
  p: RunningPlatform,
  o: {
    lines?: Array<{ sender: 'driver' | 'bot'; text: string }>;
    reason?: string;
    summary?: string;
    driverId?: string;
  } = {},
) {
  const conversation = await p.db.prisma.conversation.create({
    data: {
      channel: 'web',
      externalId: randomUUID(),
      locale: 'en',
      ...(o.driverId ? { driverId: o.driverId } : {}),
    },
    select: { id: true },
  });
  for (const l of o.lines ?? []) {
    await p.db.prisma.transcriptMessage.create({
      data: {
        conversationId: conversation.id,
        direction: l.sender === 'driver' ? 'in' : 'out',
        sender: l.sender,
        text: l.text,
      },
    });
  }
  const r = await p.api('/api/v1/handoffs', {
    method: 'POST',
    json: {
      conversationId: conversation.id,
      reason: o.reason ?? 'asked for a person',
      ...(o.summary ? { summary: o.summary } : {}),
    },
  });
  if (r.status !== 201) throw new Error(`could not queue: ${r.status}`);
  return { conversationId: conversation.id, handoffId: ((await r.json()) as { id: string }).id };
}

/** A socket on /agents with the given cookie; resolves connected, or rejects with the refusal. */
export function agentSocket(p: RunningPlatform, cookie?: string, origin?: string): Promise<Socket> {
  const socket = connect(`${p.url}/agents`, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
}

export const apiKeyHeaders = { authorization: `Bearer ${TEST_API_KEY}` };
