/**
 * /faqs (FAQ, §8-3): list and search (題名, 詳細 free word, tag), create, read, change and delete
 * FAQ entries (faqs.view / .update / .delete).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/errors.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import {
  auditFields,
  id,
  idParams,
  multiLine,
  security,
  singleLine,
  withAudit,
} from '../../platform/http/schemas.js';
import { tagIds, tagRefSchema } from '../tags/routes.js';
import type { FaqsService } from './service.js';

const openapiTags = ['faqs'];

export const faqSchema = z
  .object({
    id: z.number().int(),
    title: z.string().describe('題名'),
    details: z.string().describe('詳細'),
    tags: z.array(tagRefSchema).describe('タグ, by name'),
    ...auditFields,
  })
  .describe('Faq');

const fields = {
  title: singleLine(200).describe('題名'),
  details: multiLine(20000).describe('詳細'),
  tagIds,
};

const searchText = (what: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      `${what}: terms separated by spaces, each must occur (as a substring). Terms of 3 or more ` +
        'characters use the trigram full-text index; 1–2 character terms are matched by a scan.',
    );

export const faqsRoutes: FastifyPluginAsyncZod<{ faqs: FaqsService }> = async (app, { faqs }) => {
  app.get('/faqs', {
    config: { permission: 'faqs.view' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'List and search FAQ entries',
      description: 'Newest entry first.',
      querystring: pageQuery.extend({
        title: searchText('題名: in the title'),
        q: searchText('詳細 (free word): in the title or the details'),
        tagId: id().optional().describe('タグ: only entries with this tag'),
      }),
      response: { 200: pageOf(faqSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = faqs.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });

  app.post('/faqs', {
    config: { permission: 'faqs.update' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'Create a FAQ entry',
      description: '422 `unknown_tags` (details.unknownIds).',
      body: z.object({
        title: fields.title,
        details: fields.details.optional(),
        tagIds: fields.tagIds.optional(),
      }),
      response: { 201: faqSchema, ...errorResponses(400, 401, 403, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(withAudit(faqs.create(request.body, principalOf(request).actor))),
  });

  app.get('/faqs/:id', {
    config: { permission: 'faqs.view' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'One FAQ entry',
      params: idParams,
      response: { 200: faqSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => withAudit(faqs.get(request.params.id)),
  });

  app.patch('/faqs/:id', {
    config: { permission: 'faqs.update' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'Change a FAQ entry',
      description: 'Given tagIds replace the tags as a whole. 422 `unknown_tags`.',
      params: idParams,
      body: z
        .object(fields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: faqSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      withAudit(faqs.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/faqs/:id', {
    config: { permission: 'faqs.delete' },
    schema: {
      tags: openapiTags,
      security,
      summary: 'Delete a FAQ entry',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      faqs.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
