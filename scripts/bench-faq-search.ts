/**
 * FAQ search benchmark: the FAQ free-word search (trigram FTS5 index, crm/faqs) over N entries of
 * Japanese text, next to a plain `LIKE '%q%'` scan of the same queries over the same rows, in the
 * same run.
 *
 *   npx tsx scripts/bench-faq-search.ts [--entries 100000] [--queries 1000] [--db path]
 *
 * Seeding: a fresh SQLite file migrated by the project's migrations (so the FTS table and its
 * triggers are the real ones); entries are inserted with SQL in one transaction, the triggers
 * indexing each. Titles and details are sentences put together from Japanese word lists by a
 * seeded PRNG (deterministic).
 *
 * Queries of 3 or more characters (every one uses the index; 1–2 character terms take the LIKE
 * path in the service, so they would measure the baseline against itself): a quarter words of
 * the word lists (common: thousands of entries each), a quarter product names (rare), a quarter
 * 3–6 character substrings cut from random entries (kana/kanji mixed, often across word
 * boundaries), a quarter cut or words that match nothing.
 *
 * Measured, per query, interleaved (FTS then LIKE, then the other way round for the next):
 *  - fts: FaqsService.list({ q, limit: 50 }) — the first page (newest entry first, with its
 *    tags) and the total;
 *  - like: the same page and total by `title LIKE '%q%' OR details LIKE '%q%'` on the same
 *    connection.
 * Both totals are compared ("same rows"). Figures, not assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createFaqsService } from '../src/crm/faqs/service.js';
import { systemClock } from '../src/platform/clock.js';
import { migrateDatabase, openDatabase } from '../src/platform/db/client.js';
import { percentile } from './bench-support.js';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '1000' },
    db: { type: 'string' },
  },
});
const entries = Number(values.entries);
const queryCount = Number(values.queries);

/** mulberry32: a small seeded PRNG, so every run seeds the same text. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261202);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const SUBJECTS = [
  '商品',
  '注文',
  '配送',
  '返品',
  '解約',
  '会員登録',
  'パスワード',
  'ポイント',
  'クーポン',
  '領収書',
  '請求書',
  '支払い方法',
  'クレジットカード',
  '銀行振込',
  'コンビニ払い',
  '定期便',
  '配送料金',
  'お届け日',
  '住所変更',
  'メールアドレス',
  'ログイン',
  'スマホアプリ',
  '在庫',
  '予約注文',
  'キャンセル',
  '商品交換',
  '保証期間',
  '修理受付',
  'ギフト包装',
  '送り状番号',
  '電話番号',
  'お問い合わせ',
  '退会手続き',
  'プラン変更',
  '月額料金',
  '初期費用',
  '契約内容',
  '解約手続き',
  '利用規約',
  'ご請求額',
  '口座振替',
  '分割払い',
  '海外発送',
  '置き配',
] as const;
const ASKS = [
  'の方法を教えてください',
  'はどこで確認できますか',
  'を変更したい',
  'ができません',
  'について',
  'はいつ届きますか',
  'の期限はありますか',
  'に手数料はかかりますか',
  'を取り消したい',
  'が表示されない',
] as const;
const PLACES = ['北海道', '沖縄', '東京都', '大阪府', '離島', '九州', '東北地方', '全国'] as const;
const WHERE = [
  'マイページ',
  'お問い合わせフォーム',
  'カスタマーセンター',
  '専用アプリ',
  '店頭',
] as const;
const DO = ['確認', '変更', '申請', '手続き', '登録', '解除', '再発行', '受付'] as const;
const WHEN = [
  'ご注文日から7日以内',
  '到着後14日以内',
  '毎月20日まで',
  '発送前まで',
  '24時間以内',
] as const;

/** Product names: katakana words of 3–5 syllables and a model number, 3,000 of them. */
const KANA =
  'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン'.split(
    '',
  );
const PRODUCTS = Array.from({ length: 3000 }, () => {
  const word = Array.from({ length: 3 + Math.floor(random() * 3) }, () => pick(KANA)).join('');
  return `${word}${String(100 + Math.floor(random() * 900))}`;
});
const SYMPTOMS = [
  '電源が入らない',
  '充電できない',
  '異音がする',
  '画面が映らない',
  '水漏れしている',
  '部品が足りない',
  '説明書をなくした',
  '動作が遅い',
  'エラーが表示される',
  '傷がついていた',
] as const;

function sentence(): string {
  switch (Math.floor(random() * 7)) {
    case 5:
      return `${pick(PRODUCTS)}で${pick(SYMPTOMS)}場合は${pick(WHERE)}へご連絡ください。`;
    case 6:
      return `${pick(PRODUCTS)}の${pick(SUBJECTS)}は${pick(WHEN)}に${pick(DO)}してください。`;
    case 0:
      return `${pick(SUBJECTS)}は${pick(WHERE)}から${pick(DO)}できます。`;
    case 1:
      return `${pick(SUBJECTS)}の${pick(DO)}は${pick(WHEN)}にお願いいたします。`;
    case 2:
      return `${pick(PLACES)}への${pick(SUBJECTS)}は${String(300 + Math.floor(random() * 20) * 50)}円です。`;
    case 3:
      return `${pick(SUBJECTS)}と${pick(SUBJECTS)}を同時に${pick(DO)}することはできません。`;
    default:
      return `詳しくは${pick(WHERE)}までお問い合わせください。`;
  }
}
const title = () =>
  random() < 0.5 ? `${pick(SUBJECTS)}${pick(ASKS)}` : `${pick(PRODUCTS)}が${pick(SYMPTOMS)}`;
const details = () => Array.from({ length: 2 + Math.floor(random() * 4) }, sentence).join('');

const dir = values.db === undefined ? mkdtempSync(join(tmpdir(), 'bench-faq-')) : undefined;
const path = values.db ?? join(dir ?? '.', 'faq.db');
const database = openDatabase(path);
migrateDatabase(database);
const { sqlite, db } = database;

let started = performance.now();
const insert = sqlite.prepare(
  `INSERT INTO faqs (title, details, created_at, created_by, updated_at, updated_by)
   VALUES (?, ?, ?, 'bench', ?, 'bench')`,
);
const texts: string[] = [];
const have = (sqlite.prepare('SELECT count(*) AS n FROM faqs').get() as { n: number }).n;
sqlite.transaction(() => {
  if (have > 0) throw new Error(`${path} already holds FAQ entries: give a new file`);
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < entries; i += 1) {
    const t = title();
    const d = details();
    if (i % 100 === 0) texts.push(t + d);
    insert.run(t, d, base + i * 1000, base + i * 1000);
  }
})();
const seedSeconds = (performance.now() - started) / 1000;
sqlite.exec('ANALYZE');

/** 3–6 characters cut from a random entry. */
function cut(): string {
  const text = pick(texts);
  const length = 3 + Math.floor(random() * 4);
  const start = Math.floor(random() * Math.max(1, text.length - length));
  return text.slice(start, start + length);
}
const MISSES = ['ワープ航法', '量子暗号鍵', '恐竜の化石', '宇宙旅行券'] as const;
const queries = Array.from({ length: queryCount }, (_, i) => {
  switch (i % 4) {
    case 0:
      return pick([...SUBJECTS, ...PLACES, ...WHERE, ...SYMPTOMS].filter((w) => w.length >= 3));
    case 1:
      return pick(PRODUCTS);
    case 2:
      return cut();
    default:
      return random() < 0.3 ? pick(MISSES) : cut();
  }
}).filter((q) => q.length >= 3 && !/\s/.test(q));

const faqs = createFaqsService({ db, clock: systemClock });
const likePage = sqlite.prepare(
  `SELECT * FROM faqs WHERE title LIKE @p ESCAPE '\\' OR details LIKE @p ESCAPE '\\'
   ORDER BY id DESC LIMIT 50`,
);
const likeCount = sqlite.prepare(
  `SELECT count(*) AS n FROM faqs WHERE title LIKE @p ESCAPE '\\' OR details LIKE @p ESCAPE '\\'`,
);
const pattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function ftsOnce(q: string): [number, number] {
  const t0 = performance.now();
  const page = faqs.list({ q, limit: 50, offset: 0 });
  return [performance.now() - t0, page.total];
}
function likeOnce(q: string): [number, number] {
  const t0 = performance.now();
  likePage.all({ p: pattern(q) });
  const n = (likeCount.get({ p: pattern(q) }) as { n: number }).n;
  return [performance.now() - t0, n];
}

// A warm-up pass of each, not measured, so both start with a warm page cache.
for (const q of queries.slice(0, 20)) {
  ftsOnce(q);
  likeOnce(q);
}
const fts: number[] = [];
const like: number[] = [];
let differ = 0;
let hits = 0;
started = performance.now();
queries.forEach((q, i) => {
  // Interleaved, each going first every other query, so neither gains from the other's cache.
  let ftsRun: [number, number];
  let likeRun: [number, number];
  if (i % 2 === 0) {
    ftsRun = ftsOnce(q);
    likeRun = likeOnce(q);
  } else {
    likeRun = likeOnce(q);
    ftsRun = ftsOnce(q);
  }
  fts.push(ftsRun[0]);
  like.push(likeRun[0]);
  if (ftsRun[1] !== likeRun[1]) differ += 1;
  if (ftsRun[1] > 0) hits += 1;
});
const wall = (performance.now() - started) / 1000;

const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
const f = sorted(fts);
const l = sorted(like);
const ms = (x: number) => x.toFixed(2).padStart(8);
const p = (xs: number[], q: number) => percentile(xs, q);
console.log(
  `FAQ search: ${String(entries)} entries (seeded in ${seedSeconds.toFixed(1)} s), ` +
    `${String(queries.length)} queries of 3 or more characters (${String(hits)} with hits), ${wall.toFixed(1)} s`,
);
console.log('                   p50 ms   p99 ms   max ms');
console.log(`fts (trigram)   ${ms(p(f, 50))} ${ms(p(f, 99))} ${ms(f.at(-1) ?? NaN)}`);
console.log(`like '%q%'      ${ms(p(l, 50))} ${ms(p(l, 99))} ${ms(l.at(-1) ?? NaN)}`);
console.log(
  `ratio like/fts  ${(p(l, 50) / p(f, 50)).toFixed(1).padStart(8)} ${(p(l, 99) / p(f, 99)).toFixed(1).padStart(8)}`,
);
console.log(
  `same rows: ${differ === 0 ? 'yes' : `no — ${String(differ)} queries differ in total`}`,
);

database.close();
if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
