/**
 * /cases (§8-2) and /case-statuses over HTTP: CRUD with `#T` IDs, the status list (作業中 and 完了
 * built in, configurable), customer, assignee, tags, details, notes and case custom fields; the
 * search by every criterion (customer-linked too); every refusal with its error and nothing
 * changed; bulk edit (all or none); the CSV download (formulas neutralised, UTF-8 BOM and
 * Shift_JIS); soft delete and restore; permissions; CRM権限 through the linked customer.
 */
import iconv from 'iconv-lite';
import t from 'tap';
import { tags } from '../../src/crm/tags/schema.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

interface Case {
  id: number;
  displayId: string;
  title: string;
  statusId: number;
  statusName: string;
  customer: { id: number; displayId: string; name: string } | null;
  assigneeId: number | null;
  assigneeName: string | null;
  details: string;
  notes: string;
  custom: Record<string, string>;
  tags: { id: number; name: string }[];
  workflowId: number | null;
  stepId: number | null;
  deletedAt: string | null;
  createdBy: string;
  updatedBy: string;
}
interface Status {
  id: number;
  name: string;
  position: number;
  builtIn: string | null;
}
type Res = { statusCode: number; body: string; json(): unknown };
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];
type Page = { items: Case[]; total: number };

let app: TestApp;
let inProgress: Status;
let done: Status;
let vip: number;
let cold: number;
let rankField: number;
let memoField: number;
let agentId: number;
let yamada: { id: number; formatId: number };
let suzuki: { id: number };

t.before(async () => {
  app = await buildTestApp();
  const statuses = await ok<{ items: Status[] }>(api().get('/case-statuses'));
  [inProgress, done] = statuses.items as [Status, Status];
  rankField = (
    await ok<{ id: number }>(
      api().post('/custom-fields', {
        name: '優先度',
        category: 'case',
        type: 'list',
        options: ['高', '低'],
      }),
      201,
    )
  ).id;
  memoField = (
    await ok<{ id: number }>(
      api().post('/custom-fields', { name: 'メモ', category: 'case', type: 'text' }),
      201,
    )
  ).id;
  const now = new Date();
  const audit = { createdAt: now, createdBy: 't', updatedAt: now, updatedBy: 't' };
  [vip, cold] = app.database.db
    .insert(tags)
    .values([
      { name: 'VIP', ...audit },
      { name: '休眠', ...audit },
    ])
    .returning({ id: tags.id })
    .all()
    .map((r) => r.id) as [number, number];
  agentId = await createAgent(app, { loginId: 'caseagent', extension: '2101' });
  yamada = await ok(api().post('/customers', { name: '山田商事' }), 201);
  suzuki = await ok(api().post('/customers', { name: '鈴木工業' }), 201);
  // CRM権限: the agent sees the customers of the デフォルト format, and so their cases.
  await ok(api().put(`/business-formats/${yamada.formatId}/agents`, { agentIds: [agentId] }));
});
t.teardown(() => app.close());

function api(token?: string) {
  const tk = token ?? app.adminToken;
  return {
    get: (url: string) => app.request('GET', `/api/v1${url}`, { token: tk }),
    post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token: tk, body }),
    patch: (url: string, body: unknown) =>
      app.request('PATCH', `/api/v1${url}`, { token: tk, body }),
    put: (url: string, body: unknown) => app.request('PUT', `/api/v1${url}`, { token: tk, body }),
    delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token: tk }),
  };
}

async function ok<T>(res: Promise<Res>, status = 200): Promise<T> {
  const got = await res;
  if (got.statusCode !== status) throw new Error(`${got.statusCode} ${got.body}`);
  return (got.body === '' ? undefined : got.json()) as T;
}

function refused(t: Tap, res: Res, status: number, code: string, what: string) {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  const error = (res.json() as { error: { code: string; message: string; details?: unknown } })
    .error;
  t.equal(error.code, code, what);
  t.type(error.message, 'string', what);
  return error;
}

const everything = () =>
  Promise.all([
    ok<unknown>(api().get('/cases?limit=500&includeDeleted=true')),
    ok<unknown>(api().get('/case-statuses')),
  ]);
const search = (query: string, token?: string) => ok<Page>(api(token).get(`/cases?${query}`));
const ids = (page: Page) => page.items.map((c) => c.id).sort((a, b) => a - b);
const create = (body: Record<string, unknown>) => ok<Case>(api().post('/cases', body), 201);

t.test('case statuses: 作業中 and 完了 built in, more can be added', async (t) => {
  t.match(inProgress, { name: '作業中', builtIn: 'in_progress' });
  t.match(done, { name: '完了', builtIn: 'done' });
  const waiting = await ok<Status>(
    api().post('/case-statuses', { name: '保留中', position: 5 }),
    201,
  );
  t.equal(waiting.builtIn, null);
  const renamed = await ok<Status>(api().patch(`/case-statuses/${waiting.id}`, { name: '待ち' }));
  t.equal(renamed.name, '待ち');
  const c = await create({ title: '待ちの案件', statusId: waiting.id });
  t.equal(c.statusName, '待ち');
  const before = await everything();
  refused(t, await api().post('/case-statuses', { name: '完了' }), 409, 'name_taken', 'name');
  refused(t, await api().delete(`/case-statuses/${done.id}`), 409, 'built_in', 'built in');
  refused(t, await api().delete(`/case-statuses/${waiting.id}`), 409, 'status_in_use', 'in use');
  refused(t, await api().get('/case-statuses/999999'), 404, 'not_found', 'none');
  refused(t, await api().post('/case-statuses', { name: '' }), 400, 'validation_failed', 'empty');
  t.same(await everything(), before, 'nothing changed');
  await ok(api().patch(`/cases/${c.id}`, { statusId: done.id }));
  await ok(api().delete(`/case-statuses/${waiting.id}`), 204);
});

t.test(
  'create and read: #T IDs, 作業中 by default, customer, assignee, tags, fields',
  async (t) => {
    const c = await create({
      title: '請求書の再発行',
      customerId: yamada.id,
      assigneeId: agentId,
      details: '先月分\n2通',
      notes: '至急',
      custom: { [String(rankField)]: '高', [String(memoField)]: '電話済み' },
      tagIds: [vip],
    });
    t.match(c, {
      displayId: `#T${c.id}`,
      title: '請求書の再発行',
      statusId: inProgress.id,
      statusName: '作業中',
      customer: { id: yamada.id, displayId: `#C${yamada.id}`, name: '山田商事' },
      assigneeId: agentId,
      assigneeName: 'Name caseagent',
      details: '先月分\n2通',
      notes: '至急',
      custom: { [String(rankField)]: '高', [String(memoField)]: '電話済み' },
      tags: [{ id: vip, name: 'VIP' }],
      workflowId: null,
      stepId: null,
      deletedAt: null,
      createdBy: 'admin',
    });
    t.same(await ok(api().get(`/cases/${c.id}`)), c, 'read back as created');
    const changed = await ok<Case>(
      api().patch(`/cases/${c.id}`, {
        statusId: done.id,
        customerId: null,
        assigneeId: null,
        custom: { [String(memoField)]: null },
        tagIds: [vip, cold],
      }),
    );
    t.match(changed, { statusName: '完了', customer: null, assigneeId: null, assigneeName: null });
    t.same(changed.custom, { [String(rankField)]: '高' }, 'null clears one value, others stay');
    t.same(changed.tags.map((x) => x.name).sort(), ['VIP', '休眠']);
    refused(t, await api().get('/cases/999999'), 404, 'not_found', 'none');
  },
);

t.test('every refusal says why and changes nothing', async (t) => {
  const c = await create({ title: '拒否テスト' });
  const gone = await ok<{ id: number }>(api().post('/customers', { name: '削除済み' }), 201);
  await ok(api().delete(`/customers/${gone.id}`), 204);
  const before = await everything();
  const attempts: [Promise<Res>, number, string, string][] = [
    [api().post('/cases', {}), 400, 'validation_failed', 'no title'],
    [api().post('/cases', { title: 'x', statusId: 999999 }), 422, 'unknown_status', 'status'],
    [api().post('/cases', { title: 'x', customerId: 999999 }), 422, 'unknown_customer', 'customer'],
    [
      api().post('/cases', { title: 'x', customerId: gone.id }),
      422,
      'unknown_customer',
      'a deleted customer',
    ],
    [api().post('/cases', { title: 'x', assigneeId: 999999 }), 422, 'unknown_agent', 'assignee'],
    [api().post('/cases', { title: 'x', tagIds: [999999] }), 422, 'unknown_tags', 'tags'],
    [
      api().post('/cases', { title: 'x', custom: { [String(rankField)]: '中' } }),
      422,
      'invalid_values',
      'not an option',
    ],
    [
      api().post('/cases', { title: 'x', custom: { '999999': 'v' } }),
      422,
      'invalid_values',
      'no such field',
    ],
    [api().post('/cases', { title: 'x', workflowId: 999999 }), 422, 'unknown_workflow', 'workflow'],
    [api().patch(`/cases/${c.id}`, {}), 400, 'validation_failed', 'nothing to change'],
    [api().patch(`/cases/${c.id}`, { statusId: 999999 }), 422, 'unknown_status', 'status'],
    [api().patch('/cases/999999', { title: 'x' }), 404, 'not_found', 'no case'],
    [api().get('/cases?id=#X1'), 400, 'validation_failed', 'bad id'],
    [api().get('/cases?color=red'), 400, 'validation_failed', 'unknown criterion'],
    [api().get('/cases?custom.999999=x'), 422, 'unknown_custom_field', 'unknown custom field'],
    [api().delete('/cases/abc'), 400, 'validation_failed', 'bad path id'],
  ];
  for (const [res, status, code, what] of attempts) refused(t, await res, status, code, what);
  t.same(await everything(), before, 'nothing changed');
});

t.test('search by every criterion', async (t) => {
  const a = await create({
    title: '検索 解約の相談',
    customerId: yamada.id,
    assigneeId: agentId,
    details: '契約番号 A-100',
    notes: '再架電',
    custom: { [String(rankField)]: '低', [String(memoField)]: '折り返し希望' },
    tagIds: [cold],
  });
  const b = await create({
    title: '検索 住所変更',
    customerId: suzuki.id,
    statusId: done.id,
    details: '新住所',
  });
  const q = async (query: string) =>
    ids(await search(`title=${encodeURIComponent('検索')}&${query}`));
  t.same(await q(''), [a.id, b.id]);
  t.same(await q(`id=${encodeURIComponent(`#T${a.id}`)}`), [a.id], '#T id');
  t.same(await q(`id=${b.id}`), [b.id], 'plain id');
  t.same(await q(`ids=${a.id},${b.id}`), [a.id, b.id]);
  t.same(
    ids(await search(`title=${encodeURIComponent('検索 解約')}`)),
    [a.id],
    'part of the title',
  );
  t.same(await q(`statusId=${done.id}`), [b.id]);
  t.same(await q(`tagId=${cold}`), [a.id]);
  t.same(await q(`customerId=${encodeURIComponent(`#C${suzuki.id}`)}`), [b.id], '顧客連動検索');
  t.same(await q(`customerName=${encodeURIComponent('山田')}`), [a.id], '顧客 by name');
  t.same(await q(`assigneeId=${agentId}`), [a.id]);
  t.same(await q('unassigned=true'), [b.id]);
  t.same(await q(`details=${encodeURIComponent('A-100')}`), [a.id], '詳細');
  t.same(await q(`notes=${encodeURIComponent('架電')}`), [a.id], '注記');
  t.same(await q(`custom.${rankField}=${encodeURIComponent('低')}`), [a.id], 'list field');
  t.same(await q(`custom.${memoField}=${encodeURIComponent('折り返し')}`), [a.id], 'text: a part');
  t.same(await q(`createdFrom=2000-01-01T00:00:00Z&updatedTo=2999-01-01T00:00:00Z`), [a.id, b.id]);
  t.same(await q('createdTo=2000-01-01T00:00:00Z'), []);
  const agentToken = ((await app.login('caseagent', 'Secret123')).json() as { token: string })
    .token;
  t.same(
    ids(await search(`title=${encodeURIComponent('検索')}&assignedToMe=true`, agentToken)),
    [a.id],
    '担当 = 自分',
  );
  const page = await search(`title=${encodeURIComponent('検索')}&limit=1`);
  t.equal(page.total, 2);
  t.equal(page.items[0]?.id, b.id, 'newest first');

  await ok(api().delete(`/cases/${b.id}`), 204);
  t.same(await q(''), [a.id], 'a deleted case is hidden');
  t.same(await q('includeDeleted=true'), [a.id, b.id]);
  const deleted = await ok<Case>(api().get(`/cases/${b.id}`));
  t.type(deleted.deletedAt, 'string');
  refused(
    t,
    await api().patch(`/cases/${b.id}`, { title: 'x' }),
    409,
    'case_deleted',
    'a deleted case is not changed',
  );
  const back = await ok<Case>(api().post(`/cases/${b.id}/restore`, {}));
  t.equal(back.deletedAt, null);
  t.same(await q(''), [a.id, b.id]);
});

t.test('bulk edit: every case changed, or none', async (t) => {
  const x = await create({ title: '一括 X', tagIds: [vip] });
  const y = await create({ title: '一括 Y' });
  const res = await ok<{ updated: number }>(
    api().post('/cases/bulk-edit', {
      ids: [x.id, y.id],
      set: {
        statusId: done.id,
        assigneeId: agentId,
        custom: { [String(rankField)]: '高' },
        addTags: [cold],
        removeTags: [vip],
      },
    }),
  );
  t.equal(res.updated, 2);
  for (const id of [x.id, y.id]) {
    const c = await ok<Case>(api().get(`/cases/${id}`));
    t.match(c, { statusName: '完了', assigneeId: agentId, custom: { [String(rankField)]: '高' } });
    t.same(
      c.tags.map((tg) => tg.name),
      ['休眠'],
    );
  }
  await ok(api().delete(`/cases/${y.id}`), 204);
  const before = await everything();
  const error = refused(
    t,
    await api().post('/cases/bulk-edit', {
      ids: [x.id, y.id, 999999],
      set: { statusId: inProgress.id },
    }),
    422,
    'bulk_edit_refused',
    'one deleted, one missing',
  );
  t.match(error.details, [
    { id: y.id, displayId: `#T${y.id}`, code: 'case_deleted' },
    { id: 999999, code: 'not_found' },
  ]);
  refused(
    t,
    await api().post('/cases/bulk-edit', { ids: [x.id], set: { addTags: [999999] } }),
    422,
    'unknown_tags',
    'unknown tag',
  );
  refused(
    t,
    await api().post('/cases/bulk-edit', { ids: [x.id], set: {} }),
    400,
    'validation_failed',
    'nothing to change',
  );
  refused(
    t,
    await api().post('/cases/bulk-edit', { ids: [x.id], set: { title: 'x' } }),
    400,
    'validation_failed',
    'not a bulk field',
  );
  t.same(await everything(), before, 'nothing changed');
});

t.test('CSV download: checked cases, formulas neutralised, UTF-8 BOM or Shift_JIS', async (t) => {
  const c = await create({
    title: '=HYPERLINK("x")',
    customerId: yamada.id,
    details: '+81 3 1234',
    notes: '@memo',
    custom: { [String(memoField)]: '-1+1' },
    tagIds: [vip],
  });
  const res = await api().get(`/cases/export?ids=${c.id}`);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/csv; charset=utf-8/);
  t.match(res.headers['content-disposition'], /cases\.csv/);
  t.ok(res.body.startsWith('\uFEFF'), 'BOM');
  const [header, row] = res.body.replace('\uFEFF', '').split('\r\n');
  t.match(header, /^"ID","題名","ステータス","顧客ID","顧客","担当","ワークフロー"/);
  t.match(header, /"優先度","メモ"$/, 'the case custom fields last');
  t.match(
    row,
    new RegExp(`^"#T${c.id}","'=HYPERLINK\\(""x""\\)","作業中","#C${yamada.id}","山田商事"`),
  );
  t.match(row, /"'\+81 3 1234","'@memo"/);
  t.match(row, /"'-1\+1"$/);
  const sjis = await app.app.inject({
    method: 'GET',
    url: `/api/v1/cases/export?ids=${c.id}&encoding=shift_jis`,
    headers: { authorization: `Bearer ${app.adminToken}` },
  });
  t.match(sjis.headers['content-type'], /shift_jis/);
  t.match(iconv.decode(sjis.rawPayload, 'cp932'), /山田商事/);
  // The search's criteria: the whole search, in ID order.
  const all = await api().get(`/cases/export?title=${encodeURIComponent('一括')}`);
  t.equal(all.body.trim().split('\r\n').length, 2, 'header + the one live 一括 case');
});

t.test('custom fields of cases: their values go with a deleted field', async (t) => {
  const field = await ok<{ id: number }>(
    api().post('/custom-fields', { name: '一時', category: 'case', type: 'text' }),
    201,
  );
  const c = await create({ title: 'カスタム', custom: { [String(field.id)]: 'v' } });
  refused(
    t,
    await api().patch(`/custom-fields/${field.id}`, { type: 'number' }),
    409,
    'field_in_use',
    'a case holds a value',
  );
  await ok(api().delete(`/custom-fields/${field.id}`), 204);
  t.same((await ok<Case>(api().get(`/cases/${c.id}`))).custom, {});
});

t.test('permissions: agents view and update, not delete, bulk edit or download', async (t) => {
  const token = ((await app.login('caseagent', 'Secret123')).json() as { token: string }).token;
  const agent = api(token);
  const c = await create({ title: '権限' });
  t.equal((await agent.get('/cases')).statusCode, 200);
  t.equal((await agent.get('/case-statuses')).statusCode, 200);
  const mine = await ok<Case>(agent.post('/cases', { title: 'エージェントの案件' }), 201);
  t.equal(mine.createdBy, 'caseagent');
  const before = await everything();
  for (const [res, what] of [
    [agent.delete(`/cases/${c.id}`), 'delete'],
    [agent.post(`/cases/${c.id}/restore`, {}), 'restore'],
    [agent.post('/cases/bulk-edit', { ids: [c.id], set: { statusId: done.id } }), 'bulk edit'],
    [agent.get('/cases/export'), 'download'],
    [agent.post('/case-statuses', { name: 'x' }), 'add a status'],
    [agent.delete(`/case-statuses/${done.id}`), 'delete a status'],
  ] as const)
    refused(t, await res, 403, 'permission_denied', what);
  t.same(await everything(), before, 'nothing changed');
  t.equal((await app.request('GET', '/api/v1/cases')).statusCode, 401, 'no token');
});

t.test('CRM権限: a case of a customer in a hidden format is hidden', async (t) => {
  await createAgent(app, { loginId: 'crmcase' });
  const token = ((await app.login('crmcase', 'Secret123')).json() as { token: string }).token;
  const agent = api(token);
  const other = await ok<{ id: number }>(
    api().post('/business-formats', { name: '秘密業務' }),
    201,
  );
  const secret = await ok<{ id: number }>(
    api().post('/customers', { formatId: other.id, name: '秘密顧客' }),
    201,
  );
  const hidden = await create({ title: '秘密の案件', customerId: secret.id });
  const open = await create({ title: '顧客なしの案件' });
  t.equal((await agent.get(`/cases/${hidden.id}`)).statusCode, 404, 'hidden');
  t.equal((await agent.get(`/cases/${open.id}`)).statusCode, 200, 'no customer: seen');
  t.notOk(
    (await search('limit=500', token)).items.some((c) => c.id === hidden.id),
    'not in the search',
  );
  refused(
    t,
    await agent.post('/cases', { title: 'x', customerId: secret.id }),
    422,
    'unknown_customer',
    'cannot link a hidden customer',
  );
  // A download holds only what the downloader may see.
  const role = await ok<{ id: number }>(
    api().post('/roles', { name: '案件DL', permissions: ['cases.view', 'cases.download'] }),
    201,
  );
  await ok(
    api().post('/agents', {
      loginId: 'casedl',
      name: 'dl',
      nickname: 'dl',
      password: 'Secret123',
      roleId: role.id,
    }),
    201,
  );
  const dl = api(((await app.login('casedl', 'Secret123')).json() as { token: string }).token);
  const csv = await dl.get(`/cases/export?ids=${hidden.id},${open.id}`);
  t.equal(csv.statusCode, 200);
  t.notMatch(csv.body, /秘密の案件/);
  t.match(csv.body, /顧客なしの案件/);

  // Chat's ID links name the records each reader may see (§6-2): `#C3 開発代表`.
  type Link = { kind: string; id: number; label: string | null };
  const posted = await ok<{ links: Link[] }>(
    api().post('/chat/messages', {
      to: { type: 'everyone' },
      body: `#C${secret.id} と #T${hidden.id}、#T${open.id}、#T999999 を確認`,
    }),
    201,
  );
  t.same(
    posted.links.map((l) => l.label),
    [`#C${secret.id} 秘密顧客`, `#T${hidden.id} 秘密の案件`, `#T${open.id} 顧客なしの案件`, null],
    'the sender sees every one that exists',
  );
  const read = await ok<{ items: { links: Link[] }[] }>(agent.get('/chat/messages?limit=200'));
  const mine = read.items.find((m) => m.links.some((l) => l.id === hidden.id));
  t.same(
    mine?.links.map((l) => l.label),
    [null, null, `#T${open.id} 顧客なしの案件`, null],
    'an agent outside the format sees neither its customer nor its case',
  );
});
