import { randomUUID, timingSafeEqual, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { pinoHttp } from 'pino-http';
import { withLogContext } from '../log-context.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { isBackendUnavailable } from './unavailable.ts';
import type { ApiKeys } from './api-keys.ts';
import { openApiDocument } from './openapi.ts';
import { mountRoutes, type ErrorBody, type RouteDef } from './route.ts';

export interface HttpDeps {
  readonly routes: readonly RouteDef[];
  readonly apiKeys: ApiKeys;
  readonly logger: Logger;
  /** readiness: database reachable and migrations applied */
  readonly ready: () => Promise<{ ok: boolean; checks: Record<string, string> }>;
  readonly version: string;
  readonly trustProxy?: boolean;
  readonly metrics: Metrics;
  /** when set, GET /metrics needs `Authorization: Bearer <token>` */
  readonly metricsToken?: string;
  /**
   * Other credentials the REST API accepts besides an API key (the console's session cookie).
   * Each answers `true` (authenticated; it may set `res.locals`), `false` (not its kind of
   * request), or `'responded'` (it refused and answered, e.g. 403 for a missing CSRF token).
   */
  readonly authenticators?: readonly Authenticator[];
}

export type Authenticator = (req: Request, res: Response) => Promise<boolean | 'responded'>;

/** Paths polled by orchestrators and Prometheus: not access-logged. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
/** A caller's X-Request-Id is kept when it looks like an id; anything else gets a fresh one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Request ids and access logs (pino-http): each request gets `X-Request-Id` (the caller's, or a new
 * UUID), and `req.log` carries it as `requestId` in every line logged for that request. Client
 * errors log at info, server errors at error, the rest at debug.
 */
const requestLogging = (logger: Logger) =>
  pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0] ?? '') },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  });

/** The route template a request matched (`/api/v1/bookings/:id`), so label values stay few. */
const routeOf = (req: Request): string =>
  req.route ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}` : 'unmatched';

const latency =
  (metrics: Metrics): RequestHandler =>
  (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () =>
      end({ method: req.method, route: routeOf(req), status: String(res.statusCode) }),
    );
    next();
  };

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

const metricsEndpoint =
  (metrics: Metrics, token: string | undefined): RequestHandler =>
  async (req, res) => {
    if (token) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
      if (!m?.[1] || !sameSecret(m[1], token)) {
        res
          .status(401)
          .setHeader('WWW-Authenticate', 'Bearer realm="metrics"')
          .json({ code: 'AUTH.UNAUTHORIZED', message: 'send Authorization: Bearer <METRICS_TOKEN>' });
        return;
      }
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };

export const API_BASE = '/api/v1';

const requireApiKey =
  (keys: ApiKeys, others: readonly Authenticator[]): RequestHandler =>
  async (req, res, next) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const id = m?.[1] ? keys.verify(m[1]) : null;
    if (!id && !m) {
      for (const authenticate of others) {
        const r = await authenticate(req, res);
        if (r === 'responded') return;
        if (r) return next();
      }
    }
    if (!id) {
      res
        .status(401)
        .setHeader('WWW-Authenticate', 'Bearer realm="smart-parking-platform"')
        .json({
          code: 'AUTH.UNAUTHORIZED',
          message: 'send Authorization: Bearer <api key>',
        } satisfies ErrorBody);
      return;
    }
    res.locals['apiKeyId'] = id;
    next();
  };

/**
 * The express application: health, the OpenAPI document, and the authenticated REST API.
 * Other parts (the widget, webhooks) mount on `app` before `finish()` adds the 404 and error handlers.
 */
export function createHttpApp(deps: HttpDeps): { app: Express; finish: () => void } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(requestLogging(deps.logger));
  // every line logged while serving the request — deep in booking-core too — names it
  app.use((req, _res, next) => withLogContext({ requestId: String(req.id) }, next));
  app.use(latency(deps.metrics));
  app.get('/metrics', metricsEndpoint(deps.metrics, deps.metricsToken));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const r = await deps.ready().catch((e: unknown) => ({ ok: false, checks: { database: String(e) } }));
    res.status(r.ok ? 200 : 503).json({ status: r.ok ? 'ready' : 'not ready', checks: r.checks });
  });
  const doc = openApiDocument(deps.routes, API_BASE, deps.version);
  app.get(`${API_BASE}/openapi.json`, (_req, res) => {
    res.json(doc);
  });
  const api = express.Router();
  api.use(requireApiKey(deps.apiKeys, deps.authenticators ?? []));
  api.use(express.json({ limit: '64kb', strict: true }));
  mountRoutes(api, deps.routes);
  app.use(API_BASE, api);

  const finish = () => {
    app.use((req, res) => {
      res.status(404).json({
        code: 'HTTP.NOT_FOUND',
        message: `no route for ${req.method} ${req.path}`,
      } satisfies ErrorBody);
    });
    const onError: ErrorRequestHandler = (error: { type?: string; status?: number }, req, res, _next) => {
      if (error.type === 'entity.parse.failed') {
        res.status(400).json({
          code: 'REQUEST.MALFORMED_JSON',
          message: 'the body is not valid JSON',
        } satisfies ErrorBody);
        return;
      }
      if (error.type === 'entity.too.large') {
        res
          .status(413)
          .json({ code: 'REQUEST.TOO_LARGE', message: 'the body is too large' } satisfies ErrorBody);
        return;
      }
      if (isBackendUnavailable(error)) {
        req.log.warn({ err: error, method: req.method, path: req.path }, 'a backing service is unavailable');
        if (!res.headersSent)
          res
            .status(503)
            .setHeader('Retry-After', '5')
            .json({
              code: 'SERVICE.UNAVAILABLE',
              message:
                'the service is temporarily unavailable (a database or cache is unreachable); try again shortly',
            } satisfies ErrorBody);
        return;
      }
      if (error.status && error.status >= 400 && error.status < 500) {
        res
          .status(error.status)
          .json({ code: 'REQUEST.REJECTED', message: 'the request was rejected' } satisfies ErrorBody);
        return;
      }
      req.log.error({ err: error, method: req.method, path: req.path }, 'request failed');
      if (!res.headersSent) {
        res
          .status(500)
          .json({ code: 'INTERNAL', message: 'something went wrong on our side' } satisfies ErrorBody);
      }
    };
    app.use(onError);
  };
  return { app, finish };
}

/**
 * Fails fast, before the slow parts of start-up, when something already listens on the HTTP
 * port: binds it for a moment and lets go. (`listen` checks again, for real, at the end.)
 */
export async function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * Listens, and on `close()` stops accepting, lets in-flight requests finish (up to `graceMs`),
 * then drops idle keep-alive connections.
 */
export async function listen(
  app: Express,
  port: number,
  host: string,
): Promise<{ server: Server; close: (graceMs: number) => Promise<void> }> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const close = (graceMs: number) =>
    new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
  return { server, close };
}
