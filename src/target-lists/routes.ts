/**
 * /target-lists (発信先リスト, MiiTel B): the lists, their targets (upload, bulk actions,
 * download) and autocall's dialling order. A manager (target_lists.update) sees every list; an
 * operator with target_lists.view sees only the lists and targets assigned to them (B.8).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ImportEngine } from '../imports/engine.js';
import { csvLine, sendCsv } from '../platform/csv-export.js';
import { principalOf, type Principal } from '../platform/http/auth.js';
import { acceptCsvBodies } from '../platform/http/csv-body.js';
import { badRequest, errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import {
  auditFields,
  id,
  idParams,
  instant,
  security,
  singleLine,
  withAudit,
} from '../platform/http/schemas.js';
import type { TargetListsService, TargetView, TargetViewer } from './service.js';
import { CALLABLE, EXCLUDED, TARGET_COLUMNS } from './target-rows.js';

const tags = ['target-lists'];
const MANAGER_PERMISSION = 'target_lists.update';

const person = z.object({ id: z.number().int(), name: z.string() });

const listSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('リスト名'),
    targets: z.number().int().describe('発信先の数 (the viewer’s own when not a manager)'),
    excluded: z.number().int().describe('発信対象外の数'),
    assignees: z.array(person).describe('発信担当者: a list may have several'),
    ...auditFields,
  })
  .describe('TargetList');

const targetSchema = z
  .object({
    customerId: z.number().int().describe('The contact: a CRM customer of the 発信先 format'),
    displayId: z.string().describe('#C…'),
    company: z.string().describe('取引先会社名'),
    contact: z.string().describe('取引先担当者名'),
    phone: z.string().describe('電話番号 (digits)'),
    categories: z.array(z.string()).describe('カテゴリー'),
    assignee: person.nullable().describe('発信担当者, shared by every list with this target'),
    excluded: z.boolean().describe('発信対象外'),
    position: z.number().int().describe('Dialling order, from the top'),
    lastCall: z
      .object({
        type: z.string().describe('最終通話種別 (the call history’s type)'),
        agent: person.nullable().describe('最終担当者'),
        at: instant.describe('最終通話日時'),
      })
      .nullable()
      .describe('The last call with the number, by anyone'),
  })
  .describe('Target');

const uploadReportSchema = z
  .object({
    total: z.number().int().describe('Data rows in the file'),
    applied: z.number().int(),
    created: z.number().int().describe('Contacts new to the CRM'),
    updated: z.number().int().describe('Contacts overwritten (same phone)'),
    skipped: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), column: z.string(), message: z.string() })),
  })
  .describe('TargetUploadReport');

const customerIds = z
  .array(z.number().int().positive())
  .min(1)
  .max(5000)
  .describe('The ticked targets');

const nameBody = z.object({ name: singleLine(100).describe('リスト名') });

function viewerOf(p: Principal): TargetViewer {
  if (p.permissions.has(MANAGER_PERMISSION)) return { all: true };
  return { all: false, agentId: p.kind === 'agent' ? p.id : null };
}

const targetWire = (t: TargetView) => ({
  ...t,
  lastCall: t.lastCall === null ? null : { ...t.lastCall, at: t.lastCall.at.toISOString() },
});

/** B.6: the file an upload reads back: the four columns of B.3, then ours. */
function* targetCsvLines(targets: readonly TargetView[], loginOf: Map<number, string>) {
  yield csvLine(Object.values(TARGET_COLUMNS));
  for (const t of targets)
    yield csvLine([
      t.company,
      t.contact,
      t.phone,
      t.categories.join('|'),
      t.assignee === null ? '' : (loginOf.get(t.assignee.id) ?? ''),
      t.excluded ? EXCLUDED : CALLABLE,
    ]);
}

export const targetListsRoutes: FastifyPluginAsyncZod<{
  targetLists: TargetListsService;
  imports: ImportEngine;
}> = async (app, { targetLists, imports }) => {
  acceptCsvBodies(app);

  app.get('/target-lists', {
    config: { permission: 'target_lists.view' },
    schema: {
      tags,
      security,
      summary: 'The call-target lists (発信先リスト)',
      description:
        'An operator who does not manage lists sees only those with targets assigned to them.',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(100).optional().describe('Part of the list name'),
      }),
      response: { 200: pageOf(listSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = targetLists.list(request.query, viewerOf(principalOf(request)));
      return { items: page.items.map(withAudit), total: page.total };
    },
  });

  app.post('/target-lists', {
    config: { permission: 'target_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Create an empty call-target list (新規作成)',
      body: nameBody,
      response: { 201: listSchema, ...errorResponses(400, 401, 403) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(withAudit(targetLists.create(request.body.name, principalOf(request).actor))),
  });

  app.get('/target-lists/:id', {
    config: { permission: 'target_lists.view' },
    schema: {
      tags,
      security,
      summary: 'One call-target list',
      params: idParams,
      response: { 200: listSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) =>
      withAudit(targetLists.get(request.params.id, viewerOf(principalOf(request)))),
  });

  app.patch('/target-lists/:id', {
    config: { permission: 'target_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Rename a call-target list',
      params: idParams,
      body: nameBody,
      response: { 200: listSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) =>
      withAudit(
        targetLists.rename(request.params.id, request.body.name, principalOf(request).actor),
      ),
  });

  app.delete('/target-lists/:id', {
    config: { permission: 'target_lists.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a call-target list (削除)',
      description: 'Its targets leave with it; the contacts stay in the CRM.',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      targetLists.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  app.get('/target-lists/:id/targets', {
    config: { permission: 'target_lists.view' },
    schema: {
      tags,
      security,
      summary: 'The targets of a list, from the top, with the last call with each',
      params: idParams,
      querystring: pageQuery.extend({
        excluded: z
          .enum(['hide', 'show', 'only'])
          .default('hide')
          .describe('発信対象外を表示: hide (default), show, or only the excluded'),
        category: z.string().min(1).max(200).optional().describe('カテゴリー: one category'),
        assigneeId: id().optional().describe('発信担当者 (managers; an operator sees their own)'),
        q: z.string().min(1).max(100).optional().describe('Part of a name or of the phone'),
      }),
      response: { 200: pageOf(targetSchema), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      const { id: listId } = request.params;
      const page = targetLists.targets(listId, request.query, viewerOf(principalOf(request)));
      return { items: page.items.map(targetWire), total: page.total };
    },
  });

  app.post('/target-lists/:id/targets', {
    config: { permission: 'target_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Add targets from a call-target CSV (発信先を追加)',
      description:
        'The file is the body (text/csv, at most IMPORT_MAX_BYTES, UTF-8 with or without BOM or ' +
        'Shift_JIS), read by the `targets` importer of /imports and answered with its report at ' +
        'once (POST /imports?kind=targets&targetListId=… runs it as a job). ' +
        'The header row is required: 取引先会社名, 取引先担当者名, 電話番号, カテゴリー (any order; ' +
        '発信担当者 (login ID) and 発信対象 (対象/対象外) too, as downloads write them). A phone ' +
        'already in the list overwrites its target; a phone of a contact overwrites the contact; ' +
        'a phone twice in the file is an error on its second row. Every bad row is reported ' +
        '(`N行目: …`, column: the header of its column) and skipped; the good ones apply ' +
        'together. 422 `bad_header`, ' +
        '`too_many_targets` (over TARGET_LIST_MAX_TARGETS, default 5,000), `unknown_agent`.',
      params: idParams,
      querystring: z.object({
        encoding: z.enum(['auto', 'utf8', 'shift_jis']).default('auto'),
        delimiter: z.enum([',', '\t']).default(','),
        assigneeId: id().optional().describe('発信担当者 of the rows that name none'),
      }),
      response: { 200: uploadReportSchema, ...errorResponses(400, 401, 403, 404, 413, 415, 422) },
    },
    handler: async (request) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw badRequest('empty_file', 'Send the CSV file as the body (text/csv)');
      const { encoding, delimiter, assigneeId } = request.query;
      // The import engine's targets importer, answered at once rather than as a job.
      const result = await imports.applyNow(
        'targets',
        body,
        { encoding, delimiter, header: 'true' },
        {
          targetListId: String(request.params.id),
          assigneeId: assigneeId === undefined ? undefined : String(assigneeId),
        },
        principalOf(request),
      );
      const labelOf = (column: number | null) => {
        const key = column === null ? undefined : result.mapping[column - 1];
        return result.fields.find((f) => f.key === key)?.label ?? '';
      };
      const applied = result.inserted + result.updated + result.unchanged;
      return {
        total: result.total,
        applied,
        created: result.inserted,
        updated: result.updated + result.unchanged,
        skipped: result.skipped,
        errors: result.problems.map((p) => ({
          row: p.row,
          column: labelOf(p.column),
          message: p.message,
        })),
      };
    },
  });

  app.post('/target-lists/:id/targets/bulk', {
    config: { permission: 'target_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Act on the ticked targets (操作)',
      description:
        'assign: 発信担当者を変更 (null clears it; the assignee is the contact’s, in every list); ' +
        'exclude / include: 発信対象外にする / 発信対象にする; remove: 削除 from this list only ' +
        '(the contact stays). All or nothing: 422 `not_in_list` names ids not in the list.',
      params: idParams,
      body: z.discriminatedUnion('action', [
        z.object({
          action: z.literal('assign'),
          customerIds: customerIds,
          assigneeId: z.number().int().positive().nullable(),
        }),
        z.object({
          action: z.enum(['exclude', 'include', 'remove']),
          customerIds: customerIds,
        }),
      ]),
      response: {
        200: z.object({ updated: z.number().int() }),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    },
    handler: async (request) => {
      const { customerIds, ...action } = request.body;
      return targetLists.bulk(request.params.id, customerIds, action, principalOf(request).actor);
    },
  });

  app.get('/target-lists/:id/export', {
    config: { permission: 'target_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Download the list as CSV (CSV ファイルの作成)',
      description:
        'The columns of the upload, every target in order; 文字コード by choice. Cells a ' +
        'spreadsheet would run as formulas are neutralised; leading zeros stay.',
      params: idParams,
      querystring: z.object({ encoding: z.enum(['utf8', 'shift_jis']).default('utf8') }),
      response: {
        200: {
          content: {
            'text/csv': { schema: z.string().describe('CSV (UTF-8 with BOM, or Shift_JIS)') },
          },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: async (request, reply) => {
      const targets = targetLists.allTargets(request.params.id);
      const { encoding } = request.query;
      return sendCsv(
        reply,
        'targets.csv',
        encoding,
        targetCsvLines(targets, targetLists.loginIds()),
      );
    },
  });

  app.get('/target-lists/:id/dial-order', {
    config: { permission: 'target_lists.view' },
    schema: {
      tags,
      security,
      summary: 'What autocall dials for me, from the top (B.9)',
      description: 'The caller’s own targets of the list that are not 発信対象外, in order.',
      params: idParams,
      response: {
        200: z.object({ items: z.array(targetSchema) }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: async (request) => {
      const p = principalOf(request);
      const agentId = p.kind === 'agent' ? p.id : null;
      const items =
        agentId === null ? [] : targetLists.dialOrder(request.params.id, agentId, viewerOf(p));
      return { items: items.map(targetWire) };
    },
  });
};
