/**
 * POST /imports?kind=mot_users (MOT ユーザ CSVインポート, A.6.3) over HTTP: the manual's example
 * makes users who can log in, with 権限 1/0 as the administrator and agent roles, and the
 * extension's phone with MOTパスワード (or, when empty, the login password) as its SIP secret;
 * the same file again changes nothing; groups by name or ID; an update and a 削除フラグ by
 * ユーザID; duplicate login ID and extension, the password rule and an unknown group as row
 * errors while the good rows apply; no password in any report; UTF-8 with BOM and Shift_JIS; a
 * refused upload that changes nothing; the permissions.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { createSecretBox } from '../../src/platform/secrets.js';
import { terminals } from '../../src/terminals/schema.js';
import { buildTestApp, roleId, type TestApp } from '../support/app.js';
import { api, codeOf, fileOf, imported, ok, upload, userWith } from '../support/imports.js';

interface Agent {
  id: number;
  loginId: string;
  name: string;
  extension: string | null;
  roleId: number;
}

const HEADER =
  'ユーザID,ユーザ名,グループ,ログインID,権限,メールアドレス,内線番号,パスワード,MOTパスワード,削除フラグ';
/** A.6.3's example, verbatim. */
const MANUAL = `${HEADER}
,日本太郎,,9663,0,,332,Saburo@9663,332xyz,
,日本花子,,9664,1,,333,Hanako@9664,333zxc,
`;

let app: TestApp;
/** The key sealing the SIP secrets, so the test can open one. */
const KEY = randomBytes(32);

t.before(async () => {
  app = await buildTestApp({ env: { SECRETS_KEY: KEY.toString('base64') } });
});
t.teardown(() => app.close());

const agents = async () =>
  (await ok<{ items: Agent[] }>(api(app).get('/agents?limit=100'))).items.map((a) => ({
    id: a.id,
    loginId: a.loginId,
    name: a.name,
    extension: a.extension,
    roleId: a.roleId,
  }));
const agentOf = async (loginId: string) => (await agents()).find((a) => a.loginId === loginId);
const canLogIn = async (loginId: string, password: string) =>
  (await app.login(loginId, password)).statusCode === 200;
const groupsOf = async (agentId: number) =>
  (
    await ok<{ items: { id: number; name: string }[] }>(
      api(app).get(`/groups?limit=100&agentId=${agentId}`),
    )
  ).items
    .map((g) => g.name)
    .sort();
/** The SIP secret of the phone whose SIP user is the extension, and whose phone it is. */
function phoneOf(extension: string) {
  const row = app.database.db
    .select()
    .from(terminals)
    .where(eq(terminals.sipUser, extension))
    .get();
  if (row === undefined) return undefined;
  const box = createSecretBox(KEY);
  return { agentId: row.agentId, secret: box.open(row.secretSealed) };
}

t.test('the manual’s example, then the same file again', async (t) => {
  const job = await imported(app, 'mot_users', MANUAL);
  t.match(job, { status: 'finished', total: 2, applied: 2, inserted: 2, errors: [] });
  const taro = await agentOf('9663');
  const hanako = await agentOf('9664');
  t.match(taro, { name: '日本太郎', extension: '332', roleId: await roleId(app, 'agent') });
  t.match(hanako, {
    name: '日本花子',
    extension: '333',
    roleId: await roleId(app, 'system_admin'),
  });
  t.ok(await canLogIn('9663', 'Saburo@9663'), 'the password is the login password');
  t.ok(await canLogIn('9664', 'Hanako@9664'));
  t.same(
    phoneOf('332'),
    { agentId: taro?.id, secret: '332xyz' },
    'MOTパスワード is the SIP secret',
  );
  t.same(phoneOf('333'), { agentId: hanako?.id, secret: '333zxc' });

  const before = await agents();
  const again = await imported(app, 'mot_users', MANUAL);
  t.match(again, { applied: 2, inserted: 0, updated: 0, unchanged: 2, errors: [] });
  t.same(await agents(), before, 'nothing changed');
  t.ok(await canLogIn('9663', 'Saburo@9663'), 'the same password');
});

t.test('groups by name or ID; MOTパスワード empty: the login password; by ID', async (t) => {
  const a = await ok<{ id: number }>(api(app).post('/groups', { name: '東京グループA' }), 201);
  const b = await ok<{ id: number }>(api(app).post('/groups', { name: '東京グループB' }), 201);
  const job = await imported(
    app,
    'mot_users',
    `${HEADER}\n,日本一郎,東京グループA|${b.id},966966,0,ichiro@example.jp,331,Ichiro@966966,,\n`,
  );
  t.match(job, { inserted: 1, errors: [] });
  const ichiro = await agentOf('966966');
  t.same(await groupsOf(ichiro?.id ?? 0), ['東京グループA', '東京グループB']);
  t.same(phoneOf('331'), { agentId: ichiro?.id, secret: 'Ichiro@966966' });

  const update = await imported(
    app,
    'mot_users',
    `${HEADER}\n${ichiro?.id},日本一郎改,${a.id},966966,1,,331,,,\n`,
  );
  t.match(update, { updated: 1, errors: [] });
  t.match(await agentOf('966966'), {
    id: ichiro?.id,
    name: '日本一郎改',
    roleId: await roleId(app, 'system_admin'),
  });
  t.same(await groupsOf(ichiro?.id ?? 0), ['東京グループA'], 'the groups named, no more');
  t.ok(await canLogIn('966966', 'Ichiro@966966'), 'an empty パスワード keeps it');

  const removed = await imported(
    app,
    'mot_users',
    `${HEADER}\n${ichiro?.id},日本一郎改,,966966,1,,331,,,1\n`,
  );
  t.match(removed, { updated: 1, errors: [] });
  t.equal(await agentOf('966966'), undefined, '削除フラグ 1 deletes the user');
});

t.test('bad rows are reported by row, no password in them; the good rows apply', async (t) => {
  // A phone whose SIP user is an extension of the file, and another user's.
  const taro = await agentOf('9663');
  await app.app.services.terminals.create(
    { sipUser: '9333', name: '太郎の二台目', agentId: taro?.id ?? null },
    'test',
  );
  const job = await imported(
    app,
    'mot_users',
    [
      HEADER,
      ',良い人,,good1,0,,341,Good@1234,,',
      ',重複ログイン,,9663,0,,342,Dupe@1234,,',
      ',重複内線,,dupext,0,,332,Dupe@1234,,',
      ',弱い,,weak1,0,,343,weakpass,,',
      ',グループ違い,存在しないグループ,nogroup,0,,344,Group@1234,,',
      ',権限違い,,badrole,2,,345,Role@1234,,',
      '99999,いない人,,ghost,0,,346,Ghost@1234,,',
      ',良い人二,,good2,1,,347,Good@5678,mot-secret,',
      ',電話違い,,phone9,0,,9333,Phone@1234,,',
    ].join('\n'),
  );
  t.match(job, { total: 9, applied: 2, inserted: 2, skipped: 7 });
  t.same(
    job.errors.map((e) => e.message),
    [
      '3行目: (ログインID) 既に登録されているログインIDです',
      '4行目: (内線番号) 既に登録されている内線番号です',
      '5行目: (パスワード) 英大文字・英小文字・数字を含む8~128文字の半角英数記号にしてください',
      '6行目: (グループ) 未登録のグループです: 存在しないグループ',
      '7行目: (権限) 0(一般)か1(管理者)を書いてください',
      '8行目: ユーザIDが存在しません。',
      '10行目: (内線番号) この内線番号の電話は他のユーザのものです',
    ],
  );
  const report = JSON.stringify(job);
  for (const secret of ['Dupe@1234', 'weakpass', 'Group@1234', 'mot-secret', 'Good@1234'])
    t.notOk(report.includes(secret), `no ${secret} in the report`);
  t.ok(await agentOf('good1'));
  t.ok(await agentOf('good2'));
  t.equal(await agentOf('weak1'), undefined);
  t.equal(phoneOf('347')?.secret, 'mot-secret');
});

t.test('UTF-8 with BOM and Shift_JIS', async (t) => {
  const bom = await imported(
    app,
    'mot_users',
    fileOf(`${HEADER}\n,文字 太郎,,bomuser,0,,351,Bom@12345,,\n`, 'bom'),
  );
  t.match(bom, { inserted: 1, errors: [] });
  const sjis = await imported(
    app,
    'mot_users',
    fileOf(`${HEADER}\n,文字 花子,,sjisuser,0,,352,Sjis@12345,,\n`, 'sjis'),
  );
  t.match(sjis, { inserted: 1, errors: [] });
  t.match(await agentOf('bomuser'), { name: '文字 太郎' });
  t.match(await agentOf('sjisuser'), { name: '文字 花子' });
});

t.test('a refused upload changes nothing', async (t) => {
  const before = await agents();
  const noHeader = await upload(app, 'mot_users', ',無題,,notitle,0,,361,Title@1234,,\n');
  t.equal(noHeader.statusCode, 422);
  t.equal(codeOf(noHeader), 'bad_header');
  const missing = await upload(app, 'mot_users', 'ユーザ名,ログインID\n無題,notitle\n');
  t.equal(codeOf(missing), 'bad_header');
  t.same(await agents(), before);
});

t.test('permissions: agents.update to upload, agents.delete to delete', async (t) => {
  const none = await userWith(app, 'usrnone', ['csv_upload.view', 'csv_upload.upload']);
  t.equal((await upload(app, 'mot_users', MANUAL, '', none)).statusCode, 403);
  t.equal((await api(app, none).get('/imports/templates/mot_users')).statusCode, 403);
  const updater = await userWith(app, 'usrupd', [
    'csv_upload.view',
    'csv_upload.upload',
    'agents.view',
    'agents.update',
  ]);
  const taro = await agentOf('9663');
  const job = await imported(
    app,
    'mot_users',
    `${HEADER}\n${taro?.id},日本太郎,,9663,0,,332,,,1\n`,
    '',
    updater,
  );
  t.same(
    job.errors.map((e) => e.message),
    ['2行目: (削除フラグ) ユーザを削除する権限がありません'],
  );
  t.ok(await agentOf('9663'), 'not deleted');
  const template = await api(app).get('/imports/templates/mot_users');
  t.equal(
    template.body.replace(/^\uFEFF/, '').trim(),
    HEADER.split(',')
      .map((c) => `"${c}"`)
      .join(','),
    'the template is the A.6.3 title row',
  );
});
