import { CSRF_HEADER, type ConsoleSession } from './protocol.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The REST API with the session cookie and its CSRF token; a 401 means the session ended. */
export class ConsoleApi {
  constructor(
    private readonly csrfToken: string,
    private readonly onSignedOut: () => void,
  ) {}

  static async session(): Promise<ConsoleSession | null> {
    const r = await fetch('/console/session', { credentials: 'same-origin' });
    return r.ok ? ((await r.json()) as ConsoleSession) : null;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  async signOut(): Promise<void> {
    await fetch('/console/sign-out', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { [CSRF_HEADER]: this.csrfToken },
    });
    this.onSignedOut();
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json', [CSRF_HEADER]: this.csrfToken } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await r.json().catch(() => ({}))) as { code?: string; message?: string };
    if (r.status === 401) this.onSignedOut();
    if (!r.ok)
      throw new ApiError(r.status, json.code ?? 'HTTP', json.message ?? `request failed (${r.status})`);
    return json as T;
  }
}
