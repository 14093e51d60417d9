/**
 * POST /imports?kind=mot_groups (MOT グループ CSVインポート, A.5.3) over HTTP: the manual's
 * example, uploaded twice (the second time changes nothing), UTF-8 with BOM and Shift_JIS, a
 * rename and a 削除フラグ by グループID, the manual's `グループIDが存在しません。` for an unknown
 * ID while the good rows apply, a refused upload that changes nothing, and the permissions.
 */
import t from 'tap';
import { buildTestApp, type TestApp } from '../support/app.js';
import { api, codeOf, fileOf, imported, ok, upload, userWith } from '../support/imports.js';

interface Group {
  id: number;
  name: string;
}

const HEADER = 'グループID,グループ名,削除フラグ';
/** A.5.3's example, verbatim. */
const MANUAL = `${HEADER}\n,グループB,\n,グループC,\n,グループD,\n`;

let app: TestApp;

t.before(async () => {
  app = await buildTestApp();
});
t.teardown(() => app.close());

const groups = async () =>
  (await ok<{ items: Group[] }>(api(app).get('/groups?limit=100'))).items
    .map((g) => ({ id: g.id, name: g.name }))
    .sort((a, b) => a.id - b.id);
const idOf = async (name: string) => (await groups()).find((g) => g.name === name)?.id;

t.test('the manual’s example, then the same file again: nothing changes', async (t) => {
  const job = await imported(app, 'mot_groups', MANUAL);
  t.match(job, { status: 'finished', total: 3, applied: 3, inserted: 3, errors: [] });
  const made = await groups();
  t.same(
    made.map((g) => g.name),
    ['グループB', 'グループC', 'グループD'],
  );
  const again = await imported(app, 'mot_groups', MANUAL);
  t.match(again, { applied: 3, inserted: 0, updated: 0, unchanged: 3, errors: [] });
  t.same(await groups(), made);
});

t.test('UTF-8 with BOM and Shift_JIS', async (t) => {
  t.match(await imported(app, 'mot_groups', fileOf(`${HEADER}\n,大阪グループA,\n`, 'bom')), {
    inserted: 1,
    errors: [],
  });
  t.match(await imported(app, 'mot_groups', fileOf(`${HEADER}\n,大阪グループB,0\n`, 'sjis')), {
    inserted: 1,
    errors: [],
  });
  t.ok(await idOf('大阪グループA'));
  t.ok(await idOf('大阪グループB'), 'the Japanese name read from Shift_JIS');
});

t.test('by ID: rename, delete; bad rows reported while the good ones apply', async (t) => {
  const b = await idOf('グループB');
  const c = await idOf('グループC');
  const job = await imported(
    app,
    'mot_groups',
    [
      HEADER,
      `${b},東京グループB,`,
      '99999,どこにもない,',
      `${c},グループC,1`,
      ',,0',
      ',グループD,2',
      `${b},グループD,`,
      ',東京グループE,',
    ].join('\n'),
  );
  t.same(
    job.errors.map((e) => e.message),
    [
      '3行目: グループIDが存在しません。',
      '5行目: (グループ名) 必須項目です',
      '6行目: (削除フラグ) 0か1を書いてください',
      '7行目: (グループ名) 既に登録されているグループ名です',
    ],
  );
  t.match(job, { total: 7, applied: 3, inserted: 1, updated: 2, skipped: 4 });
  const names = (await groups()).map((g) => g.name);
  t.ok(names.includes('東京グループB'), 'renamed');
  t.notOk(names.includes('グループB'));
  t.notOk(names.includes('グループC'), 'deleted');
  t.ok(names.includes('東京グループE'));
  t.equal(await idOf('東京グループB'), b, 'the same group');
});

t.test('a refused upload changes nothing', async (t) => {
  const before = await groups();
  const res = await upload(app, 'mot_groups', ',新グループ,\n');
  t.equal(res.statusCode, 422);
  t.equal(codeOf(res), 'bad_header', 'the title row is required');
  const wrong = await upload(app, 'mot_groups', 'ID,名前\n,新グループ\n');
  t.equal(codeOf(wrong), 'bad_header');
  t.same(await groups(), before);
});

t.test('permissions: groups.update to upload, groups.delete to delete', async (t) => {
  const none = await userWith(app, 'grpnone', ['csv_upload.view', 'csv_upload.upload']);
  t.equal((await upload(app, 'mot_groups', MANUAL, '', none)).statusCode, 403);
  const updater = await userWith(app, 'grpupd', [
    'csv_upload.view',
    'csv_upload.upload',
    'groups.view',
    'groups.update',
  ]);
  const d = await idOf('グループD');
  const job = await imported(
    app,
    'mot_groups',
    `${HEADER}\n,権限グループ,\n${d},グループD,1\n`,
    '',
    updater,
  );
  t.match(job, { inserted: 1, skipped: 1 });
  t.same(
    job.errors.map((e) => e.message),
    ['3行目: (削除フラグ) グループを削除する権限がありません'],
  );
  t.equal(await idOf('グループD'), d, 'not deleted');
});
