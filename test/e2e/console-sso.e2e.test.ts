/**
 * Single sign-on against a real OpenID Connect issuer: `oidc-provider` (a certified OpenID
 * Provider library) on 127.0.0.1, with its development login and consent pages, driven in
 * Chromium. The console's relying party is `openid-client` (code flow with PKCE, state, nonce).
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../web-widget/testing/page-helpers.ts';
import { addAgent } from '../support/console.ts';
import { startTestPlatform, type RunningPlatform } from '../support/platform.ts';

const haveChromium = existsSync(CHROMIUM);
const inCi = Boolean(process.env['CI']);

describe.skipIf(!haveChromium && !inCi)('console single sign-on with an OpenID Connect issuer', () => {
  let issuerServer: Server;
  let platform: RunningPlatform;
  let browser: Browser;
  let kim: Awaited<ReturnType<typeof addAgent>>;
  let issuer: string;

  beforeAll(async () => {
    issuerServer = createServer();
    await new Promise<void>((r) => issuerServer.listen(0, '127.0.0.1', r));
    const address = issuerServer.address();
    issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    platform = await startTestPlatform('pglite', {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: 'parking-console',
      OIDC_CLIENT_SECRET: 'a-client-secret-for-tests-only',
    });
    // The login page's "login" is the person's email at this test issuer.
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'parking-console',
          client_secret: 'a-client-secret-for-tests-only',
          redirect_uris: [`${platform.url}/console/sso/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      findAccount: (_ctx, id) => ({
        accountId: id,
        claims: () => ({ sub: id, email: id, email_verified: true, name: id }),
      }),
      features: { devInteractions: { enabled: true } },
      cookies: { keys: ['test-cookie-key-0123456789'] },
    });
    issuerServer.on('request', provider.callback());
    kim = await addAgent(platform, 'agent', 'Kim');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await new Promise((r) => issuerServer?.close(r));
  });

  const signInThroughIssuer = async (login: string): Promise<Page> => {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${platform.url}/console`);
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Continue' }).click();
    return page;
  };

  it('signs an agent in whose email an admin added, and links the account to the issuer', async () => {
    const page = await signInThroughIssuer(kim.email);
    await page.locator('.me', { hasText: 'Kim (agent)' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console');
    const account = await platform.db.prisma.agent.findUniqueOrThrow({ where: { id: kim.id } });
    expect(account.oidcSubject).toBe(`${issuer}|${kim.email}`);
    const session = await platform.db.prisma.agentSession.findFirstOrThrow({ where: { agentId: kim.id } });
    expect(session.method).toBe('oidc');
  });

  it('refuses a person without an account, and says so', async () => {
    const page = await signInThroughIssuer('stranger@parking.test');
    await page.getByText('Single sign-on did not work').waitFor();
    expect(await platform.db.prisma.agent.count({ where: { email: 'stranger@parking.test' } })).toBe(0);
  });
});
