/**
 * /customers (顧客, §8-1): search, detail, create, change, soft delete and restore, bulk edit,
 * the CSV download, the customer's call history; /crm-settings (the duplicate-phone check).
 * Every route sees only the customers of the formats the caller may see (visibility.ts): others
 * answer 404, as if they did not exist.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { historySchema, toHistory } from '../../calls/routes.js';
import type { Db } from '../../platform/db/client.js';
import { principalOf, type Principal } from '../../platform/http/auth.js';
import { errorResponses, unprocessable } from '../../platform/http/errors.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import { sendCsv } from '../../platform/csv-export.js';
import {
  auditFields,
  id,
  idParams,
  instant,
  isoOrNull,
  multiLine,
  security,
  singleLine,
  withAudit,
} from '../../platform/http/schemas.js';
import type { CustomFieldsService } from '../custom-fields/service.js';
import { digitsOf } from '../formats/field-values.js';
import type { BusinessFormatsService } from '../formats/service.js';
import { customerCallHistory } from './call-history.js';
import { customerCsvLines } from './export.js';
import { customCriteria, type CustomerFilter } from './search.js';
import type { CustomersService } from './service.js';
import type { CrmSettingsService } from './settings.js';
import { parseCustomerId, type CustomerView } from './views.js';
import type { FormatScope } from './visibility.js';

const tags = ['customers'];

const fieldValue = z.union([z.string(), z.array(z.string())]);

export const customerSchema = z
  .object({
    id: z.number().int(),
    displayId: z.string().describe('ID as shown: #C<id>'),
    formatId: z.number().int().describe('業務'),
    formatName: z.string(),
    code: z.string().nullable().describe('顧客コード'),
    name: z.string().describe('名称'),
    phones: z.array(z.string()).describe('電話番号, as digits'),
    email: z.string().describe('メール'),
    remarks: z.string().describe('備考'),
    fields: z
      .record(z.string(), fieldValue)
      .describe('The format’s field values by field id (checkbox: the ticked options)'),
    custom: z.record(z.string(), z.string()).describe('Custom field values by custom-field id'),
    tags: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        fontColor: z.string(),
        backgroundColor: z.string(),
      }),
    ),
    deletedAt: instant.nullable(),
    deletedBy: z.string().nullable(),
    ...auditFields,
  })
  .describe('Customer');

const toCustomer = (c: CustomerView) => ({ ...withAudit(c), deletedAt: isoOrNull(c.deletedAt) });

const CUSTOM_KEY = /^custom\.([1-9][0-9]{0,9})$/;

/** The search criteria of the list and the download (custom.<id>=value pairs on top). */
const filterFields = {
  id: z
    .string()
    .max(20)
    .transform((v, ctx) => {
      const n = parseCustomerId(v);
      if (n === undefined) {
        ctx.addIssue({ code: 'custom', message: 'must be #C<id> or <id>' });
        return z.NEVER;
      }
      return n;
    })
    .optional()
    .describe('ID: #C12 or 12'),
  ids: z
    .string()
    .regex(/^[1-9][0-9]{0,14}(,[1-9][0-9]{0,14}){0,499}$/, {
      error: 'comma-separated ids, at most 500',
    })
    .transform((v) => v.split(',').map(Number))
    .optional()
    .describe('These customers only (checked rows), comma-separated'),
  code: z.string().min(1).max(64).optional().describe('顧客コード, exactly'),
  name: z.string().min(1).max(100).optional().describe('Part of the name (名称)'),
  formatId: id().optional().describe('業務'),
  phone: z
    .string()
    .max(40)
    .transform((v) => digitsOf(v))
    .pipe(z.string().regex(/^\+?[0-9]{1,20}$/, { error: 'must be digits (hyphens allowed)' }))
    .optional()
    .describe('電話番号: the number, or its first digits (see phoneMatch)'),
  phoneMatch: z.enum(['prefix', 'exact']).default('prefix'),
  tagId: id().optional().describe('タグ'),
  remarks: z.string().min(1).max(200).optional().describe('Part of the remarks (備考)'),
  createdFrom: instant.optional().describe('Registered at or after'),
  createdTo: instant.optional().describe('Registered before'),
  updatedFrom: instant.optional().describe('Updated at or after'),
  updatedTo: instant.optional().describe('Updated before'),
  includeDeleted: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Deleted customers too'),
};

const customPairs = z
  .string()
  .max(200)
  .describe('custom.<id>=value: the detailed search by a customer custom field');

/** Only `custom.<id>` keys beyond the named criteria. */
const onlyCustomKeys = (query: Record<string, unknown>, ctx: z.RefinementCtx) => {
  for (const key of Object.keys(query))
    if (
      !(key in filterFields) &&
      !['limit', 'offset', 'encoding'].includes(key) &&
      !CUSTOM_KEY.test(key)
    )
      ctx.addIssue({ code: 'custom', path: [key], message: 'unknown search criterion' });
};

/** The search of the list without its page: what a bulk action over a search takes. */
export const customerFilterQuery = z
  .object(filterFields)
  .catchall(customPairs)
  .superRefine(onlyCustomKeys);

const searchQuery = pageQuery
  .extend(filterFields)
  .catchall(customPairs)
  .superRefine(onlyCustomKeys);
const exportQuery = z
  .object({
    ...filterFields,
    encoding: z
      .enum(['utf8', 'shift_jis'])
      .default('utf8')
      .describe('UTF-8 with BOM, or Shift_JIS'),
  })
  .catchall(customPairs)
  .superRefine(onlyCustomKeys);

const rawValue = z.union([multiLine(10_000), z.array(singleLine(100)).max(100), z.null()]);
const fieldsBody = z
  .record(z.string().regex(/^[1-9][0-9]{0,9}$/), rawValue)
  .describe('Format field values by field id; null clears one');
const customBody = z
  .record(z.string().regex(/^[1-9][0-9]{0,9}$/), z.union([singleLine(1000), z.null()]))
  .describe('Custom field values by custom-field id; null clears one');
const tagIds = z.array(z.number().int().positive()).max(100);

const customerFields = {
  formatId: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('業務; the デフォルト format when absent'),
  code: singleLine(64).nullable().optional().describe('顧客コード: unique among live customers'),
  name: singleLine(200),
  phones: z.array(z.string().max(40)).max(20).optional().describe('電話番号 (hyphens allowed)'),
  email: z.string().max(254).optional(),
  remarks: multiLine(10_000).optional(),
  fields: fieldsBody.optional(),
  custom: customBody.optional(),
  tagIds: tagIds.optional(),
};

const saveErrors =
  '422 `invalid_values` (`details`: one `{field, name?, problem, message}` per bad value, e.g. ' +
  '`fields.12` required), `unknown_format`, `unknown_tags`; 409 `phone_taken` (a phone of another ' +
  'live customer, unless the CRM settings allow duplicates; `details` names each holder), ' +
  '`code_taken`.';

export const customersRoutes: FastifyPluginAsyncZod<{
  db: Db;
  customers: CustomersService;
  formats: BusinessFormatsService;
  customFields: CustomFieldsService;
  settings: CrmSettingsService;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { db, customers, formats, customFields, settings, scopeOf }) => {
  const filterOf = (query: Record<string, unknown> & CustomerFilterQuery) =>
    customerFilterOf(customFields, query);

  app.get('/customers', {
    config: { permission: 'customers.view' },
    schema: {
      tags,
      security,
      summary: 'Search customers (顧客), newest first',
      description:
        'Criteria combine (AND). `custom.<id>=value` searches a customer custom field: a part ' +
        'of a text field, the value of a number, date or list field (422 `unknown_custom_field`). ' +
        'Only the customers of the formats the caller may see (CRM権限).',
      querystring: searchQuery,
      response: { 200: pageOf(customerSchema), ...errorResponses(422) },
    },
    handler: async (request) => {
      const { limit, offset } = request.query;
      const page = customers.list(
        { ...filterOf(request.query), limit, offset },
        scopeOf(principalOf(request)),
      );
      return { items: page.items.map(toCustomer), total: page.total };
    },
  });

  app.get('/customers/export', {
    config: { permission: 'customers.download' },
    schema: {
      tags,
      security,
      summary: 'Download the customers of a search as CSV (ダウンロード)',
      description:
        'The criteria of GET /customers (`ids` for checked rows), in ID order, streamed. ' +
        'Columns: the core fields, the fields of the format when `formatId` names one, the ' +
        'customer custom fields. Cells a spreadsheet would run as formulas are neutralised.',
      querystring: exportQuery,
      response: {
        200: {
          content: {
            'text/csv': {
              schema: z.string().describe('CSV (UTF-8 with BOM, or Shift_JIS), streamed'),
            },
          },
        },
        ...errorResponses(404, 422),
      },
    },
    handler: async (request, reply) => {
      const filter = filterOf(request.query);
      const scope = scopeOf(principalOf(request));
      const formatFields =
        filter.formatId === undefined
          ? []
          : formats.get(filter.formatId).fields.map((f) => ({ id: f.id, name: f.name }));
      const columns = {
        formatFields,
        customFields: customFields.ofCategory('customer').map((f) => ({ id: f.id, name: f.name })),
      };
      return sendCsv(
        reply,
        'customers.csv',
        request.query.encoding,
        customerCsvLines(db, filter, scope, columns),
      );
    },
  });

  app.post('/customers', {
    config: { permission: 'customers.update' },
    schema: {
      tags,
      security,
      summary: 'Create a customer',
      description: saveErrors,
      body: z.object(customerFields),
      response: { 201: customerSchema, ...errorResponses(409, 422) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      return reply
        .status(201)
        .send(toCustomer(customers.create(request.body, scopeOf(principal), principal.actor)));
    },
  });

  app.post('/customers/bulk-edit', {
    config: { permission: 'customers.bulk_edit' },
    schema: {
      tags,
      security,
      summary: 'Change checked customers at once (一括編集): all of them, or none',
      description:
        '`formatFields` apply to each customer’s own format; tags are added and removed. ' +
        '422 `bulk_edit_refused`: `details` lists each customer that could not be changed ' +
        '(`{id, displayId, code, message, details?}`) and none was changed.',
      body: z.object({
        ids: z.array(z.number().int().positive()).min(1).max(500),
        set: z
          .object({
            formatFields: fieldsBody.optional(),
            custom: customBody.optional(),
            remarks: multiLine(10_000).optional(),
            addTags: tagIds.optional(),
            removeTags: tagIds.optional(),
          })
          .strict()
          .refine((s) => Object.keys(s).length > 0, { error: 'nothing to change' }),
      }),
      response: { 200: z.object({ updated: z.number().int() }), ...errorResponses(422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return customers.bulkEdit(
        request.body.ids,
        request.body.set,
        scopeOf(principal),
        principal.actor,
      );
    },
  });

  app.get('/customers/:id', {
    config: { permission: 'customers.view' },
    schema: {
      tags,
      security,
      summary: 'One customer (deleted ones too)',
      params: idParams,
      response: { 200: customerSchema, ...errorResponses(404) },
    },
    handler: async (request) =>
      toCustomer(customers.get(request.params.id, scopeOf(principalOf(request)))),
  });

  app.patch('/customers/:id', {
    config: { permission: 'customers.update' },
    schema: {
      tags,
      security,
      summary: 'Change a customer',
      description:
        'Given `fields` / `custom` values replace those keys (null clears one); a new format ' +
        'drops the old format’s values. Given `phones` and `tagIds` replace the lists. ' +
        saveErrors,
      params: idParams,
      body: z
        .object(customerFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: customerSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return toCustomer(
        customers.update(request.params.id, request.body, scopeOf(principal), principal.actor),
      );
    },
  });

  app.delete('/customers/:id', {
    config: { permission: 'customers.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a customer (kept, hidden, its phones out of the caller lookup)',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(404) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      customers.remove(request.params.id, scopeOf(principal), principal.actor);
      return reply.status(204).send();
    },
  });

  app.post('/customers/:id/restore', {
    config: { permission: 'customers.delete' },
    schema: {
      tags,
      security,
      summary: 'Restore a deleted customer',
      description:
        '409 `phone_taken` / `code_taken` when a live customer has taken its phone or code since.',
      params: idParams,
      response: { 200: customerSchema, ...errorResponses(404, 409) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return toCustomer(customers.restore(request.params.id, scopeOf(principal), principal.actor));
    },
  });

  app.get('/customers/:id/call-history', {
    config: { permission: 'customer_call_history.view' },
    schema: {
      tags,
      security,
      summary: 'The customer’s calls (通話履歴 tab), newest first',
      description:
        'Calls of the call history from or to any of the customer’s numbers (phone list and ' +
        'phone fields). Everyone’s calls with the customer, whoever took them.',
      params: idParams,
      querystring: pageQuery,
      response: { 200: pageOf(historySchema), ...errorResponses(404) },
    },
    handler: async (request) => {
      customers.get(request.params.id, scopeOf(principalOf(request)));
      const page = customerCallHistory(db, request.params.id, request.query);
      return { items: page.items.map(toHistory), total: page.total };
    },
  });

  const settingsSchema = z
    .object({
      allowDuplicatePhones: z
        .boolean()
        .describe('電話番号の重複を許可する: live customers may share a phone number'),
      updatedAt: instant.nullable(),
      updatedBy: z.string().nullable(),
    })
    .describe('CrmSettings');
  const toSettings = (s: ReturnType<CrmSettingsService['get']>) => ({
    ...s,
    updatedAt: isoOrNull(s.updatedAt),
  });

  app.get('/crm-settings', {
    config: { permission: 'customers.view' },
    schema: {
      tags,
      security,
      summary: 'The CRM settings (the duplicate-phone check)',
      response: { 200: settingsSchema },
    },
    handler: async () => toSettings(settings.get()),
  });

  app.put('/crm-settings', {
    config: { permission: 'business_formats.update' },
    schema: {
      tags,
      security,
      summary: 'Change the CRM settings',
      body: z.object({ allowDuplicatePhones: z.boolean() }),
      response: { 200: settingsSchema },
    },
    handler: async (request) =>
      toSettings(settings.update(request.body, principalOf(request).actor)),
  });
};

type CustomerFilterQuery = z.infer<z.ZodObject<typeof filterFields>>;

/**
 * The query's criteria, the custom.<id> pairs read by their fields' types (the autodial's
 * 一括して自動発信に登録 reads the same search).
 */
export function customerFilterOf(
  customFields: CustomFieldsService,
  query: Record<string, unknown> & CustomerFilterQuery,
): CustomerFilter {
  const pairs: [number, string][] = [];
  for (const [key, value] of Object.entries(query)) {
    const m = CUSTOM_KEY.exec(key);
    if (m?.[1] !== undefined && typeof value === 'string') pairs.push([Number(m[1]), value]);
  }
  const { criteria, unknown } = customCriteria(customFields.ofCategory('customer'), pairs);
  if (unknown.length > 0)
    throw unprocessable('unknown_custom_field', `No customer custom fields ${unknown.join(', ')}`, {
      customFieldIds: unknown,
    });
  const date = (v: string | undefined) => (v === undefined ? undefined : new Date(v));
  return {
    id: query.id,
    ids: query.ids,
    code: query.code,
    name: query.name,
    formatId: query.formatId,
    phone: query.phone,
    phoneMatch: query.phoneMatch,
    tagId: query.tagId,
    remarks: query.remarks,
    custom: criteria,
    createdFrom: date(query.createdFrom),
    createdTo: date(query.createdTo),
    updatedFrom: date(query.updatedFrom),
    updatedTo: date(query.updatedTo),
    includeDeleted: query.includeDeleted,
  };
}
