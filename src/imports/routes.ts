/**
 * /imports (CSVアップロード, §10-13): the preview of a file (its first rows and the mapping its
 * header suggests), the upload itself (202: a job, reported on the `imports` feed topic and by
 * GET /imports/{id}), the jobs, and a CSV template per kind. The file is the raw request body
 * (text/csv or application/octet-stream), not a multipart form.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { csvLine, sendCsv } from '../platform/csv-export.js';
import { csvImportQuery } from '../platform/csv.js';
import { principalOf } from '../platform/http/auth.js';
import { badRequest, errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { id, instant, isoOf, isoOrNull, security } from '../platform/http/schemas.js';
import type { CsvUploadOptions, ImportEngine } from './engine.js';
import { IGNORE, type ImportOptions } from './importer.js';
import { IMPORT_STATUSES, type ImportJobRow } from './schema.js';

const tags = ['imports'];

const kind = z
  .string()
  .regex(/^[a-z][a-z_]{0,31}$/, { error: 'a kind such as customers' })
  .describe(
    'What the file holds: customers, call_list (MOT コールリスト作成, A.8.2), targets (MiiTel ' +
      '発信先リスト, B.3), mot_groups (A.5.3), mot_users (A.6.3)',
  );

const mappingKey = /^(--|[a-z][a-z0-9_]{0,31}(\.[1-9][0-9]{0,9})?)$/;

/** Options of the importers (each kind reads the ones it knows). */
const importerOptions = {
  formatId: id()
    .optional()
    .describe('customers: 業務, the business format (デフォルト when absent)'),
  tagIds: z
    .string()
    .max(1100)
    .optional()
    .describe('customers: タグ追加, comma-separated tag ids added to every customer of the file'),
  allowDuplicates: z
    .enum(['true', 'false'])
    .optional()
    .describe(
      'customers: 電話番号の重複を許可する (by default the CRM setting): rows whose phone ' +
        'another live customer has are refused unless true',
    ),
  listName: z
    .string()
    .max(100)
    .optional()
    .describe('call_list: リスト名 of the new list the rows are the customers of (required)'),
  groupIds: z
    .string()
    .max(1100)
    .optional()
    .describe('call_list: the target groups of the new list, comma-separated group ids'),
  distribute: z
    .enum(['true', 'false'])
    .optional()
    .describe('call_list: 配布 the new list at once (false by default)'),
  targetListId: id()
    .optional()
    .describe('targets: the call-target list (発信先リスト) the rows are upserted into (required)'),
  assigneeId: id()
    .optional()
    .describe('targets: 発信担当者 (a user id) of the rows whose 発信担当者 column names none'),
};

const uploadQuery = csvImportQuery.extend({
  kind,
  ...importerOptions,
  mapping: z
    .string()
    .max(4000)
    .transform((v) => v.split(','))
    .pipe(z.array(z.string().regex(mappingKey, { error: 'a field key or --' })).max(500))
    .optional()
    .describe(
      'The field of each column, comma-separated, `--` to ignore one (e.g. ' +
        '`name,phones,field.12,--`); by default the mapping the header row suggests',
    ),
  fileName: z.string().max(255).optional().describe('The uploaded file’s name, for the job list'),
});

const previewQuery = csvImportQuery.extend({ kind, ...importerOptions });

const fieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  aliases: z.array(z.string()).optional(),
  required: z.boolean().optional(),
  identifies: z
    .boolean()
    .optional()
    .describe('Names a record (ID, code, name): the mapping must map one of these fields'),
  repeatable: z.boolean().optional(),
});

const previewSchema = z
  .object({
    encoding: z.enum(['utf8', 'shift_jis']).describe('The encoding the file was read in'),
    header: z.array(z.string()).nullable().describe('The header row, when the file has one'),
    rows: z.array(z.object({ row: z.number().int(), cells: z.array(z.string()) })),
    columns: z.number().int(),
    fields: z.array(fieldSchema).describe('The fields columns may be mapped to'),
    suggestedMapping: z
      .array(z.string())
      .describe(`The field key of each column (${IGNORE}: ignored), from the header row`),
    totalRows: z.number().int(),
  })
  .describe('ImportPreview');

const jobFields = {
  id: z.number().int(),
  kind: z.string(),
  status: z.enum(IMPORT_STATUSES),
  fileName: z.string(),
  total: z.number().int().describe('Data rows in the file'),
  applied: z.number().int().describe('Rows written (inserted + updated + unchanged)'),
  skipped: z.number().int().describe('Bad rows, reported and not written'),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int().describe('Rows equal to the record they name (e.g. a re-upload)'),
  failure: z.string().nullable().describe('Why a failed job failed (nothing was written)'),
  createdBy: z.string(),
  createdAt: instant,
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
};

const jobSchema = z.object(jobFields).describe('ImportJob');

const reportSchema = z
  .object({
    ...jobFields,
    errors: z
      .array(
        z.object({
          row: z.number().int().describe('Line in the file, from 1'),
          column: z.number().int().nullable().describe('Column, from 1; null for the whole row'),
          message: z.string().describe('N行目: …'),
        }),
      )
      .describe('The bad rows, in file order'),
    errorsOmitted: z.number().int().describe('Further bad rows not listed'),
  })
  .describe('ImportReport');

const toJob = (j: ImportJobRow) => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  fileName: j.fileName,
  total: j.total,
  applied: j.applied,
  skipped: j.skipped,
  inserted: j.inserted,
  updated: j.updated,
  unchanged: j.unchanged,
  failure: j.failure,
  createdBy: j.createdBy,
  createdAt: isoOf(j.createdAt),
  startedAt: isoOrNull(j.startedAt),
  finishedAt: isoOrNull(j.finishedAt),
});

const optionsOf = (query: {
  [K in keyof typeof importerOptions]?: string | number | undefined;
}): ImportOptions =>
  Object.fromEntries(
    Object.keys(importerOptions).map((key) => {
      const value = query[key as keyof typeof importerOptions];
      return [key, value === undefined ? undefined : String(value)];
    }),
  );

const csvOf = (query: z.infer<typeof csvImportQuery>): CsvUploadOptions => ({
  encoding: query.encoding,
  header: query.header,
  delimiter: query.delimiter,
});

function fileOf(body: unknown): Buffer {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw badRequest('empty_file', 'Send the CSV file as the body (Content-Type text/csv)');
  return body;
}

const uploadDescription =
  'Send the file as the body with Content-Type text/csv (or application/octet-stream), at most ' +
  'IMPORT_MAX_BYTES (5 MB; 413 `file_too_large` / `body_too_large`), UTF-8 (BOM or not) or ' +
  'Shift_JIS. 422 `too_many_rows`, `invalid_mapping`, `unknown_kind`, `unknown_format`, ' +
  '`unknown_tags`, `unknown_groups`, `unknown_list`, `bad_header` (call_list, targets, mot_groups ' +
  'and mot_users need the title row naming their columns), `empty_file`; 400 `invalid_options` ' +
  '(call_list without listName, targets without targetListId); 404 for an unknown target list; ' +
  '403 when the kind needs a permission the caller lacks (customers: customers.update; call_list: ' +
  'call_lists.update; targets: target_lists.update; mot_groups: groups.update; mot_users: ' +
  'agents.update).';

export const importsRoutes: FastifyPluginAsyncZod<{
  engine: ImportEngine;
  maxBytes: number;
}> = async (app, { engine, maxBytes }) => {
  // The file arrives as the raw body; one byte over the limit is the engine's 413 to give.
  app.addContentTypeParser(
    ['text/csv', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: maxBytes + 1 },
    (_req, body, done) => done(null, body),
  );

  app.post('/imports/preview', {
    config: { permission: 'csv_upload.upload' },
    schema: {
      tags,
      security,
      summary: 'Preview a CSV file: its first rows and a suggested column mapping (マッピング)',
      description: uploadDescription,
      querystring: previewQuery,
      response: { 200: previewSchema, ...errorResponses(400, 403, 404, 413, 415, 422) },
    },
    handler: async (request) => {
      const query = request.query;
      const preview = await engine.preview(
        query.kind,
        fileOf(request.body),
        csvOf(query),
        optionsOf(query),
        principalOf(request),
      );
      return {
        ...preview,
        fields: preview.fields.map((f) => ({
          key: f.key,
          label: f.label,
          ...(f.aliases !== undefined && { aliases: [...f.aliases] }),
          ...(f.required !== undefined && { required: f.required }),
          ...(f.identifies !== undefined && { identifies: f.identifies }),
          ...(f.repeatable !== undefined && { repeatable: f.repeatable }),
        })),
      };
    },
  });

  app.post('/imports', {
    config: { permission: 'csv_upload.upload' },
    schema: {
      tags,
      security,
      summary: 'Upload a CSV file (アップロード → 実行): 202, then a job',
      description:
        uploadDescription +
        ' The job reads every row (a row that does not fit its fields, or holds a ' +
        'machine-dependent character, is reported and skipped) and writes the good rows in one ' +
        'transaction; `import_progress` and `import_finished` on the `imports` feed topic, the ' +
        'report from GET /imports/{id}.',
      querystring: uploadQuery,
      response: {
        202: z.object({ id: z.number().int(), status: z.enum(IMPORT_STATUSES) }),
        ...errorResponses(400, 403, 404, 413, 415, 422),
      },
    },
    handler: async (request, reply) => {
      const query = request.query;
      const { job } = await engine.start(
        query.kind,
        fileOf(request.body),
        {
          ...csvOf(query),
          mapping: query.mapping,
          ...(query.fileName !== undefined && { fileName: query.fileName }),
        },
        optionsOf(query),
        principalOf(request),
      );
      return reply.status(202).send({ id: job.id, status: job.status });
    },
  });

  app.get('/imports', {
    config: { permission: 'csv_upload.view' },
    schema: {
      tags,
      security,
      summary: 'CSV upload jobs, newest first: one’s own (everyone’s with csv_upload.view_all)',
      querystring: pageQuery.extend({ kind: kind.optional() }),
      response: { 200: pageOf(jobSchema) },
    },
    handler: async (request) => {
      const page = engine.list(principalOf(request), request.query);
      return { items: page.items.map(toJob), total: page.total };
    },
  });

  app.get('/imports/:id', {
    config: { permission: 'csv_upload.view' },
    schema: {
      tags,
      security,
      summary: 'A CSV upload job and its report (the bad rows: `{row, column, message}`)',
      params: z.object({ id: id() }),
      response: { 200: reportSchema, ...errorResponses(404) },
    },
    handler: async (request) => {
      const job = engine.get(request.params.id, principalOf(request));
      return { ...toJob(job), errors: job.errors, errorsOmitted: job.errorsOmitted };
    },
  });

  app.get('/imports/templates/:kind', {
    config: { permission: 'csv_upload.view' },
    schema: {
      tags,
      security,
      summary: 'A CSV template of a kind: the header row of its fields',
      params: z.object({ kind }),
      querystring: z.object({
        formatId: importerOptions.formatId,
        encoding: z.enum(['utf8', 'shift_jis']).default('utf8'),
      }),
      response: {
        200: {
          content: { 'text/csv': { schema: z.string().describe('CSV: one header row') } },
        },
        ...errorResponses(403, 422),
      },
    },
    handler: async (request, reply) => {
      const header = engine.template(
        request.params.kind,
        optionsOf(request.query),
        principalOf(request),
      );
      return sendCsv(reply, `${request.params.kind}.csv`, request.query.encoding, [
        csvLine(header),
      ]);
    },
  });
};
