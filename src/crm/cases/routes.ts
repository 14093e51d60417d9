/**
 * /cases (案件, §8-2): search, detail, create, change, soft delete and restore, bulk edit, the
 * CSV download, and the moves through the case's workflow (§11-11/12) with their log. A case of
 * a customer in a business format the caller may not see (CRM権限) answers 404, as if it did not
 * exist.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { principalOf, type Principal } from '../../platform/http/auth.js';
import { errorResponses, unprocessable } from '../../platform/http/errors.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import {
  auditFields,
  id,
  idParams,
  instant,
  isoOf,
  isoOrNull,
  multiLine,
  security,
  singleLine,
  withAudit,
} from '../../platform/http/schemas.js';
import { encodedCsv } from '../../platform/csv-export.js';
import { sendStream } from '../../platform/http/stream-reply.js';
import type { CustomFieldsService } from '../custom-fields/service.js';
import { customCriteria } from '../customers/search.js';
import { parseCustomerId } from '../customers/views.js';
import type { FormatScope } from '../customers/visibility.js';
import { tagIds, tagRefSchema } from '../tags/routes.js';
import { MAX_STEP_BUTTONS, type WorkflowMoveRow } from '../workflows/schema.js';
import { caseCsvLines } from './export.js';
import type { CaseFilter } from './search.js';
import type { CasesService } from './service.js';
import { parseCaseId, type CaseView } from './views.js';

const tags = ['cases'];

export const caseSchema = z
  .object({
    id: z.number().int(),
    displayId: z.string().describe('ID as shown: #T<id>'),
    title: z.string().describe('題名'),
    statusId: z.number().int().describe('ステータス'),
    statusName: z.string(),
    customer: z
      .object({ id: z.number().int(), displayId: z.string(), name: z.string() })
      .nullable()
      .describe('顧客'),
    assigneeId: z.number().int().nullable().describe('担当'),
    assigneeName: z.string().nullable(),
    details: z.string().describe('詳細'),
    notes: z.string().describe('注記'),
    custom: z.record(z.string(), z.string()).describe('Case custom field values by field id'),
    tags: z.array(tagRefSchema),
    workflowId: z.number().int().nullable().describe('ワークフロー'),
    workflowName: z.string().nullable(),
    stepId: z
      .number()
      .int()
      .nullable()
      .describe('The current step; null at the end of the workflow'),
    stepName: z.string().nullable(),
    stepEnteredAt: instant.nullable().describe('When the case entered its current step'),
    deletedAt: instant.nullable(),
    deletedBy: z.string().nullable(),
    ...auditFields,
  })
  .describe('Case');

const toCase = (c: CaseView) => {
  const { customerId: _customerId, ...rest } = c;
  return {
    ...withAudit(rest),
    stepEnteredAt: isoOrNull(c.stepEnteredAt),
    deletedAt: isoOrNull(c.deletedAt),
  };
};

const moveSchema = z
  .object({
    id: z.number().int(),
    caseId: z.number().int(),
    workflowId: z.number().int(),
    fromStepId: z.number().int().nullable().describe('The step left; null on entering'),
    fromStepName: z.string().nullable(),
    fromEnteredAt: instant.nullable().describe('When the case had entered the step it left'),
    button: z.number().int().nullable().describe('The button pressed (1–4); null without one'),
    buttonLabel: z.string().nullable(),
    toStepId: z.number().int().nullable().describe('The step entered; null at the end'),
    toStepName: z.string().nullable(),
    at: instant,
    by: z.string().describe('Who moved it'),
  })
  .describe('WorkflowMove');

const toMove = (m: WorkflowMoveRow) => ({
  ...m,
  fromEnteredAt: isoOrNull(m.fromEnteredAt),
  at: isoOf(m.at),
});

const CUSTOM_KEY = /^custom\.([1-9][0-9]{0,9})$/;

const recordId = (parse: (v: string) => number | undefined, message: string) =>
  z
    .string()
    .max(20)
    .transform((v, ctx) => {
      const n = parse(v);
      if (n === undefined) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });

const filterFields = {
  id: recordId(parseCaseId, 'must be #T<id> or <id>').optional().describe('ID: #T12 or 12'),
  ids: z
    .string()
    .regex(/^[1-9][0-9]{0,14}(,[1-9][0-9]{0,14}){0,499}$/, {
      error: 'comma-separated ids, at most 500',
    })
    .transform((v) => v.split(',').map(Number))
    .optional()
    .describe('These cases only (checked rows), comma-separated'),
  title: z.string().min(1).max(200).optional().describe('Part of the title (題名)'),
  statusId: id().optional().describe('ステータス'),
  tagId: id().optional().describe('タグ'),
  customerId: recordId(parseCustomerId, 'must be #C<id> or <id>')
    .optional()
    .describe('顧客連動検索: the cases of this customer (#C12 or 12)'),
  customerName: z.string().min(1).max(200).optional().describe('顧客: part of the customer’s name'),
  assigneeId: id().optional().describe('担当'),
  assignedToMe: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('担当 = 自分 (the caller)'),
  unassigned: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Cases with no assignee'),
  details: z.string().min(1).max(200).optional().describe('Part of the details (詳細)'),
  notes: z.string().min(1).max(200).optional().describe('Part of the notes (注記)'),
  workflowId: id().optional().describe('ワークフロー'),
  stepId: id().optional().describe('The current step'),
  createdFrom: instant.optional().describe('Registered at or after'),
  createdTo: instant.optional().describe('Registered before'),
  updatedFrom: instant.optional().describe('Updated at or after'),
  updatedTo: instant.optional().describe('Updated before'),
  includeDeleted: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Deleted cases too'),
};

const customPairs = z
  .string()
  .max(200)
  .describe('custom.<id>=value: the detailed search by a case custom field');

const onlyCustomKeys = (query: Record<string, unknown>, ctx: z.RefinementCtx) => {
  for (const key of Object.keys(query))
    if (
      !(key in filterFields) &&
      !['limit', 'offset', 'encoding'].includes(key) &&
      !CUSTOM_KEY.test(key)
    )
      ctx.addIssue({ code: 'custom', path: [key], message: 'unknown search criterion' });
};

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

const customBody = z
  .record(z.string().regex(/^[1-9][0-9]{0,9}$/), z.union([singleLine(1000), z.null()]))
  .describe('Case custom field values by custom-field id; null clears one');

const caseFields = {
  title: singleLine(200).describe('題名'),
  statusId: z.number().int().positive().optional().describe('ステータス; 作業中 when absent'),
  customerId: z.number().int().positive().nullable().optional().describe('顧客'),
  assigneeId: z.number().int().positive().nullable().optional().describe('担当'),
  details: multiLine(20_000).optional().describe('詳細'),
  notes: multiLine(20_000).optional().describe('注記'),
  custom: customBody.optional(),
  tagIds: tagIds.optional(),
  workflowId: z
    .number()
    .int()
    .positive()
    .nullable()
    .optional()
    .describe('ワークフロー: a new one starts at its first step (logged); null takes it away'),
};

const saveErrors =
  '422 `invalid_values` (`details`: one `{field, name?, problem, message}` per bad value), ' +
  '`unknown_status`, `unknown_customer` (none, deleted, or in a format hidden from the caller), ' +
  '`unknown_agent`, `unknown_tags`, `unknown_workflow`, `workflow_has_no_steps`.';

export const casesRoutes: FastifyPluginAsyncZod<{
  db: Db;
  cases: CasesService;
  customFields: CustomFieldsService;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { db, cases, customFields, scopeOf }) => {
  function filterOf(
    query: Record<string, unknown> & CaseFilterQuery,
    principal: Principal,
  ): CaseFilter {
    const pairs: [number, string][] = [];
    for (const [key, value] of Object.entries(query)) {
      const m = CUSTOM_KEY.exec(key);
      if (m?.[1] !== undefined && typeof value === 'string') pairs.push([Number(m[1]), value]);
    }
    const { criteria, unknown } = customCriteria(customFields.ofCategory('case'), pairs);
    if (unknown.length > 0)
      throw unprocessable('unknown_custom_field', `No case custom fields ${unknown.join(', ')}`, {
        customFieldIds: unknown,
      });
    const date = (v: string | undefined) => (v === undefined ? undefined : new Date(v));
    // An API key is no agent: "assigned to me" finds nothing for it.
    const me = principal.kind === 'agent' ? principal.id : 0;
    return {
      id: query.id,
      ids: query.ids,
      title: query.title,
      statusId: query.statusId,
      tagId: query.tagId,
      customerId: query.customerId,
      customerName: query.customerName,
      assigneeId: query.assignedToMe ? me : query.assigneeId,
      unassigned: query.unassigned,
      details: query.details,
      notes: query.notes,
      workflowId: query.workflowId,
      stepId: query.stepId,
      custom: criteria,
      createdFrom: date(query.createdFrom),
      createdTo: date(query.createdTo),
      updatedFrom: date(query.updatedFrom),
      updatedTo: date(query.updatedTo),
      includeDeleted: query.includeDeleted,
    };
  }

  app.get('/cases', {
    config: { permission: 'cases.view' },
    schema: {
      tags,
      security,
      summary: 'Search cases (案件), newest first',
      description:
        'Criteria combine (AND). `custom.<id>=value` searches a case custom field: a part of a ' +
        'text field, the value of a number, date or list field (422 `unknown_custom_field`).',
      querystring: searchQuery,
      response: { 200: pageOf(caseSchema), ...errorResponses(422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      const { limit, offset } = request.query;
      const page = cases.list(
        { ...filterOf(request.query, principal), limit, offset },
        scopeOf(principal),
      );
      return { items: page.items.map(toCase), total: page.total };
    },
  });

  app.get('/cases/export', {
    config: { permission: 'cases.download' },
    schema: {
      tags,
      security,
      summary: 'Download the cases of a search as CSV (ダウンロード)',
      description:
        'The criteria of GET /cases (`ids` for checked rows), in ID order, streamed. Columns: ' +
        'the core fields, then the case custom fields. Cells a spreadsheet would run as ' +
        'formulas are neutralised.',
      querystring: exportQuery,
      response: {
        200: {
          content: {
            'text/csv': {
              schema: z.string().describe('CSV (UTF-8 with BOM, or Shift_JIS), streamed'),
            },
          },
        },
        ...errorResponses(422),
      },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      const filter = filterOf(request.query, principal);
      const columns = customFields.ofCategory('case').map((f) => ({ id: f.id, name: f.name }));
      const encoding = request.query.encoding;
      reply.header('content-disposition', 'attachment; filename="cases.csv"');
      return sendStream(
        reply,
        `text/csv; charset=${encoding === 'utf8' ? 'utf-8' : 'shift_jis'}`,
        Readable.from(encodedCsv(caseCsvLines(db, filter, scopeOf(principal), columns), encoding)),
      );
    },
  });

  app.post('/cases', {
    config: { permission: 'cases.update' },
    schema: {
      tags,
      security,
      summary: 'Create a case',
      description: saveErrors,
      body: z.object(caseFields),
      response: { 201: caseSchema, ...errorResponses(422) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      return reply
        .status(201)
        .send(toCase(cases.create(request.body, scopeOf(principal), principal.actor)));
    },
  });

  app.post('/cases/bulk-edit', {
    config: { permission: 'cases.bulk_edit' },
    schema: {
      tags,
      security,
      summary: 'Change checked cases at once (一括編集): all of them, or none',
      description:
        'Status, assignee, custom fields, workflow; tags are added and removed. 422 ' +
        '`bulk_edit_refused`: `details` lists each case that could not be changed ' +
        '(`{id, displayId, code, message, details?}`) and none was changed.',
      body: z.object({
        ids: z.array(z.number().int().positive()).min(1).max(500),
        set: z
          .object({
            statusId: z.number().int().positive().optional(),
            assigneeId: z.number().int().positive().nullable().optional(),
            custom: customBody.optional(),
            addTags: tagIds.optional(),
            removeTags: tagIds.optional(),
            workflowId: z.number().int().positive().nullable().optional(),
          })
          .strict()
          .refine((s) => Object.keys(s).length > 0, { error: 'nothing to change' }),
      }),
      response: { 200: z.object({ updated: z.number().int() }), ...errorResponses(422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return cases.bulkEdit(
        request.body.ids,
        request.body.set,
        scopeOf(principal),
        principal.actor,
      );
    },
  });

  app.get('/cases/:id', {
    config: { permission: 'cases.view' },
    schema: {
      tags,
      security,
      summary: 'One case (deleted ones too)',
      params: idParams,
      response: { 200: caseSchema, ...errorResponses(404) },
    },
    handler: async (request) => toCase(cases.get(request.params.id, scopeOf(principalOf(request)))),
  });

  app.patch('/cases/:id', {
    config: { permission: 'cases.update' },
    schema: {
      tags,
      security,
      summary: 'Change a case',
      description:
        'Given `custom` values replace those keys (null clears one); given `tagIds` replace the ' +
        'list. 409 `case_deleted`. ' +
        saveErrors,
      params: idParams,
      body: z
        .object(caseFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: caseSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return toCase(
        cases.update(request.params.id, request.body, scopeOf(principal), principal.actor),
      );
    },
  });

  app.delete('/cases/:id', {
    config: { permission: 'cases.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a case (kept, hidden from searches)',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(404) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      cases.remove(request.params.id, scopeOf(principal), principal.actor);
      return reply.status(204).send();
    },
  });

  app.post('/cases/:id/restore', {
    config: { permission: 'cases.delete' },
    schema: {
      tags,
      security,
      summary: 'Restore a deleted case',
      params: idParams,
      response: { 200: caseSchema, ...errorResponses(404) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return toCase(cases.restore(request.params.id, scopeOf(principal), principal.actor));
    },
  });

  app.post('/cases/:id/workflow-moves', {
    config: { permission: 'cases.update' },
    schema: {
      tags,
      security,
      summary: 'Press a button of the case’s current step: on to its next step, or the end',
      description:
        '`buttonId` is the button’s number (1–4) in the step. With `fromStepId` (the step the ' +
        'caller saw) a case moved on since answers 409 `step_changed` instead of moving twice. ' +
        '409 `no_workflow`, `workflow_ended`, `case_deleted`; 422 `unknown_button`. Logged ' +
        '(GET …/workflow-moves).',
      params: idParams,
      body: z.object({
        buttonId: z.number().int().min(1).max(MAX_STEP_BUTTONS).describe('ボタン1–4'),
        fromStepId: z.number().int().positive().optional(),
      }),
      response: { 200: caseSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return toCase(
        cases.move(
          request.params.id,
          { button: request.body.buttonId, fromStepId: request.body.fromStepId },
          scopeOf(principal),
          principal.actor,
        ),
      );
    },
  });

  app.get('/cases/:id/workflow-moves', {
    config: { permission: 'cases.view' },
    schema: {
      tags,
      security,
      summary: 'The case’s moves through its workflows, oldest first (who, when, which button)',
      params: idParams,
      querystring: pageQuery,
      response: { 200: pageOf(moveSchema), ...errorResponses(404) },
    },
    handler: async (request) => {
      const page = cases.moves(request.params.id, request.query, scopeOf(principalOf(request)));
      return { items: page.items.map(toMove), total: page.total };
    },
  });
};

type CaseFilterQuery = z.infer<z.ZodObject<typeof filterFields>>;
