import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_DIR, migrateDatabase, openDatabase } from '../../src/platform/db/client.js';
import * as schema from '../../src/platform/db/schema.js';

t.test('migrations build the schema on an empty file and are idempotent', async (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'cc-db-')), 'nested', 'cc.db');
  const database = openDatabase(path);
  t.teardown(() => database.close());
  migrateDatabase(database);
  migrateDatabase(database);
  const tables = database.sqlite
    .prepare(
      // table_list's type 'table' leaves out the FTS5 tables (virtual) and their shadow tables,
      // which only the custom migrations create (faq_search).
      "select name from pragma_table_list where schema = 'main' and type = 'table' and name not like '\\_\\_%' escape '\\' and name not like 'sqlite\\_%' escape '\\' order by name",
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

t.test('upgrading keeps supervisors seeing every call (call_history.view_all)', async (t) => {
  // A database as the release before call_history.view_all left it: migrations up to 0005.
  const dir = mkdtempSync(join(tmpdir(), 'cc-db-'));
  const before = join(dir, 'migrations');
  mkdirSync(join(before, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((e) => e.tag.startsWith('0006_'));
  t.ok(upTo > 0);
  for (const entry of journal.entries.slice(0, upTo)) {
    copyFileSync(join(MIGRATIONS_DIR, `${entry.tag}.sql`), join(before, `${entry.tag}.sql`));
  }
  writeFileSync(
    join(before, 'meta/_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }),
  );
  const database = openDatabase(join(dir, 'cc.db'));
  t.teardown(() => database.close());
  migrate(database.db, { migrationsFolder: before });
  const insertRole = database.sqlite.prepare(
    `insert into roles (built_in, name, permissions, created_at, created_by, updated_at, updated_by)
     values (?, ?, ?, 0, 'test', 0, 'test')`,
  );
  insertRole.run('supervisor', 'SV', JSON.stringify(['call_history.view', 'agents.view']));
  insertRole.run('agent', 'エージェント', JSON.stringify(['call_history.view']));
  insertRole.run(null, 'custom', JSON.stringify(['call_history.view']));

  migrateDatabase(database);
  const permissions = Object.fromEntries(
    database.sqlite
      .prepare('select name, permissions from roles order by id')
      .all()
      .map((r) => {
        const row = r as { name: string; permissions: string };
        return [row.name, JSON.parse(row.permissions) as string[]];
      }),
  );
  // Later migrations grant later permissions (cases and workflows, call-target lists); this test is about one.
  for (const [name, list] of Object.entries(permissions))
    permissions[name] = list.filter(
      (p) =>
        !/^(case_statuses|workflows|workflow_stats|target_lists|call_list[a-z_]*)\.|^csv_upload\.view_all$/.test(
          p,
        ),
    );
  t.same(permissions, {
    SV: ['call_history.view', 'agents.view', 'call_history.view_all'],
    エージェント: ['call_history.view'],
    custom: ['call_history.view'],
  });
});

t.test('upgrading gives the built-in roles the case status and workflow permissions', async (t) => {
  // A database as the release before cases and workflows left it.
  const dir = mkdtempSync(join(tmpdir(), 'cc-db-'));
  const before = join(dir, 'migrations');
  mkdirSync(join(before, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((e) => e.tag.endsWith('_cases_workflows'));
  t.ok(upTo > 0);
  for (const entry of journal.entries.slice(0, upTo))
    copyFileSync(join(MIGRATIONS_DIR, `${entry.tag}.sql`), join(before, `${entry.tag}.sql`));
  writeFileSync(
    join(before, 'meta/_journal.json'),
    JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo) }),
  );
  const database = openDatabase(join(dir, 'cc.db'));
  t.teardown(() => database.close());
  migrate(database.db, { migrationsFolder: before });
  const insertRole = database.sqlite.prepare(
    `insert into roles (built_in, name, permissions, created_at, created_by, updated_at, updated_by)
     values (?, ?, ?, 0, 'test', 0, 'test')`,
  );
  insertRole.run('supervisor', 'SV', JSON.stringify(['cases.view']));
  insertRole.run('agent', 'エージェント', JSON.stringify(['cases.view', 'workflows.view']));
  insertRole.run(null, 'custom', JSON.stringify(['cases.view']));
  migrateDatabase(database);
  const permissions = Object.fromEntries(
    database.sqlite
      .prepare('select name, permissions from roles order by id')
      .all()
      .map((r) => {
        const row = r as { name: string; permissions: string };
        return [row.name, JSON.parse(row.permissions) as string[]];
      }),
  );
  // Later migrations grant later areas (call lists) as they do these.
  const later = /^(target_lists|call_list[a-z_]*)\.|^csv_upload\.view_all$/;
  t.ok(permissions.エージェント?.includes('call_list_operator.claim'), 'agents: claim customers');
  t.ok(permissions.SV?.includes('call_lists.update'), 'supervisors: the call lists');
  t.notOk(permissions.SV?.includes('call_list_data.initialise'), 'initialisation is not theirs');
  t.ok(permissions.SV?.includes('csv_upload.view_all'), 'supervisors: everyone’s CSV uploads');
  t.ok(permissions.SV?.includes('call_list_customers.update'), 'supervisors: 顧客編集');
  t.notOk(permissions.エージェント?.includes('csv_upload.view_all'), 'agents: their own uploads');
  for (const [name, list] of Object.entries(permissions))
    permissions[name] = list.filter((p) => !later.test(p));
  t.same(permissions, {
    SV: [
      'cases.view',
      'case_statuses.view',
      'case_statuses.update',
      'case_statuses.delete',
      'workflows.view',
      'workflows.update',
      'workflows.delete',
      'workflow_stats.view',
      'workflow_stats.download',
    ],
    エージェント: ['cases.view', 'workflows.view', 'case_statuses.view'],
    custom: ['cases.view'],
  });
});
