/**
 * /call-lists over HTTP (MOT part A): lists made from customer rows (phone uniqueness among live
 * customers, JSIC 業種, auto-numbered customers, a list kept even when every row fails); the
 * index and edit; soft delete that keeps the customers; who may do what; every refusal with the
 * error shape and nothing changed; retrieval only from the lists one may use, and atomic under
 * 20 parallel claims; result upload writing history and the final status; re-creation from a
 * search; the CSV of A.14; data initialisation.
 */
import iconv from 'iconv-lite';
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

interface List {
  id: number;
  name: string;
  distribute: boolean;
  groupIds: number[];
  customerCount: number;
  deletedAt: string | null;
}
interface RowsOutcome {
  list: List;
  total: number;
  applied: number;
  errors: { row: number; code: string; message: string }[];
}
interface Customer {
  id: number;
  displayId: string;
  distributed: boolean;
  finalStatus: string | null;
  company: string;
  phone: string;
  address: string;
  values: Record<string, string>;
  lists: { id: number; name: string }[];
  deletedAt: string | null;
}
interface Claimed {
  number: number;
  listId: number;
  customer: Customer;
}
interface Res {
  statusCode: number;
  body: string;
  json(): unknown;
}

function api(app: TestApp, token = app.adminToken) {
  return {
    get: (url: string) => app.request('GET', `/api/v1${url}`, { token }),
    post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token, body }),
    patch: (url: string, body: unknown) => app.request('PATCH', `/api/v1${url}`, { token, body }),
    delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token }),
  };
}

const row = (i: number, extra: Record<string, unknown> = {}) => ({
  registeredOn: '2024/10/30',
  kind: '法人',
  industry: '不動産業・物品賃貸業',
  company: `株式会社${i}`,
  companyKana: `カブシキガイシャ${i}`,
  postalCode: '1600023',
  prefecture: '東京都',
  address1: `新宿区西新宿1-1-${i}`,
  phone: `03${String(i).padStart(8, '0')}`,
  ...extra,
});

async function makeList(
  app: TestApp,
  name: string,
  customers: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
): Promise<RowsOutcome> {
  const res = await api(app).post('/call-lists', { name, customers, ...extra });
  if (res.statusCode !== 201) throw new Error(`create list: ${res.statusCode} ${res.body}`);
  return res.json() as RowsOutcome;
}

async function tokenOf(app: TestApp, loginId: string, role: 'agent' | 'supervisor' = 'agent') {
  const id = await createAgent(app, { loginId, password: 'Operator1', role });
  const token = ((await app.login(loginId, 'Operator1')).json() as { token: string }).token;
  return { id, token };
}

async function group(app: TestApp, name: string, extension: string, agentIds: number[]) {
  const res = await api(app).post('/groups', {
    name,
    extension,
    members: agentIds.map((agentId) => ({ agentId })),
  });
  if (res.statusCode !== 201) throw new Error(`group: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

async function search(app: TestApp, query = ''): Promise<{ items: Customer[]; total: number }> {
  const res = await api(app).get(`/call-lists/customers?limit=500${query}`);
  if (res.statusCode !== 200) throw new Error(`search: ${res.statusCode} ${res.body}`);
  return res.json() as { items: Customer[]; total: number };
}

async function claim(app: TestApp, token: string, body: Record<string, unknown> = {}) {
  const res = await api(app, token).post('/call-lists/claims', body);
  if (res.statusCode !== 200) throw new Error(`claim: ${res.statusCode} ${res.body}`);
  return (res.json() as { items: Claimed[] }).items;
}

type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

function refused(t: Tap, res: Res, status: number, code: string, what?: string) {
  t.equal(res.statusCode, status, what ?? `${status} ${code}`);
  t.match(res.json(), { error: { code, message: String } }, what ?? `error ${code}`);
}

/** Everything a refused request could have changed. */
const everything = async (app: TestApp): Promise<Record<string, unknown>> => ({
  lists: (await api(app).get('/call-lists?limit=500&includeDeleted=true')).json(),
  customers: (await api(app).get('/call-lists/customers?limit=500&includeDeleted=true')).json(),
  crm: (await api(app).get('/customers?limit=500&includeDeleted=true')).json(),
  results: (await api(app).get('/call-lists/results?limit=500&includeDeleted=true')).json(),
  settings: (await api(app).get('/call-lists/settings')).json(),
});

t.test('a list from rows: customers numbered, 業種 and phone checked, the list kept', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  // A CRM customer (another format) already has this phone: MOT's rule is system-wide.
  const crm = await api(app).post('/customers', { name: '既存', phones: ['03-0000-0009'] });
  t.equal(crm.statusCode, 201);

  const made = await makeList(app, '新宿区・不動産業(東京グループ)', [
    row(1, { contactName: '佐藤', address2: '6F', email: 'a@example.jp', fax: '03-1111-2222' }),
    row(2, { industry: '不動産取引業' }), // a middle division: becomes its major division
    row(3, { industry: '宇宙開発業' }),
    row(4, { phone: '03-0000-0001' }), // the same number as row 1, written with hyphens
    row(9),
    row(5, { industry: '不動産業，物品賃貸業' }), // the official comma spelling
  ]);
  t.equal(made.total, 6);
  t.equal(made.applied, 3);
  t.match(made.errors, [
    { row: 3, code: 'unknown_industry', message: '(業種) 未登録の業種です' },
    {
      row: 4,
      code: 'phone_taken',
      message: '(電話番号) 既に登録されている電話番号の為登録できません。',
    },
    { row: 5, code: 'phone_taken' },
  ]);
  t.match(made.list, {
    name: '新宿区・不動産業(東京グループ)',
    distribute: false,
    customerCount: 3,
  });

  const found = await search(app, `&listId=${made.list.id}`);
  t.equal(found.total, 3);
  const first = found.items.find((c) => c.company === '株式会社1');
  t.match(first, {
    distributed: false,
    finalStatus: null,
    phone: '0300000001',
    address: '東京都新宿区西新宿1-1-16F',
    values: {
      registeredOn: '2024-10-30',
      industry: '不動産業・物品賃貸業',
      contactName: '佐藤',
      fax: '0311112222',
    },
    lists: [{ id: made.list.id }],
  });
  t.equal(
    found.items.find((c) => c.company === '株式会社2')?.values.industry,
    '不動産業・物品賃貸業',
  );
  t.ok(
    found.items.every((c) => /^#C\d+$/.test(c.displayId)),
    'customer IDs are numbered by the CRM',
  );

  // Every row failing still makes the list (顧客登録数 0), to be deleted by hand.
  const empty = await makeList(app, '全部エラー', [row(1), row(6, { industry: 'x' })]);
  t.match(empty, { applied: 0, list: { customerCount: 0 } });
  t.equal(empty.errors.length, 2);

  // Customer ID given: an update of that customer, when its 会社名 matches.
  const again = await makeList(app, '更新', [
    row(1, { customerId: first?.id, contactName: '鈴木' }),
    row(7, { customerId: first?.id }),
  ]);
  t.match(again, { applied: 1, errors: [{ row: 2, code: 'customer_mismatch' }] });
  const updated = (await search(app, `&listId=${again.list.id}`)).items[0];
  t.equal(updated?.id, first?.id);
  t.equal(updated?.values.contactName, '鈴木');
  t.equal(updated?.lists.length, 2, 'on both lists now');
});

t.test('index, edit, soft delete that keeps the customers, restore', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = await makeList(app, 'リスト1', [row(1), row(2)]);
  const b = await makeList(app, 'リスト2', [row(3)]);
  const g = await group(app, '東京グループA', '801', []);

  const page = (await api(app).get(`/call-lists?name=${encodeURIComponent('スト2')}`)).json() as {
    items: List[];
    total: number;
  };
  t.same(
    page.items.map((l) => l.name),
    ['リスト2'],
  );
  t.equal(((await api(app).get('/call-lists')).json() as { total: number }).total, 2);

  const edited = await api(app).patch(`/call-lists/${a.list.id}`, {
    name: 'リスト1改',
    groupIds: [g],
    distribute: true,
  });
  t.equal(edited.statusCode, 200);
  t.match(edited.json(), { name: 'リスト1改', groupIds: [g], distribute: true, customerCount: 2 });
  t.same((await api(app).get(`/call-lists/${a.list.id}`)).json(), edited.json());

  const [first] = (await search(app, `&listId=${a.list.id}`)).items;
  const dialLists = async () =>
    ((await api(app).get(`/customers/${first?.id}/dial-lists`)).json() as { callLists: unknown })
      .callLists;
  t.same(
    await dialLists(),
    [{ listId: a.list.id, name: 'リスト1改', distributed: false, finalStatus: null }],
    'the customer detail’s 自動発信 tab',
  );
  const gone = await api(app).delete(`/call-lists/${a.list.id}`);
  t.equal(gone.statusCode, 200);
  t.same(await dialLists(), [], 'a deleted list is not among them');
  t.ok((gone.json() as List).deletedAt !== null);
  t.same(
    ((await api(app).get('/call-lists')).json() as { items: List[] }).items.map((l) => l.id),
    [b.list.id],
    'hidden from the index',
  );
  t.equal(
    ((await api(app).get('/call-lists?includeDeleted=true')).json() as { total: number }).total,
    2,
  );
  t.equal((await search(app)).total, 3, 'its customers stay');
  const reimport = await makeList(app, '再取込', [row(1)]);
  t.match(reimport.errors, [{ code: 'phone_taken' }], 'and their phones stay taken');

  const back = await api(app).post(`/call-lists/${a.list.id}/restore`, {});
  t.equal(back.statusCode, 200);
  t.equal((back.json() as List).deletedAt, null);
});

t.test('permissions: 401 without a token, 403 without the permission', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op = await tokenOf(app, 'op1');
  const sv = await tokenOf(app, 'sv1', 'supervisor');
  const list = await makeList(app, 'L', [row(1)]);
  const before = await everything(app);
  const adminOnly: [string, string, unknown?][] = [
    ['GET', '/call-lists'],
    ['POST', '/call-lists', { name: 'x' }],
    ['PATCH', `/call-lists/${list.list.id}`, { name: 'y' }],
    ['DELETE', `/call-lists/${list.list.id}`],
    ['GET', '/call-lists/customers/export'],
    ['POST', '/call-lists/recreate', { name: 'r' }],
    ['PATCH', '/call-lists/settings', { claimSize: 3 }],
    ['POST', '/call-lists/initialise', { target: 'lists' }],
  ];
  for (const [method, url, body] of adminOnly) {
    const m = method as 'GET' | 'POST' | 'PATCH' | 'DELETE';
    refused(t, await app.request(m, `/api/v1${url}`, { body }), 401, 'unauthenticated');
    const denied = await app.request(m, `/api/v1${url}`, { token: op.token, body });
    refused(t, denied, 403, 'permission_denied', `${method} ${url} as an operator`);
  }
  refused(
    t,
    await api(app, sv.token).post('/call-lists/initialise', { target: 'lists' }),
    403,
    'permission_denied',
    'data initialisation is for administrators only',
  );
  t.equal(
    (await api(app, sv.token).get('/call-lists')).statusCode,
    200,
    'a supervisor manages lists',
  );
  t.equal((await api(app, op.token).get('/call-lists/mine')).statusCode, 200, 'operators claim');
  t.same(await everything(app), before, 'nothing changed');
});

t.test(
  'A.18 一般権限: what the switches let a general user do, over their own customers',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const op1 = await tokenOf(app, 'op1');
    const op2 = await tokenOf(app, 'op2');
    const admin = api(app);
    const list = await makeList(
      app,
      'L',
      Array.from({ length: 4 }, (_, i) => row(i + 1)),
      { distribute: true },
    );
    const permissionsOf = async (token: string) =>
      ((await api(app, token).get('/me')).json() as { permissions: string[] }).permissions;
    const seen = async (token: string, query = '') => {
      const res = await api(app, token).get(`/call-lists/customers?limit=500${query}`);
      t.equal(res.statusCode, 200);
      return (res.json() as { items: Customer[] }).items.map((c) => c.id).sort((a, b) => a - b);
    };
    const settings = async (patch: Record<string, boolean>) =>
      t.equal((await admin.patch('/call-lists/settings', patch)).statusCode, 200);

    await t.test('the defaults: the customer list and edit, no CSV, no list editing', async (t) => {
      const granted = await permissionsOf(op1.token);
      t.ok(granted.includes('call_list_customers.view'), '顧客一覧');
      t.ok(granted.includes('call_list_customers.update'), '顧客情報の編集 許可');
      t.notOk(granted.includes('call_list_customers.download'), '顧客情報のCSV作成 許可しない');
      t.notOk(granted.includes('call_lists.update'), 'リストの登録・編集 許可しない');
      t.same(await seen(op1.token), [], 'in charge of nobody yet: sees nobody');
    });

    const mine = (await claim(app, op1.token, { count: 2 })).map((c) => c.customer.id);
    const theirs = (await claim(app, op2.token, { count: 2 })).map((c) => c.customer.id);
    t.equal(mine.length + theirs.length, 4, 'two each');
    const [own, other] = [mine[0] ?? 0, theirs[0] ?? 0];

    await t.test('the operator who retrieves a customer is put in charge of it', async (t) => {
      t.same(
        await seen(op1.token),
        [...mine].sort((a, b) => a - b),
        'op1: their two',
      );
      t.same(
        await seen(op2.token),
        [...theirs].sort((a, b) => a - b),
        'op2: theirs',
      );
      t.equal((await seen(app.adminToken)).length, 4, 'the administrator: all four');
      const read = (
        await api(app, op1.token).get(`/call-lists/customers/${own}`)
      ).json() as Customer;
      t.match(read, { id: own, assigneeId: op1.id });
      t.equal((await api(app, op1.token).get(`/call-lists/customers/${other}`)).statusCode, 404);
    });

    await t.test('顧客編集: their own customers, by the CSV rules and the screen’s', async (t) => {
      const op = api(app, op1.token);
      const edited = await op.patch(`/call-lists/customers/${own}`, {
        contactName: '日本 太郎',
        industry: '不動産取引業',
      });
      t.equal(edited.statusCode, 200);
      t.match(edited.json(), {
        values: { contactName: '日本 太郎', industry: '不動産業・物品賃貸業' },
        assigneeId: op1.id,
      });
      const before = await everything(app);
      refused(
        t,
        await op.patch(`/call-lists/customers/${other}`, { remarks: 'x' }),
        404,
        'not_found',
      );
      refused(
        t,
        await op.patch(`/call-lists/customers/${own}`, { assigneeId: op2.id }),
        403,
        'assignee_not_yours',
      );
      refused(
        t,
        await op.patch(`/call-lists/customers/${own}`, { companyKana: '' }),
        422,
        'kana_required',
        '法人 needs its フリガナ',
      );
      refused(
        t,
        await op.patch(`/call-lists/customers/${own}`, { industry: '宇宙業' }),
        422,
        'unknown_industry',
      );
      const otherPhone = (await admin.get(`/call-lists/customers/${other}`)).json() as Customer;
      refused(
        t,
        await op.patch(`/call-lists/customers/${own}`, { phone: otherPhone.phone }),
        409,
        'phone_taken',
      );
      t.same(await everything(app), before, 'nothing changed by the refusals');
    });

    await t.test('the switches, each taking effect at the next request', async (t) => {
      const op = api(app, op1.token);
      refused(t, await op.get('/call-lists/customers/export'), 403, 'permission_denied');
      await settings({ generalMayExportCustomers: true });
      const csv = await op.get('/call-lists/customers/export');
      t.equal(csv.statusCode, 200, '顧客情報のCSV作成 許可');
      t.equal(csv.body.trim().split(/\r?\n/).length, 1 + 2, 'the header and their two customers');

      t.same(
        await seen(op1.token),
        [...mine].sort((a, b) => a - b),
      );
      await settings({ generalSeesAllCustomers: true });
      t.equal((await seen(op1.token)).length, 4, '担当者が未設定の顧客閲覧 許可: every customer');
      await settings({ generalSeesAllCustomers: false });

      refused(t, await op.post('/call-lists', { name: 'mine' }), 403, 'permission_denied');
      await settings({ generalMayEditLists: true });
      t.equal(
        (await op.post('/call-lists', { name: 'mine' })).statusCode,
        201,
        'リストの登録・編集',
      );
      t.equal((await op.get('/call-lists')).statusCode, 200, 'and the list index');
      refused(
        t,
        await op.post('/call-lists/recreate', { name: 'r', filter: { ids: mine } }),
        403,
        'general_role',
        'リスト再作成 stays with administrators',
      );
      refused(t, await op.delete(`/call-lists/${list.list.id}`), 403, 'permission_denied');

      await settings({ generalMayEditCustomers: false });
      t.notOk((await permissionsOf(op1.token)).includes('call_list_customers.update'));
      refused(
        t,
        await op.patch(`/call-lists/customers/${own}`, { remarks: 'x' }),
        403,
        'permission_denied',
        '顧客情報の編集 許可しない: view only',
      );
      t.equal((await op.get(`/call-lists/customers/${own}`)).statusCode, 200, 'still viewed');
    });

    await t.test('the administrator puts another user in charge', async (t) => {
      const moved = await admin.patch(`/call-lists/customers/${own}`, { assigneeId: op2.id });
      t.match(moved.json(), { assigneeId: op2.id });
      t.notOk((await seen(op1.token)).includes(own), 'op1 no longer sees it');
      t.ok((await seen(op2.token)).includes(own), 'op2 does');
      refused(
        t,
        await admin.patch(`/call-lists/customers/${own}`, { assigneeId: 99999 }),
        422,
        'unknown_agent',
      );
    });

    await t.test('通話一覧: a general user’s own calls only', async (t) => {
      const at = '2024-10-30T07:56:16.000Z';
      for (const [who, ids] of [
        [op1, mine],
        [op2, theirs],
      ] as const) {
        const results = ids.map((customerId) => ({ customerId, result: 'answered', calledAt: at }));
        const res = await api(app, who.token).post('/call-lists/results', { results });
        t.equal(res.statusCode, 200);
      }
      type Results = { items: { agentId: number }[] };
      const agentsIn = (res: Res) => (res.json() as Results).items.map((r) => r.agentId);
      const own1 = await api(app, op1.token).get('/call-lists/results?limit=500');
      t.same(agentsIn(own1), [op1.id, op1.id], 'op1: their two calls');
      const asked = await api(app, op1.token).get(
        `/call-lists/results?limit=500&agentId=${op2.id}`,
      );
      t.same(agentsIn(asked), [op1.id, op1.id], 'asking for another’s gives their own still');
      t.equal(agentsIn(await admin.get('/call-lists/results?limit=500')).length, 4, 'admin: all');
    });
  },
);

t.test('CALL_LIST_MAX_CUSTOMERS sets how many customers a list holds (A.8.1: 500)', async (t) => {
  const app = await buildTestApp({ env: { CALL_LIST_MAX_CUSTOMERS: '3' } });
  t.teardown(app.close);
  const three = Array.from({ length: 3 }, (_, i) => row(i + 1));
  t.equal((await api(app).post('/call-lists', { name: 'A', customers: three })).statusCode, 201);
  const before = await everything(app);
  const four = [...three, row(4)].map((r, i) => ({
    ...r,
    phone: `06${String(i).padStart(8, '0')}`,
  }));
  refused(
    t,
    await api(app).post('/call-lists', { name: 'B', customers: four }),
    400,
    'validation_failed',
  );
  const csv =
    '会社名,住所(市区町村・番地),電話番号\n' +
    four.map((r) => `${r.company},${r.address1},${r.phone}`).join('\n');
  const upload = await app.request('POST', '/api/v1/imports?kind=call_list&listName=C', {
    token: app.adminToken,
    body: csv,
    headers: { 'content-type': 'text/csv' },
  });
  refused(t, upload, 422, 'too_many_rows', 'the CSV of 4 rows too');
  t.same(await everything(app), before, 'nothing changed');
});

t.test('every refusal has the error shape and changes nothing', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op = await tokenOf(app, 'op1');
  const list = await makeList(app, 'L', [row(1), row(2)], { distribute: true });
  const deleted = await makeList(app, 'D', []);
  await api(app).delete(`/call-lists/${deleted.list.id}`);
  const customerId = (await search(app)).items[0]?.id ?? 0;
  const before = await everything(app);
  const cases: [Promise<Res>, number, string, string][] = [
    [api(app).post('/call-lists', {}), 400, 'validation_failed', 'no name'],
    [api(app).post('/call-lists', { name: ' ' }), 400, 'validation_failed', 'a blank name'],
    [
      api(app).post('/call-lists', { name: 'x', customers: [{ company: 'A' }] }),
      400,
      'validation_failed',
      'a row without its required columns',
    ],
    [
      api(app).post('/call-lists', {
        name: 'x',
        customers: Array.from({ length: 501 }, (_, i) => row(i + 100)),
      }),
      400,
      'validation_failed',
      'more than 500 customers',
    ],
    [
      api(app).post('/call-lists', { name: 'x', groupIds: [999] }),
      422,
      'unknown_groups',
      'an unknown group',
    ],
    [
      api(app).patch(`/call-lists/${list.list.id}`, {}),
      400,
      'validation_failed',
      'nothing to change',
    ],
    [api(app).patch('/call-lists/999', { name: 'y' }), 404, 'not_found', 'an unknown list'],
    [
      api(app).patch(`/call-lists/${deleted.list.id}`, { name: 'y' }),
      409,
      'list_deleted',
      'deleted',
    ],
    [
      api(app).patch(`/call-lists/${list.list.id}`, { groupIds: [999] }),
      422,
      'unknown_groups',
      'edit with an unknown group',
    ],
    [api(app).delete('/call-lists/999'), 404, 'not_found', 'delete an unknown list'],
    [api(app).get('/call-lists/0'), 400, 'validation_failed', 'id 0'],
    [api(app).get('/call-lists/customers?finalStatus=maybe'), 400, 'validation_failed', 'status'],
    [
      api(app).get('/call-lists/customers?registeredFrom=2024/1/1'),
      400,
      'validation_failed',
      'date',
    ],
    [api(app).patch('/call-lists/settings', { claimSize: 0 }), 400, 'validation_failed', 'size 0'],
    [
      api(app).patch('/call-lists/settings', { claimSize: 51 }),
      400,
      'validation_failed',
      'size 51',
    ],
    [
      api(app).post('/call-lists/recreate', { name: 'r', filter: { company: '存在しない' } }),
      422,
      'no_customers',
      'a search that finds nobody',
    ],
    [
      api(app).post('/call-lists/initialise', { target: 'all' }),
      400,
      'validation_failed',
      'target',
    ],
    [
      api(app, op.token).post('/call-lists/claims', { listId: 999 }),
      404,
      'not_found',
      'claim from an unknown list',
    ],
    [
      api(app, op.token).post('/call-lists/claims', { listId: deleted.list.id }),
      403,
      'list_not_available',
      'claim from a list not distributed to me',
    ],
    [
      api(app, op.token).post('/call-lists/claims', { count: 51 }),
      400,
      'validation_failed',
      'claim too many',
    ],
    [
      api(app, op.token).post('/call-lists/results', {
        results: [{ customerId, result: 'answered', calledAt: '2024-10-30T07:00:00.000Z' }],
      }),
      409,
      'not_retrieved',
      'a result for a customer I do not hold',
    ],
    [
      api(app, op.token).post('/call-lists/results', {
        results: [{ customerId, result: 'answered' }],
      }),
      400,
      'validation_failed',
      'a dialled call without its time',
    ],
    [
      api(app, op.token).post('/call-lists/results', { results: [] }),
      400,
      'validation_failed',
      'empty',
    ],
  ];
  for (const [res, status, code, what] of cases) refused(t, await res, status, code, what);
  t.same(await everything(app), before, 'nothing changed');
});

t.test('operators retrieve only from the lists they may use', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op1 = await tokenOf(app, 'op1');
  const op2 = await tokenOf(app, 'op2');
  const g1 = await group(app, 'G1', '801', [op1.id]);
  const g2 = await group(app, 'G2', '802', [op2.id]);
  const a = await makeList(app, 'A', [row(1), row(2)], { distribute: true, groupIds: [g1] });
  const b = await makeList(app, 'B', [row(3), row(4)], { distribute: true, groupIds: [g2] });
  await makeList(app, 'C (配布しない)', [row(5)], { groupIds: [g1] });
  await makeList(app, 'D (no group)', [row(6)], { distribute: true });

  // 許可 (default): every distributed list goes to everyone, the groups have no effect.
  const mine = (await api(app, op1.token).get('/call-lists/mine')).json() as { items: List[] };
  t.same(
    mine.items.map((l) => l.name),
    ['A', 'B', 'D (no group)'],
  );

  // 許可しない: only the lists of one's groups; a list without groups goes to nobody.
  t.equal(
    (await api(app).patch('/call-lists/settings', { ungroupedToAll: false, claimSize: 10 }))
      .statusCode,
    200,
  );
  const got1 = await claim(app, op1.token);
  t.same(
    got1.map((c) => [c.listId, c.customer.company]),
    [
      [a.list.id, '株式会社1'],
      [a.list.id, '株式会社2'],
    ],
  );
  t.ok(got1.every((c) => c.customer.distributed));
  refused(
    t,
    await api(app, op1.token).post('/call-lists/claims', { listId: b.list.id }),
    403,
    'list_not_available',
  );
  const got2 = await claim(app, op2.token);
  t.same(
    got2.map((c) => c.customer.company),
    ['株式会社3', '株式会社4'],
  );
  t.same(await claim(app, op1.token), [], 'nothing left for op1');
  t.equal((await search(app, '&distributed=undistributed')).total, 2, 'C and D stay 未配布');
  t.equal((await search(app, '&distributed=distributed')).total, 4);
  const held = (await api(app, op1.token).get('/call-lists/held')).json() as { items: Customer[] };
  t.same(
    held.items.map((c) => c.company),
    ['株式会社1', '株式会社2'],
  );
});

t.test('20 parallel claims of 5 from 100 customers hand out 100 distinct ones', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  await makeList(
    app,
    'Big',
    Array.from({ length: 100 }, (_, i) => row(i + 1)),
    { distribute: true },
  );
  await api(app).patch('/call-lists/settings', { claimSize: 5 });
  const operators = await Promise.all(
    Array.from({ length: 10 }, (_, i) => tokenOf(app, `op${i + 1}`)),
  );
  // Two claims at once from each of ten operators.
  const batches = await Promise.all(
    Array.from({ length: 20 }, (_, i) => claim(app, operators[i % 10]?.token ?? '')),
  );
  const ids = batches.flatMap((b) => b.map((c) => c.customer.id));
  t.ok(
    batches.every((b) => b.length === 5),
    'each claim got 5',
  );
  t.equal(ids.length, 100);
  t.equal(new Set(ids).size, 100, 'no customer handed out twice');
  t.same(await claim(app, operators[0]?.token ?? ''), [], 'the list is exhausted');
  t.equal((await search(app, '&distributed=undistributed')).total, 0);
});

t.test('a setting of 1 gives 3 at first, then 1 at a time', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op = await tokenOf(app, 'op1');
  await makeList(
    app,
    'L',
    Array.from({ length: 8 }, (_, i) => row(i + 1)),
    { distribute: true },
  );
  await api(app).patch('/call-lists/settings', { claimSize: 1 });
  t.equal((await claim(app, op.token)).length, 3);
  t.equal((await claim(app, op.token)).length, 1);
  const held = (await api(app, op.token).get('/call-lists/held')).json() as { items: Customer[] };
  const upload = await api(app, op.token).post('/call-lists/results', {
    results: held.items.map((c) => ({ customerId: c.id, result: 'not_called' })),
  });
  t.equal(upload.statusCode, 200);
  t.equal((await claim(app, op.token)).length, 3, 'holding none again: 3');
  t.equal((await claim(app, op.token, { count: 1 })).length, 1);
});

t.test('result upload writes history and the final status 再架電 > 見込み > 結果', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op = await createAgent(app, { loginId: 'op1', password: 'Operator1', extension: '330' });
  const token = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
  const list = await makeList(
    app,
    'L',
    Array.from({ length: 5 }, (_, i) => row(i + 1)),
    { distribute: true },
  );
  const got = await claim(app, token);
  const [c1, c2, c3, c4, c5] = got.map((c) => c.customer.id);
  const at = '2024-10-30T07:56:16.000Z';
  const results = [
    {
      customerId: c1,
      result: 'answered',
      prospect: true,
      recall: true,
      calledAt: at,
      memo: '資料郵送',
    },
    { customerId: c2, result: 'answered', prospect: true, calledAt: at },
    { customerId: c3, result: 'no_answer', calledAt: at, memo: '繋がらない' },
    { customerId: c4, result: 'answered', calledAt: at },
    { customerId: c5, result: 'not_called', calledAt: at },
  ];
  const res = await api(app, token).post('/call-lists/results', { results });
  t.equal(res.statusCode, 200);
  t.match(res.json(), {
    written: 5,
    duplicates: 0,
    customers: [
      { customerId: c1, finalStatus: 'recall' },
      { customerId: c2, finalStatus: 'prospect' },
      { customerId: c3, finalStatus: 'no_answer' },
      { customerId: c4, finalStatus: 'answered' },
      { customerId: c5, finalStatus: 'not_called' },
    ],
  });
  const again = await api(app, token).post('/call-lists/results', { results });
  t.match(again.json(), { written: 0, duplicates: 5 }, 'a retried upload writes nothing twice');

  const history = (await api(app).get(`/call-lists/results?listId=${list.list.id}`)).json() as {
    items: Record<string, unknown>[];
    total: number;
  };
  t.equal(history.total, 5);
  const byCustomer = new Map(history.items.map((h) => [h.customerId, h]));
  t.match(byCustomer.get(c1), {
    agentId: op,
    agentLabel: 'Name op1(330)',
    result: 'answered',
    finalStatus: 'recall',
    called: true,
    memo: '資料郵送',
    calledAt: at,
  });
  t.match(
    byCustomer.get(c1),
    { company: got[0]?.customer.company, phone: got[0]?.customer.phone },
    '通話一覧 names the customer: 会社名 and 電話番号',
  );
  t.match(byCustomer.get(c1), { company: /^株式会社\d$/, phone: /^03\d{8}$/ });
  t.match(byCustomer.get(c3), { result: 'no_answer', called: false }, '応答のみ: not 架電済');
  t.match(byCustomer.get(c5), { result: 'not_called', calledAt: null, called: false });

  const statuses = async (q: string) =>
    (await search(app, `&finalStatus=${q}`)).items.map((c) => c.id).sort((a, b) => a - b);
  t.same(
    await statuses('recall,prospect'),
    [c1, c2].sort((a, b) => (a ?? 0) - (b ?? 0)),
  );
  t.same(await statuses('not_called'), [c5]);
  t.same((await api(app, token).get('/call-lists/held')).json(), { items: [] }, 'nothing owed');

  // 架電済対象 = すべての通話: a no-answer counts as called.
  await api(app).patch('/call-lists/settings', { calledCounts: 'all_calls' });
  const later = await api(app, token).post('/call-lists/results', {
    results: [{ customerId: c3, result: 'no_answer', calledAt: '2024-10-31T01:00:00.000Z' }],
  });
  t.match(later.json(), { written: 1 });
  const last = (await api(app).get(`/call-lists/results?customerId=${c3}`)).json() as {
    items: Record<string, unknown>[];
  };
  t.match(last.items[0], { called: true });
});

t.test('re-create a list from a search: move (default) or add', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op = await tokenOf(app, 'op1');
  const first = await makeList(
    app,
    'リスト2',
    Array.from({ length: 4 }, (_, i) => row(i + 1)),
    { distribute: true },
  );
  const got = await claim(app, op.token);
  await api(app, op.token).post('/call-lists/results', {
    results: got.map((c, i) => ({
      customerId: c.customer.id,
      result: 'no_answer',
      recall: i < 2,
      calledAt: '2024-10-30T07:00:00.000Z',
    })),
  });

  const moved = await api(app).post('/call-lists/recreate', {
    name: '再架電リスト',
    filter: { listId: first.list.id, finalStatuses: ['recall'] },
  });
  t.equal(moved.statusCode, 201);
  const m = moved.json() as { list: List; customers: number; mode: string };
  t.match(m, { customers: 2, mode: 'move', list: { distribute: false, customerCount: 2 } });
  const onNew = await search(app, `&listId=${m.list.id}`);
  t.ok(
    onNew.items.every((c) => !c.distributed && c.finalStatus === 'recall' && c.lists.length === 1),
    'back to 未配布, final status kept, moved off the old list',
  );
  t.equal((await search(app, `&listId=${first.list.id}`)).total, 2);

  await api(app).patch('/call-lists/settings', { recreateKeepsMembership: true });
  const added = await api(app).post('/call-lists/recreate', {
    name: '全員',
    filter: { company: '株式会社' },
  });
  t.match(added.json(), { customers: 4, mode: 'add' });
  const all = await search(app);
  t.ok(
    all.items.every((c) => c.lists.length === 2),
    'each customer is on its old list and the new one',
  );
  // The re-created list is distributed like any other; each customer is still handed out once.
  const newId = (added.json() as { list: List }).list.id;
  await api(app).patch(`/call-lists/${newId}`, { distribute: true });
  await api(app).patch(`/call-lists/${m.list.id}`, { distribute: true });
  const again = await claim(app, op.token);
  t.equal(new Set(again.map((c) => c.customer.id)).size, 4);
  t.equal(again.length, 4);
});

t.test('customer search and the CSV of A.14', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  await makeList(app, 'L', [
    row(1, { company: '=HYPERLINK("x")', contactName: '佐藤' }),
    row(2, { prefecture: '大阪府', address1: '大阪市北区梅田1-1', companyKana: 'ウメダ' }),
    row(3, { registeredOn: '2024/11/05' }),
  ]);
  t.equal((await search(app, `&prefecture=${encodeURIComponent('大阪府')}`)).total, 1);
  t.equal((await search(app, `&address=${encodeURIComponent('北区梅田')}`)).total, 1);
  t.equal((await search(app, `&companyKana=${encodeURIComponent('メダ')}`)).total, 1);
  t.equal((await search(app, '&phone=03-0000-00')).total, 3);
  t.equal((await search(app, '&phone=0300000003')).total, 1);
  t.equal((await search(app, '&registeredFrom=2024-11-01&registeredTo=2024-11-30')).total, 1);
  t.equal((await search(app, '&finalStatus=not_called')).total, 3, 'no result yet: 未架電');

  const csv = await api(app).get(
    `/call-lists/customers/export?prefecture=${encodeURIComponent('東京都')}`,
  );
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], /text\/csv; charset=utf-8/);
  const lines = csv.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  t.equal(lines.length, 3, 'the header and the two Tokyo customers');
  t.ok(lines[0]?.startsWith('"顧客ID","登録日","区分","業種","会社名","会社名フリガナ"'));
  t.match(lines[1], /"2024\/10\/30","法人","不動産業・物品賃貸業","'=HYPERLINK\(""x""\)"/);
  t.match(lines[1], /"0300000001"/, 'the leading zero kept');
  const sjis = await app.request('GET', '/api/v1/call-lists/customers/export?encoding=shift_jis', {
    token: app.adminToken,
  });
  t.match(sjis.headers['content-type'], /shift_jis/);
  t.match(iconv.decode(sjis.rawPayload, 'cp932'), /株式会社3/);
});

t.test('data initialisation (データ初期化)', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op = await tokenOf(app, 'op1');
  await makeList(app, 'L1', [row(1), row(2)], { distribute: true });
  await makeList(app, 'L2', [row(3)]);
  const got = await claim(app, op.token);
  await api(app, op.token).post('/call-lists/results', {
    results: got.map((c) => ({ customerId: c.customer.id, result: 'not_called' })),
  });

  // Lists only, soft: lists and history gone from view, customers kept (and phones taken).
  const soft = await api(app).post('/call-lists/initialise', { target: 'lists' });
  t.same(soft.json(), { lists: 2, customers: 0, results: 2 });
  t.equal(((await api(app).get('/call-lists')).json() as { total: number }).total, 0);
  t.equal(
    ((await api(app).get('/call-lists?includeDeleted=true')).json() as { total: number }).total,
    2,
    'found with 削除済みを表示',
  );
  t.equal(((await api(app).get('/call-lists/results')).json() as { total: number }).total, 0);
  t.equal((await search(app)).total, 3, 'customers kept');
  t.ok((await search(app)).items.every((c) => c.lists.length === 0 && !c.distributed));

  // Customers and lists, soft: the customers are deleted (found with includeDeleted), phones free.
  const both = await api(app).post('/call-lists/initialise', { target: 'customers_and_lists' });
  t.match(both.json(), { customers: 3 });
  t.equal((await search(app)).total, 0);
  t.equal((await search(app, '&includeDeleted=true')).total, 3);
  const reimport = await makeList(app, 'L3', [row(1)]);
  t.equal(reimport.applied, 1, 'a deleted customer no longer holds its phone');

  // Hard: nothing is left to find.
  const hard = await api(app).post('/call-lists/initialise', {
    target: 'customers_and_lists',
    hardDelete: true,
  });
  t.equal(hard.statusCode, 200);
  t.equal((await search(app, '&includeDeleted=true')).total, 0);
  t.equal(
    ((await api(app).get('/call-lists?includeDeleted=true')).json() as { total: number }).total,
    0,
  );
  t.equal(
    ((await api(app).get('/call-lists/results?includeDeleted=true')).json() as { total: number })
      .total,
    0,
  );
  t.equal(
    ((await api(app).get('/customers?includeDeleted=true')).json() as { total: number }).total,
    0,
    'the CRM customers are gone too',
  );
});
