/**
 * The read worker's entry: a thread with its own read-only connection to the database file,
 * answering the main thread's read requests one at a time (see platform/db/read-pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Db } from './platform/db/client.js';
import * as schema from './platform/db/schema.js';
import { serializeError, type ReadAnswer, type ReadRequest } from './platform/db/read-pool.js';
import { readPrograms } from './read-programs.js';

const { path } = workerData as { path: string };
const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
const db: Db = drizzle(sqlite, { schema });
const programs = readPrograms as Record<string, (db: Db, input: unknown) => unknown>;

parentPort?.on('message', (request: ReadRequest) => {
  let answer: ReadAnswer;
  try {
    const program = programs[request.name];
    if (program === undefined) throw new Error(`no read program ${request.name}`);
    answer = { id: request.id, ok: true, value: program(db, request.input) };
  } catch (err) {
    answer = { id: request.id, ok: false, error: serializeError(err) };
  }
  parentPort?.postMessage(answer);
});
