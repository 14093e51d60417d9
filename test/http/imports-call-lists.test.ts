/**
 * POST /imports?kind=call_list (MOT コールリスト作成, A.8.2) over HTTP: the template's title row,
 * the manual's own example rows into a new list (its name, groups and 配布 from the upload),
 * UTF-8, UTF-8 with BOM and Shift_JIS files, bad rows reported by row number in the manual's
 * wording while the good rows apply, the list made even when every row fails (A.8.3), a re-upload
 * refused by phone and one keyed by 顧客ID changing the same customers, refused uploads that
 * change nothing, and the permission.
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

interface List {
  id: number;
  name: string;
  distribute: boolean;
  groupIds: number[];
  customerCount: number;
}
interface Customer {
  id: number;
  company: string;
  phone: string;
  values: Record<string, string>;
  lists: { id: number; name: string }[];
  assigneeId: number | null;
}

const HEADER =
  '顧客ID,登録日,区分,業種,会社名,会社名フリガナ,(顧客)担当者名,郵便番号,都道府県,' +
  '住所(市区町村・番地),住所(建物名・部屋番号など),電話番号,FAX番号,メールアドレス,従業員数,年商,' +
  '顧客備考,ユーザID,リストID,取得元';

/** A.8.2's example rows (the e-mail the manual cuts short written out), in the template's columns. */
const MANUAL_ROWS = [
  ',2024/10/30,法人,不動産業・物品賃貸業,株式会社1,イチ,佐藤,1600023,東京都,新宿区西新宿1-1-1,6F,0322222221,,test4@example.jp,,,,,,',
  ',2024/10/30,法人,不動産業・物品賃貸業,株式会社2,ニ,鈴木,1600023,東京都,新宿区西新宿1-1-2,,0322222222,,,,,,,,',
  ',2024/10/30,法人,不動産業・物品賃貸業,株式会社3,サン,不明,1600023,東京都,新宿区西新宿1-1-3,,0322222223,,,,,,,,',
  ',2024/10/30,法人,不動産業・物品賃貸業,株式会社6,ロク,,1600023,東京都,新宿区西新宿1-1-6,,0322222226,,,,,,,,',
  ',2024/10/30,法人,不動産業・物品賃貸業,株式会社7,ナナ,,1600023,東京都,新宿区西新宿1-1-7,1F,0322222227,,test4@example.jp,,,,,,',
];

/** A row of the template's columns: 会社名, 住所, 電話番号 and whatever else is given. */
function row(values: { company: string; phone: string; [k: string]: string }): string {
  const cells: Record<string, string> = {
    区分: '法人',
    業種: '建設業',
    住所: '渋谷区1-1',
    ...values,
  };
  return [
    cells.id ?? '',
    '',
    cells['区分'],
    cells['業種'],
    cells.company,
    '',
    '',
    '',
    '東京都',
    cells['住所'],
    '',
    cells.phone,
    '',
    '',
    '',
    '',
    '',
    cells.user ?? '',
    cells.lists ?? '',
    '',
  ].join(',');
}

let app: TestApp;
let operator: number;

t.before(async () => {
  app = await buildTestApp();
  operator = await createAgent(app, { loginId: 'motop1' });
});
t.teardown(() => app.close());

const listNamed = async (name: string) =>
  (
    await ok<{ items: List[] }>(api(app).get(`/call-lists?name=${encodeURIComponent(name)}`))
  ).items.find((l) => l.name === name);
const customersOf = async (listId: number) =>
  (
    await ok<{ items: Customer[] }>(
      api(app).get(`/call-lists/customers?limit=500&listId=${listId}`),
    )
  ).items;
const everything = async () => ({
  lists: (await ok<{ total: number }>(api(app).get('/call-lists?limit=1'))).total,
  customers: (await ok<{ total: number }>(api(app).get('/call-lists/customers?limit=1'))).total,
});
const q = (listName: string, more = '') => `listName=${encodeURIComponent(listName)}${more}`;

t.test('the template is the A.8.2 title row (and URL, as the download writes it)', async (t) => {
  const res = await api(app).get('/imports/templates/call_list');
  t.equal(res.statusCode, 200);
  t.equal(
    res.body.replace(/^\uFEFF/, '').trim(),
    `${HEADER},URL`
      .split(',')
      .map((c) => `"${c}"`)
      .join(','),
  );
});

t.test('a preview needs no list name and maps the title row', async (t) => {
  const preview = await ok<{ header: string[]; suggestedMapping: string[]; totalRows: number }>(
    app.request('POST', '/api/v1/imports/preview?kind=call_list', {
      token: app.adminToken,
      body: fileOf([HEADER, ...MANUAL_ROWS].join('\n'), 'sjis'),
      headers: { 'content-type': 'text/csv' },
    }),
  );
  t.equal(preview.totalRows, 5);
  t.same(preview.suggestedMapping.slice(0, 6), [
    'customer_id',
    'registered_on',
    'kind',
    'industry',
    'company',
    'company_kana',
  ]);
  t.notOk(preview.suggestedMapping.includes('--'), 'every A.8.2 column is a field');
  t.same(await everything(), { lists: 0, customers: 0 }, 'a preview writes nothing');
});

t.test('the manual’s example rows make a new list with its groups and 配布', async (t) => {
  const group = await ok<{ id: number }>(api(app).post('/groups', { name: '東京グループA' }), 201);
  const job = await imported(
    app,
    'call_list',
    [HEADER, ...MANUAL_ROWS].join('\n'),
    q('新宿区・不動産業(東京グループ)', `&groupIds=${group.id}&distribute=true`),
  );
  t.match(job, {
    kind: 'call_list',
    status: 'finished',
    total: 5,
    applied: 5,
    inserted: 5,
    skipped: 0,
    errors: [],
  });
  const list = await listNamed('新宿区・不動産業(東京グループ)');
  t.match(list, { distribute: true, groupIds: [group.id], customerCount: 5 });
  const customers = await customersOf(list?.id ?? 0);
  const first = customers.find((c) => c.company === '株式会社1');
  t.match(first, { phone: '0322222221' }, 'the leading zero stays');
  t.match(first?.values, {
    registeredOn: '2024-10-30',
    industry: '不動産業・物品賃貸業',
    companyKana: 'イチ',
    address2: '6F',
  });
});

t.test(
  'a mapping chosen by hand names the fields by their keys (address1, address2 …)',
  async (t) => {
    // A file whose own header the engine does not know: every column mapped by the uploader.
    const file = '社名,住所,電話,建物\n株式会社手動,新宿区西新宿2-2-2,0352220001,8F\n';
    const job = await imported(
      app,
      'call_list',
      file,
      `${q('手動マッピング')}&header=true&mapping=company,address1,phone,address2`,
    );
    t.match(job, { status: 'finished', applied: 1, errors: [] });
    const list = await listNamed('手動マッピング');
    t.match((await customersOf(list?.id ?? 0))[0], {
      company: '株式会社手動',
      phone: '0352220001',
      values: { address1: '新宿区西新宿2-2-2', address2: '8F' },
    });
  },
);

for (const encoding of ['utf8', 'bom', 'sjis'] as Encoding[])
  t.test(`a ${encoding} file`, async (t) => {
    const phone = { utf8: '0451110001', bom: '0451110002', sjis: '0451110003' }[encoding];
    const job = await imported(
      app,
      'call_list',
      fileOf([HEADER, row({ company: `横浜商事${encoding}`, phone })].join('\n'), encoding),
      q(`文字コード ${encoding}`),
    );
    t.match(job, { status: 'finished', applied: 1, errors: [] });
    const list = await listNamed(`文字コード ${encoding}`);
    t.same(
      (await customersOf(list?.id ?? 0)).map((c) => [c.company, c.phone]),
      [[`横浜商事${encoding}`, phone]],
      'Japanese read right',
    );
  });

t.test('bad rows are reported by row in the manual’s wording; the good rows apply', async (t) => {
  const job = await imported(
    app,
    'call_list',
    [
      HEADER,
      row({ company: '良い一', phone: '0461110001' }),
      row({ company: '業種違い', phone: '0461110002', 業種: '宇宙開発業' }),
      row({ company: '重複', phone: '0322222221' }),
      row({ company: '住所なし', phone: '0461110003', 住所: '' }),
      row({ company: '同じ番号', phone: '0461110001' }),
      row({ company: 'リスト違い', phone: '0461110004', lists: '99999' }),
      row({ company: '担当違い', phone: '0461110006', user: '99999' }),
      row({ company: '良い二', phone: '0461110005', user: String(operator) }),
    ].join('\n'),
    q('不良行'),
  );
  t.match(job, { status: 'finished', total: 8, applied: 2, skipped: 6 });
  t.same(
    job.errors.map((e) => e.message),
    [
      '3行目: (業種) 未登録の業種です',
      '4行目: (電話番号) 既に登録されている電話番号の為登録できません。',
      '5行目: (住所(市区町村・番地)) 必須項目です',
      '6行目: (電話番号) 既に登録されている電話番号の為登録できません。',
      '7行目: (リストID) リストIDが存在しません。',
      '8行目: (ユーザID) ユーザIDが存在しません。',
    ],
  );
  const list = await listNamed('不良行');
  const applied = await customersOf(list?.id ?? 0);
  t.same(applied.map((c) => c.company).sort(), ['良い一', '良い二']);
  t.equal(
    applied.find((c) => c.company === '良い二')?.assigneeId,
    operator,
    'ユーザID is the customer’s 自社担当者',
  );
});

t.test('re-uploads: refused by phone (A.8.3), or the same customers by 顧客ID', async (t) => {
  const before = await everything();
  const again = await imported(app, 'call_list', [HEADER, ...MANUAL_ROWS].join('\n'), q('再送'));
  t.match(again, { applied: 0, skipped: 5 });
  t.ok(
    again.errors.every((e) =>
      e.message.endsWith('(電話番号) 既に登録されている電話番号の為登録できません。'),
    ),
  );
  const kept = await listNamed('再送');
  t.equal(kept?.customerCount, 0, 'the list is made even when every row fails');
  t.same(await everything(), { lists: before.lists + 1, customers: before.customers });

  const original = await customersOf((await listNamed('新宿区・不動産業(東京グループ)'))?.id ?? 0);
  const keyed = original.map((c) =>
    row({ id: String(c.id), company: c.company, phone: c.phone, 業種: '不動産業・物品賃貸業' }),
  );
  for (const name of ['顧客IDで一回目', '顧客IDで二回目']) {
    const job = await imported(app, 'call_list', [HEADER, ...keyed].join('\n'), q(name));
    t.match(job, { applied: 5, updated: 5, inserted: 0, errors: [] }, name);
  }
  t.same(
    (await everything()).customers,
    before.customers,
    'no customer added: the same five, in the new lists too',
  );
  const twice = await customersOf((await listNamed('顧客IDで二回目'))?.id ?? 0);
  t.same(twice.map((c) => c.id).sort(), original.map((c) => c.id).sort());
  t.match(
    twice[0]?.lists.map((l) => l.name),
    ['新宿区・不動産業(東京グループ)', '顧客IDで一回目', '顧客IDで二回目'],
  );
});

t.test('refused uploads change nothing', async (t) => {
  const before = await everything();
  const file = [HEADER, row({ company: '拒否', phone: '0471110001' })].join('\n');
  const refused = async (res: Awaited<ReturnType<typeof upload>>, status: number, code: string) => {
    t.equal(res.statusCode, status, code);
    t.equal(codeOf(res), code);
  };
  await refused(await upload(app, 'call_list', file), 400, 'invalid_options');
  await refused(
    await upload(app, 'call_list', file.split('\n')[1] ?? '', q('ヘッダなし')),
    422,
    'bad_header',
  );
  await refused(
    await upload(app, 'call_list', file.replace('住所(市区町村・番地)', '住所'), q('列違い')),
    422,
    'bad_header',
  );
  const many = [HEADER];
  for (let i = 0; i < 501; i += 1)
    many.push(row({ company: `多${i}`, phone: `04811${String(i).padStart(5, '0')}` }));
  await refused(await upload(app, 'call_list', many.join('\n'), q('多すぎ')), 422, 'too_many_rows');
  await refused(
    await upload(app, 'call_list', file, q('グループ違い', '&groupIds=99999')),
    422,
    'unknown_groups',
  );
  await app.app.services.imports.idle();
  t.same(await everything(), before, 'no list, no customer');
  t.equal(await listNamed('ヘッダなし'), undefined);
});

t.test('the permission: call_lists.update on top of csv_upload.upload', async (t) => {
  const file = [HEADER, row({ company: '権限', phone: '0491110001' })].join('\n');
  const without = await userWith(app, 'cluploader', ['csv_upload.view', 'csv_upload.upload']);
  const denied = await upload(app, 'call_list', file, q('権限なし'), without);
  t.equal(denied.statusCode, 403);
  t.equal((await api(app, without).get('/imports/templates/call_list')).statusCode, 403);
  const allowed = await userWith(app, 'clmaker', [
    'csv_upload.view',
    'csv_upload.upload',
    'call_lists.update',
  ]);
  t.match(await imported(app, 'call_list', file, q('権限あり'), allowed), { applied: 1 });
  t.equal(await listNamed('権限なし'), undefined);
});
