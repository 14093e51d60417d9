/** Logging in and out, lockout and unlock, token expiry and revocation, the one-session rule. */
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp, createAgent } from '../support/app.js';
import { fakeClock } from '../support/fake-clock.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}
const errorOf = (res: { json(): unknown }) => (res.json() as ErrorBody).error;

t.test('login succeeds with the right password and returns a token and the agent', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const res = await app.login('admin', ADMIN_PASSWORD);
  t.equal(res.statusCode, 200);
  const body = res.json() as { token: string; expiresAt: string; agent: Record<string, unknown> };
  t.match(body.token, /^ccs_/);
  t.equal(body.agent.loginId, 'admin');
  t.notOk('passwordHash' in body.agent, 'no hash in the response');
  t.notOk(res.body.includes('scrypt$'), 'no hash anywhere in the response');

  // Login IDs are matched regardless of case.
  t.equal((await app.login('ADMIN', ADMIN_PASSWORD)).statusCode, 200);

  const me = await app.request('GET', '/api/v1/me', { token: body.token });
  t.equal(me.statusCode, 200);
  t.equal((me.json() as { loginId: string }).loginId, 'admin');
  t.ok((me.json() as { permissions: string[] }).permissions.includes('roles.update'));
});

t.test('a wrong password or unknown ID is refused the same way and recorded', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const wrong = await app.login('admin', 'Wrong1234');
  const unknown = await app.login('nobody', 'Wrong1234');
  t.equal(wrong.statusCode, 401);
  t.equal(unknown.statusCode, 401);
  t.same(errorOf(wrong), errorOf(unknown), 'an attacker cannot tell which IDs exist');
  t.equal(errorOf(wrong).code, 'invalid_credentials');

  const events = await app.request('GET', '/api/v1/agents/1/auth-events', {
    token: app.adminToken,
  });
  const kinds = (events.json() as { items: { kind: string; detail: string | null }[] }).items.map(
    (e) => e.kind,
  );
  t.ok(kinds.includes('login_failed'));
  t.notOk(events.body.includes('Wrong1234'), 'the attempted password is never stored');
});

t.test('5 consecutive failures lock the account; an admin unlocks it', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const id = await createAgent(app, { loginId: 'op1', password: 'Operator1' });

  for (let i = 1; i <= 4; i++) {
    t.equal((await app.login('op1', `Wrong${i}xyz`)).statusCode, 401, `failure ${i}`);
  }
  // A success in between resets the count.
  t.equal((await app.login('op1', 'Operator1')).statusCode, 200);
  for (let i = 1; i <= 4; i++) await app.login('op1', `Wrong${i}xyz`);
  const fifth = await app.login('op1', 'Wrong5xyz');
  t.equal(fifth.statusCode, 403);
  t.equal(errorOf(fifth).code, 'account_locked');

  // Even the right password is refused now.
  const locked = await app.login('op1', 'Operator1');
  t.equal(locked.statusCode, 403);
  t.equal(errorOf(locked).code, 'account_locked');
  const agent = await app.request('GET', `/api/v1/agents/${id}`, { token: app.adminToken });
  t.match(agent.json(), { locked: true, failedLogins: 5 });

  const unlock = await app.request('PATCH', `/api/v1/agents/${id}`, {
    token: app.adminToken,
    body: { locked: false },
  });
  t.equal(unlock.statusCode, 200);
  t.match(unlock.json(), { locked: false, failedLogins: 0 });
  t.equal((await app.login('op1', 'Operator1')).statusCode, 200);

  const events = await app.request('GET', `/api/v1/agents/${id}/auth-events?limit=100`, {
    token: app.adminToken,
  });
  const kinds = (events.json() as { items: { kind: string; actor: string | null }[] }).items
    .map((e) => e.kind)
    .reverse();
  t.same(
    kinds.filter((k) => k !== 'login_failed'),
    ['login_succeeded', 'account_locked', 'login_refused', 'account_unlocked', 'login_succeeded'],
  );
  t.equal(kinds.filter((k) => k === 'login_failed').length, 9);
  const history = await app.request('GET', `/api/v1/agents/${id}/history`, {
    token: app.adminToken,
  });
  t.match((history.json() as { items: unknown[] }).items[0], {
    field: 'locked',
    oldValue: 'true',
    newValue: 'false',
    by: 'admin',
  });
});

t.test('the lockout threshold is a setting', async (t) => {
  const app = await buildTestApp({ env: { AUTH_MAX_FAILED_LOGINS: '2' } });
  t.teardown(app.close);
  await createAgent(app, { loginId: 'op2', password: 'Operator1' });
  t.equal((await app.login('op2', 'Wrong1xyz')).statusCode, 401);
  t.equal((await app.login('op2', 'Wrong2xyz')).statusCode, 403);
});

t.test('tokens expire after the configured time', async (t) => {
  const clock = fakeClock();
  const app = await buildTestApp({ clock, env: { AUTH_TOKEN_TTL_MINUTES: '30' } });
  t.teardown(app.close);
  const token = app.adminToken;
  t.equal((await app.request('GET', '/api/v1/me', { token })).statusCode, 200);
  clock.advance(29 * 60_000);
  t.equal((await app.request('GET', '/api/v1/me', { token })).statusCode, 200);
  clock.advance(2 * 60_000);
  const expired = await app.request('GET', '/api/v1/me', { token });
  t.equal(expired.statusCode, 401);
  t.equal(errorOf(expired).code, 'invalid_token');
});

t.test('logout revokes the token in use, and only it', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const other = (await app.login('admin', ADMIN_PASSWORD).then((r) => r.json())) as {
    token: string;
  };
  t.equal(
    (await app.request('POST', '/api/v1/auth/logout', { token: app.adminToken })).statusCode,
    204,
  );
  t.equal((await app.request('GET', '/api/v1/me', { token: app.adminToken })).statusCode, 401);
  t.equal((await app.request('GET', '/api/v1/me', { token: other.token })).statusCode, 200);
});

t.test(
  'one session per account: a second login is refused until a supervisor forces a logout',
  async (t) => {
    const app = await buildTestApp({ env: { AUTH_SINGLE_SESSION: 'true' } });
    t.teardown(app.close);
    const id = await createAgent(app, { loginId: 'op3', password: 'Operator1' });
    await createAgent(app, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
    const sv = ((await app.login('sv1', 'Supervis1')).json() as { token: string }).token;

    const first = await app.login('op3', 'Operator1');
    t.equal(first.statusCode, 200);
    const opToken = (first.json() as { token: string }).token;

    const second = await app.login('op3', 'Operator1');
    t.equal(second.statusCode, 409);
    t.equal(errorOf(second).code, 'already_logged_in');
    t.match(errorOf(second).message, '指定したIDは既にログインされています');
    // The refused attempt did not touch the live session.
    t.equal((await app.request('GET', '/api/v1/me', { token: opToken })).statusCode, 200);

    const sessions = await app.request('GET', `/api/v1/agents/${id}/sessions`, { token: sv });
    t.equal((sessions.json() as { items: unknown[] }).items.length, 1);
    t.notOk(sessions.body.includes(opToken), 'sessions never show tokens');

    // An agent cannot force anyone out.
    t.equal(
      (await app.request('POST', `/api/v1/agents/${id}/logout`, { token: opToken })).statusCode,
      403,
    );
    const forced = await app.request('POST', `/api/v1/agents/${id}/logout`, { token: sv });
    t.equal(forced.statusCode, 200);
    t.same(forced.json(), { revoked: 1 });
    t.equal((await app.request('GET', '/api/v1/me', { token: opToken })).statusCode, 401);
    t.equal((await app.login('op3', 'Operator1')).statusCode, 200);

    const events = await app.request('GET', `/api/v1/agents/${id}/auth-events`, { token: sv });
    const forcedEvent = (
      events.json() as { items: { kind: string; actor: string | null }[] }
    ).items.find((e) => e.kind === 'forced_logout');
    t.equal(forcedEvent?.actor, 'sv1');
  },
);

t.test('after logging out, the account may log in again under the one-session rule', async (t) => {
  const app = await buildTestApp({ env: { AUTH_SINGLE_SESSION: 'true' } });
  t.teardown(app.close);
  await createAgent(app, { loginId: 'op4', password: 'Operator1' });
  const token = ((await app.login('op4', 'Operator1')).json() as { token: string }).token;
  await app.request('POST', '/api/v1/auth/logout', { token });
  t.equal((await app.login('op4', 'Operator1')).statusCode, 200);
});

t.test('changing my password: policy, current password, other sessions end', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const id = await createAgent(app, { loginId: 'op5', password: 'Operator1' });
  const token = ((await app.login('op5', 'Operator1')).json() as { token: string }).token;
  const otherToken = ((await app.login('op5', 'Operator1')).json() as { token: string }).token;

  const weak = await app.request('PUT', '/api/v1/me/password', {
    token,
    body: { currentPassword: 'Operator1', newPassword: 'weakpass' },
  });
  t.equal(weak.statusCode, 400);
  t.equal(errorOf(weak).code, 'validation_failed');
  t.notOk(weak.body.includes('weakpass'), 'the rejected password is not echoed');

  const wrongCurrent = await app.request('PUT', '/api/v1/me/password', {
    token,
    body: { currentPassword: 'Nope12345', newPassword: 'Better123' },
  });
  t.equal(wrongCurrent.statusCode, 422);

  const ok = await app.request('PUT', '/api/v1/me/password', {
    token,
    body: { currentPassword: 'Operator1', newPassword: 'Better123', newPin: '4321' },
  });
  t.equal(ok.statusCode, 204);
  t.equal(
    (await app.request('GET', '/api/v1/me', { token })).statusCode,
    200,
    'this session lives on',
  );
  t.equal(
    (await app.request('GET', '/api/v1/me', { token: otherToken })).statusCode,
    401,
    'others end',
  );
  t.equal((await app.login('op5', 'Operator1')).statusCode, 401);
  t.equal((await app.login('op5', 'Better123')).statusCode, 200);

  const history = await app.request('GET', `/api/v1/agents/${id}/history`, {
    token: app.adminToken,
  });
  const fields = (
    history.json() as {
      items: { field: string; oldValue: string | null; newValue: string | null }[];
    }
  ).items;
  t.same(fields.map((f) => [f.field, f.oldValue, f.newValue]).sort(), [
    ['password', '********', '********'],
    ['pin', null, '********'],
  ]);
  t.notOk(history.body.includes('Better123'));
  t.notOk(history.body.includes('4321'));
});

t.test('API keys authenticate with their role and can be revoked', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const roles = (await app.request('GET', '/api/v1/roles', { token: app.adminToken })).json() as {
    items: { id: number; builtIn: string | null }[];
  };
  const supervisorRole = roles.items.find((r) => r.builtIn === 'supervisor')?.id;
  const created = await app.request('POST', '/api/v1/api-keys', {
    token: app.adminToken,
    body: { name: 'wallboard', roleId: supervisorRole },
  });
  t.equal(created.statusCode, 201);
  const { key, id, prefix } = created.json() as { key: string; id: number; prefix: string };
  t.match(key, /^cck_/);
  t.ok(key.startsWith(prefix));

  const list = await app.request('GET', '/api/v1/api-keys', { token: app.adminToken });
  t.notOk(list.body.includes(key), 'the key is shown once only');

  t.equal((await app.request('GET', '/api/v1/agents', { token: key })).statusCode, 200);
  t.equal(
    (await app.request('GET', '/api/v1/roles', { token: key })).statusCode,
    403,
    'supervisors cannot manage roles',
  );
  const me = await app.request('GET', '/api/v1/me', { token: key });
  t.equal(me.statusCode, 403);
  t.equal(errorOf(me).code, 'agent_required');

  t.equal(
    (await app.request('DELETE', `/api/v1/api-keys/${id}`, { token: app.adminToken })).statusCode,
    204,
  );
  t.equal((await app.request('GET', '/api/v1/agents', { token: key })).statusCode, 401);
});

t.test('an expired API key is refused', async (t) => {
  const clock = fakeClock();
  const app = await buildTestApp({ clock });
  t.teardown(app.close);
  const roleList = (
    await app.request('GET', '/api/v1/roles', { token: app.adminToken })
  ).json() as {
    items: { id: number }[];
  };
  const expiresAt = new Date(clock.now().getTime() + 60_000).toISOString();
  const created = await app.request('POST', '/api/v1/api-keys', {
    token: app.adminToken,
    body: { name: 'short', roleId: roleList.items[0]?.id, expiresAt },
  });
  const { key } = created.json() as { key: string };
  t.equal((await app.request('GET', '/api/v1/agents', { token: key })).statusCode, 200);
  clock.advance(61_000);
  t.equal((await app.request('GET', '/api/v1/agents', { token: key })).statusCode, 401);
});
