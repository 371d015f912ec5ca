import {
  createSupport,
  MemorySignInAttempts,
  RedisSignInAttempts,
  SingleSignOn,
  type Support,
} from '../support/index.ts';
import { buildConsole } from '../web-widget/index.ts';
import { AgentsSocket } from './console/agents-socket.ts';
import { mountConsolePages } from './console/pages.ts';
import { sessionAuthenticator } from './console/session-auth.ts';
import { agentRoutes } from './http/agents.routes.ts';
import { handoffRoutes } from './http/handoffs.routes.ts';
import { observeHandoffs } from './observe.ts';
import type { PlatformContext, PlatformModule } from './module.ts';

export interface ConsoleModuleOptions {
  /** told the first administrator's generated password once (default: printed to stdout) */
  readonly onGeneratedAdminPassword?: (email: string, password: string) => void;
}

/**
 * The support console: agents' accounts and sign-in (password or single sign-on), the handoff
 * REST API, the `/agents` socket namespace and the `/console` page.
 */
export async function createConsoleModule(
  ctx: PlatformContext,
  options: ConsoleModuleOptions = {},
): Promise<PlatformModule & { readonly support: Support }> {
  const { config, logger, core } = ctx;
  const redis = ctx.redis('agents-sign-in');
  // the socket namespace is built below (it needs `support`); the count is only asked once drivers write
  const online = { count: async () => 0 };
  const support = createSupport({
    db: ctx.db,
    core,
    attempts: redis ? new RedisSignInAttempts(redis) : new MemorySignInAttempts(),
    maxSignInFailures: config.AGENT_SIGNIN_MAX_FAILURES,
    session: {
      maxAgeMs: config.AGENT_SESSION_HOURS * 3_600_000,
      idleMs: config.AGENT_SESSION_IDLE_MINUTES * 60_000,
    },
    onError: (event, e) => logger.error({ err: e, event }, 'support listener failed'),
    runtime: ctx.runtime.get(),
    agentsOnline: () => online.count(),
    waitMinutes: config.HANDOFF_WAIT_MINUTES,
    // an agent's refund goes back through booking-core's payments (always on: the test checkout by default)
    refunds: {
      async refund(booking, actor, reason) {
        const r = await core.payments.refund(
          booking.id,
          { reason: reason ?? 'refunded by a support agent' },
          { kind: 'operator', id: `agent:${actor.agentId}` },
        );
        return r.ok ? { ok: true } : { ok: false, error: r.error };
      },
    },
  });
  observeHandoffs(support.desk, ctx.metrics);
  const admin = await support.accounts.ensureAdmin(config.AGENT_ADMIN_EMAIL, config.AGENT_ADMIN_PASSWORD);
  if (admin.created)
    logger.info({ email: config.AGENT_ADMIN_EMAIL }, 'created the first console administrator');
  if (admin.generatedPassword) {
    (options.onGeneratedAdminPassword ?? printAdminPassword)(
      config.AGENT_ADMIN_EMAIL,
      admin.generatedPassword,
    );
  }

  let sso: Promise<SingleSignOn> | null = null;
  const ssoSettings =
    config.OIDC_ISSUER_URL && config.OIDC_CLIENT_ID && config.OIDC_CLIENT_SECRET
      ? {
          issuerUrl: config.OIDC_ISSUER_URL,
          clientId: config.OIDC_CLIENT_ID,
          clientSecret: config.OIDC_CLIENT_SECRET,
        }
      : null;
  const { script, stylesheet } = await buildConsole();
  const agentSockets = new AgentsSocket({
    support,
    facilityChanges: ctx.facilityChanges,
    freeNow: async (facilityId) => {
      const [f] = await core.facilities.list({ ids: [facilityId] });
      return f ? { facilityId, free: f.freeNow.free, total: f.freeNow.total } : null;
    },
    onError: (e, where) => logger.error({ err: e, where }, 'console error'),
  });
  online.count = () => agentSockets.onlineCount();
  const sweep = setInterval(() => {
    support.sessions
      .sweep()
      .catch((e: unknown) => logger.warn({ err: e }, 'could not sweep expired sessions'));
  }, 10 * 60_000);
  sweep.unref();
  // Drivers left waiting too long are told (each once, whichever instance gets there first).
  const overdue = setInterval(() => {
    support.driverSide
      ?.remindOverdue()
      .catch((e: unknown) => logger.warn({ err: e }, 'could not check waiting drivers'));
  }, 30_000);
  overdue.unref();

  return {
    name: 'console',
    support,
    routes: [...handoffRoutes(support.desk, support.accounts), ...agentRoutes(support.accounts)],
    authenticate: sessionAuthenticator(support.sessions),
    mount(app) {
      mountConsolePages(app, {
        support,
        cookies: {
          secure:
            config.AGENT_COOKIE_SECURE === 'auto'
              ? config.NODE_ENV === 'production'
              : config.AGENT_COOKIE_SECURE === 'true',
        },
        sessionMaxAgeSeconds: Math.round(config.AGENT_SESSION_HOURS * 3600),
        sso: ssoSettings
          ? (redirectUri) => {
              // Discovered on first use (and again after a failure), so an issuer that is down at start delays nothing.
              sso ??= SingleSignOn.discover({
                ...ssoSettings,
                redirectUri: config.OIDC_REDIRECT_URL ?? redirectUri,
                allowHttp: new URL(ssoSettings.issuerUrl).protocol === 'http:',
              }).catch((e: unknown) => {
                sso = null;
                throw e;
              });
              return sso;
            }
          : null,
        script,
        stylesheet,
        logger,
        onSignedOut: (sessionId) => agentSockets.endSession(sessionId),
      });
    },
    attach: (io) => agentSockets.attach(io),
    async stop() {
      clearInterval(sweep);
      clearInterval(overdue);
      support.close();
      agentSockets.stop();
    },
  };
}

const printAdminPassword = (email: string, password: string) => {
  // Shown once, on the console only (never through the logger); only its hash is stored.
  process.stdout.write(
    `\n  The support console's first administrator was created:\n\n    email:    ${email}\n    password: ${password}\n\n` +
      `  Sign in at /console and add your agents. This password is not shown again.\n\n`,
  );
};
