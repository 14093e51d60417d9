/**
 * The SQLite database: one file, WAL mode so readers never block the writer, foreign keys on,
 * and the migrations in ./migrations applied before anything else touches it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

/** The typed client; `$client` is the connection itself, for the few statements Drizzle cannot say. */
export type Db = BetterSQLite3Database<typeof schema> & { $client: BetterSqlite3.Database };
/** A transaction handle: accepted wherever a statement may run inside or outside one. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  db: Db;
  sqlite: BetterSqlite3.Database;
  close(): void;
}

/** ./migrations at the package root, from src/platform/db as from dist/platform/db. */
export const MIGRATIONS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../migrations',
);

/** Opens (creating if needed) the database at `path`; `:memory:` gives a private one. */
export function openDatabase(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema });
  return { db, sqlite, close: () => sqlite.close() };
}

/** Applies every migration not yet applied; idempotent. */
export function migrateDatabase(database: Database): void {
  migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
}

/** For /readyz: can we still read the database? */
export function databaseProblem(database: Database): string | undefined {
  try {
    database.sqlite.prepare('select 1').get();
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
