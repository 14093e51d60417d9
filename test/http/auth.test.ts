/** Logging in and out, lockout and unlock, token expiry and revocation, the one-session rule. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ADMIN_PASSWORD, buildTestApp, createAgent, type TestApp } from '../support/app.js';
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

/** A login from a given client address (inject's default is 127.0.0.1). */
function loginFrom(app: TestApp, remoteAddress: string, loginId: string, password: string) {
  return app.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    remoteAddress,
    payload: { loginId, password },
  });
}

t.test(
  'a wrong password, an unknown ID and a locked account with a wrong password answer alike',
  async (t) => {
    const app = await buildTestApp({ env: { AUTH_MAX_FAILED_LOGINS: '2' } });
    t.teardown(app.close);
    await createAgent(app, { loginId: 'op1', password: 'Operator1' });
    await createAgent(app, { loginId: 'op2', password: 'Operator1' });
    await app.login('op2', 'Wrong1xyz');
    await app.login('op2', 'Wrong2xyz');

    const answers = [
      await app.login('op1', 'Wrong1234'),
      await app.login('nobody', 'Wrong1234'),
      await app.login('op2', 'Wrong1234'),
    ];
    for (const res of answers) {
      t.equal(res.statusCode, 401);
      t.same(res.json(), answers[0]?.json(), 'the same answer: nothing tells which IDs exist');
    }
    // Only the right password learns that the account is locked.
    const right = await app.login('op2', 'Operator1');
    t.equal(right.statusCode, 403);
    t.equal(errorOf(right).code, 'account_locked');
  },
);

t.test(
  'consecutive failures lock the account for AUTH_LOCK_MINUTES; an admin unlocks it sooner',
  async (t) => {
    const clock = fakeClock();
    const app = await buildTestApp({ clock, env: { AUTH_LOCK_MINUTES: '15' } });
    t.teardown(app.close);
    const id = await createAgent(app, { loginId: 'op1', password: 'Operator1' });

    for (let i = 1; i <= 4; i++) {
      t.equal((await app.login('op1', `Wrong${i}xyz`)).statusCode, 401, `failure ${i}`);
    }
    // A success in between resets the count.
    t.equal((await app.login('op1', 'Operator1')).statusCode, 200);
    for (let i = 1; i <= 4; i++) await app.login('op1', `Wrong${i}xyz`);
    const fifth = await app.login('op1', 'Wrong5xyz');
    t.equal(fifth.statusCode, 401, 'the failure that locks answers like any other');
    t.equal(errorOf(fifth).code, 'invalid_credentials');

    const until = new Date(clock.now().getTime() + 15 * 60_000).toISOString();
    const locked = await app.login('op1', 'Operator1');
    t.equal(locked.statusCode, 403, 'the right password is refused while locked');
    t.match(errorOf(locked), { code: 'account_locked', details: { lockedUntil: until } });
    const agent = await app.request('GET', `/api/v1/agents/${id}`, { token: app.adminToken });
    t.match(agent.json(), { locked: true, lockedUntil: until, failedLogins: 5 });

    // Failures while locked neither count nor lengthen the lock.
    await app.login('op1', 'Wrong6xyz');
    clock.advance(15 * 60_000 - 1000);
    t.equal((await app.login('op1', 'Operator1')).statusCode, 403, 'still locked at 14:59');
    clock.advance(1000);
    const after = await app.request('GET', `/api/v1/agents/${id}`, { token: app.adminToken });
    t.match(after.json(), { locked: false, lockedUntil: null });
    t.equal((await app.login('op1', 'Operator1')).statusCode, 200, 'the lock has run out');

    // Locked again; an administrator does not have to wait.
    for (let i = 1; i <= 5; i++) await app.login('op1', `Wrong${i}xyz`);
    t.equal((await app.login('op1', 'Operator1')).statusCode, 403);
    const unlock = await app.request('PATCH', `/api/v1/agents/${id}`, {
      token: app.adminToken,
      body: { locked: false },
    });
    t.equal(unlock.statusCode, 200);
    t.match(unlock.json(), { locked: false, lockedUntil: null, failedLogins: 0 });
    t.equal((await app.login('op1', 'Operator1')).statusCode, 200);

    const events = await app.request('GET', `/api/v1/agents/${id}/auth-events?limit=100`, {
      token: app.adminToken,
    });
    const items = (events.json() as { items: { kind: string; detail: string | null }[] }).items;
    const kinds = items.map((e) => e.kind).reverse();
    t.same(
      kinds.filter((k) => k !== 'login_failed'),
      [
        'login_succeeded',
        'account_locked',
        'login_refused',
        'login_refused',
        'login_succeeded',
        'account_locked',
        'login_refused',
        'account_unlocked',
        'login_succeeded',
      ],
    );
    t.ok(items.some((e) => e.detail === 'wrong password while locked'));
    const history = await app.request('GET', `/api/v1/agents/${id}/history`, {
      token: app.adminToken,
    });
    t.match((history.json() as { items: unknown[] }).items[0], {
      field: 'locked',
      oldValue: 'true',
      newValue: 'false',
      by: 'admin',
    });
  },
);

t.test('AUTH_LOCK_MINUTES=0 locks until an administrator unlocks', async (t) => {
  const clock = fakeClock();
  const app = await buildTestApp({
    clock,
    env: { AUTH_MAX_FAILED_LOGINS: '2', AUTH_LOCK_MINUTES: '0' },
  });
  t.teardown(app.close);
  const id = await createAgent(app, { loginId: 'op2', password: 'Operator1' });
  t.equal((await app.login('op2', 'Wrong1xyz')).statusCode, 401);
  t.equal((await app.login('op2', 'Wrong2xyz')).statusCode, 401);
  clock.advance(7 * 24 * 3_600_000);
  const locked = await app.login('op2', 'Operator1');
  t.equal(locked.statusCode, 403, 'a week later, still locked');
  t.match(errorOf(locked), { code: 'account_locked', details: { lockedUntil: null } });
  const admin = ((await app.login('admin', ADMIN_PASSWORD)).json() as { token: string }).token;
  const agent = await app.request('GET', `/api/v1/agents/${id}`, { token: admin });
  t.match(agent.json(), { locked: true, lockedUntil: null });
});

t.test('failed logins are throttled per client address and per login ID', async (t) => {
  const clock = fakeClock();
  const app = await buildTestApp({
    clock,
    env: {
      AUTH_THROTTLE_PER_ADDRESS: '3',
      AUTH_THROTTLE_PER_LOGIN_ID: '4',
      AUTH_THROTTLE_WINDOW_SECONDS: '60',
      AUTH_MAX_FAILED_LOGINS: '100',
    },
  });
  t.teardown(app.close);
  await createAgent(app, { loginId: 'op1', password: 'Operator1' });
  await createAgent(app, { loginId: 'op2', password: 'Operator1' });

  // One address tries several IDs, known and unknown alike.
  for (const id of ['op1', 'nobody', 'op2']) {
    t.equal((await loginFrom(app, '203.0.113.7', id, 'Wrong1xyz')).statusCode, 401);
  }
  const throttled = await loginFrom(app, '203.0.113.7', 'op1', 'Operator1');
  t.equal(throttled.statusCode, 429, 'past the limit, even the right password waits');
  t.equal(errorOf(throttled).code, 'too_many_attempts');
  t.equal(throttled.headers['retry-after'], '60');
  const unknown = await loginFrom(app, '203.0.113.7', 'nobody', 'Wrong1xyz');
  t.same(unknown.json(), throttled.json(), 'the same for an ID that does not exist');
  t.equal(
    (await loginFrom(app, '198.51.100.1', 'op1', 'Operator1')).statusCode,
    200,
    'another address is not held up',
  );
  clock.advance(30_000);
  t.equal((await loginFrom(app, '203.0.113.7', 'op1', 'Wrong2xyz')).headers['retry-after'], '30');
  clock.advance(30_000);
  t.equal(
    (await loginFrom(app, '203.0.113.7', 'op2', 'Operator1')).statusCode,
    200,
    'the window has passed',
  );

  // One login ID tried from many addresses.
  for (let i = 1; i <= 4; i++) {
    t.equal((await loginFrom(app, `192.0.2.${i}`, 'ghost', 'Wrong1xyz')).statusCode, 401);
  }
  const perId = await loginFrom(app, '192.0.2.99', 'ghost', 'Wrong1xyz');
  t.equal(perId.statusCode, 429, 'the ID is held up, whatever the address');
  t.equal((await loginFrom(app, '192.0.2.99', 'op2', 'Wrong1xyz')).statusCode, 401);
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

t.test(
  'every administrator locked out: `admin:unlock <loginId>` on the command line lets them in',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-unlock-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const databasePath = join(dir, 'cc.db');
    const app = await buildTestApp({
      env: { DATABASE_PATH: databasePath, AUTH_LOCK_MINUTES: '0' },
    });
    t.teardown(app.close);
    // Anyone can lock the only administrator by guessing wrong five times.
    for (let i = 1; i <= 5; i++) await app.login('admin', `Wrong${i}xyz`);
    t.equal((await app.login('admin', ADMIN_PASSWORD)).statusCode, 403);
    const me = await app.request('GET', '/api/v1/me', { token: app.adminToken });
    t.equal(me.statusCode, 200, 'but a session already open is not ended by the guesser');

    const unlock = (loginId: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'src/cli/admin-unlock.ts', loginId],
          {
            env: { ...process.env, DATABASE_PATH: databasePath, ENV_FILE: join(dir, 'none.env') },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const done = await unlock('ADMIN');
    t.equal(done.code, 0, done.out);
    t.match(done.out, 'admin is unlocked');
    // The running server sees it at the next attempt.
    t.equal((await app.login('admin', ADMIN_PASSWORD)).statusCode, 200);
    t.match(await unlock('admin'), { code: 0, out: /was not locked/ });
    t.match(await unlock('nobody'), { code: 1, out: /no account with the login ID nobody/ });

    const events = await app.request('GET', '/api/v1/agents/1/auth-events?limit=100', {
      token: app.adminToken,
    });
    t.match(
      (events.json() as { items: { kind: string; actor: string | null }[] }).items.find(
        (e) => e.kind === 'account_unlocked',
      ),
      { actor: 'cli' },
    );
  },
);

t.test(
  'my own settings: language, nickname, pop-ups and notifications, nothing else',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const id = await createAgent(app, { loginId: 'op1', password: 'Operator1', role: 'agent' });
    const token = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;

    const changed = await app.request('PATCH', '/api/v1/me', {
      token,
      body: { language: 'en', nickname: 'Op One' },
    });
    t.equal(changed.statusCode, 200);
    t.match(changed.json(), { id, language: 'en', nickname: 'Op One' });
    t.match((await app.request('GET', '/api/v1/me', { token })).json(), { language: 'en' });

    const fresh = (await app.request('GET', '/api/v1/me', { token })).json() as Record<
      string,
      unknown
    >;
    t.match(
      fresh,
      {
        popupOnIncoming: false,
        popupOnAnswer: false,
        popupWindow: 'same_tab',
        notifyExternalCalls: false,
        notifyInternalCalls: false,
        crmAutoSearch: false,
      },
      'the manual’s defaults: pop-ups OFF, 全て同じタブで開く, CRM自動検索 OFF',
    );
    const popups = await app.request('PATCH', '/api/v1/me', {
      token,
      body: {
        popupOnIncoming: true,
        popupWindow: 'new_tab',
        notifyInternalCalls: true,
        crmAutoSearch: true,
      },
    });
    t.equal(popups.statusCode, 200);
    t.match(popups.json(), {
      crmAutoSearch: true,
      popupOnIncoming: true,
      popupOnAnswer: false,
      popupWindow: 'new_tab',
      notifyInternalCalls: true,
    });

    for (const body of [
      { language: 'fr' },
      { roleId: 1 },
      { extension: '999' },
      { nickname: '' },
      { popupWindow: 'window' },
      { popupOnAnswer: 'yes' },
      { crmAutoSearch: 'on' },
    ]) {
      const refused = await app.request('PATCH', '/api/v1/me', { token, body });
      t.equal(refused.statusCode, 400, `refused: ${JSON.stringify(body)}`);
    }
    t.match(
      (await app.request('GET', `/api/v1/agents/${id}`, { token: app.adminToken })).json(),
      {
        language: 'en',
        nickname: 'Op One',
        extension: null,
        popupWindow: 'new_tab',
        popupOnAnswer: false,
      },
      'nothing changed by the refused ones',
    );
    const history = await app.request('GET', `/api/v1/agents/${id}/history`, {
      token: app.adminToken,
    });
    t.match(history.body, /"op1"/, 'the change history says who changed it');
    t.match(
      (history.json() as { items: { field: string }[] }).items.find(
        (c) => c.field === 'popupWindow',
      ),
      { oldValue: 'same_tab', newValue: 'new_tab', by: 'op1' },
      'and what: the pop-up setting is in it too',
    );

    const byAdmin = await app.request('PATCH', `/api/v1/agents/${id}`, {
      token: app.adminToken,
      body: { popupOnAnswer: true },
    });
    t.match(
      byAdmin.json(),
      { popupOnAnswer: true },
      'an administrator sets it on the agent (§11-1)',
    );
  },
);
