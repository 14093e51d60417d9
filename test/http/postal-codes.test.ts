/**
 * GET /postal-codes/{code}: the addresses of a postal code for the format's auto-fill.
 */
import t from 'tap';
import { buildTestApp, type TestApp } from '../support/app.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

let app: TestApp;
t.before(async () => {
  app = await buildTestApp();
});
t.teardown(() => app.close());

const get = (code: string, token: string | null = app.adminToken) =>
  app.request('GET', `/api/v1/postal-codes/${encodeURIComponent(code)}`, {
    token: token ?? undefined,
  });

t.test('a known code gives its addresses', async (t) => {
  const res = await get('1600023');
  t.equal(res.statusCode, 200);
  t.same(res.json(), {
    items: [{ postalCode: '1600023', prefecture: '東京都', city: '新宿区', street: '西新宿' }],
  });
  t.same((await get('〒１００－０００１')).json(), {
    items: [{ postalCode: '1000001', prefecture: '東京都', city: '千代田区', street: '千代田' }],
  });
  t.same((await get('060-0000')).json(), {
    items: [{ postalCode: '0600000', prefecture: '北海道', city: '札幌市中央区', street: '' }],
  });
  const two = (await get('4980000')).json() as { items: { prefecture: string }[] };
  t.same(
    two.items.map((a) => a.prefecture),
    ['愛知県', '三重県'],
  );
});

t.test('an unknown code gives no addresses', async (t) => {
  const res = await get('9999999');
  t.equal(res.statusCode, 200);
  t.same(res.json(), { items: [] });
});

t.test('what is not a postal code is refused', async (t) => {
  for (const bad of ['160002', '16000231', 'abcdefg', '160-002x', '1'.repeat(40)]) {
    const res = await get(bad);
    t.equal(res.statusCode, 400, bad);
    t.ok((res.json() as ErrorBody).error.code, 'error shape');
  }
});

t.test('customers.view is needed', async (t) => {
  const post = (url: string, body: unknown) =>
    app.request('POST', `/api/v1${url}`, { token: app.adminToken, body });
  const role = (await post('/roles', { name: 'No CRM', permissions: ['ivrs.view'] })).json() as {
    id: number;
  };
  const agent = await post('/agents', {
    loginId: 'nocrm',
    name: 'No CRM',
    nickname: 'n',
    password: 'Secret123',
    roleId: role.id,
  });
  t.equal(agent.statusCode, 201);
  const token = ((await app.login('nocrm', 'Secret123')).json() as { token: string }).token;
  const refused = await get('1600023', token);
  t.equal(refused.statusCode, 403);
  t.ok((refused.json() as ErrorBody).error.code);
  t.equal((await get('1600023', null)).statusCode, 401);

  const viewers = (
    await post('/roles', {
      name: 'CRM viewers',
      permissions: ['customers.view'],
    })
  ).json() as { id: number };
  await post('/agents', {
    loginId: 'crmview',
    name: 'CRM viewer',
    nickname: 'c',
    password: 'Secret123',
    roleId: viewers.id,
  });
  const viewer = ((await app.login('crmview', 'Secret123')).json() as { token: string }).token;
  t.equal((await get('1600023', viewer)).statusCode, 200);
});
