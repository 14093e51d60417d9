/**
 * /tags over HTTP (§10-10): CRUD; search by 題名 and by 詳細 (name or details); colours `#rrggbb`;
 * a unique name; deleting a tag takes it off every tagged record; who may do what; every bad
 * input refused with the error shape and nothing changed.
 */
import t from 'tap';
import { assertTagsExist } from '../../src/crm/tags/service.js';
import { HttpError } from '../../src/platform/http/errors.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

interface Tag {
  id: number;
  name: string;
  details: string;
  fontColor: string;
  backgroundColor: string;
  createdBy: string;
  updatedAt: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

let app: TestApp;
t.before(async () => {
  app = await buildTestApp();
});
t.teardown(() => app.close());

const api = (token = app.adminToken) => ({
  get: (url: string) => app.request('GET', `/api/v1${url}`, { token }),
  post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token, body }),
  patch: (url: string, body: unknown) => app.request('PATCH', `/api/v1${url}`, { token, body }),
  delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token }),
});

async function tag(body: Record<string, unknown>): Promise<Tag> {
  const res = await api().post('/tags', body);
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return res.json() as Tag;
}

const everything = async () => (await api().get('/tags?limit=500')).json() as unknown;
const names = async (query: string) =>
  ((await api().get(`/tags?${query}`)).json() as { items: Tag[] }).items.map((x) => x.name);

t.test('CRUD with colours, defaults and the audit fields', async (t) => {
  const vip = await tag({
    name: 'VIP',
    details: '重要なお客様',
    fontColor: '#FFFFFF',
    backgroundColor: '#0505fc',
  });
  t.match(vip, {
    name: 'VIP',
    details: '重要なお客様',
    fontColor: '#ffffff',
    backgroundColor: '#0505fc',
    createdBy: 'admin',
  });
  const plain = await tag({ name: 'クレーム' });
  t.match(plain, { details: '', fontColor: '#ffffff', backgroundColor: '#0505fc' }, 'defaults');

  t.same((await api().get(`/tags/${vip.id}`)).json(), vip);
  const changed = await api().patch(`/tags/${plain.id}`, {
    backgroundColor: '#ff0000',
    details: '要注意',
  });
  t.equal(changed.statusCode, 200);
  t.match(changed.json(), { name: 'クレーム', backgroundColor: '#ff0000', details: '要注意' });

  t.equal((await api().delete(`/tags/${plain.id}`)).statusCode, 204);
  t.equal((await api().get(`/tags/${plain.id}`)).statusCode, 404);
  t.equal((await api().delete(`/tags/${plain.id}`)).statusCode, 404);
  t.equal((await api().delete(`/tags/${vip.id}`)).statusCode, 204);
});

t.test('search by 題名 (the name) and 詳細 (a free word over name and details)', async (t) => {
  const made = [
    await tag({ name: '返品対応', details: '商品の返品を受け付けた' }),
    await tag({ name: '配送', details: '配送料金の問い合わせ' }),
    await tag({ name: '解約', details: '解約手続き中、返品あり' }),
    await tag({ name: '100%_off', details: 'sale' }),
  ];
  t.same(await names(`name=${encodeURIComponent('返品')}`), ['返品対応'], 'name only');
  t.same(
    await names(`q=${encodeURIComponent('返品')}`),
    ['解約', '返品対応'],
    'name or details, sorted by name',
  );
  t.same(await names(`q=${encodeURIComponent('配送料金')}`), ['配送']);
  t.same(
    await names(`name=${encodeURIComponent('解約')}&q=${encodeURIComponent('返品')}`),
    ['解約'],
    'both: each must hold',
  );
  t.same(await names(`name=${encodeURIComponent('%')}`), ['100%_off'], '% taken literally');
  t.same(await names(`name=${encodeURIComponent('_')}`), ['100%_off'], '_ taken literally');
  const page = (await api().get('/tags?limit=2&offset=1')).json() as {
    items: Tag[];
    total: number;
  };
  t.equal(page.total, 4);
  t.equal(page.items.length, 2);
  for (const m of made) await api().delete(`/tags/${m.id}`);
});

t.test('bad input is refused with the error shape and changes nothing', async (t) => {
  const a = await tag({ name: 'A' });
  const b = await tag({ name: 'B' });
  const before = await everything();
  const refusals: [
    Promise<{ statusCode: number; json(): unknown; body: string }>,
    number,
    string,
  ][] = [
    [api().post('/tags', { name: 'A' }), 409, 'name_taken'],
    [api().patch(`/tags/${b.id}`, { name: 'A' }), 409, 'name_taken'],
    [api().post('/tags', {}), 400, 'validation_failed'],
    [api().post('/tags', { name: '' }), 400, 'validation_failed'],
    [api().post('/tags', { name: '   ' }), 400, 'validation_failed'],
    [api().post('/tags', { name: 'x\ny' }), 400, 'validation_failed'],
    [api().post('/tags', { name: 'x'.repeat(65) }), 400, 'validation_failed'],
    [api().post('/tags', { name: 'c', fontColor: 'red' }), 400, 'validation_failed'],
    [api().post('/tags', { name: 'c', fontColor: '#fff' }), 400, 'validation_failed'],
    [api().post('/tags', { name: 'c', backgroundColor: '#gggggg' }), 400, 'validation_failed'],
    [api().post('/tags', { name: 'c', backgroundColor: '0505fc' }), 400, 'validation_failed'],
    [api().post('/tags', { name: 'c', details: 'x'.repeat(2001) }), 400, 'validation_failed'],
    [api().patch(`/tags/${a.id}`, {}), 400, 'validation_failed'],
    [api().patch(`/tags/${a.id}`, { fontColor: '#12345' }), 400, 'validation_failed'],
    [api().patch('/tags/999999', { name: 'Z' }), 404, 'not_found'],
    [api().get('/tags/0'), 400, 'validation_failed'],
    [api().get('/tags/abc'), 400, 'validation_failed'],
    [api().get('/tags?limit=0'), 400, 'validation_failed'],
    [api().get('/tags?name='), 400, 'validation_failed'],
  ];
  for (const [pending, status, code] of refusals) {
    const res = await pending;
    t.equal(res.statusCode, status, res.body);
    t.equal((res.json() as ErrorBody).error.code, code);
  }
  t.same(await everything(), before, 'nothing changed');
  await api().delete(`/tags/${a.id}`);
  await api().delete(`/tags/${b.id}`);
});

t.test('deleting a tag takes it off every tagged record (cascade)', async (t) => {
  const gone = await tag({ name: '消えるタグ' });
  const kept = await tag({ name: '残るタグ' });
  const sqlite = app.database.sqlite;
  const now = Date.now();
  const format = sqlite
    .prepare(
      `INSERT INTO business_formats (name, created_at, created_by, updated_at, updated_by)
       VALUES ('業務', ?, 'test', ?, 'test')`,
    )
    .run(now, now).lastInsertRowid;
  const customer = sqlite
    .prepare(
      `INSERT INTO customers (format_id, name, fields, custom, created_at, created_by, updated_at, updated_by)
       VALUES (?, '山田', '{}', '{}', ?, 'test', ?, 'test')`,
    )
    .run(format, now, now).lastInsertRowid;
  const link = sqlite.prepare('INSERT INTO customer_tags (customer_id, tag_id) VALUES (?, ?)');
  link.run(customer, gone.id);
  link.run(customer, kept.id);
  t.equal((await api().delete(`/tags/${gone.id}`)).statusCode, 204);
  t.same(
    sqlite.prepare('SELECT tag_id AS tagId FROM customer_tags WHERE customer_id = ?').all(customer),
    [{ tagId: kept.id }],
    'only the deleted tag left the customer',
  );
  await api().delete(`/tags/${kept.id}`);
});

t.test('assertTagsExist: 422 naming the unknown ids', async (t) => {
  const known = await tag({ name: '既知' });
  t.doesNotThrow(() => assertTagsExist(app.database.db, []));
  t.doesNotThrow(() => assertTagsExist(app.database.db, [known.id, known.id]));
  try {
    assertTagsExist(app.database.db, [known.id, 9001, 9002, 9001]);
    t.fail('should refuse');
  } catch (err) {
    t.ok(err instanceof HttpError);
    t.match(err, { statusCode: 422, code: 'unknown_tags', details: { unknownIds: [9001, 9002] } });
  }
  await api().delete(`/tags/${known.id}`);
});

t.test('permissions: an agent has none; a view-only role may only look', async (t) => {
  const sample = await tag({ name: '権限' });
  await createAgent(app, { loginId: 'tagop', password: 'Operator1' });
  const agent = ((await app.login('tagop', 'Operator1')).json() as { token: string }).token;
  const role = await api().post('/roles', { name: 'タグ閲覧', permissions: ['tags.view'] });
  t.equal(role.statusCode, 201, role.body);
  const viewerId = await createAgent(app, { loginId: 'tagview', password: 'Operator1' });
  await api().patch(`/agents/${viewerId}`, { roleId: (role.json() as { id: number }).id });
  const viewer = ((await app.login('tagview', 'Operator1')).json() as { token: string }).token;

  const before = await everything();
  for (const token of [agent, viewer]) {
    for (const res of [
      await api(token).post('/tags', { name: 'new' }),
      await api(token).patch(`/tags/${sample.id}`, { name: 'renamed' }),
      await api(token).delete(`/tags/${sample.id}`),
    ]) {
      t.equal(res.statusCode, 403);
      t.equal((res.json() as ErrorBody).error.code, 'permission_denied');
    }
  }
  t.equal((await api(agent).get('/tags')).statusCode, 403);
  t.equal((await api(agent).get(`/tags/${sample.id}`)).statusCode, 403);
  t.equal((await api(viewer).get('/tags')).statusCode, 200);
  t.equal((await api(viewer).get(`/tags/${sample.id}`)).statusCode, 200);
  t.equal((await app.request('GET', '/api/v1/tags')).statusCode, 401);
  t.same(await everything(), before, 'nothing changed');
});
