/**
 * /groups (グループ, §11-2) with their members and skill levels, the calls waiting in a group,
 * and /queue-log, the queue event log as JSON or in Asterisk's queue_log text format.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AgentsService } from '../accounts/agents-service.js';
import { agentOf, principalOf } from '../platform/http/auth.js';
import { errorResponses, unprocessable } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import type { Acd } from './acd.js';
import {
  groupCreateSchema,
  groupSchema,
  groupUpdateSchema,
  memberInput,
  memberSchema,
  skillLevel,
  toGroup,
  toMember,
  toWaitingCall,
  waitingCallSchema,
} from './dto.js';
import type { GroupsService } from './groups-service.js';
import { QUEUE_EVENTS } from './model.js';
import { queueLogLine, type QueueLogCursor } from './queue-log.js';
import type { QueueEvent } from './model.js';
import type { ReadPool } from '../platform/db/read-pool.js';
import { id, idParams, instant, jsonOrText, security } from '../platform/http/schemas.js';
import { sendStream } from '../platform/http/stream-reply.js';
import type { AppReadPrograms } from '../read-programs.js';

const tags = ['groups'];
const memberParams = z.object({
  id: id(),
  agentId: id(),
});

/** The longest range one /queue-log request may cover. */
const MAX_LOG_DAYS = 92;

export interface QueuesRoutesOptions {
  groups: GroupsService;
  acd: Acd;
  reads: ReadPool<AppReadPrograms>;
  agents: AgentsService;
}

/** Events per page of an export: each page is one read, written out before the next. */
const EXPORT_PAGE = 5000;

export const queuesRoutes: FastifyPluginAsyncZod<QueuesRoutesOptions> = async (
  app,
  { groups, acd, reads, agents },
) => {
  app.get('/groups', {
    config: { permission: 'groups.view' },
    schema: {
      tags,
      security,
      summary: 'List groups (queues)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
        extension: z.string().min(1).max(8).optional().describe('Part of the extension'),
        agentId: id().optional().describe('Groups with this member'),
      }),
      response: { 200: pageOf(groupSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = groups.list(request.query);
      return { items: page.items.map(toGroup), total: page.total };
    },
  });

  app.post('/groups', {
    config: { permission: 'groups.update' },
    schema: {
      tags,
      security,
      summary: 'Create a group; unset fields take the seed’s defaults (99 / 99 / 300 s / 20 s …)',
      body: groupCreateSchema,
      response: { 201: groupSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(toGroup(groups.create(request.body, principalOf(request).actor))),
  });

  app.get('/groups/:id', {
    config: { permission: 'groups.view' },
    schema: {
      tags,
      security,
      summary: 'One group',
      params: idParams,
      response: { 200: groupSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toGroup(groups.get(request.params.id)),
  });

  app.patch('/groups/:id', {
    config: { permission: 'groups.update' },
    schema: {
      tags,
      security,
      summary: 'Change a group',
      description:
        'Calls already waiting are offered to agents by the new strategy, members and levels at ' +
        'once; they keep the timeout, greeting, music and announcement they entered with. ' +
        '422 `route_loop` for an overflow or timeout to the group itself, or to an IVR that ' +
        'sends calls back to it (`details`: the cycle, `[{kind, id, name}]`).',
      params: idParams,
      body: groupUpdateSchema,
      response: { 200: groupSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toGroup(groups.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/groups/:id', {
    config: { permission: 'groups.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a group (refused while numbers or other groups send calls to it)',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      groups.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  app.get('/groups/:id/members', {
    config: { permission: 'groups.view' },
    schema: {
      tags,
      security,
      summary: 'The members of a group in ring order, with their skill levels',
      params: idParams,
      response: {
        200: z.object({ items: z.array(memberSchema) }),
        ...errorResponses(401, 403, 404),
      },
    },
    handler: async (request) => ({ items: groups.members(request.params.id).map(toMember) }),
  });

  app.put('/groups/:id/members', {
    config: { permission: 'groups.update' },
    schema: {
      tags,
      security,
      summary: 'Replace the member list (the checklist of §11-2); its order is the ring order',
      params: idParams,
      body: z.object({ members: z.array(memberInput).max(1000) }),
      response: {
        200: z.object({ items: z.array(memberSchema) }),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    },
    handler: async (request) => ({
      items: groups.setMembers(request.params.id, request.body.members).map(toMember),
    }),
  });

  app.put('/groups/:id/members/:agentId', {
    config: { permission: 'realtime.skill_level' },
    schema: {
      tags,
      security,
      summary: 'Add an agent to the group or change their skill level (§10-1 スキルレベル)',
      params: memberParams,
      body: z.object({ skillLevel }),
      response: { 200: memberSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toMember(
        groups.putMember(request.params.id, {
          agentId: request.params.agentId,
          skillLevel: request.body.skillLevel,
        }),
      ),
  });

  app.delete('/groups/:id/members/:agentId', {
    config: { permission: 'groups.update' },
    schema: {
      tags,
      security,
      summary: 'Remove an agent from the group',
      params: memberParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      groups.removeMember(request.params.id, request.params.agentId);
      return reply.status(204).send();
    },
  });

  const groupStatusBody = z.object({
    status: z.enum(['available', 'paused']),
    customStatusId: z.number().int().positive().nullable().optional(),
  });
  const groupStatusSummary =
    'Status for this group only (§4-2, the group’s tag): paused here, still offered the other groups’ calls';

  app.get('/me/groups', {
    config: { permission: 'authenticated', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'My groups (the status tags of §2 ①), with my status in each',
      description:
        'The groups the logged-in agent belongs to, in their display order, each with its colours ' +
        'and the agent’s own membership: paused for this group only, and the skill level.',
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.number().int(),
              name: z.string(),
              extension: z.string().nullable(),
              fontColor: z.string(),
              backgroundColor: z.string(),
              membership: memberSchema,
            }),
          ),
        }),
        ...errorResponses(401, 403),
      },
    },
    handler: (request) => {
      const memberships = new Map(groups.groupsOf(agentOf(request).id).map((m) => [m.groupId, m]));
      const items = [];
      for (const group of groups.all()) {
        const membership = memberships.get(group.id);
        if (membership === undefined) continue;
        items.push({
          id: group.id,
          name: group.name,
          extension: group.extension,
          fontColor: group.fontColor,
          backgroundColor: group.backgroundColor,
          membership: toMember(membership),
        });
      }
      return { items };
    },
  });

  app.put('/me/groups/:id/status', {
    config: { permission: 'status.group_update', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: `My ${groupStatusSummary}`,
      description: 'Choosing a status for all groups (PUT /me/status) clears these.',
      params: idParams,
      body: groupStatusBody,
      response: { 200: memberSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toMember(
        groups.setMemberPause(request.params.id, agentOf(request).id, {
          paused: request.body.status === 'paused',
          customStatusId: request.body.customStatusId ?? null,
        }),
      ),
  });

  app.put('/groups/:id/members/:agentId/status', {
    config: { permission: 'realtime.agent_status' },
    schema: {
      tags,
      security,
      summary: `An agent’s ${groupStatusSummary} (supervisors, §10-1)`,
      params: memberParams,
      body: groupStatusBody,
      response: { 200: memberSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toMember(
        groups.setMemberPause(request.params.id, request.params.agentId, {
          paused: request.body.status === 'paused',
          customStatusId: request.body.customStatusId ?? null,
        }),
      ),
  });

  app.get('/groups/:id/waiting-calls', {
    config: { permission: 'realtime.view' },
    schema: {
      tags,
      security,
      summary: 'Calls waiting in the group (応答待機一覧), with position and estimated wait',
      params: idParams,
      response: {
        200: z.object({ items: z.array(waitingCallSchema) }),
        ...errorResponses(401, 403, 404),
      },
    },
    handler: async (request) => {
      groups.get(request.params.id);
      return { items: acd.waiting(request.params.id).map(toWaitingCall) };
    },
  });

  const logEventSchema = z
    .object({
      at: instant,
      callId: z.string(),
      groupId: z.number().int().nullable(),
      agentId: z.number().int().nullable(),
      event: z.enum(QUEUE_EVENTS),
      data: z.array(z.string()),
    })
    .describe('QueueEvent');

  app.get('/queue-log', {
    config: { permission: 'stats.download' },
    schema: {
      tags,
      security,
      summary: 'The queue event log between two instants, as JSON or as Asterisk queue_log text',
      description:
        '`format=queue_log` answers text/plain lines `epoch|callid|queue|agent|EVENT|data…` ' +
        '(queue = the group’s extension or `group-<id>`, agent = `Agent/<extension>`), ' +
        `which tools written for app_queue read. At most ${MAX_LOG_DAYS} days per request.`,
      querystring: z.object({
        from: z.iso.datetime({ offset: true }),
        to: z.iso.datetime({ offset: true }),
        groupId: id().optional(),
        format: z.enum(['json', 'queue_log']).default('json'),
      }),
      response: {
        200: jsonOrText(z.object({ items: z.array(logEventSchema) }), 'text/plain'),
        ...errorResponses(400, 401, 403, 422),
      },
    },
    handler: async (request, reply) => {
      const from = new Date(request.query.from);
      const to = new Date(request.query.to);
      if (!(from < to)) throw unprocessable('invalid_range', '`from` must be before `to`');
      if (to.getTime() - from.getTime() > MAX_LOG_DAYS * 86_400_000)
        throw unprocessable('range_too_long', `At most ${MAX_LOG_DAYS} days per request`);
      const groupIds = request.query.groupId === undefined ? undefined : [request.query.groupId];
      // Page by page off the main thread, written out as they come: an export of months holds
      // one page in memory, not the log.
      async function* pages(): AsyncGenerator<QueueEvent[]> {
        let after: QueueLogCursor | undefined;
        do {
          const page = await reads.run('queueLogPage', {
            from,
            to,
            groupIds,
            after,
            limit: EXPORT_PAGE,
          });
          yield page.events;
          after = page.next ?? undefined;
        } while (after !== undefined);
      }
      if (request.query.format === 'json') {
        async function* json(): AsyncGenerator<string> {
          yield '{"items":[';
          let first = true;
          for await (const events of pages()) {
            for (const e of events) {
              yield `${first ? '' : ','}${JSON.stringify({ ...e, at: e.at.toISOString() })}`;
              first = false;
            }
          }
          yield ']}';
        }
        return sendStream(reply, 'application/json; charset=utf-8', Readable.from(json()));
      }
      const queueNames = new Map<number, string>();
      const agentNames = new Map<number, string>();
      const names = {
        queue: (id: number) => {
          let name = queueNames.get(id);
          if (name === undefined) {
            name = groups.find(id)?.extension ?? `group-${id}`;
            queueNames.set(id, name);
          }
          return name;
        },
        agent: (id: number) => {
          let name = agentNames.get(id);
          if (name === undefined) {
            // The log outlives agents: a deleted one is named by their id.
            name = String(id);
            try {
              const agent = agents.get(id);
              name = agent.extension ?? agent.loginId;
            } catch {
              /* deleted */
            }
            agentNames.set(id, name);
          }
          return `Agent/${name}`;
        },
      };
      async function* lines(): AsyncGenerator<string> {
        for await (const events of pages()) {
          if (events.length > 0) yield events.map((e) => `${queueLogLine(e, names)}\n`).join('');
        }
      }
      return sendStream(reply, 'text/plain; charset=utf-8', Readable.from(lines()));
    },
  });
};
