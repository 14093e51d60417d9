/**
 * /business-formats (業務フォーマット, §11-8): formats with their fields and member agents
 * (CRM権限), and the postal-code auto-fill a customer form asks for.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, type Principal } from '../../platform/http/auth.js';
import { errorResponses, notFound } from '../../platform/http/errors.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import { auditFields, id, security, singleLine, withAudit } from '../../platform/http/schemas.js';
import { inScope, type FormatScope } from '../customers/visibility.js';
import { FORMAT_FIELD_TYPES } from './field-types.js';
import { BUILT_IN_FORMATS } from './schema.js';
import type { BusinessFormatsService, FormatView } from './service.js';

const tags = ['business-formats'];

export const formatFieldSchema = z
  .object({
    id: z.number().int(),
    position: z.number().int().describe('Place in the フィールド設定 table, from 0'),
    name: z.string().describe('名称'),
    type: z.enum(FORMAT_FIELD_TYPES).describe('属性'),
    required: z.boolean().describe('必須'),
    side: z.enum(['left', 'right']).describe('表示位置 on the customer detail'),
    options: z.array(z.string()).describe('選択項目 (list, radio, checkbox)'),
    postalAutofill: z.boolean().describe('郵便番号 自動入力 ON/OFF (postal_code fields)'),
    postalPrefectureFieldId: z.number().int().nullable().describe('自動入力都道府県'),
    postalCityFieldId: z.number().int().nullable().describe('自動入力市町村'),
    postalStreetFieldId: z.number().int().nullable().describe('自動入力番地等'),
    postalOtherFieldId: z.number().int().nullable().describe('その他の住所欄'),
  })
  .describe('BusinessFormatField');

export const businessFormatSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('業務名称'),
    builtIn: z.enum(BUILT_IN_FORMATS).nullable().describe('Built in (not deletable), or null'),
    fields: z.array(formatFieldSchema),
    agentIds: z.array(z.number().int()).describe('Member agents: who may see its customers'),
    ...auditFields,
  })
  .describe('BusinessFormat');

/** Extra row keys (a field's formatId) are dropped by the response schema. */
const toFormat = (f: FormatView) => withAudit(f);

const option = singleLine(100);
const fieldInput = z.object({
  name: singleLine(64),
  type: z.enum(FORMAT_FIELD_TYPES),
  required: z.boolean().optional(),
  side: z.enum(['left', 'right']).optional(),
  options: z
    .array(option)
    .max(100)
    .optional()
    .describe('選択項目: needed by list, radio and checkbox fields; ignored by the others'),
});
const agentIds = z.array(z.number().int().positive()).max(1000);
const fieldRef = z.number().int().positive().nullable();

const fieldParams = z.object({ id: id(), fieldId: id() });
const formatParams = z.object({ id: id() });

export const businessFormatsRoutes: FastifyPluginAsyncZod<{
  formats: BusinessFormatsService;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { formats, scopeOf }) => {
  app.get('/business-formats', {
    config: { permission: 'business_formats.view' },
    schema: {
      tags,
      security,
      summary: 'List business formats (業務フォーマット)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
      }),
      response: { 200: pageOf(businessFormatSchema) },
    },
    handler: async (request) => {
      const page = formats.list(request.query);
      return { items: page.items.map(toFormat), total: page.total };
    },
  });

  app.post('/business-formats', {
    config: { permission: 'business_formats.update' },
    schema: {
      tags,
      security,
      summary: 'Create a business format, with its fields and member agents',
      description:
        '409 `name_taken` (the format, or two fields, of one name). 422 `options_required` ' +
        '(a choice field without options), `unknown_agents`.',
      body: z.object({
        name: singleLine(64),
        fields: z.array(fieldInput).max(200).optional(),
        agentIds: agentIds.optional(),
      }),
      response: { 201: businessFormatSchema, ...errorResponses(409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(toFormat(formats.create(request.body, principalOf(request).actor))),
  });

  app.get('/business-formats/:id', {
    config: { permission: 'business_formats.view' },
    schema: {
      tags,
      security,
      summary: 'One business format',
      params: formatParams,
      response: { 200: businessFormatSchema, ...errorResponses(404) },
    },
    handler: async (request) => toFormat(formats.get(request.params.id)),
  });

  app.patch('/business-formats/:id', {
    config: { permission: 'business_formats.update' },
    schema: {
      tags,
      security,
      summary: 'Rename a business format',
      description: '409 `name_taken`.',
      params: formatParams,
      body: z.object({ name: singleLine(64) }),
      response: { 200: businessFormatSchema, ...errorResponses(404, 409) },
    },
    handler: async (request) =>
      toFormat(formats.rename(request.params.id, request.body.name, principalOf(request).actor)),
  });

  app.delete('/business-formats/:id', {
    config: { permission: 'business_formats.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a business format',
      description:
        '409 `built_in_format` (デフォルト and the call-list formats), `business_format_in_use` ' +
        'while it has customers (deleted ones included): `details.customers` counts them.',
      params: formatParams,
      response: { 204: z.undefined(), ...errorResponses(404, 409) },
    },
    handler: async (request, reply) => {
      formats.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  app.post('/business-formats/:id/fields', {
    config: { permission: 'business_formats.update' },
    schema: {
      tags,
      security,
      summary: 'Add a field (フィールド設定) at the end of the table',
      description: '409 `name_taken`; 422 `options_required`.',
      params: formatParams,
      body: fieldInput,
      response: { 201: businessFormatSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          toFormat(formats.addField(request.params.id, request.body, principalOf(request).actor)),
        ),
  });

  app.patch('/business-formats/:id/fields/:fieldId', {
    config: { permission: 'business_formats.update' },
    schema: {
      tags,
      security,
      summary: 'Change a field: name, type, required, side, options, place, postal auto-fill',
      description:
        'The postal auto-fill settings (postal_code fields only, else 422 ' +
        '`not_a_postal_code_field`) map to other text fields of the format (422 ' +
        '`invalid_postal_mapping`). 409 `field_in_use`: the type does not change while customers ' +
        'hold values of the field; 409 `option_in_use`: an option customers have chosen stays ' +
        '(`details.customers` counts them). Making a field required applies from each ' +
        "customer's next save.",
      params: fieldParams,
      body: fieldInput
        .partial()
        .extend({
          position: z.number().int().min(0).max(1000).optional(),
          postalAutofill: z.boolean().optional(),
          postalPrefectureFieldId: fieldRef.optional(),
          postalCityFieldId: fieldRef.optional(),
          postalStreetFieldId: fieldRef.optional(),
          postalOtherFieldId: fieldRef.optional(),
        })
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: businessFormatSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) =>
      toFormat(
        formats.updateField(
          request.params.id,
          request.params.fieldId,
          request.body,
          principalOf(request).actor,
        ),
      ),
  });

  app.delete('/business-formats/:id/fields/:fieldId', {
    config: { permission: 'business_formats.update' },
    schema: {
      tags,
      security,
      summary: "Delete a field, and every customer's value of it",
      params: fieldParams,
      response: { 200: businessFormatSchema, ...errorResponses(404) },
    },
    handler: async (request) =>
      toFormat(
        formats.removeField(request.params.id, request.params.fieldId, principalOf(request).actor),
      ),
  });

  app.put('/business-formats/:id/agents', {
    config: { permission: 'business_formats.update' },
    schema: {
      tags,
      security,
      summary: 'Replace the member agents (CRM権限): who may see the format’s customers',
      description: '422 `unknown_agents`.',
      params: formatParams,
      body: z.object({ agentIds }),
      response: { 200: businessFormatSchema, ...errorResponses(404, 422) },
    },
    handler: async (request) =>
      toFormat(
        formats.setAgents(request.params.id, request.body.agentIds, principalOf(request).actor),
      ),
  });

  app.get('/business-formats/:id/postal-fill', {
    config: { permission: 'customers.update' },
    schema: {
      tags,
      security,
      summary: 'What a postal code fills in (郵便番号 自動入力), per registry address',
      description:
        'For a postal_code field of the format: each address of the code, and the values of the ' +
        'mapped fields (keyed by field id). No matches when the field’s auto-fill is OFF or the ' +
        'registry has no such code. A part with no field of its own goes to the other-address ' +
        'field. 422 `not_a_postal_code_field`, `not_a_postal_code`. A format whose customers the ' +
        'caller may not see is 404.',
      params: formatParams,
      querystring: z.object({
        fieldId: id(),
        code: z.string().min(1).max(20).describe('The postal code, e.g. 100-0001'),
      }),
      response: {
        200: z.object({
          postalCode: z.string().describe('The code as 7 digits'),
          matches: z.array(
            z.object({
              address: z.object({ prefecture: z.string(), city: z.string(), street: z.string() }),
              fields: z.record(z.string(), z.string()),
            }),
          ),
        }),
        ...errorResponses(404, 422),
      },
    },
    handler: async (request) => {
      if (!inScope(scopeOf(principalOf(request)), request.params.id))
        throw notFound('Business format');
      return formats.postalFill(request.params.id, request.query.fieldId, request.query.code);
    },
  });
};
