/** /custom-fields (カスタムフィールド, §11-9): fields every customer or case has, for the search too. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/errors.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import {
  auditFields,
  idParams,
  security,
  singleLine,
  withAudit,
} from '../../platform/http/schemas.js';
import { CUSTOM_FIELD_TYPES } from '../formats/field-types.js';
import { CUSTOM_FIELD_CATEGORIES } from './schema.js';
import type { CustomFieldsService } from './service.js';

const tags = ['custom-fields'];

export const customFieldSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('名称'),
    category: z.enum(CUSTOM_FIELD_CATEGORIES).describe('カテゴリ: customer = 顧客, case = 案件'),
    type: z.enum(CUSTOM_FIELD_TYPES).describe('区分'),
    options: z.array(z.string()).describe('選択項目 (list fields)'),
    position: z.number().int().describe('Display order within the category'),
    ...auditFields,
  })
  .describe('CustomField');

const fields = {
  name: singleLine(64),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(singleLine(100)).max(100).describe('選択項目: needed by list fields'),
  position: z.number().int().min(0).max(1000),
};

export const customFieldsRoutes: FastifyPluginAsyncZod<{
  customFields: CustomFieldsService;
}> = async (app, { customFields }) => {
  app.get('/custom-fields', {
    config: { permission: 'custom_fields.view' },
    schema: {
      tags,
      security,
      summary: 'List custom fields (カスタムフィールド)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
        category: z.enum(CUSTOM_FIELD_CATEGORIES).optional().describe('カテゴリ'),
      }),
      response: { 200: pageOf(customFieldSchema) },
    },
    handler: async (request) => {
      const page = customFields.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });

  app.post('/custom-fields', {
    config: { permission: 'custom_fields.update' },
    schema: {
      tags,
      security,
      summary: 'Create a custom field',
      description: '409 `name_taken` (within the category); 422 `options_required`.',
      body: z.object({
        ...fields,
        category: z.enum(CUSTOM_FIELD_CATEGORIES),
        options: fields.options.optional(),
        position: fields.position.optional(),
      }),
      response: { 201: customFieldSchema, ...errorResponses(409, 422) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(withAudit(customFields.create(request.body, principalOf(request).actor))),
  });

  app.get('/custom-fields/:id', {
    config: { permission: 'custom_fields.view' },
    schema: {
      tags,
      security,
      summary: 'One custom field',
      params: idParams,
      response: { 200: customFieldSchema, ...errorResponses(404) },
    },
    handler: async (request) => withAudit(customFields.get(request.params.id)),
  });

  app.patch('/custom-fields/:id', {
    config: { permission: 'custom_fields.update' },
    schema: {
      tags,
      security,
      summary: 'Change a custom field (the category stays)',
      description:
        '409 `name_taken`; 409 `field_in_use` (a new type while customers hold values) and ' +
        '`option_in_use` (an option customers have chosen), `details.customers` counting them; ' +
        '422 `options_required`.',
      params: idParams,
      body: z
        .object(fields)
        .partial()
        .strict()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: customFieldSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) =>
      withAudit(customFields.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/custom-fields/:id', {
    config: { permission: 'custom_fields.delete' },
    schema: {
      tags,
      security,
      summary: "Delete a custom field and every customer's value of it",
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(404) },
    },
    handler: async (request, reply) => {
      customFields.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
