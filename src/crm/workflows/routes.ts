/**
 * /workflows (ワークフロー, §11-11) with their steps (ワークフローステップ, §11-12), and
 * /stats/workflows (ワークフロー統計, §10-6). A case moves through a workflow by the buttons of its
 * steps: POST /cases/{id}/workflow-moves (the cases routes).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeCsv } from '../../platform/csv.js';
import { principalOf, requirePermission } from '../../platform/http/auth.js';
import { errorResponses, unprocessable } from '../../platform/http/errors.js';
import { pageOf, pageQuery } from '../../platform/http/pagination.js';
import {
  auditFields,
  id,
  idParams,
  jsonOrText,
  multiLine,
  security,
  singleLine,
  withAudit,
} from '../../platform/http/schemas.js';
import { hexColor } from '../tags/routes.js';
import { MAX_STEP_BUTTONS, type WorkflowStepRow } from './schema.js';
import type { WorkflowsService, WorkflowView } from './service.js';
import type { StepFigures } from './statistics.js';

const tags = ['workflows'];

const buttonSchema = z.object({
  label: z.string().describe('ボタン: the label, e.g. 次へ'),
  nextStepId: z
    .number()
    .int()
    .nullable()
    .describe('次のステップ: a step of the same workflow; null — 未設定/終了 (the end)'),
});

export const stepSchema = z
  .object({
    id: z.number().int(),
    workflowId: z.number().int(),
    name: z.string().describe('名称'),
    details: z.string().describe('詳細: what to do in the step'),
    audioFileId: z.number().int().nullable().describe('音声ファイル'),
    color: z.string().describe('色: #rrggbb'),
    buttons: z.array(buttonSchema).describe('ボタン1–4, in order: button n is buttons[n-1]'),
    ...auditFields,
  })
  .describe('WorkflowStep');

export const workflowSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('ワークフロー名称'),
    firstStepId: z.number().int().nullable().describe('最初のステップ'),
    firstStepName: z.string().nullable(),
    steps: z.array(stepSchema),
    ...auditFields,
  })
  .describe('Workflow');

const toStep = (s: WorkflowStepRow) => withAudit(s);
const toWorkflow = (w: WorkflowView) => ({ ...withAudit(w), steps: w.steps.map(toStep) });

const stepFields = {
  name: singleLine(64).describe('名称'),
  details: multiLine(10_000).describe('詳細'),
  audioFileId: z.number().int().positive().nullable().describe('音声ファイル; null for none'),
  color: hexColor.describe('色: #rrggbb (default #56afe8)'),
  buttons: z
    .array(
      z.object({
        label: singleLine(32).describe('ボタン'),
        nextStepId: z.number().int().positive().nullable().describe('次のステップ; null — 終了'),
      }),
    )
    .max(MAX_STEP_BUTTONS, { error: `at most ${MAX_STEP_BUTTONS} buttons` })
    .describe('ボタン1–4 with their next steps (a step of this workflow, or null for the end)'),
};

const stepParams = z.object({ id: id(), stepId: id() });

const stepErrors =
  '409 `name_taken` (within the workflow); 422 `unknown_step` (a next step of another workflow ' +
  'or none), `unknown_audio_file`.';

const figures = {
  count: z.number().int().describe('件数'),
  averageSeconds: z.number().int().nullable().describe('平均時間 (s): 時間合計 / 件数'),
  maxSeconds: z.number().int().nullable().describe('最大時間 (s)'),
  minSeconds: z.number().int().nullable().describe('最小時間 (s)'),
  totalSeconds: z.number().int().describe('時間合計 (s)'),
};

const statisticsSchema = z
  .object({
    workflowId: z.number().int(),
    workflowName: z.string(),
    from: z.string(),
    to: z.string(),
    rows: z.array(z.object({ stepId: z.number().int(), stepName: z.string(), ...figures })),
    total: z.object(figures).describe('合計'),
  })
  .describe('WorkflowStatistics');

const cell = (v: number | null) => (v === null ? '-' : v);
const figureCells = (f: StepFigures) => [
  f.count,
  cell(f.averageSeconds),
  cell(f.maxSeconds),
  cell(f.minSeconds),
  f.totalSeconds,
];

export const workflowsRoutes: FastifyPluginAsyncZod<{ workflows: WorkflowsService }> = async (
  app,
  { workflows },
) => {
  app.get('/workflows', {
    config: { permission: 'workflows.view' },
    schema: {
      tags,
      security,
      summary: 'List workflows (名称, 最初のステップ, 更新), by name',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
      }),
      response: { 200: pageOf(workflowSchema) },
    },
    handler: async (request) => {
      const page = workflows.list(request.query);
      return { items: page.items.map(toWorkflow), total: page.total };
    },
  });

  app.post('/workflows', {
    config: { permission: 'workflows.update' },
    schema: {
      tags,
      security,
      summary: 'Create a workflow (steps are added to it; the first one added is its first step)',
      description: '409 `name_taken`.',
      body: z.object({ name: singleLine(64).describe('ワークフロー名称') }),
      response: { 201: workflowSchema, ...errorResponses(409) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(toWorkflow(workflows.create(request.body, principalOf(request).actor))),
  });

  app.get('/workflows/:id', {
    config: { permission: 'workflows.view' },
    schema: {
      tags,
      security,
      summary: 'One workflow with its steps',
      params: idParams,
      response: { 200: workflowSchema, ...errorResponses(404) },
    },
    handler: async (request) => toWorkflow(workflows.get(request.params.id)),
  });

  app.patch('/workflows/:id', {
    config: { permission: 'workflows.update' },
    schema: {
      tags,
      security,
      summary: 'Rename a workflow or choose its first step',
      description: '409 `name_taken`; 422 `unknown_step` (not a step of this workflow).',
      params: idParams,
      body: z
        .object({
          name: singleLine(64),
          firstStepId: z.number().int().positive().nullable().describe('最初のステップ'),
        })
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: workflowSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) =>
      toWorkflow(workflows.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/workflows/:id', {
    config: { permission: 'workflows.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a workflow and its steps',
      description: '409 `workflow_in_use` while a case (deleted ones too) has it.',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(404, 409) },
    },
    handler: async (request, reply) => {
      workflows.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  app.post('/workflows/:id/steps', {
    config: { permission: 'workflows.update' },
    schema: {
      tags,
      security,
      summary: 'Add a step to a workflow',
      description: stepErrors,
      params: idParams,
      body: z.object({
        name: stepFields.name,
        details: stepFields.details.optional(),
        audioFileId: stepFields.audioFileId.optional(),
        color: stepFields.color.optional(),
        buttons: stepFields.buttons.optional(),
      }),
      response: { 201: stepSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(
          toStep(workflows.addStep(request.params.id, request.body, principalOf(request).actor)),
        ),
  });

  app.patch('/workflows/:id/steps/:stepId', {
    config: { permission: 'workflows.update' },
    schema: {
      tags,
      security,
      summary: 'Change a step (given buttons replace the list)',
      description: stepErrors,
      params: stepParams,
      body: z
        .object(stepFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: stepSchema, ...errorResponses(404, 409, 422) },
    },
    handler: async (request) =>
      toStep(
        workflows.updateStep(
          request.params.id,
          request.params.stepId,
          request.body,
          principalOf(request).actor,
        ),
      ),
  });

  app.delete('/workflows/:id/steps/:stepId', {
    config: { permission: 'workflows.update' },
    schema: {
      tags,
      security,
      summary: 'Delete a step',
      description:
        '409 `step_in_use` while it is the first step, a button of another step leads to it or ' +
        'a case is in it (`details.holders`). Its stays stay in the statistics under its name.',
      params: stepParams,
      response: { 204: z.undefined(), ...errorResponses(404, 409) },
    },
    handler: async (request, reply) => {
      workflows.removeStep(request.params.id, request.params.stepId);
      return reply.status(204).send();
    },
  });

  app.get('/stats/workflows', {
    config: { permission: 'workflow_stats.view' },
    schema: {
      tags: ['stats'],
      security,
      summary: 'Workflow statistics (§10-6 ワークフロー統計): per step count and time in it',
      description:
        'Every stay of a case in a step of the workflow that ended in [from, to): per step ' +
        '件数, 平均時間, 最大時間, 最小時間, 時間合計 (seconds), and the 合計 row. A stay is from ' +
        'entering the step to leaving it (a button, or the workflow taken away); a case still in ' +
        'a step is not counted yet. 422 `invalid_range` unless from < to. `format=csv` (needs ' +
        'workflow_stats.download) gives the table as a download.',
      querystring: z.object({
        workflowId: id().describe('ワークフロー'),
        from: z.iso.datetime({ offset: true }).describe('From'),
        to: z.iso.datetime({ offset: true }).describe('To (exclusive)'),
        format: z.enum(['json', 'csv']).default('json'),
      }),
      response: {
        200: jsonOrText(statisticsSchema, 'text/csv'),
        ...errorResponses(404, 422),
      },
    },
    handler: async (request, reply) => {
      const q = request.query;
      if (q.format === 'csv') requirePermission(principalOf(request), 'workflow_stats.download');
      const from = new Date(q.from);
      const to = new Date(q.to);
      if (from.getTime() >= to.getTime())
        throw unprocessable('invalid_range', 'from must be before to', { from: q.from, to: q.to });
      const workflow = workflows.get(q.workflowId);
      const stats = workflows.statistics(q.workflowId, { from, to });
      if (q.format === 'json')
        return {
          workflowId: workflow.id,
          workflowName: workflow.name,
          from: from.toISOString(),
          to: to.toISOString(),
          ...stats,
        };
      const csv = await writeCsv(
        ['ステップ', '件数', '平均時間', '最大時間', '最小時間', '時間合計'],
        [
          ...stats.rows.map((r) => [r.stepName, ...figureCells(r)]),
          ['合計', ...figureCells(stats.total)],
        ],
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="workflow-statistics.csv"')
        .send(csv);
    },
  });
};
