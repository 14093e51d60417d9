/** /api-keys: keys for integrations; the key itself is returned once, at creation. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import type { ApiKeysService } from './api-keys-service.js';
import { apiKeyCreateSchema, apiKeySchema, toApiKey } from './dto.js';
import { idParams, security } from '../platform/http/schemas.js';

const tags = ['api-keys'];

export const apiKeysRoutes: FastifyPluginAsyncZod<{ apiKeys: ApiKeysService }> = async (
  app,
  { apiKeys },
) => {
  app.get('/api-keys', {
    config: { permission: 'api_keys.view' },
    schema: {
      tags,
      security,
      summary: 'List API keys (never the keys themselves)',
      querystring: pageQuery,
      response: { 200: pageOf(apiKeySchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = apiKeys.list(request.query);
      return { items: page.items.map(toApiKey), total: page.total };
    },
  });

  app.post('/api-keys', {
    config: { permission: 'api_keys.update' },
    schema: {
      tags,
      security,
      summary: 'Create an API key; the response is the only time the key is shown',
      body: apiKeyCreateSchema,
      response: {
        201: apiKeySchema.extend({
          key: z.string().describe('Send as `Authorization: Bearer <key>`'),
        }),
        ...errorResponses(400, 401, 403, 409, 422),
      },
    },
    handler: async (request, reply) => {
      const { expiresAt, ...input } = request.body;
      const { apiKey, key } = apiKeys.create(
        { ...input, expiresAt: expiresAt == null ? null : new Date(expiresAt) },
        principalOf(request).actor,
      );
      return reply.status(201).send({ ...toApiKey(apiKey), key });
    },
  });

  app.delete('/api-keys/:id', {
    config: { permission: 'api_keys.delete' },
    schema: {
      tags,
      security,
      summary: 'Revoke (delete) an API key',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      apiKeys.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
