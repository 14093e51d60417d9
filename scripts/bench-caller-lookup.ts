/**
 * Caller lookup benchmark (CRM自動検索): how long the lookup of a ringing call's number takes
 * among a million customers, next to a primary-key lookup of a customer in the same run.
 *
 *   npx tsx scripts/bench-caller-lookup.ts [--customers 1000000] [--lookups 10000] [--keep]
 *
 * Seeding: a fresh SQLite file in a temporary directory, migrated by the project's migrations;
 * one business format, then the customers and one phone each, inserted with raw better-sqlite3
 * statements in one transaction. Customer i has the number 090 + (i·7919 mod 10⁸), eight
 * digits: 7919 is prime to 10⁸, so every number is distinct; no number begins with 080.
 *
 * Measuring: createCallerLookup(db).matchPhone — the statement the call engine runs — for
 * --lookups numbers, half of existing customers and half missing (080…), in a random order
 * (seeded PRNG), each timed alone; and as the baseline the same count of primary-key lookups
 * (`SELECT … FROM customers WHERE id = ?`) of random customers, interleaved with them so that
 * the machine's load hits both alike. Figures, not assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createCallerLookup } from '../src/crm/customers/caller-lookup.js';
import { migrateDatabase, openDatabase } from '../src/platform/db/client.js';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    lookups: { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
  },
});
const CUSTOMERS = Number(args.customers);
const LOOKUPS = Number(args.lookups);

/** A small deterministic PRNG (mulberry32), so runs are comparable. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const numberOf = (i: number) => `090${String((i * 7919) % 100_000_000).padStart(8, '0')}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-caller-lookup-'));
const path = join(dir, 'bench.db');
const database = openDatabase(path);
migrateDatabase(database);
const { sqlite } = database;

const seedStart = performance.now();
const now = Date.now();
const formatId = Number(
  sqlite
    .prepare(
      `INSERT INTO business_formats (name, created_at, created_by, updated_at, updated_by)
       VALUES ('bench', ?, 'bench', ?, 'bench')`,
    )
    .run(now, now).lastInsertRowid,
);
const insertCustomer = sqlite.prepare(
  `INSERT INTO customers (id, format_id, name, fields, custom, created_at, created_by, updated_at, updated_by)
   VALUES (?, ?, ?, '{}', '{}', ?, 'bench', ?, 'bench')`,
);
const insertPhone = sqlite.prepare(
  'INSERT INTO customer_phones (customer_id, position, digits, live) VALUES (?, 0, ?, 1)',
);
sqlite.transaction(() => {
  for (let i = 1; i <= CUSTOMERS; i++) {
    insertCustomer.run(i, formatId, `顧客 ${i}`, now, now);
    insertPhone.run(i, numberOf(i));
  }
})();
sqlite.exec('ANALYZE');
const seedSeconds = (performance.now() - seedStart) / 1000;

const lookup = createCallerLookup(database.db);
const byId = sqlite.prepare('SELECT id, name, format_id FROM customers WHERE id = ?');
const plan = sqlite
  .prepare(
    `EXPLAIN QUERY PLAN SELECT DISTINCT customer_id FROM customer_phones WHERE digits = ? AND live = 1`,
  )
  .all('09000000000') as { detail: string }[];

const random = prng(20261202);
const customerOf = () => 1 + Math.floor(random() * CUSTOMERS);
const lookupUs: number[] = [];
const pkUs: number[] = [];
let found = 0;
let missingFound = 0;
// Warm the statements and the page cache a little, as a running server would be.
for (let i = 0; i < 200; i++) {
  lookup.matchPhone(numberOf(customerOf()));
  byId.get(customerOf());
}
for (let i = 0; i < LOOKUPS; i++) {
  const existing = random() < 0.5;
  const digits = existing
    ? numberOf(customerOf())
    : `080${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
  let t0 = performance.now();
  const matches = lookup.matchPhone(digits);
  lookupUs.push((performance.now() - t0) * 1000);
  if (existing && matches.length === 1) found++;
  if (!existing && matches.length > 0) missingFound++;

  const id = customerOf();
  t0 = performance.now();
  byId.get(id);
  pkUs.push((performance.now() - t0) * 1000);
}
lookupUs.sort((a, b) => a - b);
pkUs.sort((a, b) => a - b);

const fmt = (us: number) => us.toFixed(1);
const [l50, l99, p50, p99] = [
  percentile(lookupUs, 50),
  percentile(lookupUs, 99),
  percentile(pkUs, 50),
  percentile(pkUs, 99),
];
console.log(`customers: ${CUSTOMERS.toLocaleString('en')} (seeded in ${seedSeconds.toFixed(1)} s)`);
console.log(`query plan: ${plan.map((p) => p.detail).join(' | ')}`);
console.log(
  `lookups: ${LOOKUPS} (${found} existing found once each, ${missingFound} missing numbers matched)`,
);
console.log(`caller lookup   p50 ${fmt(l50)} µs   p99 ${fmt(l99)} µs`);
console.log(`primary key     p50 ${fmt(p50)} µs   p99 ${fmt(p99)} µs`);
console.log(
  `ratio (lookup / primary key)   p50 ${(l50 / p50).toFixed(2)}   p99 ${(l99 / p99).toFixed(2)}`,
);

database.close();
if (args.keep) console.log(`kept: ${path}`);
else rmSync(dir, { recursive: true, force: true });
