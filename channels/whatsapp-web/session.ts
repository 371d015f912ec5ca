import type { Message } from 'whatsapp-web.js';
import type { WebClient, WebClientFactory } from './client.ts';

/** A renewable lease on a key (the runtime's KeyedLock.tryLease). */
export interface Lease {
  renew(): Promise<boolean>;
  release(): Promise<void>;
}
export interface LeaseLock {
  tryLease(key: string, ttlMs: number): Promise<Lease | null>;
}

/** how long stop() waits for a browser that is still starting, so it can be closed */
const INIT_GRACE_MS = 20_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export type WebSessionState =
  /** another instance runs the session; this one waits to take over */
  | 'standby'
  | 'connecting'
  /** waiting for the phone to scan the QR code */
  | 'needs-qr'
  | 'connected'
  /** could not start or lost the connection; retrying with back-off */
  | 'disconnected'
  | 'stopped';

export interface WebSessionDeps {
  readonly createClient: WebClientFactory;
  readonly lock: LeaseLock;
  readonly leaseKey: string;
  readonly leaseTtlMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly onMessage: (message: Message) => void;
  readonly onQr?: (qr: string) => void;
  readonly onStateChange?: (state: WebSessionState, error: string | null) => void;
}

/**
 * Runs the linked phone's WhatsApp Web session on exactly one instance: it takes the lease (a
 * Redis lock with several instances), starts the browser, and renews the lease while it runs. A
 * failed start or a lost connection closes the browser and tries again with back-off; a lost
 * lease stops it here (another instance has it). Start-up never throws: the platform keeps
 * serving whatever happens to the phone.
 */
export class WhatsAppWebSession {
  state: WebSessionState = 'standby';
  lastError: string | null = null;
  /** the QR code to scan while `state` is 'needs-qr' */
  qr: string | null = null;
  private client: WebClient | null = null;
  private lease: Lease | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private endSession: (() => void) | null = null;
  private renewTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: WebSessionDeps) {}

  /** Begins in the background. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Closes the browser and gives the lease up, so another instance can take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.endSession?.();
    await this.loop;
    this.setState('stopped');
  }

  /** Sends a text from the linked phone; throws when not connected. */
  async send(chatId: string, text: string): Promise<string> {
    if (this.state !== 'connected' || !this.client) throw new Error(`WhatsApp Web is ${this.state}`);
    const sent = await this.client.sendMessage(chatId, text);
    return sent.id._serialized;
  }

  /** Shows "typing…" in a chat from the linked phone; throws when not connected. */
  async typing(chatId: string): Promise<void> {
    if (this.state !== 'connected' || !this.client) throw new Error(`WhatsApp Web is ${this.state}`);
    await (await this.client.getChatById(chatId)).sendStateTyping();
  }

  private setState(state: WebSessionState, error: string | null = this.lastError): void {
    this.lastError = error;
    if (state !== 'needs-qr') this.qr = null;
    if (state === this.state) return;
    this.state = state;
    this.deps.onStateChange?.(state, error);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      if (!(await this.holdLease())) {
        this.setState('standby', null);
        await this.pause(this.deps.leaseTtlMs / 2);
        continue;
      }
      const connected = await this.runClient();
      if (connected) failures = 0;
      if (this.stopped || !this.lease) continue;
      failures++;
      await this.pause(Math.min(this.deps.retryMaxMs, this.deps.retryBaseMs * 2 ** (failures - 1)));
    }
    await this.dropLease();
  }

  private async holdLease(): Promise<boolean> {
    if (this.lease) return true;
    this.lease = await this.deps.lock.tryLease(this.deps.leaseKey, this.deps.leaseTtlMs).catch(() => null);
    if (!this.lease) return false;
    this.renewTimer = setInterval(() => {
      void this.lease
        ?.renew()
        .catch(() => false)
        .then((ok) => {
          if (ok) return;
          // another instance took over (we stalled past the expiry): stop the browser here
          clearInterval(this.renewTimer!);
          this.lease = null;
          this.endSession?.();
        });
    }, this.deps.leaseTtlMs / 3);
    return true;
  }

  private async dropLease(): Promise<void> {
    if (this.renewTimer) clearInterval(this.renewTimer);
    const lease = this.lease;
    this.lease = null;
    await lease?.release().catch(() => undefined);
  }

  /** One browser session, from start to disconnection; true if it got connected. */
  private async runClient(): Promise<boolean> {
    let connected = false;
    const ended = new Promise<void>((resolve) => (this.endSession = resolve));
    if (this.stopped) this.endSession?.();
    const client = this.deps.createClient();
    this.client = client;
    this.setState('connecting');
    client.on('qr', (qr) => {
      this.setState('needs-qr', null);
      this.qr = qr;
      this.deps.onQr?.(qr);
    });
    client.on('ready', () => {
      connected = true;
      this.setState('connected', null);
    });
    client.on('auth_failure', (reason) => {
      this.lastError = `authentication failed: ${reason}`;
      this.endSession?.();
    });
    client.on('disconnected', (reason) => {
      this.lastError = `disconnected: ${reason}`;
      this.endSession?.();
    });
    client.on('message', (m) => this.deps.onMessage(m));
    const starting = client.initialize();
    try {
      await Promise.race([starting, ended]);
      await ended;
    } catch (e) {
      this.lastError = (e as Error).message;
    }
    this.client = null;
    this.endSession = null;
    client.removeAllListeners();
    // a browser still launching would start after destroy() and outlive us: let it finish first
    await Promise.race([starting.catch(() => undefined), sleep(INIT_GRACE_MS)]);
    await client.destroy().catch(() => undefined);
    if (!this.stopped) this.setState('disconnected');
    return connected;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
