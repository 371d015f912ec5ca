import { io, type Socket } from 'socket.io-client';

export interface WireActivity {
  readonly id: string;
  readonly from?: string;
  readonly text?: string;
  readonly suggestedActions?: ReadonlyArray<{ title: string; value?: string; url?: string }>;
}

/**
 * A driver in the chat widget, speaking the `/chat` socket.io protocol as the widget does:
 * connect (with the stored session token, if any), send text or a pressed button's value, wait
 * for the bot's reply.
 *
 *   const d = await WidgetDriver.connect('http://127.0.0.1:3000');
 *   await d.say('book a space at Wembley tomorrow 9 to 11, plate AB12 CDE', /Shall I book it/);
 */
export class WidgetDriver {
  readonly received: WireActivity[] = [];
  readonly notices: Array<{ code: string; message: string }> = [];
  private constructor(
    private readonly socket: Socket,
    readonly token: string,
    readonly conversationId: string,
    /** the transcript the server sent on (re)connect */
    readonly history: readonly WireActivity[],
  ) {
    socket.on('activity', (a: WireActivity) => this.received.push(a));
    socket.on('notice', (n: { code: string; message: string }) => this.notices.push(n));
  }

  static async connect(baseUrl: string, token?: string, timeoutMs = 15_000): Promise<WidgetDriver> {
    const socket = io(`${baseUrl}/chat`, {
      transports: ['websocket'],
      auth: token ? { token } : {},
      reconnection: false,
      timeout: timeoutMs,
    });
    const history: WireActivity[] = [];
    socket.on('history', (h: { activities: WireActivity[] }) => history.push(...h.activities));
    const session = await new Promise<{ token: string; conversationId: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no chat session within the time limit')), timeoutMs);
      socket.once('session', (s: { token: string; conversationId: string }) => {
        clearTimeout(timer);
        resolve(s);
      });
      socket.once('connect_error', (e) => {
        clearTimeout(timer);
        socket.close();
        reject(e);
      });
    });
    // a returning driver's transcript follows the session; wait for it (a bounded wait: none may come)
    if (token && !history.length)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs / 3);
        socket.once('history', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    return new WidgetDriver(socket, session.token, session.conversationId, history);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  say(text: string, until: RegExp, timeoutMs = 30_000) {
    return this.send({ text }, until, timeoutMs);
  }

  press(value: string, until: RegExp, timeoutMs = 30_000) {
    return this.send({ value }, until, timeoutMs);
  }

  /** Sends one message; resolves with the latency and the replies once one matches `until`. */
  private send(message: object, until: RegExp, timeoutMs: number) {
    const from = this.received.length;
    const started = performance.now();
    return new Promise<{ ms: number; replies: WireActivity[] }>((resolve, reject) => {
      const check = () => {
        const replies = this.received.slice(from);
        if (!replies.some((a) => until.test(a.text ?? ''))) return;
        clearTimeout(timer);
        this.socket.off('activity', check);
        resolve({ ms: performance.now() - started, replies });
      };
      const timer = setTimeout(() => {
        this.socket.off('activity', check);
        const got = this.received
          .slice(from)
          .map((a) => a.text)
          .join(' | ');
        reject(
          new Error(`no reply matching ${until} to ${JSON.stringify(message)}; got: ${got || 'nothing'}`),
        );
      }, timeoutMs);
      this.socket.on('activity', check);
      this.socket.emit('message', message);
    });
  }

  /**
   * After "Book it" holds the space: follows the Pay link among `replies` to the embedded test
   * checkout, presses its Pay button (posts its form, as the browser does), and waits for the
   * confirmation in the chat. Throws when there is no Pay link or no test checkout behind it.
   */
  async pay(replies: readonly WireActivity[], until = /Payment received/, timeoutMs = 30_000) {
    const link = replies
      .flatMap((a) => a.suggestedActions ?? [])
      .find((b) => b.url && /^Pay /.test(b.title))?.url;
    if (!link) throw new Error('no Pay link among the replies');
    const page = await (await fetch(link)).text();
    const action = /<form method="post" action="([^"]+\/pay)">/.exec(page)?.[1];
    if (!action) throw new Error(`no test checkout Pay form at ${link}`);
    const from = this.received.length;
    const paid = await fetch(new URL(action, link), { method: 'POST' });
    if (!paid.ok) throw new Error(`paying at the test checkout answered ${paid.status}`);
    const started = performance.now();
    for (;;) {
      const hit = this.received.slice(from).find((a) => until.test(a.text ?? ''));
      if (hit) return { ms: performance.now() - started, confirmation: hit };
      if (performance.now() - started > timeoutMs)
        throw new Error(`no message matching ${until} after paying`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  close(): void {
    this.socket.close();
  }
}
