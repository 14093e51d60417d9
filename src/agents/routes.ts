/**
 * /agent-statuses (custom statuses, §11-10) and agent status: /me/status for the agent,
 * /agents/{id}/status and /agents/status for supervisors (realtime view, §10-1).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agentOf, principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import type { CustomStatusesService } from './custom-statuses-service.js';
import {
  agentStatusSchema,
  customStatusCreateSchema,
  customStatusSchema,
  customStatusUpdateSchema,
  statusChoiceSchema,
  toCustomStatus,
} from './dto.js';
import type { Selection } from './status.js';
import { toWire, type AgentStatusService } from './status-service.js';
import { idParams, security } from '../platform/http/schemas.js';

const selectionOf = (choice: z.infer<typeof statusChoiceSchema>): Selection =>
  choice.status === 'available'
    ? { kind: 'available' }
    : { kind: 'paused', customStatusId: choice.customStatusId ?? null };

export interface AgentsRoutesOptions {
  statuses: CustomStatusesService;
  status: AgentStatusService;
  /** Does the agent exist? (404 otherwise) */
  assertAgent: (id: number) => void;
}

export const agentStatusRoutes: FastifyPluginAsyncZod<AgentsRoutesOptions> = async (
  app,
  { statuses, status, assertAgent },
) => {
  const tags = ['agent-statuses'];

  app.get('/agent-statuses', {
    // Every agent chooses from them (§4-2), so the list is for anyone logged in;
    // agent_statuses.view shows the administration screen, .update changes them.
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'List the custom statuses (the choices of the status menu)',
      response: {
        200: z.object({ items: z.array(customStatusSchema) }),
        ...errorResponses(401, 403),
      },
    },
    handler: async () => ({ items: statuses.list().map(toCustomStatus) }),
  });

  app.post('/agent-statuses', {
    config: { permission: 'agent_statuses.update' },
    schema: {
      tags,
      security,
      summary: 'Create a custom status (behaves as paused: no incoming calls)',
      body: customStatusCreateSchema,
      response: { 201: customStatusSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(toCustomStatus(statuses.create(request.body, principalOf(request).actor))),
  });

  app.get('/agent-statuses/:id', {
    config: { permission: 'agent_statuses.view' },
    schema: {
      tags,
      security,
      summary: 'One custom status',
      params: idParams,
      response: { 200: customStatusSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toCustomStatus(statuses.get(request.params.id)),
  });

  app.patch('/agent-statuses/:id', {
    config: { permission: 'agent_statuses.update' },
    schema: {
      tags,
      security,
      summary: 'Change a custom status',
      params: idParams,
      body: customStatusUpdateSchema,
      response: { 200: customStatusSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) =>
      toCustomStatus(statuses.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/agent-statuses/:id', {
    config: { permission: 'agent_statuses.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a custom status; agents in it become plainly paused',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      statuses.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  const statusTags = ['agent-status'];

  app.get('/me/status', {
    config: { permission: 'authenticated', sessionOnly: true },
    schema: {
      tags: statusTags,
      security,
      summary: 'My status',
      response: { 200: agentStatusSchema, ...errorResponses(401, 403) },
    },
    handler: async (request) => toWire(status.get(agentOf(request).id)),
  });

  app.put('/me/status', {
    config: { permission: 'status.update', sessionOnly: true },
    schema: {
      tags: statusTags,
      security,
      summary: 'Choose my status: available (待機 / 受付可), paused (停止) or a custom status',
      description:
        'Choosing a custom status with a toggle rule while already in it leaves it (seed 001 小休憩, 昼休憩).',
      body: statusChoiceSchema,
      response: { 200: agentStatusSchema, ...errorResponses(400, 401, 403, 422) },
    },
    handler: async (request) => {
      const me = agentOf(request);
      return toWire(status.choose(me.id, selectionOf(request.body), me.actor));
    },
  });

  app.get('/agents/status', {
    config: { permission: 'realtime.view' },
    schema: {
      tags: statusTags,
      security,
      summary: 'Every agent’s status (realtime view)',
      response: {
        200: z.object({ items: z.array(agentStatusSchema) }),
        ...errorResponses(401, 403),
      },
    },
    handler: async () => ({ items: status.list().map(toWire) }),
  });

  app.post('/agents/status/available', {
    config: { permission: 'realtime.agent_status' },
    schema: {
      tags: statusTags,
      security,
      summary: 'Everyone back to available (ステータスを一斉に待機に戻す)',
      response: { 200: z.object({ changed: z.number().int() }), ...errorResponses(401, 403) },
    },
    handler: async (request) => ({ changed: status.allAvailable(principalOf(request).actor) }),
  });

  app.get('/agents/:id/status', {
    config: { permission: 'realtime.view' },
    schema: {
      tags: statusTags,
      security,
      summary: 'One agent’s status',
      params: idParams,
      response: { 200: agentStatusSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      assertAgent(request.params.id);
      return toWire(status.get(request.params.id));
    },
  });

  app.put('/agents/:id/status', {
    config: { permission: 'realtime.agent_status' },
    schema: {
      tags: statusTags,
      security,
      summary: 'Set an agent’s status (supervisor)',
      params: idParams,
      body: statusChoiceSchema,
      response: { 200: agentStatusSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) => {
      assertAgent(request.params.id);
      return toWire(
        status.choose(request.params.id, selectionOf(request.body), principalOf(request).actor),
      );
    },
  });
};
