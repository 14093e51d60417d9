/**
 * The OpenAPI document, generated from the routes' zod schemas, at /docs (UI) and /docs/json.
 * Each operation's description also says which permission it needs, taken from the route's
 * declaration, so the document cannot drift from what the server enforces.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const DOCS_PREFIX = '/docs';

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Call-center control server',
        version,
        description:
          'REST API of the call-center server. Authenticate with `POST /api/v1/auth/login` and ' +
          'send the token as `Authorization: Bearer <token>`. Errors always have the shape ' +
          '`{ "error": { "code", "message", "details" } }`. Realtime events: WebSocket at `/api/v1/ws`.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Session token or API key' },
        },
      },
    },
    transform: (input) => {
      const result = jsonSchemaTransform(input);
      const permission = input.route.config?.permission;
      if (permission === undefined) return result;
      const schema = result.schema as { description?: string };
      const needs =
        permission === 'public'
          ? 'none (public)'
          : permission === 'authenticated'
            ? 'any logged-in principal'
            : `\`${permission}\``;
      const sessionOnly =
        input.route.config?.sessionOnly === true
          ? 'Session tokens only: an API key gets 403 `agent_required`.'
          : undefined;
      return {
        ...result,
        schema: {
          ...result.schema,
          description: [schema.description, `Permission: ${needs}.`, sessionOnly]
            .filter(Boolean)
            .join('\n\n'),
        },
      };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX });
}
