/** /agents CRUD (§11-1): fields, filters and paging, uniqueness, change history with masked secrets. */
import t from 'tap';
import { buildTestApp, createAgent, roleId } from '../support/app.js';

interface Agent {
  id: number;
  loginId: string;
  name: string;
  extension: string | null;
  roleName: string;
  language: string;
  pinSet: boolean;
  createdBy: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

t.test('create, read, update and delete an agent', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const token = app.adminToken;
  const created = await app.request('POST', '/api/v1/agents', {
    token,
    body: {
      loginId: 'Demo00001',
      name: '山田 太郎',
      nickname: 'やまだ',
      extension: '201',
      password: 'Yamada123',
      pin: '1234',
      roleId: await roleId(app, 'agent'),
      language: 'ja',
    },
  });
  t.equal(created.statusCode, 201);
  const agent = created.json() as Agent;
  t.match(agent, {
    loginId: 'Demo00001',
    name: '山田 太郎',
    extension: '201',
    roleName: 'エージェント',
    language: 'ja',
    pinSet: true,
    createdBy: 'admin',
    updatedBy: 'admin',
  });
  t.notOk(created.body.includes('Yamada123'));
  t.notOk(created.body.includes('1234"'));
  t.notOk(/hash/i.test(created.body));

  const got = await app.request('GET', `/api/v1/agents/${agent.id}`, { token });
  t.same(got.json(), agent);

  const patched = await app.request('PATCH', `/api/v1/agents/${agent.id}`, {
    token,
    body: {
      name: '山田 花子',
      extension: null,
      language: 'en',
      roleId: await roleId(app, 'supervisor'),
      pin: null,
    },
  });
  t.equal(patched.statusCode, 200);
  t.match(patched.json(), {
    name: '山田 花子',
    extension: null,
    language: 'en',
    roleName: 'SV',
    pinSet: false,
  });

  const history = await app.request('GET', `/api/v1/agents/${agent.id}/history?order=asc`, {
    token,
  });
  const changes = (
    history.json() as {
      items: { field: string; oldValue: string | null; newValue: string | null; by: string }[];
    }
  ).items;
  t.same(
    changes.map((c) => [c.field, c.oldValue, c.newValue, c.by]),
    [
      ['name', '山田 太郎', '山田 花子', 'admin'],
      ['extension', '201', null, 'admin'],
      ['role', 'エージェント', 'SV', 'admin'],
      ['language', 'ja', 'en', 'admin'],
      ['pin', '********', null, 'admin'],
    ],
  );
  const desc = await app.request('GET', `/api/v1/agents/${agent.id}/history`, { token });
  t.equal(
    (desc.json() as { items: { field: string }[] }).items[0]?.field,
    'pin',
    'newest first by default (降順)',
  );

  const pw = await app.request('PATCH', `/api/v1/agents/${agent.id}`, {
    token,
    body: { password: 'NewPass123' },
  });
  t.equal(pw.statusCode, 200);
  t.equal((await app.login('Demo00001', 'NewPass123')).statusCode, 200);
  const masked = await app.request('GET', `/api/v1/agents/${agent.id}/history`, { token });
  t.match((masked.json() as { items: unknown[] }).items[0], {
    field: 'password',
    oldValue: '********',
    newValue: '********',
  });
  t.notOk(masked.body.includes('NewPass123'));

  t.equal((await app.request('DELETE', `/api/v1/agents/${agent.id}`, { token })).statusCode, 204);
  t.equal((await app.request('GET', `/api/v1/agents/${agent.id}`, { token })).statusCode, 404);
  t.equal((await app.login('Demo00001', 'NewPass123')).statusCode, 401);
});

t.test('login IDs (case-insensitively) and extensions are unique', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  await createAgent(app, { loginId: 'op1', extension: '201' });
  const body = {
    name: 'n',
    nickname: 'n',
    password: 'Secret123',
    roleId: await roleId(app, 'agent'),
  };
  const dupId = await app.request('POST', '/api/v1/agents', {
    token: app.adminToken,
    body: { ...body, loginId: 'OP1' },
  });
  t.equal(dupId.statusCode, 409);
  t.match(dupId.json(), { error: { code: 'login_id_taken' } });
  const dupExt = await app.request('POST', '/api/v1/agents', {
    token: app.adminToken,
    body: { ...body, loginId: 'op2', extension: '201' },
  });
  t.equal(dupExt.statusCode, 409);
  t.match(dupExt.json(), { error: { code: 'extension_taken' } });
  const badRole = await app.request('POST', '/api/v1/agents', {
    token: app.adminToken,
    body: { ...body, loginId: 'op3', roleId: 999 },
  });
  t.equal(badRole.statusCode, 422);
  const list = await app.request('GET', '/api/v1/agents', { token: app.adminToken });
  t.equal((list.json() as { total: number }).total, 2, 'nothing was added by the refused requests');
});

t.test('lists paginate and filter by ID, name, extension and role', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  for (let i = 1; i <= 12; i++) {
    await createAgent(app, {
      loginId: `op${i}`,
      extension: String(200 + i),
      role: i % 3 === 0 ? 'supervisor' : 'agent',
    });
  }
  const get = async (query: string) =>
    (await app.request('GET', `/api/v1/agents?${query}`, { token: app.adminToken })).json() as {
      items: Agent[];
      total: number;
    };
  const page = await get('limit=5&offset=10');
  t.equal(page.total, 13);
  t.same(
    page.items.map((a) => a.loginId),
    ['op10', 'op11', 'op12'],
  );
  t.same(
    (await get('loginId=op1')).items.map((a) => a.loginId),
    ['op1', 'op10', 'op11', 'op12'],
  );
  t.same(
    (await get('extension=21')).items.map((a) => a.extension),
    ['210', '211', '212'],
  );
  t.equal((await get('name=Name%20op7')).total, 1);
  t.equal((await get(`roleId=${await roleId(app, 'supervisor')}`)).total, 4);
  // % and _ in a filter are literal characters, not wildcards.
  t.equal((await get('loginId=%25')).total, 0);
  t.equal((await get('loginId=_')).total, 0);
});

t.test('roles: custom permission sets, in use or built-in ones cannot be deleted', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const token = app.adminToken;
  const matrix = await app.request('GET', '/api/v1/roles/permissions', { token });
  t.match((matrix.json() as { areas: unknown[] }).areas[0], { area: 'phone', label: '電話' });

  const created = await app.request('POST', '/api/v1/roles', {
    token,
    body: { name: 'Team lead', permissions: ['realtime.view', 'agents.view', 'agents.view'] },
  });
  t.equal(created.statusCode, 201);
  const role = created.json() as { id: number; permissions: string[]; builtIn: null };
  t.same(
    role.permissions,
    ['realtime.view', 'agents.view'].sort((a, b) =>
      a === 'agents.view' ? 1 : b === 'agents.view' ? -1 : 0,
    ),
  );
  t.equal(role.builtIn, null);

  const unknown = await app.request('POST', '/api/v1/roles', {
    token,
    body: { name: 'x', permissions: ['agents.fly'] },
  });
  t.equal(unknown.statusCode, 400);
  const dup = await app.request('POST', '/api/v1/roles', {
    token,
    body: { name: 'Team lead', permissions: [] },
  });
  t.equal(dup.statusCode, 409);

  // A custom role grants exactly what it lists.
  const res = await app.request('POST', '/api/v1/agents', {
    token,
    body: { loginId: 'lead1', name: 'L', nickname: 'L', password: 'Leader123', roleId: role.id },
  });
  t.equal(res.statusCode, 201);
  const leadToken = ((await app.login('lead1', 'Leader123')).json() as { token: string }).token;
  t.equal((await app.request('GET', '/api/v1/agents', { token: leadToken })).statusCode, 200);
  t.equal(
    (
      await app.request('POST', '/api/v1/roles', {
        token: leadToken,
        body: { name: 'y', permissions: [] },
      })
    ).statusCode,
    403,
  );

  // Permissions change takes effect at once, for live tokens too.
  await app.request('PATCH', `/api/v1/roles/${role.id}`, {
    token,
    body: { permissions: ['realtime.view'] },
  });
  t.equal((await app.request('GET', '/api/v1/agents', { token: leadToken })).statusCode, 403);

  const inUse = await app.request('DELETE', `/api/v1/roles/${role.id}`, { token });
  t.equal(inUse.statusCode, 409);
  t.match(inUse.json(), { error: { code: 'role_in_use', details: { agents: 1 } } });
  const builtIn = await app.request('DELETE', `/api/v1/roles/${await roleId(app, 'agent')}`, {
    token,
  });
  t.equal(builtIn.statusCode, 422);

  await app.request('DELETE', `/api/v1/agents/${(res.json() as { id: number }).id}`, { token });
  t.equal((await app.request('DELETE', `/api/v1/roles/${role.id}`, { token })).statusCode, 204);
});
