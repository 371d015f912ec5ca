import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

export interface WebSession {
  /** the visitor (the driver's identity on this channel) */
  readonly visitorId: string;
  readonly conversationId: string;
}

/**
 * Signed session tokens for the widget (HS256 JWTs). The browser keeps the token; the server
 * keeps nothing, so any instance sharing the secret can resume the session.
 */
export class SessionTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly days: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A fresh session, or the one a valid token carries (with a renewed token). */
  async resume(token: unknown): Promise<{ session: WebSession; token: string; isNew: boolean }> {
    const existing = typeof token === 'string' && token.length < 2048 ? await this.verify(token) : null;
    const session = existing ?? { visitorId: randomUUID(), conversationId: randomUUID() };
    return { session, token: await this.sign(session), isNew: !existing };
  }

  private async verify(token: string): Promise<WebSession | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], audience: 'web-chat' });
      return typeof payload.sub === 'string' && typeof payload['cid'] === 'string'
        ? { visitorId: payload.sub, conversationId: payload['cid'] }
        : null;
    } catch {
      return null; // expired, forged or malformed: start a new session
    }
  }

  private sign(s: WebSession): Promise<string> {
    return new SignJWT({ cid: s.conversationId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.visitorId)
      .setAudience('web-chat')
      .setIssuedAt()
      .setExpirationTime(`${this.days}d`)
      .sign(this.key);
  }
}
