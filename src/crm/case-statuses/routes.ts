/** /case-statuses (§8-2 ステータス): the configurable list of case statuses. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/errors.js';
import {
  auditFields,
  idParams,
  security,
  singleLine,
  withAudit,
} from '../../platform/http/schemas.js';
import { BUILT_IN_CASE_STATUSES } from './schema.js';
import type { CaseStatusesService } from './service.js';

const tags = ['case-statuses'];

export const caseStatusSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('名称, e.g. 作業中'),
    position: z.number().int().describe('Display order'),
    builtIn: z
      .enum(BUILT_IN_CASE_STATUSES)
      .nullable()
      .describe('in_progress — 作業中 (a new case’s status), done — 完了; null for added ones'),
    ...auditFields,
  })
  .describe('CaseStatus');

const fields = {
  name: singleLine(64).describe('名称'),
  position: z.number().int().min(0).max(10_000).describe('Display order'),
};

export const caseStatusesRoutes: FastifyPluginAsyncZod<{ statuses: CaseStatusesService }> = async (
  app,
  { statuses },
) => {
  app.get('/case-statuses', {
    config: { permission: 'case_statuses.view' },
    schema: {
      tags,
      security,
      summary: 'Every case status, in display order',
      response: {
        200: z.object({ items: z.array(caseStatusSchema), total: z.number().int() }),
      },
    },
    handler: async () => {
      const items = statuses.list().map(withAudit);
      return { items, total: items.length };
    },
  });

  app.post('/case-statuses', {
    config: { permission: 'case_statuses.update' },
    schema: {
      tags,
      security,
      summary: 'Add a case status',
      description: '409 `name_taken`.',
      body: z.object({ name: fields.name, position: fields.position.optional() }),
      response: { 201: caseStatusSchema, ...errorResponses(409) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(withAudit(statuses.create(request.body, principalOf(request).actor))),
  });

  app.get('/case-statuses/:id', {
    config: { permission: 'case_statuses.view' },
    schema: {
      tags,
      security,
      summary: 'One case status',
      params: idParams,
      response: { 200: caseStatusSchema, ...errorResponses(404) },
    },
    handler: async (request) => withAudit(statuses.get(request.params.id)),
  });

  app.patch('/case-statuses/:id', {
    config: { permission: 'case_statuses.update' },
    schema: {
      tags,
      security,
      summary: 'Rename or reorder a case status (built-in ones too)',
      description: '409 `name_taken`.',
      params: idParams,
      body: z
        .object(fields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: caseStatusSchema, ...errorResponses(404, 409) },
    },
    handler: async (request) =>
      withAudit(statuses.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/case-statuses/:id', {
    config: { permission: 'case_statuses.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a case status',
      description: '409 `built_in` (作業中, 完了), `status_in_use` (some case has it).',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(404, 409) },
    },
    handler: async (request, reply) => {
      statuses.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
