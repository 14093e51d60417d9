/**
 * /target-lists (発信先リスト, MiiTel B) over HTTP: an empty list, the manual's own CSV rows
 * uploaded (UTF-8, Shift_JIS), contacts upserted by phone into the CRM, every bad row reported
 * with its row number while the good ones apply, the list limit, the bulk actions (assignee
 * shared across lists, 発信対象外 and back, removal that keeps the contact), an operator seeing
 * only their own targets and autocall's order, the download (encoding by choice, formulas
 * neutralised, a round trip), the last call with a target, delete, and permissions.
 */
import iconv from 'iconv-lite';
import t from 'tap';
import { callHistory } from '../../src/calls/schema.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

interface Target {
  customerId: number;
  displayId: string;
  company: string;
  contact: string;
  phone: string;
  categories: string[];
  assignee: { id: number; name: string } | null;
  excluded: boolean;
  position: number;
  lastCall: { type: string; agent: { id: number } | null; at: string } | null;
}
interface List {
  id: number;
  name: string;
  targets: number;
  excluded: number;
  assignees: { id: number }[];
}
interface Report {
  total: number;
  applied: number;
  created: number;
  updated: number;
  skipped: number;
  errors: { row: number; column: string; message: string }[];
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
let op1: number;
let op2: number;

t.before(async () => {
  app = await buildTestApp({ env: { TARGET_LIST_MAX_TARGETS: '20' } });
  op1 = await createAgent(app, { loginId: 'miitel1' });
  op2 = await createAgent(app, { loginId: 'miitel2' });
});
t.teardown(() => app.close());

const token = async (loginId: string) =>
  ((await app.login(loginId, 'Secret123')).json() as { token: string }).token;

function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  tk?: string,
) {
  return app.request(method, `/api/v1${url}`, {
    token: tk ?? app.adminToken,
    ...(body !== undefined && { body }),
  });
}

async function ok<T>(res: ReturnType<typeof call>, status = 200): Promise<T> {
  const done = await res;
  if (done.statusCode !== status) throw new Error(`${done.statusCode} ${done.body}`);
  return done.json() as T;
}

function upload(listId: number, file: string | Buffer, query = '', tk?: string) {
  return app.request('POST', `/api/v1/target-lists/${listId}/targets${query}`, {
    token: tk ?? app.adminToken,
    headers: { 'content-type': 'text/csv' },
    body: typeof file === 'string' ? Buffer.from(file, 'utf8') : file,
  });
}

const targetsOf = async (listId: number, query = '', tk?: string) =>
  (
    await ok<{ items: Target[]; total: number }>(
      call('GET', `/target-lists/${listId}/targets?limit=100${query}`, undefined, tk),
    )
  ).items;

async function newList(name: string): Promise<List> {
  return ok<List>(call('POST', '/target-lists', { name }), 201);
}

/** Everything the API shows of the lists, their targets and the contacts. */
async function everything() {
  const lists = (await ok<{ items: List[] }>(call('GET', '/target-lists?limit=100'))).items;
  const targets = await Promise.all(lists.map((l) => targetsOf(l.id, '&excluded=show')));
  const customers = await ok<{ total: number }>(call('GET', '/customers?limit=1'));
  return { lists, targets, customers: customers.total };
}

t.test(
  'the manual’s CSV into an empty list: contacts made, order and leading zeros kept',
  async (t) => {
    const list = await newList('展示会リード');
    t.match(
      list,
      { name: '展示会リード', targets: 0, excluded: 0, assignees: [] },
      'empty at first',
    );
    const report = await ok<Report>(upload(list.id, MANUAL_ROWS));
    t.same(report, { total: 7, applied: 7, created: 7, updated: 0, skipped: 0, errors: [] });
    const targets = await targetsOf(list.id);
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
      'from the top, as uploaded; leading zeros stay',
    );
    t.same(targets[0]?.categories, ['イベントからのリード', '製品A'], 'categories split on |');
    // The contacts are CRM customers: found by phone like any customer.
    const found = await ok<{ items: { id: number; name: string; formatName: string }[] }>(
      call('GET', '/customers?phone=0300000000'),
    );
    t.match(found.items, [
      { id: targets[0]?.customerId, name: '長田 翔', formatName: '発信先リスト (MiiTel)' },
    ]);
    const acme = await ok<{ name: string }>(call('GET', `/customers/${targets[6]?.customerId}`));
    t.equal(acme.name, 'Acme Inc.', 'a contact without a person is named by its company');
  },
);

t.test('a Shift_JIS upload overwrites by phone, in the list and in the contacts', async (t) => {
  const list = (await ok<{ items: List[] }>(call('GET', '/target-lists?name=展示会'))).items[0];
  if (list === undefined) throw new Error('no list');
  const sjis = iconv.encode(
    '取引先会社名,取引先担当者名,電話番号,カテゴリー\r\nMiiTel 株式会社,長田 翔太,03-0000-0000,製品A\r\n新規商事,佐藤 花子,090-1234-5678,製品B\r\n',
    'cp932',
  );
  const report = await ok<Report>(upload(list.id, sjis, `?assigneeId=${op1}`));
  t.match(report, { total: 2, applied: 2, created: 1, updated: 1, errors: [] });
  const targets = await targetsOf(list.id);
  t.equal(targets.length, 8, 'the same phone is the same target');
  t.match(targets[0], { contact: '長田 翔太', phone: '0300000000', categories: ['製品A'] });
  t.match(targets[7], { company: '新規商事', contact: '佐藤 花子', phone: '09012345678' });
  t.equal(targets[0]?.assignee?.id, op1, 'the upload’s assignee');
  t.equal(targets[1]?.assignee, null, 'rows not in the file keep theirs');
  const contact = await ok<{ name: string }>(call('GET', `/customers/${targets[0]?.customerId}`));
  t.equal(contact.name, '長田 翔太', 'the contact was overwritten');
});

t.test('bad rows are reported by row and skipped; the good ones apply', async (t) => {
  const list = await newList('不良行');
  const file = [
    '電話番号,取引先担当者名,取引先会社名,カテゴリー,発信担当者',
    '0311112222,良い 一,,A,miitel2',
    '0311113333,,,A,',
    'abc,悪い 番号,,A,',
    '03-1111-2222,重複 二,,A,',
    `0311114444,多すぎ,,${Array.from({ length: 101 }, (_, i) => `c${i}`).join('|')},`,
    '0311115555,誰,,A,nobody',
    '0311116666,良い 二,,,MIITEL1',
  ].join('\n');
  const report = await ok<Report>(upload(list.id, file));
  t.equal(report.total, 7);
  t.equal(report.applied, 2);
  t.equal(report.skipped, 5);
  t.same(
    report.errors.map((e) => [e.row, e.column]),
    [
      [3, '取引先担当者名'],
      [4, '電話番号'],
      [5, '電話番号'],
      [6, 'カテゴリー'],
      [7, '発信担当者'],
    ],
  );
  t.match(report.errors[0]?.message, /^3行目: /, 'in the manual’s wording');
  t.match(report.errors[2]?.message, /2行目と同じ電話番号/, 'the duplicate names the first row');
  const targets = await targetsOf(list.id);
  t.same(
    targets.map((x) => [x.contact, x.assignee?.id]),
    [
      ['良い 一', op2],
      ['良い 二', op1],
    ],
    'columns found by name; login IDs regardless of case',
  );
});

t.test('refused uploads change nothing', async (t) => {
  const list = await newList('上限');
  const before = await everything();
  const refused = async (res: Awaited<ReturnType<typeof upload>>, status: number, code: string) => {
    t.equal(res.statusCode, status, code);
    t.equal((res.json() as { error: { code: string } }).error.code, code);
  };
  await refused(await upload(list.id, '会社,名前,電話\nA,B,0300000001\n'), 422, 'bad_header');
  const many = ['取引先会社名,取引先担当者名,電話番号,カテゴリー'];
  for (let i = 0; i < 21; i += 1) many.push(`社${i},,03000100${String(i).padStart(2, '0')},`);
  await refused(await upload(list.id, many.join('\n')), 422, 'too_many_targets');
  await refused(await upload(list.id, MANUAL_ROWS, '?assigneeId=99999'), 422, 'unknown_agent');
  await refused(await upload(list.id, ''), 400, 'empty_file');
  t.equal((await upload(99999, MANUAL_ROWS)).statusCode, 404);
  t.same(await everything(), before, 'nothing changed');
});

t.test('bulk actions on ticked targets', async (t) => {
  const a = await newList('一括A');
  const b = await newList('一括B');
  await ok(upload(a.id, MANUAL_ROWS));
  await ok(upload(b.id, MANUAL_ROWS.split('\n').slice(0, 3).join('\n')));
  const [first, second, third] = await targetsOf(a.id);
  if (first === undefined || second === undefined || third === undefined) throw new Error('rows');
  const bulk = (body: unknown) => call('POST', `/target-lists/${a.id}/targets/bulk`, body);

  t.same(
    await ok(
      bulk({
        action: 'assign',
        customerIds: [first.customerId, second.customerId],
        assigneeId: op2,
      }),
    ),
    { updated: 2 },
  );
  const inB = await targetsOf(b.id);
  t.equal(inB[0]?.assignee?.id, op2, 'the assignee is shared by every list with the target');
  t.same(
    (await ok<List>(call('GET', `/target-lists/${a.id}`))).assignees.map((x) => x.id),
    [op2],
  );

  await ok(bulk({ action: 'exclude', customerIds: [second.customerId] }));
  t.notOk(
    (await targetsOf(a.id)).some((x) => x.customerId === second.customerId),
    '発信対象外 is hidden by default',
  );
  t.same(
    (await targetsOf(a.id, '&excluded=only')).map((x) => x.customerId),
    [second.customerId],
  );
  t.equal((await targetsOf(b.id))[1]?.excluded, false, 'the flag is the list’s own');
  const tab = await ok<{ targetLists: { listId: number }[] }>(
    call('GET', `/customers/${second.customerId}/dial-lists`),
  );
  t.same(
    tab.targetLists.filter((l) => l.listId === a.id || l.listId === b.id),
    [
      { listId: a.id, name: '一括A', excluded: true },
      { listId: b.id, name: '一括B', excluded: false },
    ],
    'the customer detail’s 自動発信 tab: both lists, with the flag of each',
  );
  await ok(bulk({ action: 'include', customerIds: [second.customerId] }));
  t.equal((await targetsOf(a.id)).length, 7, 'included again');

  await ok(bulk({ action: 'remove', customerIds: [third.customerId] }));
  t.equal((await targetsOf(a.id)).length, 6);
  t.equal(
    (await call('GET', `/customers/${third.customerId}`)).statusCode,
    200,
    'the contact is not deleted',
  );

  const before = await everything();
  const res = await bulk({ action: 'exclude', customerIds: [first.customerId, third.customerId] });
  t.equal(res.statusCode, 422);
  t.match(res.json(), {
    error: { code: 'not_in_list', details: { customerIds: [third.customerId] } },
  });
  t.equal(
    (await bulk({ action: 'assign', customerIds: [first.customerId], assigneeId: 99999 }))
      .statusCode,
    422,
  );
  t.equal((await bulk({ action: 'drop', customerIds: [first.customerId] })).statusCode, 400);
  t.equal((await bulk({ action: 'exclude', customerIds: [] })).statusCode, 400);
  t.same(await everything(), before, 'refused bulk actions changed nothing');

  t.same(await ok(bulk({ action: 'assign', customerIds: [first.customerId], assigneeId: null })), {
    updated: 1,
  });
  t.equal((await targetsOf(a.id))[0]?.assignee, null, 'unassigned');
});

t.test('an operator sees only their own lists and targets; autocall’s order', async (t) => {
  const list = await newList('担当別');
  const file = [
    '取引先会社名,取引先担当者名,電話番号,カテゴリー,発信担当者',
    '一社,,0352000001,製品A,miitel1',
    '二社,,0352000002,製品B,miitel2',
    '三社,,0352000003,製品A,miitel1',
    '四社,,0352000004,製品A,miitel1',
  ].join('\n');
  await ok(upload(list.id, file));
  const mine = await token('miitel1');
  const lists = await ok<{ items: List[] }>(
    call('GET', '/target-lists?limit=100', undefined, mine),
  );
  t.ok(
    lists.items.some((l) => l.id === list.id),
    'a list with targets assigned to them',
  );
  t.notOk(
    lists.items.some((l) => l.name === '不良行' && l.assignees.every((x) => x.id !== op1)),
    'no list without them',
  );
  const seen = await targetsOf(list.id, '', mine);
  t.same(
    seen.map((x) => x.company),
    ['一社', '三社', '四社'],
    'only their own targets (B.8)',
  );
  t.same((await targetsOf(list.id, '&category=製品A', mine)).length, 3, 'category filter');
  const third = seen[1];
  if (third === undefined) throw new Error('rows');
  await ok(
    call('POST', `/target-lists/${list.id}/targets/bulk`, {
      action: 'exclude',
      customerIds: [third.customerId],
    }),
  );
  const order = await ok<{ items: Target[] }>(
    call('GET', `/target-lists/${list.id}/dial-order`, undefined, mine),
  );
  t.same(
    order.items.map((x) => x.company),
    ['一社', '四社'],
    'from the top, their own, never the excluded (B.9)',
  );

  const other = await newList('他人のリスト');
  await ok(upload(other.id, '取引先会社名,取引先担当者名,電話番号,カテゴリー\n五社,,0352000005,'));
  t.equal((await call('GET', `/target-lists/${other.id}`, undefined, mine)).statusCode, 404);
  t.equal(
    (await call('GET', `/target-lists/${other.id}/targets`, undefined, mine)).statusCode,
    404,
  );
  t.equal(
    (await call('GET', `/target-lists/${other.id}/dial-order`, undefined, mine)).statusCode,
    404,
  );

  const before = await everything();
  for (const [method, url, body] of [
    ['POST', '/target-lists', { name: 'x' }],
    ['PATCH', `/target-lists/${list.id}`, { name: 'x' }],
    ['DELETE', `/target-lists/${list.id}`, undefined],
    [
      'POST',
      `/target-lists/${list.id}/targets/bulk`,
      { action: 'remove', customerIds: [third.customerId] },
    ],
    ['GET', `/target-lists/${list.id}/export`, undefined],
  ] as const)
    t.equal((await call(method, url, body, mine)).statusCode, 403, `${method} ${url}`);
  t.equal((await upload(list.id, MANUAL_ROWS, '', mine)).statusCode, 403, 'upload');
  t.same(await everything(), before, 'nothing changed');
});

t.test('the last call with a target, by anyone', async (t) => {
  const list = await newList('最終通話');
  await ok(upload(list.id, '取引先会社名,取引先担当者名,電話番号,カテゴリー\n通話社,,0353000001,'));
  t.equal((await targetsOf(list.id))[0]?.lastCall, null, 'never called');
  app.database.db
    .insert(callHistory)
    .values([
      {
        callId: 'tl-1',
        direction: 'outbound',
        type: 'outbound_unanswered',
        fromNumber: '0312340000',
        toNumber: '0353000001',
        agentId: op1,
        startedAt: new Date('2026-11-01T01:00:00Z'),
      },
      {
        callId: 'tl-2',
        direction: 'inbound',
        type: 'inbound',
        fromNumber: '0353000001',
        toNumber: '0312340000',
        agentId: op2,
        startedAt: new Date('2026-11-02T01:00:00Z'),
      },
    ])
    .run();
  t.match((await targetsOf(list.id))[0]?.lastCall, {
    type: 'inbound',
    agent: { id: op2 },
    at: '2026-11-02T01:00:00.000Z',
  });
});

t.test(
  'download: encoding by choice, formulas neutralised, and it uploads back unchanged',
  async (t) => {
    const list = await newList('ダウンロード');
    const file = [
      '取引先会社名,取引先担当者名,電話番号,カテゴリー,発信担当者,発信対象',
      '=HYPERLINK("x"),式 太郎,0354000001,製品A|製品B,miitel1,対象外',
      '普通商事,,0354000002,,,対象',
    ].join('\n');
    t.match(await ok<Report>(upload(list.id, file)), { applied: 2, errors: [] });
    const utf8 = await call('GET', `/target-lists/${list.id}/export`);
    t.equal(utf8.statusCode, 200);
    t.match(utf8.headers['content-type'], /text\/csv; charset=utf-8/);
    t.ok(utf8.body.startsWith('\uFEFF'), 'UTF-8 with a BOM');
    t.match(utf8.body, /"'=HYPERLINK\(""x""\)"/, 'the formula is neutralised');
    t.match(utf8.body, /"0354000001"/, 'leading zero kept');
    t.match(utf8.body, /"miitel1","対象外"/);
    const sjis = await call('GET', `/target-lists/${list.id}/export?encoding=shift_jis`);
    t.match(sjis.headers['content-type'], /shift_jis/);
    t.match(iconv.decode(sjis.rawPayload, 'cp932'), /"普通商事"/, 'Japanese in Shift_JIS');

    // Round trip: the download into a new list gives the same targets.
    const copy = await newList('ダウンロードの写し');
    const back = await ok<Report>(upload(copy.id, sjis.rawPayload, '?encoding=shift_jis'));
    t.match(back, { applied: 2, created: 0, updated: 2, errors: [] }, 'the same contacts');
    const strip = (xs: Target[]) =>
      xs.map(({ company, contact, phone, categories, assignee, excluded, customerId }) => ({
        company,
        contact,
        phone,
        categories,
        assignee: assignee?.id ?? null,
        excluded,
        customerId,
      }));
    const original = strip(await targetsOf(list.id, '&excluded=show'));
    t.same(strip(await targetsOf(copy.id, '&excluded=show')), original, 'unchanged');
    t.equal(
      original[0]?.company,
      '=HYPERLINK("x")',
      'the quote a download adds is not read as data',
    );
  },
);

t.test('rename and delete: the contacts stay', async (t) => {
  const list = await newList('消すリスト');
  await ok(upload(list.id, '取引先会社名,取引先担当者名,電話番号,カテゴリー\n残る社,,0355000001,'));
  const [target] = await targetsOf(list.id);
  t.equal(
    (await ok<List>(call('PATCH', `/target-lists/${list.id}`, { name: '改名' }))).name,
    '改名',
  );
  t.equal((await call('PATCH', `/target-lists/${list.id}`, { name: '' })).statusCode, 400);
  t.equal((await call('DELETE', `/target-lists/${list.id}`)).statusCode, 204);
  t.equal((await call('GET', `/target-lists/${list.id}`)).statusCode, 404);
  t.equal((await call('DELETE', `/target-lists/${list.id}`)).statusCode, 404);
  t.equal((await call('GET', `/customers/${target?.customerId}`)).statusCode, 200, 'contact kept');
});
