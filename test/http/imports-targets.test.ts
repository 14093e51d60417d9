/**
 * POST /imports?kind=targets (MiiTel 発信先リスト, B.3) over HTTP: the manual's own rows into a
 * list, UTF-8, UTF-8 with BOM and Shift_JIS, a re-upload of the same file changing nothing new
 * (the phone is the key), bad rows reported by row while the good rows apply, refused uploads
 * that change nothing, the template, and the permission. The list's own upload
 * (POST /target-lists/{id}/targets, test/http/target-lists.test.ts) runs the same importer.
 */
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import {
  api,
  codeOf,
  fileOf,
  imported,
  ok,
  upload,
  userWith,
  type Encoding,
} from '../support/imports.js';

interface Target {
  customerId: number;
  company: string;
  contact: string;
  phone: string;
  categories: string[];
  assignee: { id: number } | null;
}

/** B.3's example, verbatim. */
const MANUAL_ROWS = `取引先会社名,取引先担当者名,電話番号,カテゴリー
MiiTel 株式会社,長田 翔,0300000000,イベントからのリード|製品A
山田スポーツ株式会社,山田圭,08000000000,イベントからのリード|製品A
豊島造船株式会社,豊島 章,0622222222,イベントからのリード|製品B
加藤整形外科,加藤さおり,05233333333,イベントからのリード|製品A
片口テクノロジー株式会社,片口 剛,05000000000,イベントからのリード|製品C
,山川緑,0311111111,イベントからのリード|製品C
Acme Inc.,,0322222222,イベントからのリード|製品A
`;

let app: TestApp;
let operator: number;

t.before(async () => {
  app = await buildTestApp({ env: { TARGET_LIST_MAX_TARGETS: '30' } });
  operator = await createAgent(app, { loginId: 'caller1' });
});
t.teardown(() => app.close());

const newList = async (name: string) =>
  (await ok<{ id: number }>(api(app).post('/target-lists', { name }), 201)).id;
const targetsOf = async (listId: number) =>
  (
    await ok<{ items: Target[] }>(
      api(app).get(`/target-lists/${listId}/targets?limit=100&excluded=show`),
    )
  ).items;
const customerCount = async () =>
  (await ok<{ total: number }>(api(app).get('/customers?limit=1'))).total;

t.test('the template is the title row of B.3 and our two columns', async (t) => {
  const res = await api(app).get('/imports/templates/targets');
  t.equal(res.statusCode, 200);
  t.equal(
    res.body.replace(/^\uFEFF/, '').trim(),
    '"取引先会社名","取引先担当者名","電話番号","カテゴリー","発信担当者","発信対象"',
  );
});

t.test('the manual’s rows, then the same file again: nothing new', async (t) => {
  const listId = await newList('展示会');
  const job = await imported(app, 'targets', MANUAL_ROWS, `targetListId=${listId}`);
  t.match(job, { status: 'finished', total: 7, applied: 7, inserted: 7, errors: [] });
  const targets = await targetsOf(listId);
  t.same(
    targets.map((x) => [x.company, x.contact, x.phone]),
    [
      ['MiiTel 株式会社', '長田 翔', '0300000000'],
      ['山田スポーツ株式会社', '山田圭', '08000000000'],
      ['豊島造船株式会社', '豊島 章', '0622222222'],
      ['加藤整形外科', '加藤さおり', '05233333333'],
      ['片口テクノロジー株式会社', '片口 剛', '05000000000'],
      ['', '山川緑', '0311111111'],
      ['Acme Inc.', '', '0322222222'],
    ],
  );
  t.same(targets[0]?.categories, ['イベントからのリード', '製品A']);
  const customers = await customerCount();
  const again = await imported(app, 'targets', MANUAL_ROWS, `targetListId=${listId}`);
  t.match(again, { applied: 7, inserted: 0, updated: 7, errors: [] }, 'overwritten by phone');
  t.same(await targetsOf(listId), targets, 'the same targets, in the same order');
  t.equal(await customerCount(), customers, 'no contact added');
});

for (const encoding of ['utf8', 'bom', 'sjis'] as Encoding[])
  t.test(`a ${encoding} file`, async (t) => {
    const listId = await newList(`文字コード ${encoding}`);
    const phone = { utf8: '045-111-0001', bom: '045-111-0002', sjis: '045-111-0003' }[encoding];
    const job = await imported(
      app,
      'targets',
      fileOf(
        `取引先会社名,取引先担当者名,電話番号,カテゴリー\n横浜物産,横浜 一郎,${phone},製品A\n`,
        encoding,
      ),
      `targetListId=${listId}&assigneeId=${operator}`,
    );
    t.match(job, { applied: 1, errors: [] });
    t.match(await targetsOf(listId), [
      {
        company: '横浜物産',
        contact: '横浜 一郎',
        phone: phone.replace(/-/g, ''),
        assignee: { id: operator },
      },
    ]);
  });

t.test('bad rows are reported by row; the good rows apply', async (t) => {
  const listId = await newList('不良行');
  const job = await imported(
    app,
    'targets',
    [
      '電話番号,取引先担当者名,取引先会社名,カテゴリー,発信担当者',
      '0351110001,良い 一,,A,CALLER1',
      '0351110002,,,A,',
      'abc,悪い 番号,,A,',
      '03-5111-0001,重複,,A,',
      '0351110003,誰,,A,nobody',
      '0351110004,良い 二,,,',
    ].join('\n'),
    `targetListId=${listId}`,
  );
  t.match(job, { total: 6, applied: 2, skipped: 4 });
  t.same(
    job.errors.map((e) => [e.row, e.column]),
    [
      [3, 2],
      [4, 1],
      [5, 1],
      [6, 5],
    ],
  );
  t.match(job.errors[0]?.message, /^3行目: 2列目\(取引先担当者名\) /);
  t.match(job.errors[2]?.message, /^5行目: 1列目\(電話番号\) 2行目と同じ電話番号です$/);
  t.match(job.errors[3]?.message, /nobody というユーザはいません/);
  t.same(
    (await targetsOf(listId)).map((x) => [x.contact, x.assignee?.id ?? null]),
    [
      ['良い 一', operator],
      ['良い 二', null],
    ],
  );
});

t.test('refused uploads change nothing', async (t) => {
  const listId = await newList('拒否');
  const customers = await customerCount();
  const refused = async (res: Awaited<ReturnType<typeof upload>>, status: number, code: string) => {
    t.equal(res.statusCode, status, code);
    t.equal(codeOf(res), code);
  };
  await refused(await upload(app, 'targets', MANUAL_ROWS), 400, 'invalid_options');
  await refused(await upload(app, 'targets', MANUAL_ROWS, 'targetListId=99999'), 404, 'not_found');
  await refused(
    await upload(app, 'targets', '会社,名前,電話\nA,B,0300000001\n', `targetListId=${listId}`),
    422,
    'bad_header',
  );
  await refused(
    await upload(app, 'targets', MANUAL_ROWS, `targetListId=${listId}&assigneeId=99999`),
    422,
    'unknown_agent',
  );
  // Over the list's limit: the job fails whole, nothing written.
  const many = ['取引先会社名,取引先担当者名,電話番号,カテゴリー'];
  for (let i = 0; i < 31; i += 1) many.push(`社${i},,0360000${String(i).padStart(3, '0')},`);
  const failed = await imported(app, 'targets', many.join('\n'), `targetListId=${listId}`);
  t.match(failed, { status: 'failed', applied: 0 });
  t.match(failed.failure, /at most 30 targets/);
  t.same(await targetsOf(listId), [], 'no target');
  t.equal(await customerCount(), customers, 'no contact');
});

t.test('the permission: target_lists.update on top of csv_upload.upload', async (t) => {
  const listId = await newList('権限');
  const without = await userWith(app, 'tluploader', ['csv_upload.view', 'csv_upload.upload']);
  t.equal(
    (await upload(app, 'targets', MANUAL_ROWS, `targetListId=${listId}`, without)).statusCode,
    403,
  );
  const allowed = await userWith(app, 'tlmaker', [
    'csv_upload.view',
    'csv_upload.upload',
    'target_lists.update',
  ]);
  t.match(await imported(app, 'targets', MANUAL_ROWS, `targetListId=${listId}`, allowed), {
    applied: 7,
  });
  t.equal((await targetsOf(listId)).length, 7);
});
