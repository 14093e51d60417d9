/** CRUD /agents (エージェント), the change history, sessions and forced logout. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import type { AgentsService } from './agents-service.js';
import {
  agentChangeSchema,
  agentCreateSchema,
  agentListQuery,
  agentSchema,
  agentUpdateSchema,
  authEventSchema,
  sessionSchema,
  toAgent,
  toAgentChange,
  toAuthEvent,
  toSession,
} from './dto.js';
import { idParams, security } from '../platform/http/schemas.js';

const tags = ['agents'];

export const agentsRoutes: FastifyPluginAsyncZod<{ agents: AgentsService }> = async (
  app,
  { agents },
) => {
  app.get('/agents', {
    config: { permission: 'agents.view' },
    schema: {
      tags,
      security,
      summary: 'List agents, filtered by login ID, name, extension or role',
      querystring: pageQuery.extend(agentListQuery.shape),
      response: { 200: pageOf(agentSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = agents.list(request.query);
      return { items: page.items.map(toAgent), total: page.total };
    },
  });

  app.post('/agents', {
    config: { permission: 'agents.update' },
    schema: {
      tags,
      security,
      summary: 'Create an agent',
      body: agentCreateSchema,
      response: { 201: agentSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) => {
      const agent = await agents.create(request.body, principalOf(request).actor);
      return reply.status(201).send(toAgent(agent));
    },
  });

  app.get('/agents/:id', {
    config: { permission: 'agents.view' },
    schema: {
      tags,
      security,
      summary: 'One agent',
      params: idParams,
      response: { 200: agentSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toAgent(agents.get(request.params.id)),
  });

  app.patch('/agents/:id', {
    config: { permission: 'agents.update' },
    schema: {
      tags,
      security,
      summary: 'Change an agent; `locked: false` unlocks a locked account',
      description:
        'Only the fields given change. Each changed field is written to the change history ' +
        '(secrets masked). Locking an account ends its sessions.',
      params: idParams,
      body: agentUpdateSchema,
      response: { 200: agentSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toAgent(await agents.update(request.params.id, request.body, principalOf(request))),
  });

  app.delete('/agents/:id', {
    config: { permission: 'agents.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete an agent',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      agents.remove(request.params.id, principalOf(request));
      return reply.status(204).send();
    },
  });

  app.get('/agents/:id/history', {
    config: { permission: 'agents.view' },
    schema: {
      tags,
      security,
      summary: 'The change history of an agent (変更履歴)',
      params: idParams,
      querystring: pageQuery.extend({ order: z.enum(['desc', 'asc']).default('desc') }),
      response: { 200: pageOf(agentChangeSchema), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      const { order, ...page } = request.query;
      const result = agents.history(request.params.id, order, page);
      return { items: result.items.map(toAgentChange), total: result.total };
    },
  });

  app.get('/agents/:id/auth-events', {
    config: { permission: 'agents.view' },
    schema: {
      tags,
      security,
      summary: 'Logins, failures, locks, unlocks and logouts of an agent, newest first',
      params: idParams,
      querystring: pageQuery,
      response: { 200: pageOf(authEventSchema), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      const result = agents.authEvents(request.params.id, request.query);
      return { items: result.items.map(toAuthEvent), total: result.total };
    },
  });

  app.get('/agents/:id/sessions', {
    config: { permission: 'sessions.view' },
    schema: {
      tags,
      security,
      summary: 'The live sessions of an agent',
      params: idParams,
      response: {
        200: z.object({ items: z.array(sessionSchema) }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: async (request) => ({ items: agents.sessions(request.params.id).map(toSession) }),
  });

  app.post('/agents/:id/logout', {
    config: { permission: 'sessions.force_logout' },
    schema: {
      tags,
      security,
      summary: 'Force a logout (強制ログアウト): end every session of the agent',
      params: idParams,
      response: {
        200: z.object({ revoked: z.number().int() }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: async (request) => ({
      revoked: agents.forceLogout(request.params.id, principalOf(request).actor),
    }),
  });
};
