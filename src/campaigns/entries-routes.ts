/**
 * /campaigns/entries and /campaigns/{id}/entries (自動発信 §10-9): the autodial list — search,
 * detail and edit (自動発信詳細), the reservation buttons, add one (a customer or a bare number),
 * add the customers of a customer search (§8-1 一括して自動発信に登録) or of a MOT call list,
 * bulk edit and delete of ticked entries, and the CSV download. The customer detail's 自動発信
 * tab opens an entry of that customer under /customers/{id}/autodial/{entryId}, with the
 * 自動発信(顧客詳細) permissions.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CustomFieldsService } from '../crm/custom-fields/service.js';
import { customerFilterOf, customerFilterQuery } from '../crm/customers/routes.js';
import type { CustomersService } from '../crm/customers/service.js';
import type { FormatScope } from '../crm/customers/visibility.js';
import type { BusinessFormatsService } from '../crm/formats/service.js';
import { sendCsv } from '../platform/csv-export.js';
import { principalOf, type Principal } from '../platform/http/auth.js';
import { errorResponses, notFound } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { id, idParams, security } from '../platform/http/schemas.js';
import {
  addReportSchema,
  bulkBody,
  entryChange,
  entryDetailSchema,
  entryFilterFields,
  entrySchema,
  patchBody,
  patchOf,
  phoneBody,
  reserveBody,
  toEntry,
} from './entries-schemas.js';
import type { CampaignEntriesService } from './entries-service.js';

const tags = ['autodial'];

const entryErrors =
  '409 `entry_in_call` while the entry is being dialled or in a call; 422 `unknown_result` ' +
  '(not a system result nor one of the campaign’s), `unknown_agent`, `not_an_agent` ("me" from ' +
  'an API key).';

const bulkErrors =
  '422 `bulk_edit_refused`: `details` lists each entry that cannot be changed (`{id, code, ' +
  'message}`: not_found, entry_in_call, unknown_result) and none was changed; 422 `unknown_agent`.';

const customerEntryParams = z.object({ id: id(), entryId: id() });

export const campaignEntriesRoutes: FastifyPluginAsyncZod<{
  entries: CampaignEntriesService;
  customers: CustomersService;
  customFields: CustomFieldsService;
  formats: BusinessFormatsService;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { entries, customers, customFields, formats, scopeOf }) => {
  app.get('/campaigns/entries', {
    config: { permission: 'autodial.view' },
    schema: {
      tags,
      security,
      summary: 'Search the autodial list (自動発信), in the order entries were added',
      description: 'Criteria combine (AND); a list criterion matches any of its values.',
      querystring: pageQuery.extend(entryFilterFields),
      response: { 200: pageOf(entrySchema) },
    },
    handler: async (request) => {
      const page = entries.list(request.query, scopeOf(principalOf(request)));
      return { items: page.items.map(toEntry), total: page.total };
    },
  });

  app.get('/campaigns/entries.csv', {
    config: { permission: 'autodial.download' },
    schema: {
      tags,
      security,
      summary: 'Download the entries of a search as CSV (ダウンロード)',
      description:
        'The criteria of GET /campaigns/entries, in the order entries were added, streamed. ' +
        'With `formatId` (業務) the customer’s fields of that format follow the list’s ' +
        'columns. Times in TIMEZONE; cells a spreadsheet would run as formulas are neutralised.',
      querystring: z.object({
        ...entryFilterFields,
        encoding: z
          .enum(['utf8', 'shift_jis'])
          .default('utf8')
          .describe('UTF-8 with BOM, or Shift_JIS'),
      }),
      response: {
        200: {
          content: {
            'text/csv': {
              schema: z.string().describe('CSV (UTF-8 with BOM, or Shift_JIS), streamed'),
            },
          },
        },
        ...errorResponses(404),
      },
    },
    handler: async (request, reply) => {
      const { encoding, ...filter } = request.query;
      const formatFields =
        filter.formatId === undefined
          ? []
          : formats.get(filter.formatId).fields.map((f) => ({ id: f.id, name: f.name }));
      return sendCsv(
        reply,
        'autodial.csv',
        encoding,
        entries.csvLines(filter, scopeOf(principalOf(request)), { formatFields }),
      );
    },
  });

  app.post('/campaigns/entries/bulk', {
    config: { permission: 'autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Change ticked entries at once (一括編集): all of them, or none',
      description:
        '`set`: result, reservation (null clears), assignee (null clears, "me"), remarks. ' +
        bulkErrors,
      body: bulkBody,
      response: { 200: z.object({ updated: z.number().int() }), ...errorResponses(422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return entries.bulkEdit(
        request.body.ids,
        patchOf(request.body.set, principal),
        principal.actor,
      );
    },
  });

  app.post('/campaigns/entries/bulk-delete', {
    config: { permission: 'autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Delete ticked entries: all of them, or none',
      description:
        '422 `bulk_delete_refused`: `details` lists each entry that cannot be deleted ' +
        '(not_found, entry_in_call) and none was deleted.',
      body: z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
      response: { 200: z.object({ deleted: z.number().int() }), ...errorResponses(422) },
    },
    handler: async (request) => entries.bulkRemove(request.body.ids),
  });

  app.get('/campaigns/entries/:id', {
    config: { permission: 'autodial.view' },
    schema: {
      tags,
      security,
      summary: 'One entry (自動発信詳細), with its result buttons',
      params: idParams,
      response: { 200: entryDetailSchema, ...errorResponses(404) },
    },
    handler: async (request) =>
      toEntry(entries.get(request.params.id, scopeOf(principalOf(request)))),
  });

  app.patch('/campaigns/entries/:id', {
    config: { permission: 'autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Change an entry: result, reservation, assignee (自分を設定: "me"), remarks',
      description: entryErrors,
      params: idParams,
      body: patchBody,
      response: { 200: entryDetailSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return toEntry(
        entries.update(
          request.params.id,
          patchOf(request.body, principal),
          scopeOf(principal),
          principal.actor,
        ),
      );
    },
  });

  app.post('/campaigns/entries/:id/reserve', {
    config: { permission: 'autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Reserve the entry: 10分後 / 1時間後 / 1日後, or at a time',
      description:
        'The reservation is counted from now; the result goes back to 発信待機中. 409 ' +
        '`entry_in_call`; 422 `reservation_in_past`.',
      params: idParams,
      body: reserveBody,
      response: { 200: entryDetailSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const body = request.body;
      return toEntry(
        entries.reserve(
          request.params.id,
          'at' in body ? { at: new Date(body.at) } : { in: body.in },
          scopeOf(principal),
          principal.actor,
        ),
      );
    },
  });

  app.delete('/campaigns/entries/:id', {
    config: { permission: 'autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Delete an entry',
      description: '409 `entry_in_call` while it is being dialled or in a call.',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(404, 409) },
    },
    handler: async (request, reply) => {
      entries.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  app.post('/campaigns/:id/entries', {
    config: { permission: 'autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Add an entry: a CRM customer (its first phone) or a bare number',
      description:
        'An outbound-restricted number is added too (the dialer gives it 発信規制). 404 no ' +
        'such campaign; 409 `already_waiting` (the customer waits in the campaign already); ' +
        '422 `unknown_customer`, `no_phone`, `phone_required`, `unknown_agent`.',
      params: idParams,
      body: z
        .object({
          customerId: z.number().int().positive().optional().describe('顧客'),
          phone: phoneBody.optional().describe('A bare number, or another number of the customer'),
          reservedAt: entryChange.reservedAt,
          assigneeId: entryChange.assigneeId,
          remarks: entryChange.remarks,
        })
        .strict()
        .refine((b) => b.customerId !== undefined || b.phone !== undefined, {
          error: 'a customerId or a phone',
        }),
      response: { 201: entryDetailSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const { customerId, phone, remarks } = request.body;
      const change = patchOf(request.body, principal);
      const entry = entries.add(
        request.params.id,
        {
          customerId,
          phone,
          remarks,
          reservedAt: change.reservedAt,
          assigneeId: change.assigneeId,
        },
        scopeOf(principal),
        principal.actor,
      );
      return reply.status(201).send(toEntry(entry));
    },
  });

  app.post('/campaigns/:id/entries/from-customers', {
    config: { permission: 'customers.new_autodial' },
    schema: {
      tags,
      security,
      summary: 'Add the customers of a search (一括して自動発信に登録)',
      description:
        'The query is the search of GET /customers (`ids` for ticked rows); every customer it ' +
        'finds that the caller may see is added with its first phone, except customers with no ' +
        'phone and customers already waiting in the campaign (counted in `skipped`). All in one ' +
        'transaction. 404 no such campaign; 422 `too_many_customers`, `unknown_custom_field`.',
      params: idParams,
      querystring: customerFilterQuery,
      response: { 200: addReportSchema, ...errorResponses(404, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return entries.addFromCustomers(
        request.params.id,
        customerFilterOf(customFields, request.query),
        scopeOf(principal),
        principal.actor,
      );
    },
  });

  app.post('/campaigns/:id/entries/from-call-list', {
    config: { permission: 'autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Add the customers of a MOT call list, in its order',
      description:
        'Customers with no phone and customers already waiting in the campaign are skipped ' +
        '(counted). 404 no such campaign; 422 `unknown_call_list`.',
      params: idParams,
      body: z.object({ callListId: z.number().int().positive() }),
      response: { 200: addReportSchema, ...errorResponses(404, 422) },
    },
    handler: async (request) =>
      entries.addFromCallList(
        request.params.id,
        request.body.callListId,
        principalOf(request).actor,
      ),
  });

  /** The customer's own entry (404 otherwise), for the customer detail's 自動発信 tab. */
  function customerEntry(customerId: number, entryId: number, principal: Principal) {
    const scopeOfCaller = scopeOf(principal);
    customers.get(customerId, scopeOfCaller);
    const entry = entries.get(entryId, scopeOfCaller);
    if (entry.customer?.id !== customerId) throw notFound('Autodial entry');
    return scopeOfCaller;
  }

  app.get('/customers/:id/autodial/:entryId', {
    config: { permission: 'customer_autodial.view' },
    schema: {
      tags,
      security,
      summary: 'One of the customer’s entries (自動発信詳細 from the customer detail)',
      params: customerEntryParams,
      response: { 200: entryDetailSchema, ...errorResponses(404) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const { id: customerId, entryId } = request.params;
      return toEntry(entries.get(entryId, customerEntry(customerId, entryId, principal)));
    },
  });

  app.patch('/customers/:id/autodial/:entryId', {
    config: { permission: 'customer_autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Change one of the customer’s entries (result, reservation, assignee, remarks)',
      description: entryErrors,
      params: customerEntryParams,
      body: patchBody,
      response: { 200: entryDetailSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const { id: customerId, entryId } = request.params;
      const visible = customerEntry(customerId, entryId, principal);
      return toEntry(
        entries.update(entryId, patchOf(request.body, principal), visible, principal.actor),
      );
    },
  });

  app.post('/customers/:id/autodial/:entryId/reserve', {
    config: { permission: 'customer_autodial.update' },
    schema: {
      tags,
      security,
      summary: 'Reserve one of the customer’s entries: 10分後 / 1時間後 / 1日後, or at a time',
      description: '409 `entry_in_call`; 422 `reservation_in_past`.',
      params: customerEntryParams,
      body: reserveBody,
      response: { 200: entryDetailSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const { id: customerId, entryId } = request.params;
      const visible = customerEntry(customerId, entryId, principal);
      const body = request.body;
      return toEntry(
        entries.reserve(
          entryId,
          'at' in body ? { at: new Date(body.at) } : { in: body.in },
          visible,
          principal.actor,
        ),
      );
    },
  });
};
