/**
 * Custom statuses and status selection over REST. Without an Asterisk the effective status is
 * `unknown` (未確認) — the facts win — so these tests watch the selection; the telephony tests
 * watch the effective status with real phones.
 */
import t from 'tap';
import { agentStatusLog } from '../../src/agents/schema.js';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

interface Status {
  agentId: number;
  status: string;
  selection: string;
  selectedCustomStatusId: number | null;
}

async function createStatus(app: TestApp, body: Record<string, unknown>): Promise<number> {
  const res = await app.request('POST', '/api/v1/agent-statuses', { token: app.adminToken, body });
  if (res.statusCode !== 201) throw new Error(`${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

t.test(
  'custom statuses: CRUD, one login status, one after-call status, valid colours',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const acw = await createStatus(app, {
      name: 'ACW',
      afterCall: true,
      afterCallSeconds: 30,
      backgroundColor: '#ff0000',
    });
    const got = await app.request('GET', `/api/v1/agent-statuses/${acw}`, {
      token: app.adminToken,
    });
    t.match(got.json(), {
      name: 'ACW',
      afterCall: true,
      afterCallSeconds: 30,
      toggle: 'none',
      fontColor: '#ffffff',
      createdBy: 'admin',
    });

    const second = await app.request('POST', '/api/v1/agent-statuses', {
      token: app.adminToken,
      body: { name: 'ACW2', afterCall: true },
    });
    t.equal(second.statusCode, 409);
    t.match(second.json(), { error: { code: 'after_call_status_taken' } });
    await createStatus(app, { name: '準備中', onLogin: true });
    const login2 = await app.request('POST', '/api/v1/agent-statuses', {
      token: app.adminToken,
      body: { name: 'x', onLogin: true },
    });
    t.match(login2.json(), { error: { code: 'login_status_taken' } });
    const dupName = await app.request('POST', '/api/v1/agent-statuses', {
      token: app.adminToken,
      body: { name: 'ACW' },
    });
    t.equal(dupName.statusCode, 409);
    const badColour = await app.request('POST', '/api/v1/agent-statuses', {
      token: app.adminToken,
      body: { name: 'y', fontColor: 'red' },
    });
    t.equal(badColour.statusCode, 400);

    const patched = await app.request('PATCH', `/api/v1/agent-statuses/${acw}`, {
      token: app.adminToken,
      body: { afterCallSeconds: 0 },
    });
    t.match(patched.json(), { afterCallSeconds: 0 });
    const list = await app.request('GET', '/api/v1/agent-statuses', { token: app.adminToken });
    t.same(
      (list.json() as { items: { name: string }[] }).items.map((s) => s.name),
      ['ACW', '準備中'],
    );
    // An agent chooses from them (the status menu) but cannot change them.
    await createAgent(app, { loginId: 'op1', password: 'Operator1', role: 'agent' });
    const agent = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
    const seen = await app.request('GET', '/api/v1/agent-statuses', { token: agent });
    t.equal(seen.statusCode, 200, 'an agent reads the choices');
    t.equal((seen.json() as { items: unknown[] }).items.length, 2);
    const changed = await app.request('PATCH', `/api/v1/agent-statuses/${acw}`, {
      token: agent,
      body: { name: 'mine' },
    });
    t.equal(changed.statusCode, 403, 'but does not change them');
  },
);

t.test(
  'seed 001 over REST: login → 準備中, 受付可, 小休憩 toggles back, 昼休憩 back to 準備中',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const preparing = await createStatus(app, { name: '準備中', onLogin: true });
    const shortBreak = await createStatus(app, { name: '小休憩', toggle: 'previous' });
    const lunch = await createStatus(app, { name: '昼休憩', toggle: 'login_status' });
    const agentId = await createAgent(app, { loginId: 'op1', password: 'Operator1' });

    const token = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
    const me = async () =>
      (await app.request('GET', '/api/v1/me/status', { token })).json() as Status;
    t.match(
      await me(),
      { agentId, status: 'unknown', selection: 'paused', selectedCustomStatusId: preparing },
      'login → 準備中',
    );

    const choose = async (body: object) =>
      (await app.request('PUT', '/api/v1/me/status', { token, body })).json() as Status;
    t.match(await choose({ status: 'available' }), { selection: 'available' }, '受付可');
    t.match(await choose({ status: 'paused', customStatusId: shortBreak }), {
      selectedCustomStatusId: shortBreak,
    });
    t.match(
      await choose({ status: 'paused', customStatusId: shortBreak }),
      { selection: 'available' },
      '小休憩 again → back',
    );
    await choose({ status: 'paused', customStatusId: lunch });
    t.match(
      await choose({ status: 'paused', customStatusId: lunch }),
      { selectedCustomStatusId: preparing },
      '昼休憩 again → 準備中',
    );

    const unknown = await app.request('PUT', '/api/v1/me/status', {
      token,
      body: { status: 'paused', customStatusId: 999 },
    });
    t.equal(unknown.statusCode, 422);
    const bad = await app.request('PUT', '/api/v1/me/status', {
      token,
      body: { status: 'on_call' },
    });
    t.equal(bad.statusCode, 400, 'call states cannot be chosen');

    // Every selection change reached the status log? The effective status stayed `unknown`, so the
    // log has one open row for it.
    const rows = app.database.db
      .select()
      .from(agentStatusLog)
      .all()
      .filter((r) => r.agentId === agentId);
    t.equal(rows.length, 1);
    t.match(rows[0], { status: 'unknown', endedAt: null });
  },
);

t.test(
  'supervisors set an agent’s status and send everyone back to available; agents cannot',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const away = await createStatus(app, { name: '離席' });
    const op1 = await createAgent(app, { loginId: 'op1', password: 'Operator1' });
    const op2 = await createAgent(app, { loginId: 'op2', password: 'Operator2' });
    await createAgent(app, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
    const sv = ((await app.login('sv1', 'Supervis1')).json() as { token: string }).token;
    const op1Token = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;

    const set = await app.request('PUT', `/api/v1/agents/${op1}/status`, {
      token: sv,
      body: { status: 'paused', customStatusId: away },
    });
    t.equal(set.statusCode, 200);
    t.match(set.json(), { agentId: op1, selection: 'paused', selectedCustomStatusId: away });
    await app.request('PUT', `/api/v1/agents/${op2}/status`, {
      token: sv,
      body: { status: 'paused' },
    });

    const denied = await app.request('PUT', `/api/v1/agents/${op2}/status`, {
      token: op1Token,
      body: { status: 'available' },
    });
    t.equal(denied.statusCode, 403);
    t.equal(
      (await app.request('GET', '/api/v1/agents/status', { token: op1Token })).statusCode,
      403,
    );
    t.equal(
      (
        await app.request('PUT', '/api/v1/agents/999/status', {
          token: sv,
          body: { status: 'available' },
        })
      ).statusCode,
      404,
    );

    const all = await app.request('POST', '/api/v1/agents/status/available', { token: sv });
    t.same(all.json(), { changed: 2 });
    const list = (await app.request('GET', '/api/v1/agents/status', { token: sv })).json() as {
      items: Status[];
    };
    t.ok(list.items.every((s) => s.selection === 'available'));

    // Deleting a custom status in use leaves its agents plainly paused.
    await app.request('PUT', `/api/v1/agents/${op1}/status`, {
      token: sv,
      body: { status: 'paused', customStatusId: away },
    });
    t.equal(
      (await app.request('DELETE', `/api/v1/agent-statuses/${away}`, { token: app.adminToken }))
        .statusCode,
      204,
    );
    const after = (
      await app.request('GET', `/api/v1/agents/${op1}/status`, { token: sv })
    ).json() as Status;
    t.match(after, { selection: 'paused', selectedCustomStatusId: null });
  },
);
