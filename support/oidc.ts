import * as client from 'openid-client';

export interface OidcSettings {
  readonly issuerUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** where the issuer sends the browser back, e.g. https://parking.example/console/sso/callback */
  readonly redirectUri: string;
  /** plain http issuers are refused unless allowed (local test issuers) */
  readonly allowHttp?: boolean;
}

/** What the browser must bring back: kept in a short-lived, HttpOnly cookie between the two legs. */
export interface PendingLogin {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

export interface OidcIdentity {
  /** "<issuer>|<sub>": stable per person and issuer */
  readonly subject: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
}

/**
 * Single sign-on with an OpenID Connect issuer (Auth0, Keycloak, Entra ID…) through openid-client:
 * authorization code flow with PKCE, state and nonce.
 *
 *   const sso = await SingleSignOn.discover(settings);
 *   const { url, pending } = await sso.begin();         // redirect to url, keep pending in a cookie
 *   const who = await sso.finish(callbackUrl, pending); // after the issuer redirects back
 */
export class SingleSignOn {
  private constructor(
    private readonly config: client.Configuration,
    private readonly settings: OidcSettings,
  ) {}

  static async discover(settings: OidcSettings): Promise<SingleSignOn> {
    const config = await client.discovery(
      new URL(settings.issuerUrl),
      settings.clientId,
      settings.clientSecret,
      undefined,
      settings.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    return new SingleSignOn(config, settings);
  }

  async begin(): Promise<{ url: string; pending: PendingLogin }> {
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
    const url = client.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  async finish(callbackUrl: URL, pending: PendingLogin): Promise<OidcIdentity> {
    const tokens = await client.authorizationCodeGrant(this.config, callbackUrl, {
      pkceCodeVerifier: pending.codeVerifier,
      expectedState: pending.state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) throw new Error('the issuer returned no ID token');
    let email = typeof claims['email'] === 'string' ? claims['email'] : undefined;
    let emailVerified = claims['email_verified'] === true;
    let name = typeof claims['name'] === 'string' ? claims['name'] : undefined;
    if (!email) {
      // Some issuers put the email only in userinfo.
      const info = await client.fetchUserInfo(this.config, tokens.access_token, claims.sub);
      email = typeof info.email === 'string' ? info.email : undefined;
      emailVerified = info.email_verified === true;
      name ??= typeof info.name === 'string' ? info.name : undefined;
    }
    return { subject: `${claims.iss}|${claims.sub}`, email, emailVerified, name };
  }
}
