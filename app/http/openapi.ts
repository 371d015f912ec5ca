import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteDef } from './route.ts';
import type { z } from 'zod';

/**
 * The OpenAPI 3.1 document for the routes, generated from the same zod schemas that validate
 * requests, so the description cannot drift from the behaviour.
 */
export function openApiDocument(routes: readonly RouteDef[], base: string, version: string) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const r of routes) {
    registry.registerPath({
      method: r.method,
      path: base + r.path.replace(/:(\w+)/g, '{$1}'),
      summary: r.summary,
      security: [{ bearer: [] }],
      request: {
        ...(r.params ? { params: r.params as z.ZodObject } : {}),
        ...(r.query ? { query: r.query as z.ZodObject } : {}),
        ...(r.headers ? { headers: r.headers } : {}),
        ...(r.body ? { body: { content: { 'application/json': { schema: r.body } } } } : {}),
      },
      responses: Object.fromEntries(
        Object.entries(r.responses).map(([status, resp]) => [
          status,
          {
            description: resp.description,
            ...(resp.schema ? { content: { 'application/json': { schema: resp.schema } } } : {}),
          },
        ]),
      ),
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'smart-parking-platform API',
      version,
      description:
        'Operators and integrations: live availability, quotes and bookings. Send `Authorization: Bearer <key>`. ' +
        'Money is integer minor units with a currency; instants are UTC, with facility-local times alongside.',
    },
    servers: [{ url: '/' }],
  });
}
