import { createServer, type Server } from 'node:http';
import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { Logger } from '../logger.ts';
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
  /**
   * Other credentials the REST API accepts besides an API key (the console's session cookie).
   * Each answers `true` (authenticated; it may set `res.locals`), `false` (not its kind of
   * request), or `'responded'` (it refused and answered, e.g. 403 for a missing CSRF token).
   */
  readonly authenticators?: readonly Authenticator[];
}

export type Authenticator = (req: Request, res: Response) => Promise<boolean | 'responded'>;

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
      if (error.status && error.status >= 400 && error.status < 500) {
        res
          .status(error.status)
          .json({ code: 'REQUEST.REJECTED', message: 'the request was rejected' } satisfies ErrorBody);
        return;
      }
      deps.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
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
