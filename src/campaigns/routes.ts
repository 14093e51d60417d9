/**
 * /campaigns (キャンペーン, §10-8): the campaigns with every setting, their results and members
 * (campaigns.view / .update / .delete), ON / OFF on its own, and each member's status for one
 * campaign (the campaign status tag): set by the agent (status.campaign_update) or by a
 * supervisor (campaigns.update). /me/campaigns lists the logged-in agent's tags.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agentOf, principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { id, idParams, security } from '../platform/http/schemas.js';
import {
  campaignCreateSchema,
  campaignMembersBody,
  campaignSchema,
  campaignStatusBody,
  campaignUpdateSchema,
  createDescription,
  memberSchema,
  myCampaignSchema,
  pauseBody,
  summarySchema,
  toCampaign,
  toMember,
  toMyCampaign,
  toSummary,
  updateDescription,
} from './dto.js';
import type { CampaignsService } from './service.js';

const tags = ['campaigns'];
const memberParams = z.object({ id: id(), agentId: id() });
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const pauseDescription =
  'Paused here, the agent is not rung by this campaign and still is by the others and by ' +
  'groups. 404 when the agent is not a member; 422 `unknown_status`. Choosing a status for ' +
  'everything (the white tag, PUT /me/status) ends these pauses.';

export const campaignsRoutes: FastifyPluginAsyncZod<{ campaigns: CampaignsService }> = async (
  app,
  { campaigns },
) => {
  app.get('/campaigns', {
    config: { permission: 'campaigns.view' },
    schema: {
      tags,
      security,
      summary: 'List campaigns (キャンペーン一覧: ID, 名称, ステータス, 色, 更新)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('名称: part of the name'),
        agentId: id().optional().describe('エージェント: the campaigns this agent is a member of'),
        enabled: flag.optional().describe('ステータス: true ON, false OFF'),
      }),
      response: { 200: pageOf(summarySchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = campaigns.list(request.query);
      return { items: page.items.map(toSummary), total: page.total };
    },
  });

  app.post('/campaigns', {
    config: { permission: 'campaigns.update' },
    schema: {
      tags,
      security,
      summary: 'Create a campaign (+ 新規)',
      description: createDescription,
      body: campaignCreateSchema,
      response: { 201: campaignSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(toCampaign(campaigns.create(request.body, principalOf(request).actor))),
  });

  app.get('/campaigns/:id', {
    config: { permission: 'campaigns.view' },
    schema: {
      tags,
      security,
      summary: 'One campaign with its results and members',
      params: idParams,
      response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toCampaign(campaigns.get(request.params.id)),
  });

  app.patch('/campaigns/:id', {
    config: { permission: 'campaigns.update' },
    schema: {
      tags,
      security,
      summary: 'Change a campaign (更新)',
      description: updateDescription,
      params: idParams,
      body: campaignUpdateSchema,
      response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toCampaign(campaigns.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.put('/campaigns/:id/status', {
    config: { permission: 'campaigns.update' },
    schema: {
      tags,
      security,
      summary: 'Switch a campaign ON or OFF (ステータス)',
      description:
        'OFF stops new dialling: calls in progress finish. 422 `caller_id_required` when ' +
        'turning ON a campaign without a 発信者番号.',
      params: idParams,
      body: campaignStatusBody,
      response: { 200: campaignSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toCampaign(
        campaigns.setEnabled(request.params.id, request.body.enabled, principalOf(request).actor),
      ),
  });

  app.put('/campaigns/:id/members', {
    config: { permission: 'campaigns.update' },
    schema: {
      tags,
      security,
      summary: 'Set the members (the agent checklist: 名称 / 内線)',
      description:
        'Members who stay keep their status for the campaign; those added take part at once. ' +
        '422 `unknown_agent` / `duplicate_member`.',
      params: idParams,
      body: campaignMembersBody,
      response: {
        200: z.object({ items: z.array(memberSchema) }),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    },
    handler: async (request) => ({
      items: campaigns
        .setMembers(request.params.id, request.body.agentIds, principalOf(request).actor)
        .map(toMember),
    }),
  });

  app.put('/campaigns/:id/members/:agentId/pause', {
    config: { permission: 'campaigns.update' },
    schema: {
      tags,
      security,
      summary: 'Pause or resume a member in this campaign only (supervisors)',
      description: pauseDescription,
      params: memberParams,
      body: pauseBody,
      response: { 200: memberSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toMember(
        campaigns.setMemberPause(request.params.id, request.params.agentId, {
          paused: request.body.paused,
          statusId: request.body.statusId ?? null,
        }),
      ),
  });

  app.delete('/campaigns/:id', {
    config: { permission: 'campaigns.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a campaign with its results, members and entries',
      description: '409 `campaign_busy` while it has calls in progress.',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      campaigns.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  app.get('/me/campaigns', {
    config: { permission: 'authenticated', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'My campaigns (the campaign status tags at the top of the screen)',
      description:
        'The campaigns the logged-in agent is a member of, with their colours (色), whether ' +
        'they are ON, and whether the agent is paused in each.',
      response: {
        200: z.object({ items: z.array(myCampaignSchema) }),
        ...errorResponses(401, 403),
      },
    },
    handler: async (request) => ({
      items: campaigns.campaignsOf(agentOf(request).id).map(toMyCampaign),
    }),
  });

  app.put('/me/campaigns/:id/pause', {
    config: { permission: 'status.campaign_update', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'Pause or resume myself in this campaign only (キャンペーンステータス更新)',
      description: pauseDescription,
      params: idParams,
      body: pauseBody,
      response: { 200: memberSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toMember(
        campaigns.setMemberPause(request.params.id, agentOf(request).id, {
          paused: request.body.paused,
          statusId: request.body.statusId ?? null,
        }),
      ),
  });
};
