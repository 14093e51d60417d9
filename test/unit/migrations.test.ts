import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { migrateDatabase, openDatabase } from '../../src/platform/db/client.js';
import * as schema from '../../src/platform/db/schema.js';

t.test('migrations build the schema on an empty file and are idempotent', async (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'cc-db-')), 'nested', 'cc.db');
  const database = openDatabase(path);
  t.teardown(() => database.close());
  migrateDatabase(database);
  migrateDatabase(database);
  const tables = database.sqlite
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like '\\_\\_%' escape '\\' and name != 'sqlite_sequence' order by name",
    )
    .all()
    .map((r) => (r as { name: string }).name);
  // Every table any domain declares exists after migrating, and nothing else.
  const declared = (Object.values(schema) as unknown[])
    .flatMap((value) => (is(value, SQLiteTable) ? [getTableName(value)] : []))
    .sort();
  t.same(tables, declared);
  t.ok(declared.includes('agents') && declared.includes('call_history'));
  t.equal(database.sqlite.pragma('journal_mode', { simple: true }), 'wal');
  t.equal(database.sqlite.pragma('foreign_keys', { simple: true }), 1);
  // Every master table carries created/updated at + by.
  for (const table of ['agents', 'roles', 'api_keys']) {
    const columns = database.sqlite
      .prepare(`pragma table_info(${table})`)
      .all()
      .map((c) => (c as { name: string }).name);
    for (const c of ['created_at', 'created_by', 'updated_at', 'updated_by'])
      t.ok(columns.includes(c), `${table}.${c}`);
  }
});
