/**
 * GET /customers/forms: what a customer form is made of, for whoever may see customers. An agent
 * edits the customers of the formats whose member checklist names them (CRM権限, §11-1), so the
 * detail must lay out those formats' fields by their left/right positions and show the customer
 * custom fields (§11-9) — without business_formats.view or custom_fields.view, which are the
 * administration screens' and would show every format, its members and edit history.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, type Principal } from '../../platform/http/auth.js';
import { security } from '../../platform/http/schemas.js';
import { CUSTOM_FIELD_TYPES } from '../formats/field-types.js';
import { formatFieldSchema } from '../formats/routes.js';
import { BUILT_IN_FORMATS } from '../formats/schema.js';
import type { BusinessFormatsService } from '../formats/service.js';
import type { CustomFieldsService } from '../custom-fields/service.js';
import { inScope, type FormatScope } from './visibility.js';

/** Formats are few (a tenant's lines of business); every one is read to filter by scope. */
const ALL_FORMATS_PAGE = { limit: 10_000, offset: 0 };

const customerFormSchema = z
  .object({
    formats: z
      .array(
        z.object({
          id: z.number().int(),
          name: z.string().describe('業務名称'),
          builtIn: z.enum(BUILT_IN_FORMATS).nullable(),
          fields: z.array(formatFieldSchema).describe('In フィールド設定 order'),
        }),
      )
      .describe('The formats whose customers the caller may see, by id'),
    customFields: z
      .array(
        z.object({
          id: z.number().int(),
          name: z.string(),
          type: z.enum(CUSTOM_FIELD_TYPES),
          options: z.array(z.string()),
          position: z.number().int(),
        }),
      )
      .describe('The customer custom fields, in display order'),
  })
  .describe('CustomerForms');

export const customerFormsRoutes: FastifyPluginAsyncZod<{
  formats: BusinessFormatsService;
  customFields: CustomFieldsService;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { formats, customFields, scopeOf }) => {
  app.get('/customers/forms', {
    config: { permission: 'customers.view' },
    schema: {
      tags: ['customers'],
      security,
      summary:
        'The business formats (with their fields) and custom fields of the caller’s customers',
      description:
        'For the customer screens of an agent who lacks business_formats.view: only the formats ' +
        'the caller is a member of (all of them for a format administrator), without members ' +
        'or audit fields.',
      response: { 200: customerFormSchema },
    },
    handler: async (request) => {
      const scope = scopeOf(principalOf(request));
      return {
        formats: formats
          .list(ALL_FORMATS_PAGE)
          .items.filter((f) => inScope(scope, f.id))
          .map((f) => ({
            id: f.id,
            name: f.name,
            builtIn: f.builtIn,
            fields: [...f.fields].sort((a, b) => a.position - b.position),
          })),
        customFields: customFields.ofCategory('customer'),
      };
    },
  });
};
