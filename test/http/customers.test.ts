/**
 * /customers (§8-1) and /crm-settings over HTTP: CRUD with `#C` IDs, phones as digits, format and
 * custom fields read by their types (every bad value named), tags; the duplicate-phone check and
 * its setting; soft delete and restore; the search by every criterion; bulk edit (all or none);
 * the CSV download (UTF-8 and Shift_JIS, formulas neutralised, leading zeros kept); CRM権限 (an
 * agent sees the customers of their formats only); the customer's call history; the caller
 * lookup of CRM自動検索.
 */
import iconv from 'iconv-lite';
import t from 'tap';
import { callHistory } from '../../src/calls/schema.js';
import { tags } from '../../src/crm/tags/schema.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

interface Customer {
  id: number;
  displayId: string;
  formatId: number;
  formatName: string;
  code: string | null;
  name: string;
  phones: string[];
  email: string;
  remarks: string;
  fields: Record<string, string | string[]>;
  custom: Record<string, string>;
  tags: { id: number; name: string }[];
  deletedAt: string | null;
  createdBy: string;
}
interface Format {
  id: number;
  fields: { id: number; name: string }[];
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
type Res = { statusCode: number; body: string; json(): unknown };
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

let app: TestApp;
let format: Format;
let f: Record<string, string>;
let rankField: number;
let noteField: number;
let vip: number;
let cold: number;

t.before(async () => {
  app = await buildTestApp();
  format = await ok<Format>(
    api().post('/business-formats', {
      name: '営業',
      fields: [
        { name: '会員番号', type: 'number' },
        { name: '生年月日', type: 'date' },
        { name: '携帯', type: 'phone' },
        { name: '区分', type: 'list', options: ['法人', '個人'], required: true },
        { name: '興味', type: 'checkbox', options: ['A', 'B', 'C'] },
      ],
    }),
    201,
  );
  f = Object.fromEntries(format.fields.map((x) => [x.name, String(x.id)]));
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
  noteField = (
    await ok<{ id: number }>(
      api().post('/custom-fields', { name: '注記', category: 'customer', type: 'text' }),
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
  const done = await res;
  if (done.statusCode !== status) throw new Error(`${done.statusCode} ${done.body}`);
  return done.json() as T;
}

function refused(t: Tap, res: Res, status: number, code: string, what: string) {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  const error = (res.json() as ErrorBody).error;
  t.equal(error.code, code, what);
  return error;
}

const everything = async () => ok<unknown>(api().get('/customers?limit=500&includeDeleted=true'));
const ids = (page: { items: { id: number }[] }) =>
  page.items.map((c) => c.id).sort((a, b) => a - b);
const search = (query: string, token?: string) =>
  ok<{ items: Customer[]; total: number }>(api(token).get(`/customers?${query}`));

const customer = (body: Record<string, unknown>) =>
  ok<Customer>(
    api().post('/customers', {
      formatId: format.id,
      ...body,
      fields: { [f['区分'] ?? '']: '法人', ...(body.fields as object) },
    }),
    201,
  );

t.test('create and read: #C IDs, digits, values by type, tags, the default format', async (t) => {
  const c = await customer({
    code: 'K-001',
    name: '山田 太郎',
    phones: ['03-1234-5678', '０９０－０００１－０００２'],
    email: 'taro@example.jp',
    remarks: '初回\n架電済み',
    fields: {
      [f['会員番号'] ?? '']: '007',
      [f['生年月日'] ?? '']: '1980/1/2',
      [f['携帯'] ?? '']: '080-9999-0000',
      [f['興味'] ?? '']: ['C', 'A'],
    },
    custom: { [String(rankField)]: 'A' },
    tagIds: [vip],
  });
  t.match(c, {
    displayId: `#C${c.id}`,
    formatName: '営業',
    code: 'K-001',
    phones: ['0312345678', '09000010002'],
    email: 'taro@example.jp',
    remarks: '初回\n架電済み',
    fields: {
      [f['会員番号'] ?? '']: '007',
      [f['生年月日'] ?? '']: '1980-01-02',
      [f['携帯'] ?? '']: '08099990000',
      [f['興味'] ?? '']: ['A', 'C'],
      [f['区分'] ?? '']: '法人',
    },
    custom: { [String(rankField)]: 'A' },
    tags: [{ id: vip, name: 'VIP' }],
    deletedAt: null,
    createdBy: 'admin',
  });
  t.same(await ok(api().get(`/customers/${c.id}`)), c, 'read back as created');

  const plain = await ok<Customer>(api().post('/customers', { name: 'デフォルトの人' }), 201);
  t.equal(plain.formatName, 'デフォルト', 'no format: デフォルト');
  t.same(plain.phones, []);
  t.equal(plain.code, null);

  const changed = await ok<Customer>(
    api().patch(`/customers/${c.id}`, {
      phones: ['03-1234-5678'],
      fields: { [f['生年月日'] ?? '']: null },
      tagIds: [vip, cold],
    }),
  );
  t.same(changed.phones, ['0312345678']);
  t.notOk(f['生年月日'] !== undefined && f['生年月日'] in changed.fields, 'null clears a value');
  t.equal(changed.fields[f['会員番号'] ?? ''], '007', 'other values stay');
  t.same(changed.tags.map((x) => x.name).sort(), ['VIP', '休眠']);
  // A new format drops the old one's values.
  const moved = await ok<Customer>(
    api().patch(`/customers/${plain.id}`, {
      formatId: format.id,
      fields: { [f['区分'] ?? '']: '個人' },
    }),
  );
  t.same(moved.fields, { [f['区分'] ?? '']: '個人' });
  t.equal((await api().get('/customers/999999')).statusCode, 404);
});

t.test('bad values: 422 naming every field; nothing changed', async (t) => {
  const before = await everything();
  const bad = await api().post('/customers', {
    formatId: format.id,
    name: '不正',
    phones: ['03-abc', '0312345678'],
    email: 'nope',
    fields: {
      [f['会員番号'] ?? '']: '1e3',
      [f['生年月日'] ?? '']: '2026-02-30',
      [f['興味'] ?? '']: 'A|D',
      '999999': 'x',
    },
    custom: { [String(rankField)]: 'Z' },
  });
  const error = refused(t, bad, 422, 'invalid_values', 'every problem');
  const problems = (error.details as { field: string; problem: string }[])
    .map((p) => `${p.field}:${p.problem}`)
    .sort();
  t.same(
    problems,
    [
      `custom.${String(rankField)}:not_an_option`,
      'email:not_an_email',
      `fields.${f['会員番号']}:not_a_number`,
      `fields.${f['区分']}:required`,
      `fields.${f['生年月日']}:not_a_date`,
      `fields.${f['興味']}:not_an_option`,
      'fields.999999:unknown_field',
      'phones.0:not_a_phone',
    ].sort(),
  );
  const cases: [Promise<Res>, number, string][] = [
    [api().post('/customers', { name: '' }), 400, 'validation_failed'],
    [api().post('/customers', { name: 'x', formatId: 99999 }), 422, 'unknown_format'],
    [api().post('/customers', { name: 'x', tagIds: [99999] }), 422, 'unknown_tags'],
    [api().post('/customers', { name: 'x', fields: { abc: 'x' } }), 400, 'validation_failed'],
    [api().post('/customers', { name: 'x', custom: { '99999': 'x' } }), 422, 'invalid_values'],
    [api().post('/customers', { name: 'x\u0000' }), 400, 'validation_failed'],
    [api().patch('/customers/1', {}), 400, 'validation_failed'],
    [api().patch('/customers/99999', { name: 'x' }), 404, 'not_found'],
    [api().get('/customers?id=C-1'), 400, 'validation_failed'],
    [api().get('/customers?phone=03-abc'), 400, 'validation_failed'],
    [api().get('/customers?bogus=1'), 400, 'validation_failed'],
    [api().get('/customers?custom.99999=x'), 422, 'unknown_custom_field'],
    [api().get('/customers?ids=1,,2'), 400, 'validation_failed'],
    [api().get('/customers/export?encoding=latin1'), 400, 'validation_failed'],
  ];
  for (const [res, status, code] of cases) refused(t, await res, status, code, `${status} ${code}`);
  t.same(await everything(), before, 'nothing changed');
});

t.test(
  'duplicate phones and codes among live customers; the setting; delete and restore',
  async (t) => {
    const first = await customer({ name: '重複 元', code: 'DUP-1', phones: ['045-000-1111'] });
    const before = await everything();
    const taken = refused(
      t,
      await api().post('/customers', { name: '重複 先', phones: ['0450001111'] }),
      409,
      'phone_taken',
      'same phone',
    );
    t.match(taken, {
      message: new RegExp(`#C${first.id}`),
      details: [{ phone: '0450001111', customerId: first.id, displayId: `#C${first.id}` }],
    });
    refused(
      t,
      await api().post('/customers', {
        formatId: format.id,
        name: '重複 欄',
        fields: { [f['区分'] ?? '']: '法人', [f['携帯'] ?? '']: '045-000-1111' },
      }),
      409,
      'phone_taken',
      'a phone field counts too',
    );
    refused(
      t,
      await api().post('/customers', { name: '重複 コード', code: 'DUP-1' }),
      409,
      'code_taken',
      'same code',
    );
    t.same(await everything(), before, 'nothing changed');
    // Saving the holder itself is no duplicate.
    await ok(api().patch(`/customers/${first.id}`, { phones: ['045-000-1111'], remarks: 'r' }));

    t.same(
      (await ok<{ allowDuplicatePhones: boolean }>(api().get('/crm-settings')))
        .allowDuplicatePhones,
      false,
    );
    await ok(api().put('/crm-settings', { allowDuplicatePhones: true }));
    const second = await ok<Customer>(
      api().post('/customers', { name: '重複 許可', phones: ['0450001111'] }),
      201,
    );
    await ok(api().put('/crm-settings', { allowDuplicatePhones: false }));
    refused(
      t,
      await api().put('/crm-settings', { allowDuplicatePhones: 'yes' }),
      400,
      'validation_failed',
      'setting',
    );

    // Deleted: hidden, its phone free; restored only while the phone is free.
    t.equal((await api().delete(`/customers/${second.id}`)).statusCode, 204);
    const deleted = await ok<Customer>(api().get(`/customers/${second.id}`));
    t.ok(deleted.deletedAt, 'kept, marked deleted');
    t.notOk(ids(await search('phone=0450001111')).includes(second.id), 'hidden from the search');
    t.ok(
      ids(await search('phone=0450001111&includeDeleted=true')).includes(second.id),
      'unless asked',
    );
    t.equal((await api().delete(`/customers/${first.id}`)).statusCode, 204);
    const third = await ok<Customer>(
      api().post('/customers', { name: '重複 後任', code: 'DUP-1', phones: ['0450001111'] }),
      201,
    );
    refused(
      t,
      await api().post(`/customers/${first.id}/restore`, {}),
      409,
      'code_taken',
      'code taken since',
    );
    await ok(api().patch(`/customers/${third.id}`, { code: null }));
    refused(
      t,
      await api().post(`/customers/${first.id}/restore`, {}),
      409,
      'phone_taken',
      'phone taken since',
    );
    t.equal((await api().delete(`/customers/${third.id}`)).statusCode, 204);
    const back = await ok<Customer>(api().post(`/customers/${first.id}/restore`, {}));
    t.equal(back.deletedAt, null);
    t.ok(ids(await search('phone=0450001111&phoneMatch=exact')).includes(first.id));
  },
);

t.test('search by every criterion', async (t) => {
  const a = await customer({
    name: '検索 株式会社',
    code: 'S-1',
    phones: ['06-6000-0001'],
    remarks: '大口の取引先',
    tagIds: [vip],
    custom: { [String(rankField)]: 'B', [String(noteField)]: '折り返し希望' },
  });
  const b = await ok<Customer>(
    api().post('/customers', { name: '検索 個人', phones: ['0660000002'] }),
    201,
  );
  t.same(ids(await search(`id=%23C${a.id}`)), [a.id], '#C id');
  t.same(ids(await search(`id=${b.id}`)), [b.id], 'plain id');
  t.same(ids(await search('code=S-1')), [a.id], 'code');
  t.same(ids(await search(`name=${encodeURIComponent('検索')}`)), [a.id, b.id], 'part of the name');
  t.same(
    ids(await search(`name=${encodeURIComponent('検索')}&formatId=${format.id}`)),
    [a.id],
    'format',
  );
  t.same(ids(await search('phone=066000')), [a.id, b.id], 'phone prefix');
  t.same(ids(await search('phone=06-6000-0002&phoneMatch=exact')), [b.id], 'phone exact');
  t.same(ids(await search('phone=6000')), [], 'not anywhere inside');
  t.same(ids(await search(`tagId=${vip}&name=${encodeURIComponent('検索')}`)), [a.id], 'tag');
  t.same(ids(await search(`remarks=${encodeURIComponent('大口')}`)), [a.id], 'remarks');
  t.same(ids(await search(`custom.${rankField}=B`)), [a.id], 'custom list');
  t.same(
    ids(await search(`custom.${noteField}=${encodeURIComponent('折り返し')}`)),
    [a.id],
    'custom text part',
  );
  t.same(
    ids(await search(`custom.${rankField}=A&name=${encodeURIComponent('検索')}`)),
    [],
    'custom miss',
  );
  const later = new Date(Date.now() + 60_000).toISOString();
  t.same(ids(await search(`createdFrom=${later}`)), [], 'created range');
  t.ok((await search(`updatedTo=${later}`)).total >= 2, 'updated range');
  const paged = await search('limit=1&offset=0');
  t.equal(paged.items.length, 1);
  t.ok(paged.total > 1, 'total counts every match');
  t.ok(paged.items[0] !== undefined && paged.items[0].id >= b.id, 'newest first');
});

t.test('bulk edit: all of them or none, each refusal named', async (t) => {
  const a = await customer({ name: '一括 A', tagIds: [vip] });
  const b = await customer({ name: '一括 B' });
  const plain = await ok<Customer>(api().post('/customers', { name: '一括 デフォルト' }), 201);
  const before = await everything();
  const res = await api().post('/customers/bulk-edit', {
    ids: [a.id, b.id, plain.id, 999999],
    set: { formatFields: { [f['会員番号'] ?? '']: '042' }, remarks: '一括' },
  });
  const error = refused(t, res, 422, 'bulk_edit_refused', 'one bad id, none changed');
  t.match(error.details, [
    { id: plain.id, displayId: `#C${plain.id}`, code: 'invalid_values' },
    { id: 999999, code: 'not_found' },
  ]);
  t.equal((error.details as unknown[]).length, 2);
  // Two of the batch given one phone is a duplicate like any other.
  refused(
    t,
    await api().post('/customers/bulk-edit', {
      ids: [a.id, b.id],
      set: { formatFields: { [f['携帯'] ?? '']: '0800000099' } },
    }),
    422,
    'bulk_edit_refused',
    'one phone for two',
  );
  refused(
    t,
    await api().post('/customers/bulk-edit', { ids: [a.id], set: { addTags: [99999] } }),
    422,
    'unknown_tags',
    'tag',
  );
  refused(
    t,
    await api().post('/customers/bulk-edit', { ids: [], set: { remarks: 'x' } }),
    400,
    'validation_failed',
    'no ids',
  );
  refused(
    t,
    await api().post('/customers/bulk-edit', { ids: [a.id], set: {} }),
    400,
    'validation_failed',
    'no change',
  );
  t.same(await everything(), before, 'nothing changed');

  t.same(
    await ok(
      api().post('/customers/bulk-edit', {
        ids: [a.id, b.id],
        set: {
          formatFields: { [f['会員番号'] ?? '']: '042' },
          custom: { [String(rankField)]: 'A' },
          remarks: '一括',
          addTags: [cold],
          removeTags: [vip],
        },
      }),
    ),
    { updated: 2 },
  );
  for (const id of [a.id, b.id]) {
    const c = await ok<Customer>(api().get(`/customers/${id}`));
    t.equal(c.fields[f['会員番号'] ?? ''], '042');
    t.equal(c.custom[String(rankField)], 'A');
    t.equal(c.remarks, '一括');
    t.same(
      c.tags.map((x) => x.name),
      ['休眠'],
    );
  }
});

t.test('CSV download: UTF-8 with BOM or Shift_JIS, formulas neutralised, zeros kept', async (t) => {
  const a = await customer({
    name: '=HYPERLINK("x")',
    code: '0012',
    phones: ['0120-000-111'],
    fields: { [f['会員番号'] ?? '']: '0042', [f['興味'] ?? '']: ['A', 'B'] },
    custom: { [String(noteField)]: '@注記' },
  });
  const b = await customer({ name: '日本語 顧客', phones: ['0120000112'] });
  const res = await api().get(`/customers/export?ids=${a.id},${b.id}&formatId=${format.id}`);
  t.equal(res.statusCode, 200, res.body);
  t.match(res.headers['content-type'], /text\/csv; charset=utf-8/);
  t.ok(res.body.startsWith('\uFEFF'), 'BOM');
  const lines = res.body.slice(1).trim().split('\r\n');
  t.equal(lines.length, 3, 'header and two rows');
  t.match(lines[0], /^"ID","業務","顧客コード","名称","電話番号"/);
  t.match(lines[0], /"会員番号","生年月日","携帯","区分","興味","ランク","注記"/);
  t.match(
    lines[1],
    new RegExp(
      `^"#C${a.id}","営業","0012","'=HYPERLINK\\(""x""\\)","01200001 11"`.replace(' ', ''),
    ),
  );
  t.match(lines[1], /"0042","","","法人","A\|B","","'@注記"/);
  t.match(lines[2], /"日本語 顧客","0120000112"/);

  const sjis = await app.app.inject({
    method: 'GET',
    url: `/api/v1/customers/export?ids=${b.id}&encoding=shift_jis`,
    headers: { authorization: `Bearer ${app.adminToken}` },
  });
  t.equal(sjis.statusCode, 200);
  t.match(sjis.headers['content-type'], /shift_jis/);
  const text = iconv.decode(sjis.rawPayload, 'cp932');
  t.match(text, /"日本語 顧客"/, 'Japanese in Shift_JIS');
  t.notOk(text.startsWith('\uFEFF'), 'no BOM in Shift_JIS');
  // Without formatId: no format columns.
  const core = await api().get(`/customers/export?ids=${b.id}`);
  t.notMatch(core.body.split('\r\n')[0], /会員番号/);
});

t.test('CRM権限: an agent sees and edits only the customers of their formats', async (t) => {
  const agentId = await createAgent(app, { loginId: 'crm1' });
  const other = await ok<Format>(api().post('/business-formats', { name: '別業務' }), 201);
  const mine = await customer({ name: '権限 見える', phones: ['0311110000'] });
  const hidden = await ok<Customer>(
    api().post('/customers', { formatId: other.id, name: '権限 見えない', phones: ['0311110001'] }),
    201,
  );
  const token = ((await app.login('crm1', 'Secret123')).json() as { token: string }).token;
  const agent = api(token);
  // CRM自動検索 is the agent's setting, OFF until switched on (by the administrator or the agent).
  t.equal(
    (await ok<{ crmAutoSearch: boolean }>(api().get(`/agents/${agentId}`))).crmAutoSearch,
    false,
  );
  const switched = await ok<{ crmAutoSearch: boolean }>(
    api().patch(`/agents/${agentId}`, { crmAutoSearch: true }),
  );
  t.equal(switched.crmAutoSearch, true);
  t.same((await search('phone=031111', token)).items, [], 'no format: no customers');

  await ok(api().put(`/business-formats/${format.id}/agents`, { agentIds: [agentId] }));
  t.same(ids(await search('phone=031111', token)), [mine.id], 'only the member format');
  t.equal((await agent.get(`/customers/${hidden.id}`)).statusCode, 404, 'the other is not there');
  t.equal((await agent.patch(`/customers/${hidden.id}`, { name: 'x' })).statusCode, 404);
  refused(
    t,
    await agent.post('/customers', { formatId: other.id, name: 'x' }),
    422,
    'unknown_format',
    'not in the other',
  );
  t.equal(
    (await agent.patch(`/customers/${mine.id}`, { remarks: '担当' })).statusCode,
    200,
    'edits their own',
  );
  const csv = await agent.get('/customers/export?phone=031111');
  t.equal(csv.statusCode, 403, 'download needs customers.download');
  t.equal(
    (await agent.get(`/business-formats/${other.id}/postal-fill?fieldId=1&code=1000001`))
      .statusCode,
    404,
  );
  refused(
    t,
    await agent.post('/customers/bulk-edit', { ids: [mine.id], set: { remarks: 'x' } }),
    403,
    'permission_denied',
    'bulk edit',
  );
  refused(t, await agent.delete(`/customers/${mine.id}`), 403, 'permission_denied', 'delete');
  refused(
    t,
    await agent.put('/crm-settings', { allowDuplicatePhones: true }),
    403,
    'permission_denied',
    'settings',
  );

  // The caller lookup of the call engine: the same index (who sees which format is the
  // visibility rule above, applied by the call engine: test/unit/call-customers.test.ts).
  const lookup = app.app.services.callerLookup;
  const matches = lookup.matchPhone('0311110001');
  t.match(matches, [
    {
      id: hidden.id,
      displayId: `#C${hidden.id}`,
      name: '権限 見えない',
      formatId: other.id,
      formatName: '別業務',
    },
  ]);
  t.same(lookup.matchPhone('0399999999'), [], 'no customer');
  t.equal((await api().delete(`/customers/${hidden.id}`)).statusCode, 204);
  t.same(lookup.matchPhone('0311110001'), [], 'a deleted customer is not found');
});

t.test('the customer forms: an agent reads the fields of their own formats only', async (t) => {
  const agentId = await createAgent(app, { loginId: 'forms1' });
  const other = await ok<Format>(
    api().post('/business-formats', { name: '別の業務', fields: [{ name: '秘密', type: 'text' }] }),
    201,
  );
  const token = ((await app.login('forms1', 'Secret123')).json() as { token: string }).token;
  interface Forms {
    formats: { id: number; name: string; fields: { name: string; side: string }[] }[];
    customFields: { id: number; name: string }[];
  }
  const forms = async (tk?: string) => ok<Forms>(api(tk).get('/customers/forms'));

  t.equal((await api(token).get(`/business-formats/${format.id}`)).statusCode, 403);
  const before = await forms(token);
  t.same(before.formats, [], 'in no checklist: no formats');
  const customIds = before.customFields.map((c) => c.id);
  t.ok(
    [rankField, noteField].every((id) => customIds.includes(id)),
    'the customer custom fields, without custom_fields.view',
  );

  await ok(api().put(`/business-formats/${other.id}/agents`, { agentIds: [agentId] }));
  const after = await forms(token);
  t.same(
    after.formats.map((f) => f.id),
    [other.id],
    'the member format, not the others',
  );
  t.same(
    after.formats[0]?.fields.map((f) => [f.name, f.side]),
    [['秘密', 'left']],
    'its fields, with their positions',
  );
  t.notOk('agentIds' in (after.formats[0] ?? {}), 'no member list');
  const all = await forms();
  t.ok(
    [format.id, other.id].every((id) => all.formats.some((f) => f.id === id)),
    'a format administrator gets every format',
  );
  t.same(
    all.formats.find((f) => f.id === format.id)?.fields.map((f) => f.name),
    ['会員番号', '生年月日', '携帯', '区分', '興味'],
    'in フィールド設定 order',
  );
  const noView = await app.request('GET', '/api/v1/customers/forms');
  t.equal(noView.statusCode, 401);
});

t.test('the customer’s call history, by any of its numbers, newest first', async (t) => {
  const c = await customer({
    name: '履歴 顧客',
    phones: ['0522220000'],
    fields: { [f['携帯'] ?? '']: '09022220000' },
  });
  const base = Date.parse('2026-03-01T00:00:00Z');
  const row = (i: number, from: string, to: string) => ({
    callId: `hist-${i}`,
    direction: 'inbound' as const,
    type: 'inbound' as const,
    fromNumber: from,
    toNumber: to,
    startedAt: new Date(base + i * 60_000),
  });
  app.database.db
    .insert(callHistory)
    .values([
      row(1, '0522220000', '0300000000'),
      row(2, '0300000000', '09022220000'),
      row(3, '0599999999', '0300000000'),
    ])
    .run();
  const page = await ok<{ items: { callId: string }[]; total: number }>(
    api().get(`/customers/${c.id}/call-history`),
  );
  t.same(
    page.items.map((r) => r.callId),
    ['hist-2', 'hist-1'],
  );
  t.equal(page.total, 2);
  t.equal(
    (await ok<{ items: unknown[] }>(api().get(`/customers/${c.id}/call-history?limit=1&offset=1`)))
      .items.length,
    1,
  );
  t.equal((await api().get('/customers/999999/call-history')).statusCode, 404);
});

t.test('permissions of the customer routes', async (t) => {
  const role = await ok<{ id: number }>(
    api().post('/roles', { name: 'no crm', permissions: ['chat.view'] }),
    201,
  );
  await ok(
    api().post('/agents', {
      loginId: 'nocrm',
      name: 'n',
      nickname: 'n',
      password: 'Secret123',
      roleId: role.id,
    }),
    201,
  );
  const token = ((await app.login('nocrm', 'Secret123')).json() as { token: string }).token;
  const before = await everything();
  for (const [method, url] of [
    ['GET', '/customers'],
    ['GET', '/customers/1'],
    ['POST', '/customers'],
    ['PATCH', '/customers/1'],
    ['DELETE', '/customers/1'],
    ['POST', '/customers/1/restore'],
    ['POST', '/customers/bulk-edit'],
    ['GET', '/customers/export'],
    ['GET', '/customers/1/call-history'],
    ['GET', '/crm-settings'],
    ['PUT', '/crm-settings'],
  ] as const) {
    const res = await app.request(method, `/api/v1${url}`, {
      token,
      ...(method !== 'GET' && method !== 'DELETE' && { body: { name: 'x' } }),
    });
    t.equal(res.statusCode, 403, `${method} ${url}`);
  }
  t.same(await everything(), before, 'nothing changed');
});
