import { io, type Socket } from 'socket.io-client';

export interface WireActivity {
  readonly id: string;
  readonly from?: string;
  readonly text?: string;
  readonly suggestedActions?: ReadonlyArray<{ title: string; value: string }>;
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

  close(): void {
    this.socket.close();
  }
}
