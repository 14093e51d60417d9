/**
 * /tags (タグ, §10-10): list (search by 題名 and 詳細), create, read, change and delete tags
 * (tags.view / .update / .delete). Deleting a tag takes it off every record.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/errors.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import {
  auditFields,
  idParams,
  multiLine,
  security,
  singleLine,
  withAudit,
} from '../../platform/http/schemas.js';
import type { TagsService } from './service.js';

const openapiTags = ['tags'];

/** A colour as the screens write it: `#rrggbb`. */
export const hexColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour written #rrggbb' })
  .transform((v) => v.toLowerCase());

export const tagSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('題名'),
    details: z.string().describe('詳細'),
    fontColor: z.string().describe('色 (文字): #rrggbb'),
    backgroundColor: z.string().describe('色 (背景): #rrggbb'),
    ...auditFields,
  })
  .describe('Tag');

/** How a tag shows on a tagged record (customer, case, FAQ entry). */
export const tagRefSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('題名'),
    fontColor: z.string(),
    backgroundColor: z.string(),
  })
  .describe('TagRef');

/** The tag ids a tagged record is given: each a positive id, up to 100. */
export const tagIds = z
  .array(z.number().int().positive())
  .max(100)
  .describe('タグ: tag ids; an unknown id is refused (422 `unknown_tags`)');

const fields = {
  name: singleLine(64).describe('題名'),
  details: multiLine(2000).describe('詳細'),
  fontColor: hexColor.describe('色 (文字): #rrggbb (default #ffffff)'),
  backgroundColor: hexColor.describe('色 (背景): #rrggbb (default #0505fc)'),
};

export const tagsRoutes: FastifyPluginAsyncZod<{ tags: TagsService }> = async (app, { tags }) => {
  app.get('/tags', {
    config: { permission: 'tags.view' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'List and search tags',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('題名: part of the name'),
        q: z
          .string()
          .min(1)
          .max(200)
          .optional()
          .describe('詳細 (free word): part of the name or of the details'),
      }),
      response: { 200: pageOf(tagSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = tags.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });

  app.post('/tags', {
    config: { permission: 'tags.update' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'Create a tag',
      description: '409 `name_taken`.',
      body: z.object({
        name: fields.name,
        details: fields.details.optional(),
        fontColor: fields.fontColor.optional(),
        backgroundColor: fields.backgroundColor.optional(),
      }),
      response: { 201: tagSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(withAudit(tags.create(request.body, principalOf(request).actor))),
  });

  app.get('/tags/:id', {
    config: { permission: 'tags.view' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'One tag',
      params: idParams,
      response: { 200: tagSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => withAudit(tags.get(request.params.id)),
  });

  app.patch('/tags/:id', {
    config: { permission: 'tags.update' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'Change a tag',
      description: '409 `name_taken`.',
      params: idParams,
      body: z
        .object(fields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: tagSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) =>
      withAudit(tags.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/tags/:id', {
    config: { permission: 'tags.delete' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'Delete a tag',
      description: 'Takes the tag off every customer, case and FAQ entry that carries it.',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      tags.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
