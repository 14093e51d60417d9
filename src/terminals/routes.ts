/** CRUD /terminals (端末) and the agent's own /me/terminals (自分の端末). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agentOf, principalOf } from '../platform/http/auth.js';
import { errorResponses, notFound } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import {
  terminalCreateSchema,
  terminalSchema,
  terminalUpdateSchema,
  terminalWithSecretSchema,
  toTerminal,
} from './dto.js';
import type { TerminalsService } from './service.js';
import { id, idParams, security } from '../platform/http/schemas.js';

const tags = ['terminals'];

export const terminalsRoutes: FastifyPluginAsyncZod<{ terminals: TerminalsService }> = async (
  app,
  { terminals },
) => {
  app.get('/terminals', {
    config: { permission: 'terminals.view' },
    schema: {
      tags,
      security,
      summary: 'List terminals with their registration state',
      querystring: pageQuery.extend({
        sipUser: z.string().min(1).max(32).optional().describe('Part of the ID'),
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
        agentId: id().optional().describe('Linked to this agent'),
        hotDeskAgentId: id().optional().describe('This agent is logged in on it by hot-desk'),
      }),
      response: { 200: pageOf(terminalSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = terminals.list(request.query);
      return { items: page.items.map(toTerminal), total: page.total };
    },
  });

  app.post('/terminals', {
    config: { permission: 'terminals.update' },
    schema: {
      tags,
      security,
      summary: 'Create a terminal; it is provisioned into Asterisk at once',
      description: 'The response carries the SIP password. It is never shown again.',
      body: terminalCreateSchema,
      response: { 201: terminalWithSecretSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) => {
      const { terminal, secret } = await terminals.create(request.body, principalOf(request).actor);
      return reply.status(201).send({ ...toTerminal(terminal), secret });
    },
  });

  app.get('/terminals/:id', {
    config: { permission: 'terminals.view' },
    schema: {
      tags,
      security,
      summary: 'One terminal',
      params: idParams,
      response: { 200: terminalSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toTerminal(terminals.get(request.params.id)),
  });

  app.patch('/terminals/:id', {
    config: { permission: 'terminals.update' },
    schema: {
      tags,
      security,
      summary: 'Change a terminal (name, agent, codecs, secret …); pushed to Asterisk at once',
      description: 'With `regenerateSecret: true` the response carries the new SIP password, once.',
      params: idParams,
      body: terminalUpdateSchema,
      response: {
        200: terminalSchema.extend({ secret: z.string().optional() }),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    },
    handler: async (request) => {
      const { terminal, secret } = await terminals.update(
        request.params.id,
        request.body,
        principalOf(request).actor,
      );
      return secret === undefined ? toTerminal(terminal) : { ...toTerminal(terminal), secret };
    },
  });

  app.delete('/terminals/:id', {
    config: { permission: 'terminals.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a terminal; Asterisk forgets it and its registration',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      await terminals.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  app.get('/me/terminals', {
    config: { permission: 'my_terminals.view', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'My terminals (自分の端末)',
      response: { 200: z.object({ items: z.array(terminalSchema) }), ...errorResponses(401, 403) },
    },
    handler: async (request) => ({
      items: terminals.ofAgent(agentOf(request).id).map((t) => toTerminal(terminals.get(t.id))),
    }),
  });

  app.delete('/me/terminals/:id', {
    config: { permission: 'my_terminals.update', sessionOnly: true },
    schema: {
      tags,
      security,
      summary:
        'Remove a terminal from my terminals (自分の端末から除く); the terminal itself stays',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      const me = agentOf(request);
      const terminal = terminals.get(request.params.id);
      if (terminal.agentId !== me.id) throw notFound('Terminal');
      await terminals.update(terminal.id, { agentId: null }, me.actor);
      return reply.status(204).send();
    },
  });
};
