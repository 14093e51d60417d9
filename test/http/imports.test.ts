/**
 * /imports (CSVアップロード, §10-13) with the customers importer over HTTP: UTF-8, UTF-8 with BOM
 * and Shift_JIS files with Japanese names; a mapping with `--`; bad rows reported by line
 * (`N行目: …`) while the good rows are written; a file over the size or row limit refused with
 * nothing changed; machine-dependent characters; a re-upload changing nothing; progress on the
 * `imports` feed topic; who sees a job; the customers download neutralising formulas, and read
 * back by the importer unchanged.
 */
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';
import t from 'tap';
import { tags } from '../../src/crm/tags/schema.js';
import { buildTestApp, roleId, type TestApp } from '../support/app.js';
import { connectFeed } from '../support/ws-client.js';

interface Format {
  id: number;
  fields: { id: number; name: string }[];
}
interface Customer {
  id: number;
  code: string | null;
  name: string;
  phones: string[];
  email: string;
  remarks: string;
  fields: Record<string, string | string[]>;
  custom: Record<string, string>;
  tags: { id: number; name: string }[];
  updatedAt: string;
}
interface Job {
  id: number;
  status: string;
  total: number;
  applied: number;
  skipped: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: { row: number; column: number | null; message: string }[];
  createdBy: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
type Res = { statusCode: number; body: string; json(): unknown };

const MAX_BYTES = 64 * 1024;
const MAX_ROWS = 300;

let app: TestApp;
let format: Format;
let memberNo: string;
let birthday: string;
let vip: number;
let rankField: number;

t.before(async () => {
  app = await buildTestApp({
    env: { IMPORT_MAX_BYTES: String(MAX_BYTES), IMPORT_MAX_ROWS: String(MAX_ROWS) },
  });
  format = await ok<Format>(
    api().post('/business-formats', {
      name: '取込',
      fields: [
        { name: '会員番号', type: 'number' },
        { name: '生年月日', type: 'date' },
      ],
    }),
    201,
  );
  const byName = Object.fromEntries(format.fields.map((x) => [x.name, String(x.id)]));
  memberNo = byName['会員番号'] ?? '';
  birthday = byName['生年月日'] ?? '';
  rankField = (
    await ok<{ id: number }>(
      api().post('/custom-fields', {
        name: 'ランク',
        category: 'customer',
        type: 'list',
        options: ['A', 'B'],
      }),
      201,
    )
  ).id;
  const now = new Date();
  [vip] = app.database.db
    .insert(tags)
    .values([{ name: 'VIP', createdAt: now, createdBy: 't', updatedAt: now, updatedBy: 't' }])
    .returning({ id: tags.id })
    .all()
    .map((r) => r.id) as [number];
});
t.teardown(() => app.close());

function api(token?: string) {
  const tk = token ?? app.adminToken;
  return {
    get: (url: string) => app.request('GET', `/api/v1${url}`, { token: tk }),
    post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token: tk, body }),
    put: (url: string, body: unknown) => app.request('PUT', `/api/v1${url}`, { token: tk, body }),
  };
}

async function ok<T>(res: Promise<Res>, status = 200): Promise<T> {
  const done = await res;
  if (done.statusCode !== status) throw new Error(`${done.statusCode} ${done.body}`);
  return done.json() as T;
}

const upload = (file: Buffer | string, query: string, token?: string) =>
  app.request('POST', `/api/v1/imports?kind=customers&${query}`, {
    token: token ?? app.adminToken,
    body: typeof file === 'string' ? Buffer.from(file, 'utf8') : file,
    headers: { 'content-type': 'text/csv' },
  });

/** Uploads, waits for the job, and returns its report. */
async function imported(file: Buffer | string, query: string, token?: string): Promise<Job> {
  const res = await upload(file, query, token);
  if (res.statusCode !== 202) throw new Error(`${res.statusCode} ${res.body}`);
  const { id } = res.json() as { id: number };
  await app.app.services.imports.idle();
  return ok<Job>(api(token).get(`/imports/${id}`));
}

const everyone = async () =>
  (await ok<{ items: Customer[] }>(api().get('/customers?limit=500'))).items.sort(
    (a, b) => a.id - b.id,
  );
const byCode = async (code: string) =>
  (await ok<{ items: Customer[] }>(api().get(`/customers?code=${encodeURIComponent(code)}`)))
    .items[0];

t.test('a Shift_JIS file without a header, mapped column by column with --', async (t) => {
  const text = '山田太郎,03-0000-0001,007,東京都,NG\r\n' + '佐藤花子,0312345678,0123,大阪府,OK\r\n';
  const job = await imported(
    iconv.encode(text, 'cp932'),
    `formatId=${format.id}&header=false&mapping=name,phones,field.${memberNo},remarks,--`,
  );
  t.match(job, { status: 'finished', total: 2, applied: 2, inserted: 2, skipped: 0, errors: [] });
  const all = await everyone();
  const yamada = all.find((c) => c.name === '山田太郎');
  t.ok(yamada, 'the Japanese name survives Shift_JIS');
  t.same(yamada?.phones, ['0300000001'], 'phones as digits, leading zero kept');
  t.equal(yamada?.fields[memberNo], '007', 'a number keeps its leading zeros');
  t.equal(yamada?.remarks, '東京都');
  t.equal(all.find((c) => c.name === '佐藤花子')?.fields[memberNo], '0123');
});

t.test('UTF-8 with and without BOM, the header suggesting the mapping', async (t) => {
  const header = '顧客コード,名称,電話番号,メール,生年月日,ランク,タグ,どうでもいい\n';
  const withBom = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(header + 'K-001,鈴木一郎,090-1111-2222,ichiro@example.jp,1980/1/2,A,VIP,x\n'),
  ]);
  const preview = await ok<{
    encoding: string;
    header: string[];
    rows: { row: number; cells: string[] }[];
    suggestedMapping: string[];
    fields: { key: string; identifies?: boolean }[];
  }>(
    app.request('POST', `/api/v1/imports/preview?kind=customers&formatId=${format.id}`, {
      token: app.adminToken,
      body: withBom,
      headers: { 'content-type': 'text/csv' },
    }),
  );
  t.equal(preview.encoding, 'utf8');
  t.equal(preview.header[1], '名称', 'the BOM is not part of the first header cell');
  t.same(preview.suggestedMapping, [
    'code',
    'name',
    'phones',
    'email',
    `field.${birthday}`,
    `custom.${rankField}`,
    'tags',
    '--',
  ]);
  t.same(preview.rows[0]?.row, 2, 'rows by their line in the file');
  t.same(
    preview.fields.filter((f) => f.identifies === true).map((f) => f.key),
    ['id', 'code', 'name'],
    'the fields one of which a mapping must map',
  );

  const sjisPreview = await ok<{ encoding: string; rows: { cells: string[] }[] }>(
    app.request('POST', '/api/v1/imports/preview?kind=customers', {
      token: app.adminToken,
      body: iconv.encode('名称\n高橋\n', 'cp932'),
      headers: { 'content-type': 'application/octet-stream' },
    }),
  );
  t.match(sjisPreview, { encoding: 'shift_jis', rows: [{ cells: ['高橋'] }] });

  const job = await imported(withBom, `formatId=${format.id}`);
  t.match(job, { status: 'finished', inserted: 1, errors: [] });
  const noBom = await imported(
    header + 'K-002,田中次郎,0311112222,,2001-12-31,B,,y\n',
    `formatId=${format.id}`,
  );
  t.match(noBom, { status: 'finished', inserted: 1 });
  const ichiro = await byCode('K-001');
  t.match(ichiro, {
    name: '鈴木一郎',
    phones: ['09011112222'],
    email: 'ichiro@example.jp',
    fields: { [birthday]: '1980-01-02' },
    custom: { [String(rankField)]: 'A' },
    tags: [{ id: vip, name: 'VIP' }],
  });
  t.equal((await byCode('K-002'))?.name, '田中次郎');
});

t.test('bad rows are reported by line and column; the good rows are written', async (t) => {
  const before = (await everyone()).length;
  const file = [
    '顧客コード,名称,電話番号,生年月日,タグ',
    'B-1,良い人,0300000101,2000-01-01,',
    'B-2,悪い電話,abc,,',
    'B-3,悪い日付,0300000103,2001-02-30,',
    'B-4,①番さん,0300000104,,',
    'B-5,タグ違い,0300000105,,ない',
    'B-6,,0300000106,,',
    '"B-7,閉じない引用符',
  ].join('\n');
  const job = await imported(file, `formatId=${format.id}`);
  t.equal(job.status, 'finished');
  t.equal(job.applied, 1, 'only the good row');
  t.equal(job.skipped, 6);
  t.equal((await everyone()).length, before + 1);
  t.ok(await byCode('B-1'));
  t.notOk(await byCode('B-2'), 'a bad row is not written');
  const at = (row: number) => job.errors.filter((e) => e.row === row);
  t.match(at(3), [{ column: 3, message: /^3行目: 3列目\(電話番号\) 電話番号ではありません/ }]);
  t.match(at(4), [{ column: 4, message: /^4行目: 4列目\(生年月日\) 日付ではありません/ }]);
  t.match(at(5), [{ column: 2, message: /^5行目: 2列目\(名称\) 機種依存文字「①」/ }]);
  t.match(at(6), [{ column: 5, message: /タグ「ない」はありません/ }]);
  t.match(at(7), [{ column: 2, message: /必須項目です/ }]);
  t.equal(at(8).length, 1, 'a line that is not CSV is reported too');
});

t.test('a phone another customer has is refused, unless duplicates are allowed', async (t) => {
  const dup = await imported('名称,電話番号\n重複さん,03-0000-0001\n', '');
  t.match(dup, { applied: 0, skipped: 1 });
  t.match(
    dup.errors[0]?.message,
    /2行目: 2列目\(電話番号\) 電話番号 0300000001 は #C\d+ の電話番号です/,
  );
  const inFile = await imported('名称,電話番号\n一人目,0399990001\n二人目,0399990001\n', '');
  t.match(inFile, { applied: 1, skipped: 1 }, 'a phone of an earlier row of the same file');
  const allowed = await imported('名称,電話番号\n重複可,03-0000-0001\n', 'allowDuplicates=true');
  t.match(allowed, { applied: 1, skipped: 0 });
});

t.test('limits: too large, too many rows, a bad mapping — refused, nothing changed', async (t) => {
  const before = await everyone();
  const big = '名称\n' + 'x'.repeat(MAX_BYTES + 10) + '\n';
  const tooBig = await upload(big, '');
  t.equal(tooBig.statusCode, 413, tooBig.body);
  t.match((tooBig.json() as ErrorBody).error.code, /file_too_large|body_too_large/);
  const rows = '名称\n' + Array.from({ length: MAX_ROWS + 1 }, (_, i) => `人${i}`).join('\n');
  const tooMany = await upload(rows, '');
  t.equal(tooMany.statusCode, 422);
  t.equal((tooMany.json() as ErrorBody).error.code, 'too_many_rows');
  const unmapped = await upload('a,b\n', 'header=false&mapping=--,remarks');
  t.equal(unmapped.statusCode, 422);
  t.equal((unmapped.json() as ErrorBody).error.code, 'invalid_mapping', 'no name, ID or code');
  const unknown = await upload('a,b\n', 'header=false&mapping=name,field.999999');
  t.equal((unknown.json() as ErrorBody).error.code, 'invalid_mapping');
  const twice = await upload('a,b\n', 'header=false&mapping=name,name');
  t.equal((twice.json() as ErrorBody).error.code, 'invalid_mapping');
  const badFormat = await upload('名称\nx\n', 'formatId=999999');
  t.equal((badFormat.json() as ErrorBody).error.code, 'unknown_format');
  const badTags = await upload('名称\nx\n', 'tagIds=999999');
  t.equal((badTags.json() as ErrorBody).error.code, 'unknown_tags');
  const empty = await upload('', '');
  t.equal(empty.statusCode, 400);
  const kind = await app.request('POST', '/api/v1/imports?kind=nothing', {
    token: app.adminToken,
    body: Buffer.from('名称\nx\n'),
    headers: { 'content-type': 'text/csv' },
  });
  t.equal((kind.json() as ErrorBody).error.code, 'unknown_kind');
  t.same(await everyone(), before, 'nothing changed');
});

t.test('the same file twice: the second upload changes nothing', async (t) => {
  const file = '顧客コード,名称,電話番号,備考\nR-1,再度一,0300000201,a\nR-2,再度二,0300000202,b\n';
  const first = await imported(file, `tagIds=${vip}`);
  t.match(first, { inserted: 2, applied: 2 });
  const before = await everyone();
  const again = await imported(file, `tagIds=${vip}`);
  t.match(again, { inserted: 0, updated: 0, unchanged: 2, skipped: 0 });
  t.same(await everyone(), before, 'not even the update times moved');
  const changed = await imported('顧客コード,備考\nR-1,変更\n', '');
  t.match(changed, { updated: 1 });
  t.match(await byCode('R-1'), { name: '再度一', remarks: '変更', phones: ['0300000201'] });
});

t.test('progress and the end of a job on the imports feed topic', async (t) => {
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  const feed = await connectFeed(`http://127.0.0.1:${port}`, app.adminToken);
  t.teardown(() => feed.close());
  feed.send({ type: 'subscribe', topics: ['imports'] });
  await feed.waitFor((m) => m.type === 'snapshot' && m.topic === 'imports');
  const rows = Array.from(
    { length: 250 },
    (_, i) => `P-${i},進捗${i},05${String(i).padStart(8, '0')}`,
  );
  const job = await imported('顧客コード,名称,電話番号\n' + rows.join('\n'), '');
  t.equal(job.inserted, 250);
  const finished = await feed.waitFor(
    (m) => m.name === 'import_finished' && (m.data as { jobId: number }).jobId === job.id,
  );
  t.match(finished.data, { status: 'finished', total: 250, applied: 250, skipped: 0 });
  const progress = feed.messages
    .filter((m) => m.name === 'import_progress' && (m.data as { jobId: number }).jobId === job.id)
    .map((m) => m.data as { phase: string; done: number; total: number });
  t.ok(progress.length >= 2, 'progress events');
  t.match(progress.at(-1), { phase: 'writing', done: 250, total: 250 });
  t.ok(progress.every((p) => p.total === 250));
});

t.test('who may upload, and who sees a job', async (t) => {
  const uploaderRole = await ok<{ id: number }>(
    api().post('/roles', {
      name: 'uploader',
      permissions: ['csv_upload.view', 'csv_upload.upload', 'customers.view', 'customers.update'],
    }),
    201,
  );
  const viewerRole = await ok<{ id: number }>(
    api().post('/roles', { name: 'viewer', permissions: ['csv_upload.view', 'customers.view'] }),
    201,
  );
  const agent = async (loginId: string, role: number) => {
    const created = await ok<{ id: number }>(
      api().post('/agents', {
        loginId,
        name: loginId,
        nickname: loginId,
        password: 'Secret123',
        roleId: role,
      }),
      201,
    );
    const login = await app.login(loginId, 'Secret123');
    return { id: created.id, token: (login.json() as { token: string }).token };
  };
  const uploader = await agent('uploader1', uploaderRole.id);
  const other = await agent('uploader2', uploaderRole.id);
  const viewer = await agent('viewer1', viewerRole.id);
  const members = await ok<{ agentIds: number[] }>(api().get(`/business-formats/${format.id}`));
  await ok(
    api().put(`/business-formats/${format.id}/agents`, {
      agentIds: [...members.agentIds, uploader.id, other.id],
    }),
  );
  const outside = await upload('名称\n外\n', '', uploader.token);
  t.equal(outside.statusCode, 422, 'the default format is not one of theirs');
  const job = await imported('名称\n担当者\n', `formatId=${format.id}`, uploader.token);
  t.match(job, { status: 'finished', applied: 1, createdBy: 'uploader1' });
  t.equal((await api(other.token).get(`/imports/${job.id}`)).statusCode, 404, 'another’s job');
  t.equal((await api().get(`/imports/${job.id}`)).statusCode, 200, 'csv_upload.view_all');
  const own = await ok<{ items: { id: number }[] }>(api(uploader.token).get('/imports'));
  t.same(
    own.items.map((j) => j.id),
    [job.id],
  );
  const denied = await upload('名称\nx\n', '', viewer.token);
  t.equal(denied.statusCode, 403, 'no csv_upload.upload');
  const agentRole = await roleId(app, 'agent');
  const plain = await agent('plainagent', agentRole);
  t.equal((await api(plain.token).get('/imports')).statusCode, 403);
});

t.test('the template of a kind', async (t) => {
  const res = await api().get(`/imports/templates/customers?formatId=${format.id}`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/csv/);
  t.equal(
    res.body,
    '\uFEFF"ID","顧客コード","名称","電話番号","メール","備考","タグ","会員番号","生年月日","ランク"\r\n',
  );
});

t.test('export neutralises formulas; an export read back changes nothing', async (t) => {
  await ok(
    api().post('/customers', {
      formatId: format.id,
      code: '=1+2',
      name: '=HYPERLINK("http://x")',
      phones: ['0300000301'],
      remarks: "+cmd|'/C calc'!A0",
      fields: { [memberNo]: '-12', [birthday]: '1999-09-09' },
      custom: { [String(rankField)]: 'B' },
      tagIds: [vip],
    }),
    201,
  );
  const exported = await api().get(`/customers/export?formatId=${format.id}`);
  t.equal(exported.statusCode, 200);
  t.match(exported.body, /"'=HYPERLINK\(""http:\/\/x""\)"/, 'a formula is shown, not run');
  t.match(exported.body, /"'\+cmd\|/);
  t.match(exported.body, /"-12"/, 'a negative number is not neutralised');
  t.match(exported.body, /"0300000301"/, 'leading zeros kept');
  const sjis = await app.request(
    'GET',
    `/api/v1/customers/export?formatId=${format.id}&encoding=shift_jis`,
    {
      token: app.adminToken,
    },
  );
  t.match(sjis.headers['content-type'], /shift_jis/);

  const before = await everyone();
  const job = await imported(Buffer.from(exported.rawPayload), `formatId=${format.id}`);
  t.equal(job.status, 'finished');
  t.same(job.errors, [], 'every exported row reads back');
  t.equal(job.inserted, 0);
  t.equal(job.updated, 0);
  t.equal(job.unchanged, job.total, `every row equals its customer ${JSON.stringify(job)}`);
  t.same(await everyone(), before, 'the data is as it was');
  t.ok((await byCode('=1+2'))?.name.startsWith('=HYPERLINK'), 'the quote was taken off again');
});
