import { parse as parseCookies, serialize } from 'cookie';
import type { Request, Response } from 'express';
import {
  can,
  csrfMatches,
  CSRF_HEADER,
  type Capability,
  type Sessions,
  type SignedIn,
} from '../../support/index.ts';
import type { Authenticator } from '../http/server.ts';

export const SESSION_COOKIE = 'spp_agent';
export const SIGNIN_CSRF_COOKIE = 'spp_signin';
export const SSO_COOKIE = 'spp_sso';

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const readCookie = (header: string | undefined, name: string): string | undefined =>
  header ? parseCookies(header)[name] : undefined;

export interface CookiePolicy {
  readonly secure: boolean;
}

/** HttpOnly, SameSite=Lax (the single-sign-on return is a top-level navigation from the issuer). */
export function setCookie(
  res: Response,
  policy: CookiePolicy,
  name: string,
  value: string,
  o: { maxAgeSeconds?: number; path?: string; sameSite?: 'lax' | 'strict' } = {},
) {
  res.append(
    'Set-Cookie',
    serialize(name, value, {
      httpOnly: true,
      secure: policy.secure,
      sameSite: o.sameSite ?? 'lax',
      path: o.path ?? '/',
      ...(o.maxAgeSeconds !== undefined ? { maxAge: o.maxAgeSeconds } : {}),
    }),
  );
}

export const clearCookie = (res: Response, policy: CookiePolicy, name: string, path = '/') =>
  setCookie(res, policy, name, '', { maxAgeSeconds: 0, path });

/** Which capability each part of the REST API needs from a signed-in person (an API key may do all). */
const API_CAPABILITY: ReadonlyArray<readonly [RegExp, Capability]> = [
  [/^\/handoffs(\/|$)/, 'handoffs'],
  [/^\/agents(\/|$)/, 'accounts'],
  [/^\/bookings(\/|$)/, 'bookings'],
  [/^\/quotes(\/|$)/, 'bookings'],
  [/^\/facilities(\/|$)/, 'facilities'],
  [/^\/analytics(\/|$)/, 'dashboard'],
];

const capabilityOf = (path: string) => API_CAPABILITY.find(([re]) => re.test(path))?.[1] ?? null;

/** A browser request from another site (a forged form or fetch): its Origin is not ours. */
export const foreignOrigin = (req: Request): boolean => foreignOriginOf(req.get('origin'), req.get('host'));

/** Compares hosts only, so it holds behind a TLS-terminating proxy too. No Origin: not a browser's cross-site request. */
export function foreignOriginOf(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return false;
  if (!URL.canParse(origin)) return true;
  return new URL(origin).host !== host;
}

/**
 * The REST API's second way in: the console's session cookie. State-changing requests must also
 * carry the session's CSRF token in `X-CSRF-Token`; each role reaches only its part of the API.
 */
export function sessionAuthenticator(sessions: Sessions): Authenticator {
  return async (req, res) => {
    const who = await sessions.resolve(readCookie(req.get('cookie'), SESSION_COOKIE));
    if (!who) return false;
    const capability = capabilityOf(req.path);
    if (!capability || !can(who.agent.role, capability)) {
      res.status(403).json({ code: 'AUTH.FORBIDDEN', message: `the ${who.agent.role} role cannot use this` });
      return 'responded';
    }
    if (
      !SAFE_METHODS.has(req.method) &&
      (foreignOrigin(req) || !csrfMatches(req.get(CSRF_HEADER), who.csrfToken))
    ) {
      res.status(403).json({ code: 'AUTH.CSRF', message: `send the session's token in ${CSRF_HEADER}` });
      return 'responded';
    }
    res.locals['agent'] = who.agent;
    // booking-core's audit trail then names the agent ("operator:agent:<id>") for booking changes
    res.locals['apiKeyId'] = `agent:${who.agent.id}`;
    return true;
  };
}

/** The signed-in person behind a socket handshake or page request, or null. */
export const signedIn = (sessions: Sessions, cookieHeader: string | undefined): Promise<SignedIn | null> =>
  sessions.resolve(readCookie(cookieHeader, SESSION_COOKIE));
