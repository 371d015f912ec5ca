import { describe, expect, it } from 'vitest';
import { FakeWebClient } from '../../test/support/whatsapp-web.ts';
import { WhatsAppWebSession, type Lease, type LeaseLock, type WebSessionDeps } from './session.ts';

/** A lease table in memory, like the runtime's memory lock; `steal` makes a lease lapse. */
class Leases implements LeaseLock {
  holders = new Map<string, symbol>();
  async tryLease(key: string): Promise<Lease | null> {
    if (this.holders.has(key)) return null;
    const me = Symbol(key);
    this.holders.set(key, me);
    return {
      renew: async () => this.holders.get(key) === me,
      release: async () => void (this.holders.get(key) === me && this.holders.delete(key)),
    };
  }
  steal(key: string) {
    this.holders.set(key, Symbol('other'));
  }
}

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

function session(clients: FakeWebClient[], lock: LeaseLock, extra: Partial<WebSessionDeps> = {}) {
  const made: FakeWebClient[] = [];
  const states: string[] = [];
  const s = new WhatsAppWebSession({
    createClient: () => {
      const c = clients.shift() ?? new FakeWebClient();
      made.push(c);
      return c;
    },
    lock,
    leaseKey: 'wa-web',
    leaseTtlMs: 90,
    retryBaseMs: 10,
    retryMaxMs: 40,
    onMessage: () => undefined,
    onStateChange: (state) => states.push(state),
    ...extra,
  });
  return { s, made, states };
}

describe('WhatsApp Web session', () => {
  it('shows the QR code until the phone is linked, then connects and sends', async () => {
    const qrs: string[] = [];
    const { s, made } = session([], new Leases(), { onQr: (qr) => qrs.push(qr) });
    s.start();
    await until(() => s.state === 'needs-qr', 'the QR code');
    expect(s.qr).toBe('QR-CODE-1');
    expect(qrs).toEqual(['QR-CODE-1']);
    made[0]!.emit('ready');
    expect(s.state).toBe('connected');
    expect(s.qr).toBeNull();
    await expect(s.send('447700900123@c.us', 'hello')).resolves.toMatch(/3EB0/);
    await s.stop();
    expect(made[0]!.destroyed).toBe(true);
    expect(s.state).toBe('stopped');
  });

  it('a failed start (no internet) closes the browser and retries with back-off; nothing throws', async () => {
    const offline = () =>
      new FakeWebClient(async () =>
        Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com')),
      );
    const { s, made, states } = session(
      [offline(), offline(), new FakeWebClient(async (c) => void c.emit('ready'))],
      new Leases(),
    );
    s.start();
    await until(() => s.state === 'connected', 'the third attempt');
    expect(made).toHaveLength(3);
    expect(made.slice(0, 2).every((c) => c.destroyed)).toBe(true);
    expect(states).toContain('disconnected');
    await expect(s.send('x@c.us', 'while down')).resolves.toBeTruthy();
    await s.stop();
  });

  it('reports the error while down, and refuses to send', async () => {
    const { s } = session([], new Leases(), {
      createClient: () =>
        new FakeWebClient(async () => Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED'))),
      retryBaseMs: 10_000,
    });
    s.start();
    await until(() => s.state === 'disconnected', 'the failure');
    expect(s.lastError).toContain('ERR_NAME_NOT_RESOLVED');
    await expect(s.send('x@c.us', 'hi')).rejects.toThrow(/disconnected/);
    await s.stop(); // stops at once, not after the 10 s back-off
  });

  it('reconnects after losing the connection', async () => {
    const ready = () => new FakeWebClient(async (c) => void c.emit('ready'));
    const { s, made } = session([ready(), ready()], new Leases());
    s.start();
    await until(() => s.state === 'connected', 'connected');
    made[0]!.emit('disconnected', 'NAVIGATION');
    await until(() => made.length === 2 && s.state === 'connected', 'reconnected');
    expect(made[0]!.destroyed).toBe(true);
    await s.stop();
  });

  it('runs on one instance only; the other stands by and takes over when it stops', async () => {
    const lock = new Leases();
    const ready = () => new FakeWebClient(async (c) => void c.emit('ready'));
    const a = session([ready()], lock);
    const b = session([ready()], lock);
    a.s.start();
    await until(() => a.s.state === 'connected', 'a connected');
    b.s.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(b.s.state).toBe('standby');
    expect(b.made).toHaveLength(0);
    await a.s.stop();
    await until(() => b.s.state === 'connected', 'b took over');
    await b.s.stop();
  });

  it('a lease lost to another instance closes the browser here', async () => {
    const lock = new Leases();
    const { s, made } = session([new FakeWebClient(async (c) => void c.emit('ready'))], lock);
    s.start();
    await until(() => s.state === 'connected', 'connected');
    lock.steal('wa-web');
    await until(() => s.state === 'standby', 'standing by');
    expect(made[0]!.destroyed).toBe(true);
    await s.stop();
  });
});
