import type { Message } from 'whatsapp-web.js';

/**
 * The part of whatsapp-web.js's `Client` this channel uses. The real one drives Chromium; tests
 * pass a stand-in and emit its events with constructed `Message` objects.
 */
export interface WebClient {
  on(event: 'qr', listener: (qr: string) => void): unknown;
  on(event: 'ready' | 'authenticated', listener: () => void): unknown;
  on(event: 'auth_failure' | 'disconnected', listener: (reason: string) => void): unknown;
  on(event: 'message', listener: (message: Message) => void): unknown;
  removeAllListeners(): unknown;
  initialize(): Promise<void>;
  /** closes the browser */
  destroy(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }>;
  /** the chat, to show "typing…" in it (`sendStateTyping` lasts about 25 s or until we send) */
  getChatById(chatId: string): Promise<{ sendStateTyping(): Promise<unknown> }>;
}

export type WebClientFactory = () => WebClient;

/** Chromium flags for a server without a display or sandbox privileges. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The real client: whatsapp-web.js on Debian's Chromium, its session kept by LocalAuth in
 * `sessionDir`. Loaded lazily, so the platform never loads puppeteer unless WHATSAPP_WEB is on.
 */
export async function chromiumClientFactory(options: {
  sessionDir: string;
  chromiumPath: string;
}): Promise<WebClientFactory> {
  const { default: wwebjs } = await import('whatsapp-web.js');
  return () => {
    const client = new wwebjs.Client({
      authStrategy: new wwebjs.LocalAuth({ dataPath: options.sessionDir }),
      puppeteer: { executablePath: options.chromiumPath, headless: true, args: CHROMIUM_ARGS },
    });
    const destroy = client.destroy.bind(client);
    // destroy() closes the browser politely; if that fails, the process must not outlive us
    client.destroy = async () => {
      try {
        await destroy();
      } finally {
        const proc = client.pupBrowser?.process();
        if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      }
    };
    return client as unknown as WebClient;
  };
}
