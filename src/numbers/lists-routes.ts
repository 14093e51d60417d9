/**
 * /blocked-numbers (着信拒否, §10-11), /outbound-restrictions (発信規制, §10-12, with CSV upload)
 * and /external-transfers (外線転送, §11-7).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { csvImportQuery, headerOption, importReportSchema, readCsv } from '../platform/csv.js';
import { acceptCsvBodies } from '../platform/http/csv-body.js';
import { principalOf } from '../platform/http/auth.js';
import { badRequest, errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import type { BlockedNumbersService } from './blocked-numbers-service.js';
import { extensionDigits, isPhoneNumber, noteText, phoneDigits } from './digits.js';
import type { ExternalTransfersService } from './external-transfers-service.js';
import type { OutboundRestrictionsService } from './outbound-restrictions-service.js';
import {
  auditFields,
  idParams,
  security,
  singleLine,
  withAudit,
} from '../platform/http/schemas.js';

const idsBody = z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) });

export interface ListsRoutesOptions {
  blocked: BlockedNumbersService;
  restrictions: OutboundRestrictionsService;
  externalTransfers: ExternalTransfersService;
}

export const listsRoutes: FastifyPluginAsyncZod<ListsRoutesOptions> = async (
  app,
  { blocked, restrictions, externalTransfers },
) => {
  acceptCsvBodies(app);

  // --- blocked numbers ---
  const blockedSchema = z
    .object({ id: z.number().int(), number: z.string(), note: z.string(), ...auditFields })
    .describe('BlockedNumber');
  const blockedTags = ['blocked-numbers'];

  app.get('/blocked-numbers', {
    config: { permission: 'blocked_numbers.view' },
    schema: {
      tags: blockedTags,
      security,
      summary: 'List blocked callers',
      querystring: pageQuery.extend({
        number: z.string().min(1).max(20).optional(),
        note: z.string().min(1).max(64).optional(),
      }),
      response: { 200: pageOf(blockedSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = blocked.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });
  app.post('/blocked-numbers', {
    config: { permission: 'blocked_numbers.update' },
    schema: {
      tags: blockedTags,
      security,
      summary: 'Block a caller: their calls are refused before routing',
      body: z.object({ number: phoneDigits, note: noteText.optional() }),
      response: { 201: blockedSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(withAudit(blocked.create(request.body, principalOf(request).actor))),
  });
  app.patch('/blocked-numbers/:id', {
    config: { permission: 'blocked_numbers.update' },
    schema: {
      tags: blockedTags,
      security,
      summary: 'Change a blocked caller',
      params: idParams,
      body: z.object({ number: phoneDigits.optional(), note: noteText.optional() }),
      response: { 200: blockedSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) =>
      withAudit(blocked.update(request.params.id, request.body, principalOf(request).actor)),
  });
  app.post('/blocked-numbers/bulk-delete', {
    config: { permission: 'blocked_numbers.bulk_delete' },
    schema: {
      tags: blockedTags,
      security,
      summary: 'Unblock several callers at once (一括削除)',
      body: idsBody,
      response: { 200: z.object({ deleted: z.number().int() }), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => ({ deleted: blocked.removeMany(request.body.ids) }),
  });

  // --- outbound restrictions ---
  const restrictionSchema = z
    .object({
      id: z.number().int(),
      number: z.string(),
      callerNumber: z.string().nullable(),
      note: z.string(),
      ...auditFields,
    })
    .describe('OutboundRestriction');
  const restrictionTags = ['outbound-restrictions'];

  app.get('/outbound-restrictions', {
    config: { permission: 'outbound_restrictions.view' },
    schema: {
      tags: restrictionTags,
      security,
      summary: 'List restricted destinations',
      querystring: pageQuery.extend({
        number: z.string().min(1).max(20).optional(),
        callerNumber: z.string().min(1).max(20).optional(),
        note: z.string().min(1).max(64).optional(),
      }),
      response: { 200: pageOf(restrictionSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = restrictions.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });
  app.post('/outbound-restrictions', {
    config: { permission: 'outbound_restrictions.update' },
    schema: {
      tags: restrictionTags,
      security,
      summary: 'Restrict a destination (for every caller ID, or only one)',
      body: z.object({
        number: phoneDigits,
        callerNumber: phoneDigits.nullable().optional(),
        note: noteText.optional(),
      }),
      response: { 201: restrictionSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(withAudit(restrictions.create(request.body, principalOf(request).actor))),
  });
  app.patch('/outbound-restrictions/:id', {
    config: { permission: 'outbound_restrictions.update' },
    schema: {
      tags: restrictionTags,
      security,
      summary: 'Change a restriction',
      params: idParams,
      body: z.object({
        number: phoneDigits.optional(),
        callerNumber: phoneDigits.nullable().optional(),
        note: noteText.optional(),
      }),
      response: { 200: restrictionSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) =>
      withAudit(restrictions.update(request.params.id, request.body, principalOf(request).actor)),
  });
  app.post('/outbound-restrictions/bulk-delete', {
    config: { permission: 'outbound_restrictions.bulk_delete' },
    schema: {
      tags: restrictionTags,
      security,
      summary: 'Delete several restrictions at once (一括削除)',
      body: idsBody,
      response: { 200: z.object({ deleted: z.number().int() }), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => ({ deleted: restrictions.removeMany(request.body.ids) }),
  });
  app.post('/outbound-restrictions/import', {
    config: { permission: 'outbound_restrictions.upload' },
    schema: {
      tags: restrictionTags,
      security,
      summary: 'Upload restrictions from a CSV file (アップロード)',
      description:
        'Send the file as the body with Content-Type text/csv (at most 5 MB, UTF-8 or Shift_JIS). Columns: ' +
        'number, caller number (empty = every caller ID), note. Every bad row is reported; the good rows ' +
        'are applied together or not at all.',
      querystring: csvImportQuery,
      response: { 200: importReportSchema, ...errorResponses(400, 401, 403, 413, 415) },
    },
    handler: async (request) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw badRequest('empty_file', 'Send the CSV file as the body (text/csv)');
      const read = await readCsv(body, {
        encoding: request.query.encoding,
        // A first row whose number column holds no number is its column names.
        header: headerOption(request.query.header, (cells) => !isPhoneNumber(cells[0] ?? '')),
        delimiter: request.query.delimiter,
      });
      return restrictions.importRows(read, principalOf(request).actor);
    },
  });

  // --- external transfers ---
  const transferSchema = z
    .object({
      id: z.number().int(),
      name: z.string(),
      number: z.string().describe('外線転送番号'),
      callerNumber: z.string().nullable().describe('発信者番号'),
      useCalledNumber: z
        .boolean()
        .describe('着信番号を発番に利用: present the called number as caller ID'),
      extension: z.string().nullable().describe('内線'),
      ...auditFields,
    })
    .describe('ExternalTransfer');
  const transferTags = ['external-transfers'];
  const transferFields = {
    name: singleLine(64),
    number: phoneDigits,
    callerNumber: phoneDigits.nullable().optional(),
    useCalledNumber: z.boolean().optional(),
    extension: extensionDigits.nullable().optional(),
  };

  app.get('/external-transfers', {
    config: { permission: 'external_transfers.view' },
    schema: {
      tags: transferTags,
      security,
      summary: 'List external transfer targets',
      querystring: pageQuery,
      response: { 200: pageOf(transferSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = externalTransfers.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });
  app.post('/external-transfers', {
    config: { permission: 'external_transfers.update' },
    schema: {
      tags: transferTags,
      security,
      summary: 'Add an external transfer target',
      body: z.object(transferFields),
      response: { 201: transferSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(withAudit(externalTransfers.create(request.body, principalOf(request).actor))),
  });
  app.get('/external-transfers/:id', {
    config: { permission: 'external_transfers.view' },
    schema: {
      tags: transferTags,
      security,
      summary: 'One external transfer target',
      params: idParams,
      response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => withAudit(externalTransfers.get(request.params.id)),
  });
  app.patch('/external-transfers/:id', {
    config: { permission: 'external_transfers.update' },
    schema: {
      tags: transferTags,
      security,
      summary: 'Change an external transfer target',
      params: idParams,
      body: z
        .object(transferFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: transferSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) =>
      withAudit(
        externalTransfers.update(request.params.id, request.body, principalOf(request).actor),
      ),
  });
  app.delete('/external-transfers/:id', {
    config: { permission: 'external_transfers.delete' },
    schema: {
      tags: transferTags,
      security,
      summary: 'Delete an external transfer target no number routes to',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      externalTransfers.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
