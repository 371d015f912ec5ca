import { EventEmitter } from 'node:events';
import wwebjs, { type Message } from 'whatsapp-web.js';
import type { WebClient } from '../../channels/whatsapp-web/client.ts';

/**
 * A stand-in for whatsapp-web.js's Client: no browser, no network. Tests drive it through the
 * same events the real one emits (`qr`, `ready`, `message`, `disconnected`) and read what was sent.
 */
export class FakeWebClient extends EventEmitter implements WebClient {
  readonly sent: Array<{ chatId: string; content: string }> = [];
  initialized = false;
  destroyed = false;
  /** what initialize() does: by default it shows a QR code, as a fresh session would */
  constructor(
    private readonly onInitialize: (client: FakeWebClient) => Promise<void> = async (c) =>
      void c.emit('qr', 'QR-CODE-1'),
  ) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized = true;
    await this.onInitialize(this);
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  async sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }> {
    if (this.destroyed) throw new Error('Session closed');
    this.sent.push({ chatId, content });
    return { id: { _serialized: `true_${chatId}_3EB0${this.sent.length}` } };
  }

  /** the chats shown "typing…", in order */
  readonly typing: string[] = [];

  async getChatById(chatId: string): Promise<{ sendStateTyping(): Promise<boolean> }> {
    if (this.destroyed) throw new Error('Session closed');
    return {
      sendStateTyping: async () => {
        this.typing.push(chatId);
        return true;
      },
    };
  }

  /** A driver's message, as whatsapp-web.js builds it from WhatsApp Web's raw data. */
  receive(
    from: string,
    data: { body?: string; type?: string; lat?: number; lng?: number; notifyName?: string },
  ): Message {
    const message = webMessage(this, from, data);
    this.emit('message', message);
    return message;
  }
}

// whatsapp-web.js exports the Message class at runtime; its typings declare only the interface
const MessageClass = (wwebjs as unknown as { Message: new (client: unknown, data: object) => Message })
  .Message;

let n = 0;
/** A real whatsapp-web.js `Message`, constructed without a browser. */
export function webMessage(
  client: unknown,
  from: string,
  data: { body?: string; type?: string; lat?: number; lng?: number; notifyName?: string; fromMe?: boolean },
): Message {
  const id = `3A${Date.now().toString(16)}${(n++).toString(16)}`.toUpperCase();
  const fromMe = data.fromMe ?? false;
  return new MessageClass(client, {
    id: { fromMe, remote: from, id, _serialized: `${fromMe}_${from}_${id}` },
    type: data.type ?? 'chat',
    body: data.body ?? '',
    t: Math.floor(Date.now() / 1000),
    from,
    to: '447700900999@c.us',
    notifyName: data.notifyName,
    ...(data.lat !== undefined ? { lat: data.lat, lng: data.lng } : {}),
  });
}
