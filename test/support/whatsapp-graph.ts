import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Meta's Graph API (WhatsApp Cloud API) on 127.0.0.1, speaking its JSON:
 * `POST /{version}/{phone-number-id}/messages` sends a message (or marks one read), errors come as
 * `{ error: { message, type, code, error_subcode, fbtrace_id } }`. It checks the bearer token and
 * WhatsApp's size limits like the real one, records every call, and can be told to fail.
 */
export interface GraphCall {
  readonly phoneNumberId: string;
  readonly body: Record<string, unknown> & { to?: string; type?: string };
  readonly at: Date;
}

export interface GraphErrorBody {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data?: { messaging_product: 'whatsapp'; details: string };
}

export const GRAPH_ERRORS = {
  rateLimit: (): [number, GraphErrorBody] => [
    400,
    {
      message: '(#130429) Rate limit hit',
      type: 'OAuthException',
      code: 130429,
      error_data: {
        messaging_product: 'whatsapp',
        details: 'Cloud API message throughput has been reached.',
      },
    },
  ],
  invalidToken: (): [number, GraphErrorBody] => [
    401,
    { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 },
  ],
  notOnWhatsApp: (): [number, GraphErrorBody] => [
    400,
    {
      message: '(#131026) Message Undeliverable',
      type: 'OAuthException',
      code: 131026,
      error_data: { messaging_product: 'whatsapp', details: 'Recipient is not a valid WhatsApp user' },
    },
  ],
  windowClosed: (): [number, GraphErrorBody] => [
    400,
    {
      message: '(#131047) Re-engagement message',
      type: 'OAuthException',
      code: 131047,
      error_data: {
        messaging_product: 'whatsapp',
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    },
  ],
};

export class FakeGraphApi {
  readonly calls: GraphCall[] = [];
  private server: Server | null = null;
  private readonly failures: Array<[number, GraphErrorBody]> = [];
  private waiters: Array<() => void> = [];
  /** `WHATSAPP_GRAPH_URL` for the platform: the base including the version */
  url = '';

  constructor(
    readonly token = 'test-whatsapp-token',
    readonly version = 'v23.0',
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.version}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `times` message sends fail with this error (read receipts go through). */
  failNext(error: [number, GraphErrorBody], times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push(error);
  }

  /** Messages sent (not read receipts), optionally to one recipient. */
  sent(to?: string): GraphCall[] {
    return this.calls.filter((c) => c.body.type && (!to || c.body.to === to));
  }

  /** Read receipts for message ids. */
  readReceipts(): string[] {
    return this.calls.filter((c) => c.body['status'] === 'read').map((c) => String(c.body['message_id']));
  }

  /** Resolves once `predicate` holds for the recorded calls. */
  async waitFor(predicate: (calls: GraphCall[]) => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      if (Date.now() > deadline)
        throw new Error(
          `Graph API stand-in: condition not met; calls: ${JSON.stringify(this.calls.map((c) => c.body))}`,
        );
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  private async handle(req: IncomingMessage): Promise<[number, unknown]> {
    const fbtrace_id = randomBytes(8).toString('base64url');
    const fail = (status: number, error: GraphErrorBody): [number, unknown] => [
      status,
      { error: { ...error, fbtrace_id } },
    ];
    const match = new RegExp(`^/${this.version}/(\\d+)/messages$`).exec(req.url ?? '');
    if (req.method !== 'POST' || !match)
      return fail(400, {
        message: 'Unsupported post request.',
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
    if (req.headers.authorization !== `Bearer ${this.token}`) return fail(...GRAPH_ERRORS.invalidToken());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: GraphCall['body'];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphCall['body'];
    } catch {
      return fail(400, { message: '(#100) Invalid parameter', type: 'OAuthException', code: 100 });
    }
    this.calls.push({ phoneNumberId: match[1]!, body, at: new Date() });
    for (const w of this.waiters.splice(0)) w();
    const failure = body.type ? this.failures.shift() : undefined;
    if (failure) return fail(...failure);
    if (body['messaging_product'] !== 'whatsapp')
      return fail(400, {
        message: '(#100) The parameter messaging_product is required.',
        type: 'OAuthException',
        code: 100,
      });
    if (body['status'] === 'read') return [200, { success: true }];
    const problem = invalid(body);
    if (problem)
      return fail(400, {
        message: '(#131009) Parameter value is not valid',
        type: 'OAuthException',
        code: 131009,
        error_data: { messaging_product: 'whatsapp', details: problem },
      });
    const to = String(body.to);
    return [
      200,
      {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: `wamid.${randomBytes(12).toString('base64url')}` }],
      },
    ];
  }
}

const len = (s: unknown) => (typeof s === 'string' ? Array.from(s).length : -1);

/** WhatsApp's limits on the message types the platform sends; a string naming the first broken one. */
function invalid(body: Record<string, unknown>): string | null {
  if (typeof body['to'] !== 'string' || !body['to']) return 'to is required';
  const m = body as {
    type?: string;
    text?: { body?: string };
    interactive?: {
      type: string;
      body?: { text?: string };
      action?: {
        buttons?: Array<{ reply: { id: string; title: string } }>;
        button?: string;
        sections?: Array<{ rows: Array<{ id: string; title: string; description?: string }> }>;
        parameters?: { display_text?: string; url?: string };
      };
    };
    template?: { name?: string; language?: { code?: string } };
  };
  if (m.type === 'text')
    return len(m.text?.body) < 1 || len(m.text?.body) > 4096 ? 'text.body must be 1-4096 characters' : null;
  if (m.type === 'template')
    return m.template?.name && m.template.language?.code ? null : 'template name and language are required';
  if (m.type !== 'interactive' || !m.interactive) return `unsupported type ${m.type}`;
  const i = m.interactive;
  if (len(i.body?.text) < 1) return 'interactive.body.text is required';
  if (i.type === 'button') {
    const b = i.action?.buttons ?? [];
    if (len(i.body?.text) > 1024) return 'button body over 1024';
    if (b.length < 1 || b.length > 3) return 'buttons must be 1-3';
    if (b.some((x) => len(x.reply.title) < 1 || len(x.reply.title) > 20))
      return 'button title over 20 characters';
    if (new Set(b.map((x) => x.reply.id)).size !== b.length) return 'button ids must be unique';
    return null;
  }
  if (i.type === 'list') {
    const rows = (i.action?.sections ?? []).flatMap((s) => s.rows);
    if (len(i.action?.button) < 1 || len(i.action?.button) > 20) return 'list button over 20 characters';
    if (rows.length < 1 || rows.length > 10) return 'list rows must be 1-10';
    if (rows.some((r) => len(r.title) > 24 || len(r.id) > 200)) return 'row title over 24 characters';
    if (rows.some((r) => r.description !== undefined && len(r.description) > 72))
      return 'row description over 72 characters';
    return null;
  }
  if (i.type === 'cta_url') {
    const p = i.action?.parameters;
    if (len(p?.display_text) < 1 || len(p?.display_text) > 20) return 'display_text over 20 characters';
    return p?.url && URL.canParse(p.url) ? null : 'url is invalid';
  }
  if (i.type === 'location_request_message') return len(i.body?.text) > 1024 ? 'body over 1024' : null;
  return `unsupported interactive type ${i.type}`;
}

// ---- webhooks, as Meta delivers them ----

let seq = 0;
const nowSeconds = () => String(Math.floor(Date.now() / 1000));
export const wamid = () =>
  `wamid.HBgM${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(4).toString('hex')}`;

type Msg = Record<string, unknown> & { from: string; id: string };
const base = (from: string, type: string, extra: object, at?: Date): Msg => ({
  from,
  id: wamid(),
  timestamp: at ? String(Math.floor(at.getTime() / 1000)) : nowSeconds(),
  type,
  ...extra,
});

/** Builders for inbound message objects (`entry[].changes[].value.messages[]`). */
export const wa = {
  text: (from: string, body: string, at?: Date) => base(from, 'text', { text: { body } }, at),
  buttonReply: (from: string, id: string, title = id) =>
    base(from, 'interactive', { interactive: { type: 'button_reply', button_reply: { id, title } } }),
  listReply: (from: string, id: string, title = id) =>
    base(from, 'interactive', {
      interactive: { type: 'list_reply', list_reply: { id, title, description: '' } },
    }),
  location: (from: string, latitude: number, longitude: number) =>
    base(from, 'location', { location: { latitude, longitude, name: 'Here', address: '' } }),
  image: (from: string) =>
    base(from, 'image', {
      image: { mime_type: 'image/jpeg', sha256: 'x', id: randomBytes(6).toString('hex') },
    }),
  status: (
    id: string,
    recipient: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    errors?: Array<{ code: number; title: string }>,
  ) => ({
    id,
    status,
    timestamp: nowSeconds(),
    recipient_id: recipient,
    ...(errors ? { errors } : {}),
  }),
};

/** The webhook envelope Meta posts for the `messages` field. */
export function webhookBody(
  value: { messages?: Msg[]; statuses?: object[]; name?: string },
  phoneNumberId = '1234567890',
): object {
  const from = value.messages?.[0]?.from;
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...(from ? { contacts: [{ profile: { name: value.name ?? 'Sam Driver' }, wa_id: from }] } : {}),
              ...(value.messages ? { messages: value.messages } : {}),
              ...(value.statuses ? { statuses: value.statuses } : {}),
            },
          },
        ],
      },
    ],
  };
}

/** JSON as Meta serialises it: every non-ASCII character escaped as \uXXXX. */
export const metaJson = (body: object) =>
  JSON.stringify(body).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * POSTs a webhook the way Meta does: raw bytes signed with the app secret in X-Hub-Signature-256.
 * `signature` overrides the header (a forged one); null leaves it out.
 */
export async function postWebhook(
  url: string,
  body: object,
  appSecret: string,
  signature?: string | null,
): Promise<Response> {
  const raw = metaJson(body);
  const sig =
    signature === undefined
      ? `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`
      : signature;
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sig !== null ? { 'x-hub-signature-256': sig } : {}) },
    body: raw,
  });
}
