import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';

/** An error body: a stable code, a message, and for bad requests the fields at fault. */
export const errorBody = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.record(z.string(), z.array(z.string())).optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly req: Request;
}

export interface RouteReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  /** sent as is instead of `body` as JSON (e.g. CSV) */
  readonly text?: { readonly type: string; readonly content: string };
}

/**
 * One API operation: its shape (validated on the way in, published in the OpenAPI document) and
 * its handler. Defining both in one place keeps the docs and the behaviour from drifting apart.
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'get' | 'post';
  /** express-style path below the router's mount point, e.g. '/facilities/:id' */
  readonly path: string;
  readonly summary: string;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  readonly headers?: z.ZodObject;
  readonly responses: Readonly<Record<number, { description: string; schema?: z.ZodType }>>;
  readonly handler: (input: RouteInput<P, Q, B>) => Promise<RouteReply>;
}

export const defineRoute = <P, Q, B>(def: RouteDef<P, Q, B>): RouteDef => def as unknown as RouteDef;

/** zod issues → `{ field: [messages] }`, with the part of the request in the path ("body.from"). */
export function fieldErrors(part: string, error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = [part, ...issue.path.map(String)].join('.');
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Mounts each route with validation of params, query and body; a bad request gets 400 and reaches no handler. */
export function mountRoutes(router: Router, routes: readonly RouteDef[]): void {
  for (const route of routes) {
    const handler: RequestHandler = async (req: Request, res: Response) => {
      const fields: Record<string, string[]> = {};
      const parse = (part: string, schema: z.ZodType | undefined, value: unknown) => {
        if (!schema) return undefined;
        const r = schema.safeParse(value ?? {});
        if (!r.success) Object.assign(fields, fieldErrors(part, r.error));
        return r.success ? r.data : undefined;
      };
      const params = parse('params', route.params, req.params);
      const query = parse('query', route.query, req.query);
      parse('headers', route.headers, req.headers);
      const body = parse('body', route.body, req.body);
      if (Object.keys(fields).length) {
        res
          .status(400)
          .json({ code: 'REQUEST.INVALID', message: 'the request is invalid', fields } satisfies ErrorBody);
        return;
      }
      const reply = await route.handler({ params, query, body, req });
      for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
      if (reply.text) res.status(reply.status).type(reply.text.type).send(reply.text.content);
      else res.status(reply.status).json(reply.body);
    };
    router[route.method](route.path, handler);
  }
}
