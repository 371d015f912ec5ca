import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { ConsoleSession, SingleSignOn, Support, PendingLogin } from '../../support/index.ts';
import { csrfMatches } from '../../support/index.ts';
import type { Logger } from '../logger.ts';
import {
  clearCookie,
  foreignOrigin,
  readCookie,
  SESSION_COOKIE,
  setCookie,
  signedIn,
  SIGNIN_CSRF_COOKIE,
  SSO_COOKIE,
  type CookiePolicy,
} from './session-auth.ts';

export interface ConsolePagesDeps {
  readonly support: Support;
  readonly cookies: CookiePolicy;
  readonly sessionMaxAgeSeconds: number;
  /** single sign-on, given the callback URL as the browser reached this server; null when not configured */
  readonly sso: ((redirectUri: string) => Promise<SingleSignOn>) | null;
  readonly script: string;
  readonly stylesheet: string;
  readonly logger: Logger;
  /** a session ended (signed out): its sockets are dropped */
  readonly onSignedOut: (sessionId: string) => void;
}

const callbackUrl = (req: Request) => `${req.protocol}://${req.get('host')}/console/sso/callback`;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

const MESSAGES: Record<string, string> = {
  invalid: 'That email and password do not match an account.',
  'too-many': 'Too many attempts. Wait a minute and try again.',
  expired: 'The form expired. Please try again.',
  sso: 'Single sign-on did not work. Ask an administrator to add your email as an account.',
  'signed-out': 'You are signed out.',
};

function signInPage(csrf: string, notice: string | undefined, ssoEnabled: boolean): string {
  const message =
    notice && MESSAGES[notice] ? `<p class="notice" role="alert">${escapeHtml(MESSAGES[notice])}</p>` : '';
  const sso = ssoEnabled
    ? `<p class="or">or</p><a class="button secondary" href="/console/sso">Sign in with single sign-on</a>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Support console</title><link rel="stylesheet" href="/console/console.css"></head>
<body class="signed-out"><main class="sign-in">
<h1>Support console</h1>${message}
<form method="post" action="/console/sign-in">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label>Email <input name="email" type="email" autocomplete="username" required></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>${sso}
</main></body></html>`;
}

const appPage = () => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Support console</title><link rel="stylesheet" href="/console/console.css"></head>
<body><div id="console" aria-live="polite"></div><script src="/console/console.js" defer></script></body></html>`;

const sessionBody = (s: {
  agent: ConsoleSession['agent'];
  csrfToken: string;
  expiresAt: Date;
}): ConsoleSession => ({
  agent: { id: s.agent.id, email: s.agent.email, displayName: s.agent.displayName, role: s.agent.role },
  csrfToken: s.csrfToken,
  expiresAt: s.expiresAt.toISOString(),
});

/**
 * The console's pages: `/console` (the app, or the sign-in form), password sign-in with a
 * double-submit CSRF token, sign-out, the session (who and the CSRF token) for the page's
 * script, and single sign-on through an OpenID Connect issuer.
 */
export function mountConsolePages(app: Express, d: ConsolePagesDeps): void {
  const { support, cookies } = d;
  const form = express.urlencoded({ extended: false, limit: '8kb' });
  const page = (res: Response, status: number, html: string) =>
    res.status(status).set(SECURITY_HEADERS).type('html').send(html);

  const signInForm = (res: Response, status: number, notice?: string) => {
    const csrf = randomBytes(24).toString('base64url');
    setCookie(res, cookies, SIGNIN_CSRF_COOKIE, csrf, {
      path: '/console',
      sameSite: 'strict',
      maxAgeSeconds: 3600,
    });
    page(res, status, signInPage(csrf, notice, d.sso !== null));
  };
  const startSession = async (
    res: Response,
    agent: Parameters<Support['sessions']['start']>[0],
    method: 'password' | 'oidc',
  ) => {
    const s = await support.sessions.start(agent, method);
    setCookie(res, cookies, SESSION_COOKIE, s.token, { maxAgeSeconds: d.sessionMaxAgeSeconds });
  };

  app.get('/console', async (req, res) => {
    const who = await signedIn(support.sessions, req.get('cookie'));
    if (who && who.agent.role !== 'operator') return void page(res, 200, appPage());
    const notice = typeof req.query['notice'] === 'string' ? req.query['notice'] : undefined;
    signInForm(res, 200, notice);
  });
  app.get('/console/console.js', (_req, res) => {
    res.set(SECURITY_HEADERS).type('application/javascript').send(d.script);
  });
  app.get('/console/console.css', (_req, res) => {
    res.set(SECURITY_HEADERS).type('text/css').send(d.stylesheet);
  });

  app.post('/console/sign-in', form, async (req: Request, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const email = typeof body['email'] === 'string' ? body['email'] : '';
    const password = typeof body['password'] === 'string' ? body['password'] : '';
    const csrf = typeof body['csrf'] === 'string' ? body['csrf'] : undefined;
    const expected = readCookie(req.get('cookie'), SIGNIN_CSRF_COOKIE);
    if (foreignOrigin(req) || !expected || !csrfMatches(csrf, expected))
      return void signInForm(res, 403, 'expired');
    if (!email || !password || email.length > 254 || password.length > 1024)
      return void signInForm(res, 401, 'invalid');
    const r = await support.accounts.signIn(email, password, req.ip ?? 'unknown');
    if (!r.ok) {
      if (r.code === 'AUTH.TOO_MANY_ATTEMPTS') res.setHeader('Retry-After', String(r.retryAfterSeconds));
      return void signInForm(
        res,
        r.code === 'AUTH.TOO_MANY_ATTEMPTS' ? 429 : 401,
        r.code === 'AUTH.TOO_MANY_ATTEMPTS' ? 'too-many' : 'invalid',
      );
    }
    clearCookie(res, cookies, SIGNIN_CSRF_COOKIE, '/console');
    await startSession(res, r.agent, 'password');
    res.redirect(303, r.agent.role === 'operator' ? '/dashboard' : '/console');
  });

  app.post('/console/sign-out', form, async (req, res) => {
    const token = readCookie(req.get('cookie'), SESSION_COOKIE);
    const who = await signedIn(support.sessions, req.get('cookie'));
    const presented = req.get('x-csrf-token') ?? (req.body as Record<string, unknown> | undefined)?.['csrf'];
    if (
      who &&
      (foreignOrigin(req) ||
        !csrfMatches(typeof presented === 'string' ? presented : undefined, who.csrfToken))
    ) {
      res.status(403).json({ code: 'AUTH.CSRF', message: 'send the session token' });
      return;
    }
    await support.sessions.end(token);
    if (who) d.onSignedOut(who.sessionId);
    clearCookie(res, cookies, SESSION_COOKIE);
    res.redirect(303, '/console?notice=signed-out');
  });

  app.get('/console/session', async (req, res) => {
    const who = await signedIn(support.sessions, req.get('cookie'));
    res.set({ 'Cache-Control': 'no-store' });
    if (!who) {
      res.status(401).json({ code: 'AUTH.UNAUTHORIZED', message: 'sign in at /console' });
      return;
    }
    res.json(sessionBody(who));
  });

  app.get('/console/sso', async (req, res) => {
    if (!d.sso)
      return void res
        .status(404)
        .json({ code: 'SSO.NOT_CONFIGURED', message: 'single sign-on is not configured' });
    try {
      const { url, pending } = await (await d.sso(callbackUrl(req))).begin();
      setCookie(res, cookies, SSO_COOKIE, Buffer.from(JSON.stringify(pending)).toString('base64url'), {
        path: '/console/sso',
        maxAgeSeconds: 600,
      });
      res.redirect(303, url);
    } catch (e) {
      d.logger.error({ err: e }, 'single sign-on could not start');
      res.redirect(303, '/console?notice=sso');
    }
  });

  app.get('/console/sso/callback', async (req, res) => {
    if (!d.sso)
      return void res
        .status(404)
        .json({ code: 'SSO.NOT_CONFIGURED', message: 'single sign-on is not configured' });
    const raw = readCookie(req.get('cookie'), SSO_COOKIE);
    clearCookie(res, cookies, SSO_COOKIE, '/console/sso');
    try {
      if (!raw) throw new Error('no pending sign-in (cookie missing or expired)');
      const pending = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as PendingLogin;
      const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host')}`);
      const who = await (await d.sso(callbackUrl(req))).finish(url, pending);
      const agent = await support.accounts.forSingleSignOn(who.subject, who.email, who.emailVerified);
      if (!agent) {
        d.logger.warn({ subject: who.subject }, 'single sign-on for a person without an account');
        return void res.redirect(303, '/console?notice=sso');
      }
      await startSession(res, agent, 'oidc');
      res.redirect(303, agent.role === 'operator' ? '/dashboard' : '/console');
    } catch (e) {
      d.logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'single sign-on failed');
      res.redirect(303, '/console?notice=sso');
    }
  });
}
