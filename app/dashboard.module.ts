import type { Express } from 'express';
import { can, createSupport, MemorySignInAttempts } from '../support/index.ts';
import { buildDashboard } from '../web-widget/index.ts';
import { signedIn } from './console/session-auth.ts';
import { analyticsRoutes, forecastRoutes } from './http/analytics.routes.ts';
import type { PlatformContext, PlatformModule } from './module.ts';

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

/** The page's shell: everything in it is fixed text; the script fills it with textContent. */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Parking dashboard</title><link rel="stylesheet" href="/dashboard/dashboard.css"></head>
<body>
<header><h1>Parking dashboard <span id="live">connecting…</span></h1>
<label>Period <select id="period"><option value="today">Today</option><option value="7d" selected>7 days</option>
<option value="30d">30 days</option><option value="custom">Custom</option></select></label>
<span id="custom" hidden><input id="from" type="datetime-local" aria-label="from"> – <input id="to" type="datetime-local" aria-label="to"></span>
<label>Car park <select id="facility"><option value="">All</option></select></label>
<a href="/console">Console</a></header>
<p id="error" role="alert"></p>
<main>
<section class="wide"><h2>Now</h2><table><thead><tr><th>Car park</th><th>Free</th><th>By kind</th><th>Sensors</th></tr></thead><tbody id="now-rows"></tbody></table></section>
<section class="wide"><h2>At a glance</h2><div id="summary"></div></section>
<section><h2>Occupancy <a id="csv-occupancy" download>CSV</a></h2><div id="chart-occupancy"></div></section>
<section><h2>Bookings by channel <a id="csv-bookings" download>CSV</a></h2><div id="chart-bookings"></div></section>
<section><h2>Revenue, net of refunds <a id="csv-revenue" download>CSV</a></h2><div id="chart-revenue"></div></section>
<section><h2>Conversations <a id="csv-conversations" download>CSV</a></h2><div id="chart-conversations"></div></section>
</main>
<script src="/dashboard/dashboard.js"></script>
</body></html>`;

/**
 * The operators' dashboard: `/dashboard` (admins and operators signed in at the console; anyone
 * else is sent to sign in), the analytics API (`/api/v1/analytics/…`, API keys or a console
 * session with the `dashboard` capability) and the forecast (`/api/v1/facilities/:id/forecast`).
 */
export async function createDashboardModule(ctx: PlatformContext): Promise<PlatformModule> {
  const { config } = ctx;
  // Only its sessions are used: they live in the database the console signs people in to.
  const { sessions } = createSupport({
    db: ctx.db,
    core: ctx.core,
    attempts: new MemorySignInAttempts(),
    maxSignInFailures: config.AGENT_SIGNIN_MAX_FAILURES,
    session: {
      maxAgeMs: config.AGENT_SESSION_HOURS * 3_600_000,
      idleMs: config.AGENT_SESSION_IDLE_MINUTES * 60_000,
    },
  });
  const { script, stylesheet } = await buildDashboard();
  return {
    name: 'dashboard',
    routes: [...analyticsRoutes(ctx.core), ...forecastRoutes(ctx.core)],
    mount(app: Express) {
      app.get('/dashboard', async (req, res) => {
        const who = await signedIn(sessions, req.get('cookie'));
        if (!who) return void res.redirect(303, '/console');
        if (!can(who.agent.role, 'dashboard'))
          return void res
            .status(403)
            .set(SECURITY_HEADERS)
            .type('text')
            .send('This account cannot see the dashboard.');
        res.status(200).set(SECURITY_HEADERS).type('html').send(PAGE);
      });
      app.get('/dashboard/dashboard.js', (_req, res) => {
        res.set(SECURITY_HEADERS).type('application/javascript').send(script);
      });
      app.get('/dashboard/dashboard.css', (_req, res) => {
        res.set(SECURITY_HEADERS).type('text/css').send(stylesheet);
      });
    },
  };
}
