/**
 * CSV import benchmark: N customers (customer code, Japanese name, phone, e-mail) uploaded
 * through the import engine and the customers importer (reading, per-row checks, the duplicate
 * phone and code checks, the digits index), next to a plain better-sqlite3 bulk insert of the
 * same rows (customers + customer_phones, prepared statements, one transaction) in the same run.
 *
 *   npx tsx scripts/bench-import.ts [--rows 100000] [--db-dir path]
 *
 * Each side gets a fresh SQLite file migrated by the project's migrations. Peak RSS is the
 * process's maximum resident set after the import (the baseline runs after it, so it is not
 * counted). Figures, not assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ALL_PERMISSIONS } from '../src/accounts/permissions.js';
import { createCustomFieldsService } from '../src/crm/custom-fields/service.js';
import { createCustomersImporter } from '../src/crm/customers/importer.js';
import { createBusinessFormatsService } from '../src/crm/formats/service.js';
import { createPostalLookup } from '../src/crm/postal/lookup.js';
import { createImportEngine } from '../src/imports/engine.js';
import { systemClock } from '../src/platform/clock.js';
import { migrateDatabase, openDatabase } from '../src/platform/db/client.js';
import type { Principal } from '../src/platform/http/auth.js';
import { createHub } from '../src/platform/realtime/hub.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, 'db-dir': { type: 'string' } },
});
const rows = Number(values.rows);
const dir = values['db-dir'] ?? mkdtempSync(join(tmpdir(), 'bench-import-'));

const SURNAMES = ['山田', '佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '中村', '小林', '加藤'];
const GIVEN = ['太郎', '花子', '一郎', '次郎', '美咲', '健太', '陽子', '大輔', '直美', '翔'];
const records = Array.from({ length: rows }, (_, i) => ({
  code: `C${String(i).padStart(7, '0')}`,
  name: `${SURNAMES[i % 10] ?? ''}${GIVEN[Math.floor(i / 10) % 10] ?? ''}${i}`,
  phone: `03${String(i).padStart(8, '0')}`,
  email: `user${i}@example.jp`,
}));
const csv = Buffer.from(
  '顧客コード,名称,電話番号,メール\r\n' +
    records.map((r) => `${r.code},${r.name},${r.phone},${r.email}`).join('\r\n') +
    '\r\n',
  'utf8',
);

const admin: Principal = {
  kind: 'agent',
  id: 1,
  actor: 'bench',
  roleId: 1,
  permissions: new Set(ALL_PERMISSIONS),
  expiresAt: null,
};

async function viaEngine(): Promise<{ ms: number; applied: number; events: number }> {
  const database = openDatabase(join(dir, 'engine.db'));
  migrateDatabase(database);
  const db = database.db;
  const formats = createBusinessFormatsService({
    db,
    clock: systemClock,
    postal: createPostalLookup(),
  });
  formats.ensureBuiltIns();
  const customFields = createCustomFieldsService({ db, clock: systemClock });
  const hub = createHub();
  let events = 0;
  hub.subscribe(() => (events += 1));
  const engine = createImportEngine({
    db,
    clock: systemClock,
    hub,
    limits: { maxBytes: csv.length + 1, maxRows: rows },
    importers: [createCustomersImporter({ db, clock: systemClock, formats, customFields })],
  });
  const start = performance.now();
  const { finished } = await engine.start(
    'customers',
    csv,
    { encoding: 'auto', header: 'auto', delimiter: ',' },
    {},
    admin,
  );
  const job = await finished;
  const ms = performance.now() - start;
  if (job.status !== 'finished' || job.applied !== rows)
    throw new Error(`import: ${job.status} ${job.applied}/${rows} ${job.failure ?? ''}`);
  database.sqlite.close();
  return { ms, applied: job.applied, events };
}

function baseline(): number {
  const database = openDatabase(join(dir, 'baseline.db'));
  migrateDatabase(database);
  const sqlite = database.sqlite;
  const formatId = (
    sqlite
      .prepare(
        "INSERT INTO business_formats (name, built_in, created_at, created_by, updated_at, updated_by) VALUES ('デフォルト', 'default', 0, 'b', 0, 'b') RETURNING id",
      )
      .get() as { id: number }
  ).id;
  const start = performance.now();
  const customer = sqlite.prepare(
    "INSERT INTO customers (format_id, code, name, email, remarks, fields, custom, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, '', '{}', '{}', ?, 'b', ?, 'b')",
  );
  const phone = sqlite.prepare(
    'INSERT INTO customer_phones (customer_id, position, field_id, digits, live) VALUES (?, 0, NULL, ?, 1)',
  );
  const now = Date.now();
  sqlite.transaction(() => {
    for (const r of records) {
      const id = customer.run(formatId, r.code, r.name, r.email, now, now).lastInsertRowid;
      phone.run(id, r.phone);
    }
  })();
  const ms = performance.now() - start;
  sqlite.close();
  return ms;
}

const rssBefore = process.memoryUsage().rss;
const engine = await viaEngine();
const peakRss = process.resourceUsage().maxRSS * 1024;
const baseMs = baseline();
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(`rows: ${rows} (${mb(csv.length)} of CSV)`);
console.log(
  `import engine: ${(engine.ms / 1000).toFixed(2)} s, ${Math.round(rows / (engine.ms / 1000))} rows/s, ${engine.events} feed events`,
);
console.log(
  `baseline (plain better-sqlite3 bulk insert): ${(baseMs / 1000).toFixed(2)} s, ${Math.round(rows / (baseMs / 1000))} rows/s`,
);
console.log(`engine / baseline: ${(engine.ms / baseMs).toFixed(1)}x the time`);
console.log(`RSS before: ${mb(rssBefore)}, peak during the import: ${mb(peakRss)}`);
if (values['db-dir'] === undefined) rmSync(dir, { recursive: true, force: true });
