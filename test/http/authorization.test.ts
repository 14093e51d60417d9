/** Every route declares a permission; 401 without a token, 403 without the permission; one error shape. */
import t from 'tap';
import { buildTestApp, createAgent } from '../support/app.js';

t.test('every registered route declares the permission it needs', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const declarations = app.app.routeDeclarations;
  t.ok(declarations.length > 20, `${declarations.length} routes registered`);
  const undeclared = declarations.filter((d) => d.permission === undefined);
  t.same(undeclared, [], 'no route without a permission');
  // Only these are open to the world.
  const publicRoutes = declarations
    .filter((d) => d.permission === 'public' && !d.url.startsWith('/docs') && d.method !== 'HEAD')
    .map((d) => `${d.method} ${d.url}`)
    .sort();
  // The web application's page and assets lead to the login; the API checks every request but
  // the audio files Asterisk fetches, whose names carry a signed tag (audio/media-urls.ts).
  t.same(publicRoutes, [
    'GET /',
    'GET /api/v1/media/audio-files/:name',
    'GET /assets/*',
    'GET /healthz',
    'GET /readyz',
    'POST /api/v1/auth/login',
  ]);
});

t.test('no token → 401, an agent on admin routes → 403, each with the error shape', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  await createAgent(app, { loginId: 'op1', password: 'Operator1' });
  const agentToken = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;

  const adminRoutes: ['GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown?][] = [
    ['GET', '/api/v1/agents'],
    [
      'POST',
      '/api/v1/agents',
      { loginId: 'x12', name: 'x', nickname: 'x', password: 'Secret123', roleId: 1 },
    ],
    ['PATCH', '/api/v1/agents/1', { locked: true }],
    ['DELETE', '/api/v1/agents/1'],
    ['GET', '/api/v1/roles'],
    ['POST', '/api/v1/roles', { name: 'r', permissions: [] }],
    ['DELETE', '/api/v1/roles/1'],
    ['GET', '/api/v1/api-keys'],
    ['POST', '/api/v1/api-keys', { name: 'k', roleId: 1 }],
    ['POST', '/api/v1/agents/1/logout'],
  ];
  for (const [method, url, body] of adminRoutes) {
    const anonymous = await app.request(method, url, { body });
    t.equal(anonymous.statusCode, 401, `${method} ${url} without a token`);
    t.match(anonymous.json(), { error: { code: 'unauthenticated', message: String } });

    const denied = await app.request(method, url, { token: agentToken, body });
    t.equal(denied.statusCode, 403, `${method} ${url} as an agent`);
    t.match(denied.json(), { error: { code: 'permission_denied', details: { required: String } } });
  }
  const garbage = await app.request('GET', '/api/v1/me', { token: 'ccs_notatoken' });
  t.equal(garbage.statusCode, 401);
  t.match(garbage.json(), { error: { code: 'invalid_token' } });
  const badScheme = await app.request('GET', '/api/v1/me', {
    headers: { authorization: 'Basic YWRtaW46eA==' },
  });
  t.equal(badScheme.statusCode, 401);

  // What an agent may do, they can.
  t.equal((await app.request('GET', '/api/v1/me', { token: agentToken })).statusCode, 200);
});

t.test(
  'the admin cannot be locked out of the admin routes nor delete the last administrator',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const self = await app.request('DELETE', '/api/v1/agents/1', { token: app.adminToken });
    t.equal(self.statusCode, 409);
    t.match(self.json(), { error: { code: 'cannot_delete_self' } });
    const lock = await app.request('PATCH', '/api/v1/agents/1', {
      token: app.adminToken,
      body: { locked: true },
    });
    t.equal(lock.statusCode, 409);
    t.match(lock.json(), { error: { code: 'last_system_admin' } });
    const demote = await app.request('PATCH', '/api/v1/agents/1', {
      token: app.adminToken,
      body: { roleId: 3 },
    });
    t.equal(demote.statusCode, 409);
    const fixed = await app.request('PATCH', '/api/v1/roles/1', {
      token: app.adminToken,
      body: { permissions: [] },
    });
    t.equal(fixed.statusCode, 422);
    t.match(fixed.json(), { error: { code: 'built_in_role_fixed' } });
  },
);

t.test('validation, not-found and malformed requests all use the error shape', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const token = app.adminToken;

  const invalid = await app.request('POST', '/api/v1/agents', {
    token,
    body: { loginId: 'no spaces', name: '', nickname: 'n', password: 'Secret123', roleId: 'one' },
  });
  t.equal(invalid.statusCode, 400);
  const body = invalid.json() as {
    error: { code: string; details: { in: string; path: string; message: string }[] };
  };
  t.equal(body.error.code, 'validation_failed');
  t.same(body.error.details.map((d) => d.path).sort(), ['loginId', 'name', 'roleId']);
  t.ok(body.error.details.every((d) => d.in === 'body'));

  const badQuery = await app.request('GET', '/api/v1/agents?limit=0', { token });
  t.equal(badQuery.statusCode, 400);
  t.match(badQuery.json(), {
    error: { code: 'validation_failed', details: [{ in: 'querystring', path: 'limit' }] },
  });

  const badParam = await app.request('GET', '/api/v1/agents/abc', { token });
  t.equal(badParam.statusCode, 400);

  const missing = await app.request('GET', '/api/v1/agents/999', { token });
  t.equal(missing.statusCode, 404);
  t.same(missing.json(), { error: { code: 'not_found', message: 'Agent not found' } });

  const noRoute = await app.request('GET', '/api/v1/nothing-here', { token });
  t.equal(noRoute.statusCode, 404);
  t.match(noRoute.json(), { error: { code: 'not_found' } });

  const malformed = await app.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/json' },
    payload: '{"loginId":',
  });
  t.equal(malformed.statusCode, 400);
  t.match(malformed.json(), { error: { code: 'invalid_body' } });

  const textBody = await app.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'content-type': 'application/xml' },
    payload: '<login/>',
  });
  t.equal(textBody.statusCode, 415);
  t.match(textBody.json(), { error: { code: 'unsupported_media_type' } });
});

t.test('responses carry a request id, and a given one is kept', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const generated = await app.request('GET', '/healthz');
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  const kept = await app.request('GET', '/healthz', { headers: { 'x-request-id': 'trace-42' } });
  t.equal(kept.headers['x-request-id'], 'trace-42');
});

t.test('the OpenAPI document describes the routes and their permissions', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const res = await app.request('GET', '/docs/json');
  t.equal(res.statusCode, 200);
  const doc = res.json() as {
    openapi: string;
    paths: Record<string, Record<string, { description?: string }>>;
  };
  t.match(doc.openapi, /^3\.1/);
  t.match(doc.paths['/api/v1/agents']?.get?.description, /Permission: `agents.view`/);
  t.match(doc.paths['/api/v1/agents/{id}']?.patch?.description, /Permission: `agents.update`/);
  t.ok(doc.paths['/api/v1/auth/login']?.post);
  for (const path of [
    '/api/v1/terminals',
    '/api/v1/trunks/{id}',
    '/api/v1/phone-numbers',
    '/api/v1/outbound-restrictions/import',
    '/api/v1/agent-statuses',
    '/api/v1/me/status',
    '/api/v1/calls/{id}/hold',
    '/api/v1/call-history/{id}/recording',
  ]) {
    t.ok(doc.paths[path], `${path} is documented`);
  }
  const undocumented = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/') && path !== '/api/v1/ws')
    .flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(
          ([, op]) =>
            !/Permission: (`[a-z_.]+`|any logged-in principal|none \(public\))\./.test(
              op.description ?? '',
            ),
        )
        .map(([method]) => `${method} ${path}`),
    );
  t.same(undocumented, [], 'every operation states the permission it needs');
  t.equal(
    (await app.request('GET', '/docs')).statusCode === 200 ||
      (await app.request('GET', '/docs')).statusCode === 302,
    true,
  );
});

t.test(
  'routes about "me" are for session tokens: an API key gets 403, and the docs say so',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const key = (
      (
        await app.request('POST', '/api/v1/api-keys', {
          token: app.adminToken,
          body: { name: 'integration', roleId: 1 },
        })
      ).json() as { key: string }
    ).key;
    for (const [method, url, body] of [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/me/status'],
      ['PUT', '/api/v1/me/status', { status: 'available' }],
      ['GET', '/api/v1/me/caller-id'],
      ['GET', '/api/v1/me/terminals'],
      ['PUT', '/api/v1/me/password', { currentPassword: 'x', newPin: '1234' }],
      ['POST', '/api/v1/auth/logout'],
    ] as const) {
      const res = await app.request(method, url, { token: key, body });
      t.equal(res.statusCode, 403, `${method} ${url}`);
      t.match(res.json(), { error: { code: 'agent_required' } });
    }
    t.equal(
      (await app.request('GET', '/api/v1/agents', { token: key })).statusCode,
      200,
      'the rest is open to keys',
    );
    const doc = (await app.request('GET', '/docs/json')).json() as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    t.match(doc.paths['/api/v1/me']?.get?.description, /Session tokens only/);
    t.match(doc.paths['/api/v1/calls']?.post?.description, /API key.*must name the\s+agent/s);
    t.notMatch(doc.paths['/api/v1/agents']?.get?.description, /Session tokens only/);
  },
);
