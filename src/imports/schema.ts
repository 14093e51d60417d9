/**
 * CSV import jobs (CSVアップロード, §10-13): one row per upload, from queued through running to
 * finished (or failed), with its report — how many rows the file had, how many were applied and
 * skipped, and each bad row's `{row, column, message}`.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from '../platform/db/columns.js';

export const IMPORT_STATUSES = ['queued', 'running', 'finished', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** One bad row of an upload: its line in the file, its column (1-based) when known, and why. */
export interface ImportProblem {
  row: number;
  column: number | null;
  message: string;
}

export const importJobs = sqliteTable(
  'import_jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** What the file holds (customers, …): the importer that reads it. */
    kind: text('kind').notNull(),
    status: text('status', { enum: IMPORT_STATUSES }).notNull(),
    /** The uploaded file's name, when the client gave one. */
    fileName: text('file_name').notNull().default(''),
    /** Data rows in the file (the header row not counted). */
    total: integer('total').notNull().default(0),
    applied: integer('applied').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    /** Of the applied rows: new records, changed records, and records the file left as they were. */
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    /** The bad rows (at most IMPORT_MAX_REPORTED_ERRORS of them, in file order). */
    errors: text('errors', { mode: 'json' }).$type<ImportProblem[]>().notNull(),
    /** How many bad rows the stored list leaves out. */
    errorsOmitted: integer('errors_omitted').notNull().default(0),
    /** Why a failed job failed (not a row's fault: the server's). */
    failure: text('failure'),
    /** Who uploaded it: the principal's kind and id (a job is theirs to see), and audit name. */
    principalKind: text('principal_kind', { enum: ['agent', 'api_key'] }).notNull(),
    principalId: integer('principal_id').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: instant('created_at').notNull(),
    startedAt: instant('started_at'),
    finishedAt: instant('finished_at'),
  },
  (t) => [
    index('import_jobs_principal_idx').on(t.principalKind, t.principalId, t.id),
    index('import_jobs_created_idx').on(t.createdAt),
  ],
);

export type ImportJobRow = typeof importJobs.$inferSelect;
