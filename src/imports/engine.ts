/**
 * The CSV import engine (CSVアップロード, §10-13): one for every kind of upload. It reads the file
 * (UTF-8 with or without BOM, or Shift_JIS, detected or chosen; comma, tab or semicolon; with or
 * without a header row), maps its columns to the importer's fields (the mapping given, or the one
 * the header suggests), and runs the upload as a job:
 *
 * 1. reading: every row is read into a value by the importer, a batch at a time, the event loop
 *    given back between batches (import_progress on the `imports` topic after each). A row with
 *    a machine-dependent character (機種依存文字) or a value that does not fit its field is
 *    reported as `{row, column, message}` (`N行目: …`) and skipped — only that row (§10-13).
 * 2. writing: the good rows in ONE transaction, so an upload is applied whole or (on a failure of
 *    the server's own) not at all. That transaction is synchronous: better-sqlite3 has one
 *    connection, and a transaction left open across awaits would take in (and roll back with it)
 *    the writes of every other request in between.
 *
 * A session whose writes go through services that await (the users upload: password hashing,
 * the phone pushed to Asterisk) writes row by row instead, each row in the services' own
 * transactions, for the same reason.
 *
 * Jobs take turns (one writes at a time), so two uploads never check duplicates against each
 * other's half-written rows. What is refused before a job exists (the file too large, too many
 * rows, a bad mapping or option) is a 4xx with nothing changed.
 */
import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import {
  detectEncoding,
  readCsv,
  type CsvEncoding,
  type CsvRow,
  unneutralisedCell,
} from '../platform/csv.js';
import type { Db } from '../platform/db/client.js';
import { countRows } from '../platform/db/query.js';
import type { Principal } from '../platform/http/auth.js';
import { forbidden, HttpError, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import { createTurns, nextTurn } from '../platform/turns.js';
import {
  IGNORE,
  looksLikeHeader,
  mappingProblems,
  mapRow,
  rowMessage,
  suggestMapping,
  type ImportField,
  type Importer,
  type ImportOptions,
  type ImportSession,
  type ReadRow,
} from './importer.js';
import { machineDependentCharOf } from './machine-dependent.js';
import {
  createImportNotifier,
  IMPORTS_VIEW_ALL,
  seesJob,
  type ImportOwner,
  type ImportProgressWire,
} from './notifier.js';
import { importJobs, type ImportJobRow, type ImportProblem } from './schema.js';

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
  /** Bad rows kept in a job's report; the rest are only counted. */
  maxReportedErrors?: number;
  /** Rows read between two turns of the event loop. */
  batchRows?: number;
}

export interface CsvUploadOptions {
  encoding: CsvEncoding;
  header: 'auto' | 'true' | 'false';
  delimiter: string;
}

export interface ImportPreview {
  encoding: 'utf8' | 'shift_jis';
  /** The header row, when the file has one (as chosen, or as judged by its cells). */
  header: string[] | null;
  /** The first data rows, cells as read. */
  rows: { row: number; cells: string[] }[];
  /** The widest row's cell count among those read. */
  columns: number;
  fields: readonly ImportField[];
  suggestedMapping: string[];
  totalRows: number;
}

export interface ImportEngine {
  kinds: () => string[];
  preview: (
    kind: string,
    bytes: Buffer,
    csv: CsvUploadOptions,
    options: ImportOptions,
    principal: Principal,
  ) => Promise<ImportPreview>;
  /**
   * Checks the upload and queues its job; `finished` settles when the job has run (tests and
   * the benchmark wait on it; the API answers 202 at once).
   */
  start: (
    kind: string,
    bytes: Buffer,
    upload: CsvUploadOptions & { mapping?: readonly string[] | undefined; fileName?: string },
    options: ImportOptions,
    principal: Principal,
  ) => Promise<{ job: ImportJobRow; finished: Promise<ImportJobRow> }>;
  list: (
    principal: Principal,
    page: PageQuery & { kind?: string | undefined },
  ) => Page<ImportJobRow>;
  get: (id: number, principal: Principal) => ImportJobRow;
  /**
   * Reads and writes an upload at once, without a job (an endpoint that answers with the report,
   * as POST /target-lists/{id}/targets does): the same reading, mapping and writing as a job,
   * in the same turns; an HttpError of the write (a limit of the whole file) is thrown, with
   * nothing written.
   */
  applyNow: (
    kind: string,
    bytes: Buffer,
    upload: CsvUploadOptions & { mapping?: readonly string[] | undefined },
    options: ImportOptions,
    principal: Principal,
  ) => Promise<ImportResult>;
  /** The header row of a file the importer reads without a mapping. */
  template: (kind: string, options: ImportOptions, principal: Principal) => string[];
  /** Settles when every queued job has run. */
  idle: () => Promise<void>;
}

/** What an upload did, as a job's report holds it. */
export interface ImportResult {
  total: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows with a problem (each problem listed, in file order). */
  skipped: number;
  problems: ImportProblem[];
  /** The field of each column the rows were read with. */
  mapping: readonly string[];
  fields: readonly ImportField[];
}

export interface ImportEngineDeps {
  db: Db;
  clock: Clock;
  hub: Hub;
  importers: readonly Importer[];
  limits: ImportLimits;
  logger?: Logger;
}

const PREVIEW_ROWS = 10;

const ownerOf = (principal: Principal): ImportOwner => ({
  principalKind: principal.kind,
  principalId: principal.id,
});

/** The job's rows as the engine reads them: cells with the export's neutralising quote undone. */
interface FileRows {
  header: string[] | null;
  rows: CsvRow[];
  unreadable: ImportProblem[];
}

export function createImportEngine(deps: ImportEngineDeps): ImportEngine {
  const { db, clock, limits } = deps;
  const importers = new Map(deps.importers.map((i) => [i.kind, i]));
  const turns = createTurns();
  const maxReported = limits.maxReportedErrors ?? 1000;
  const batchRows = limits.batchRows ?? 1000;
  /** Progress of the running jobs, for the snapshot of the topic. */
  const running = new Map<number, { owner: Principal; progress: ImportProgressWire }>();
  let queue: Promise<unknown> = Promise.resolve();
  const notifier = createImportNotifier(deps.hub, (principal) =>
    [...running.values()]
      .filter((r) => seesJob(principal, ownerOf(r.owner)))
      .map((r) => r.progress),
  );

  function importerOf(kind: string, principal: Principal): Importer {
    const importer = importers.get(kind);
    if (importer === undefined)
      throw unprocessable('unknown_kind', `No CSV upload of kind ${kind}`, {
        kinds: [...importers.keys()],
      });
    if (!principal.permissions.has(importer.permission))
      throw forbidden(
        'forbidden',
        `Uploading ${kind} needs the permission ${importer.permission}`,
        {
          permission: importer.permission,
        },
      );
    return importer;
  }

  async function readFile(
    bytes: Buffer,
    csv: CsvUploadOptions,
    fields: readonly ImportField[],
    maxRows: number,
  ): Promise<FileRows> {
    if (bytes.length === 0) throw unprocessable('empty_file', 'The file is empty');
    if (bytes.length > limits.maxBytes)
      throw new HttpError(
        413,
        'file_too_large',
        `The file is larger than ${limits.maxBytes} bytes`,
        { maxBytes: limits.maxBytes },
      );
    const read = await readCsv(bytes, {
      encoding: csv.encoding,
      header: false,
      delimiter: csv.delimiter,
    });
    const rows = read.rows.map((r) => ({ row: r.row, cells: r.cells.map(unneutralisedCell) }));
    const first = rows[0];
    const hasHeader =
      first !== undefined &&
      first.row === 1 &&
      (csv.header === 'auto' ? looksLikeHeader(first.cells, fields) : csv.header === 'true');
    const data = hasHeader ? rows.slice(1) : rows;
    const unreadable = read.unreadable.map((u) => ({
      row: u.row,
      column: null,
      message: `${u.row}行目: CSVとして読めません (${u.message})`,
    }));
    const total = data.length + unreadable.length;
    if (total > maxRows)
      throw unprocessable('too_many_rows', `The file has ${total} rows; at most ${maxRows}`, {
        rows: total,
        maxRows,
      });
    return { header: hasHeader ? first.cells : null, rows: data, unreadable };
  }

  function mappingOf(
    given: readonly string[] | undefined,
    header: string[] | null,
    fields: readonly ImportField[],
    headerRequired: boolean,
  ): string[] {
    const mapping =
      given !== undefined ? [...given] : header === null ? [] : suggestMapping(header, fields);
    const problems = mappingProblems(mapping, fields);
    if (headerRequired && given === undefined) {
      // 「1行目はタイトル行です。異なる場合は処理できません」: no title row, or one without a column.
      const missing =
        header === null
          ? fields.filter((f) => f.required === true).map((f) => f.label)
          : problems.flatMap((p) => (p.problem === 'required_unmapped' ? [p.label] : []));
      if (missing.length > 0)
        throw unprocessable(
          'bad_header',
          `The title row must name the columns ${missing.join(', ')} (タイトル行が違います)`,
          { missing },
        );
    }
    // A row must name its record or be able to make one: a name, an ID or a code column.
    const keys = fields.filter((f) => f.required === true || f.identifies === true);
    if (keys.length > 0 && !keys.some((f) => mapping.includes(f.key)))
      problems.push({
        problem: 'required_unmapped',
        key: keys.map((f) => f.key).join('|'),
        label: keys.map((f) => f.label).join(' / '),
      });
    if (problems.length > 0)
      throw unprocessable(
        'invalid_mapping',
        problems
          .map((p) =>
            p.problem === 'required_unmapped'
              ? `no column is mapped to ${p.label} (${p.key})`
              : p.problem === 'unknown_field'
                ? `column ${p.column}: no field ${p.key}`
                : `column ${p.column}: ${p.key} is mapped twice`,
          )
          .join('; '),
        { problems, fields: fields.map((f) => f.key) },
      );
    return mapping;
  }

  function whereVisible(principal: Principal, kind: string | undefined): SQL | undefined {
    return and(
      principal.permissions.has(IMPORTS_VIEW_ALL)
        ? undefined
        : and(
            eq(importJobs.principalKind, principal.kind),
            eq(importJobs.principalId, principal.id),
          ),
      kind === undefined ? undefined : eq(importJobs.kind, kind),
    );
  }

  const jobRow = (id: number): ImportJobRow => {
    const row = db.select().from(importJobs).where(eq(importJobs.id, id)).get();
    if (row === undefined) throw notFound('Import');
    return row;
  };

  /**
   * Reads every row (yielding between batches, `progress` told how many are read), then writes
   * the good ones: in one transaction, or row by row for a session whose writes await.
   */
  async function process(
    session: ImportSession<unknown>,
    file: FileRows,
    mapping: readonly string[],
    progress: (phase: ImportProgressWire['phase'], done: number) => void,
  ): Promise<ImportResult> {
    const total = file.rows.length + file.unreadable.length;
    const fields = session.fields();
    const labels = new Map(fields.map((f) => [f.key, f.label]));
    const labelOfColumn = (column: number | null) => {
      const key = column === null ? undefined : mapping[column - 1];
      return key === undefined ? undefined : labels.get(key);
    };
    const problems: ImportProblem[] = [...file.unreadable];
    const good: ReadRow<unknown>[] = [];
    const report = (row: number, column: number | null, message: string) =>
      problems.push({
        row,
        column,
        message: rowMessage(row, { column, message }, labelOfColumn(column)),
      });
    progress('reading', 0);
    for (let start = 0; start < file.rows.length; start += batchRows) {
      for (const { row, cells } of file.rows.slice(start, start + batchRows)) {
        const mapped = mapRow(cells, mapping);
        const odd = [...mapped.values()].flat().flatMap((c) => {
          const char = machineDependentCharOf(c.text);
          return char === undefined ? [] : [{ column: c.column, char }];
        });
        if (odd.length > 0) {
          for (const o of odd) report(row, o.column, `機種依存文字「${o.char}」が含まれています`);
          continue;
        }
        const reading = session.readRow(mapped);
        if ('value' in reading) good.push({ row, value: reading.value });
        else for (const p of reading.problems) report(row, p.column, p.message);
      }
      progress('reading', Math.min(start + batchRows, file.rows.length) + file.unreadable.length);
      await nextTurn();
    }

    progress('writing', 0);
    const outcome =
      'apply' in session
        ? db.transaction((tx) => session.apply(good, tx))
        : await session.applyRowByRow(good);
    for (const r of outcome.refused) for (const p of r.problems) report(r.row, p.column, p.message);
    progress('writing', total);
    return {
      total,
      inserted: outcome.inserted,
      updated: outcome.updated,
      unchanged: outcome.unchanged,
      skipped: new Set(problems.map((p) => p.row)).size,
      problems: problems.sort((a, b) => a.row - b.row || (a.column ?? 0) - (b.column ?? 0)),
      mapping,
      fields,
    };
  }

  async function run(
    jobId: number,
    kind: string,
    session: ImportSession<unknown>,
    file: FileRows,
    mapping: readonly string[],
    owner: Principal,
  ): Promise<void> {
    const total = file.rows.length + file.unreadable.length;
    const owned = ownerOf(owner);
    const progress = (phase: ImportProgressWire['phase'], done: number) => {
      const wire = { jobId, kind, phase, done, total };
      running.set(jobId, { owner, progress: wire });
      notifier.progress(owned, wire);
    };
    db.update(importJobs)
      .set({ status: 'running', startedAt: clock.now(), total })
      .where(eq(importJobs.id, jobId))
      .run();
    const result = await process(session, file, mapping, progress);
    db.update(importJobs)
      .set({
        status: 'finished',
        applied: result.inserted + result.updated + result.unchanged,
        skipped: result.skipped,
        inserted: result.inserted,
        updated: result.updated,
        unchanged: result.unchanged,
        errors: result.problems.slice(0, maxReported),
        errorsOmitted: Math.max(0, result.problems.length - maxReported),
        finishedAt: clock.now(),
      })
      .where(eq(importJobs.id, jobId))
      .run();
  }

  /** The upload checked before anything runs: importer, options, file, mapping. */
  async function prepare(
    kind: string,
    bytes: Buffer,
    upload: CsvUploadOptions & { mapping?: readonly string[] | undefined },
    options: ImportOptions,
    principal: Principal,
  ) {
    const importer = importerOf(kind, principal);
    const session = importer.begin(options, principal, 'upload');
    const fields = session.fields();
    const file = await readFile(
      bytes,
      upload,
      fields,
      Math.min(limits.maxRows, importer.maxRows ?? Infinity),
    );
    const mapping = mappingOf(
      upload.mapping,
      file.header,
      fields,
      importer.headerRequired === true,
    );
    return { session, file, mapping };
  }

  function finish(jobId: number, owner: Principal): ImportJobRow {
    running.delete(jobId);
    const job = jobRow(jobId);
    notifier.finished(ownerOf(owner), {
      jobId,
      kind: job.kind,
      status: job.status,
      total: job.total,
      applied: job.applied,
      skipped: job.skipped,
    });
    return job;
  }

  return {
    kinds: () => [...importers.keys()],

    preview: async (kind, bytes, csv, options, principal) => {
      const importer = importerOf(kind, principal);
      const session = importer.begin(options, principal, 'preview');
      const fields = session.fields();
      const file = await readFile(bytes, csv, fields, Number.MAX_SAFE_INTEGER);
      const rows = file.rows.slice(0, PREVIEW_ROWS);
      const columns = Math.max(file.header?.length ?? 0, ...rows.map((r) => r.cells.length));
      const suggested = file.header === null ? [] : suggestMapping(file.header, fields);
      return {
        encoding: csv.encoding === 'auto' ? detectEncoding(bytes) : csv.encoding,
        header: file.header,
        rows,
        columns,
        fields,
        suggestedMapping: Array.from({ length: columns }, (_, i) => suggested[i] ?? IGNORE),
        totalRows: file.rows.length + file.unreadable.length,
      };
    },

    start: async (kind, bytes, upload, options, principal) => {
      const { session, file, mapping } = await prepare(kind, bytes, upload, options, principal);
      const job = db
        .insert(importJobs)
        .values({
          kind,
          status: 'queued',
          fileName: upload.fileName ?? '',
          total: file.rows.length + file.unreadable.length,
          errors: [],
          principalKind: principal.kind,
          principalId: principal.id,
          createdBy: principal.actor,
          createdAt: clock.now(),
        })
        .returning()
        .get();
      const finished = turns(async () => {
        try {
          await run(job.id, kind, session, file, mapping, principal);
        } catch (err) {
          deps.logger?.error({ err, jobId: job.id, kind }, 'CSV import failed');
          db.update(importJobs)
            .set({
              status: 'failed',
              failure: err instanceof Error ? err.message : String(err),
              applied: 0,
              inserted: 0,
              updated: 0,
              unchanged: 0,
              finishedAt: clock.now(),
            })
            .where(eq(importJobs.id, job.id))
            .run();
        }
        return finish(job.id, principal);
      });
      queue = queue.then(() => finished);
      return { job, finished };
    },

    list: (principal, page) => {
      const where = whereVisible(principal, page.kind);
      const items = db
        .select()
        .from(importJobs)
        .where(where)
        .orderBy(desc(importJobs.id))
        .limit(page.limit)
        .offset(page.offset)
        .all();
      return { items, total: countRows(db, importJobs, where) };
    },

    get: (id, principal) => {
      const job = db
        .select()
        .from(importJobs)
        .where(and(eq(importJobs.id, id), whereVisible(principal, undefined)))
        .get();
      // Another's job is answered as if it did not exist.
      if (job === undefined) throw notFound('Import');
      return job;
    },

    applyNow: async (kind, bytes, upload, options, principal) => {
      const { session, file, mapping } = await prepare(kind, bytes, upload, options, principal);
      const done = turns(() => process(session, file, mapping, () => undefined));
      queue = queue.then(() => done.catch(() => undefined));
      return done;
    },

    template: (kind, options, principal) =>
      importerOf(kind, principal)
        .begin(options, principal, 'template')
        .fields()
        .map((f) => f.label),

    idle: async () => {
      await queue;
    },
  };
}
