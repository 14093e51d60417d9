/**
 * Groups (グループ, §11-2) over REST: settings with the seed's defaults, validation, members and
 * skill levels, what routes calls to a group, the queue event log, and the statistics endpoints
 * (realtime, group report, agent status report) while no call has been made. No Asterisk: agents'
 * effective status is `unknown`, so they count as offline and nobody waits in a queue.
 */
import t from 'tap';
import { buildTestApp, createAgent, roleId, type TestApp } from '../support/app.js';
import { fakeClock } from '../support/fake-clock.js';

type Response = Awaited<ReturnType<TestApp['request']>>;

/** A tap test, as `t.test` hands it to its callback. */
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

interface Group {
  id: number;
  name: string;
  extension: string | null;
  updatedAt: string;
  [field: string]: unknown;
}

interface Member {
  agentId: number;
  skillLevel: number;
  position: number;
  paused: boolean;
  pausedStatusId: number | null;
  addedAt: string;
}

interface QueueEvent {
  at: string;
  callId: string;
  groupId: number | null;
  agentId: number | null;
  event: string;
  data: string[];
}

interface ReportRow {
  key: string;
  calls: number;
  answerRate: number | null;
  [column: string]: unknown;
}

/** The columns of a statistics row with no calls. */
const NO_CALLS = {
  calls: 0,
  answered: 0,
  abandoned: 0,
  overflow: 0,
  timedOut: 0,
  answerRate: null,
  serviceLevel: null,
  averageAnswerSeconds: 0,
  maxAnswerSeconds: null,
  averageAbandonSeconds: 0,
  maxAbandonSeconds: null,
};

/** Asserts the status and the error shape `{ error: { code, message } }`. */
function refused(t: Tap, res: Response, status: number, code: string, message?: string): void {
  t.equal(res.statusCode, status, message ?? `${status} ${code}`);
  t.match(res.json(), { error: { code, message: String } }, message ?? `error ${code}`);
}

const admin = (app: TestApp) => ({
  get: (url: string) => app.request('GET', `/api/v1${url}`, { token: app.adminToken }),
  post: (url: string, body: unknown) =>
    app.request('POST', `/api/v1${url}`, { token: app.adminToken, body }),
  put: (url: string, body: unknown) =>
    app.request('PUT', `/api/v1${url}`, { token: app.adminToken, body }),
  patch: (url: string, body: unknown) =>
    app.request('PATCH', `/api/v1${url}`, { token: app.adminToken, body }),
  delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token: app.adminToken }),
});

async function createGroup(app: TestApp, body: Record<string, unknown>): Promise<Group> {
  const res = await admin(app).post('/groups', body);
  if (res.statusCode !== 201) throw new Error(`create group: ${res.statusCode} ${res.body}`);
  return res.json() as Group;
}

async function tokenOf(app: TestApp, loginId: string, password: string): Promise<string> {
  const res = await app.login(loginId, password);
  if (res.statusCode !== 200) throw new Error(`login ${loginId}: ${res.statusCode} ${res.body}`);
  return (res.json() as { token: string }).token;
}

/** An agent with a role of their own, holding exactly `permissions`; returns their token. */
async function agentWithPermissions(
  app: TestApp,
  loginId: string,
  permissions: string[],
): Promise<string> {
  const role = await admin(app).post('/roles', { name: `role-${loginId}`, permissions });
  if (role.statusCode !== 201) throw new Error(`role: ${role.statusCode} ${role.body}`);
  const agent = await admin(app).post('/agents', {
    loginId,
    name: `Name ${loginId}`,
    nickname: loginId,
    password: 'Secret123',
    roleId: (role.json() as { id: number }).id,
  });
  if (agent.statusCode !== 201) throw new Error(`agent: ${agent.statusCode} ${agent.body}`);
  return tokenOf(app, loginId, 'Secret123');
}

const names = (res: Response) => (res.json() as { items: Group[] }).items.map((g) => g.name);
const membersOf = async (app: TestApp, groupId: number) =>
  ((await admin(app).get(`/groups/${groupId}/members`)).json() as { items: Member[] }).items;
const listGroups = async (app: TestApp): Promise<unknown> =>
  (await admin(app).get('/groups?limit=500')).json();
const queueLogOf = async (app: TestApp, from: Date, to: Date, extra = '') =>
  admin(app).get(
    `/queue-log?from=${encodeURIComponent(from.toISOString())}` +
      `&to=${encodeURIComponent(to.toISOString())}${extra}`,
  );

t.test(
  'a group with only a name takes the seed’s defaults; get, list, patch, delete',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const api = admin(app);
    const op1 = await createAgent(app, { loginId: 'op1', extension: '201' });
    const op2 = await createAgent(app, { loginId: 'op2', extension: '202' });

    const created = await api.post('/groups', { name: 'Sales' });
    t.equal(created.statusCode, 201);
    const sales = created.json() as Group;
    t.match(sales, {
      id: Number,
      name: 'Sales',
      strategy: 'ring_all',
      maxAnswered: 99,
      maxWaiting: 99,
      timeoutSeconds: 300,
      ringSeconds: 20,
      retrySeconds: 5,
      ringBeforeQueueSeconds: 0,
      autoPause: false,
      autoPauseSeconds: 0,
      acwSeconds: 0,
      announcementSeconds: 30,
      musicOnHold: 'default',
      fontColor: '#ffffff',
      backgroundColor: '#777777',
      serviceLevelSeconds: 20,
      levelRelaxationSeconds: 0,
      sortOrder: 0,
      createdBy: 'admin',
      updatedBy: 'admin',
    });
    for (const unset of [
      'extension',
      'overflow',
      'timeout',
      'acwStatusId',
      'greeting',
      'announcement',
      'whisper',
      'displayName',
    ]) {
      t.equal(sales[unset], null, `${unset} is unset`);
    }
    t.ok(Date.parse(sales.updatedAt) >= Date.parse(String(sales.createdAt)));

    const got = await api.get(`/groups/${sales.id}`);
    t.equal(got.statusCode, 200);
    t.same(got.json(), sales, 'GET answers what POST did');
    refused(t, await api.get('/groups/9999'), 404, 'not_found');

    const support = await createGroup(app, {
      name: 'Support',
      extension: '801',
      members: [{ agentId: op1 }],
    });
    const salesB = await createGroup(app, {
      name: 'Sales Team B',
      extension: '802',
      members: [{ agentId: op2 }, { agentId: op1, skillLevel: 3 }],
    });
    t.match(await membersOf(app, salesB.id), [
      { agentId: op2, skillLevel: 1, position: 0 },
      { agentId: op1, skillLevel: 3, position: 1 },
    ]);

    const all = await api.get('/groups');
    t.equal(all.statusCode, 200);
    t.same(names(all), ['Sales', 'Support', 'Sales Team B']);
    t.equal((all.json() as { total: number }).total, 3);
    t.same(names(await api.get('/groups?name=Sales')), ['Sales', 'Sales Team B']);
    t.same(names(await api.get('/groups?name=Team')), ['Sales Team B']);
    t.same(names(await api.get('/groups?extension=80')), ['Support', 'Sales Team B']);
    t.same(names(await api.get('/groups?extension=802')), ['Sales Team B']);
    t.same(names(await api.get(`/groups?agentId=${op1}`)), ['Support', 'Sales Team B']);
    t.same(names(await api.get(`/groups?agentId=${op2}`)), ['Sales Team B']);
    t.same((await api.get('/groups?agentId=9999')).json(), { items: [], total: 0 });
    t.same((await api.get('/groups?name=%25')).json(), { items: [], total: 0 }, '% is literal');
    const page = await api.get('/groups?limit=1&offset=1');
    t.same(names(page), ['Support']);
    t.equal((page.json() as { total: number }).total, 3, 'total counts every match');
    refused(t, await api.get('/groups?agentId=abc'), 400, 'validation_failed');

    const patched = await api.patch(`/groups/${sales.id}`, {
      strategy: 'round_robin',
      ringSeconds: 15,
      extension: '803',
      fontColor: '#000000',
      greeting: 'custom/welcome',
      overflow: { type: 'group', groupId: support.id },
      timeout: { type: 'extension', extension: '201' },
      displayName: '営業',
    });
    t.equal(patched.statusCode, 200);
    t.match(patched.json(), {
      id: sales.id,
      name: 'Sales',
      strategy: 'round_robin',
      ringSeconds: 15,
      extension: '803',
      fontColor: '#000000',
      backgroundColor: '#777777',
      greeting: 'custom/welcome',
      overflow: { type: 'group', groupId: support.id },
      timeout: { type: 'extension', extension: '201' },
      displayName: '営業',
      maxAnswered: 99,
    });
    t.same((await api.get(`/groups/${sales.id}`)).json(), patched.json(), 'the change is kept');
    const same = await api.patch(`/groups/${sales.id}`, { name: 'Sales', extension: '803' });
    t.equal(same.statusCode, 200, 'its own name and extension are no clash');
    const cleared = await api.patch(`/groups/${sales.id}`, {
      extension: null,
      overflow: null,
      timeout: null,
    });
    t.match(cleared.json(), { extension: null, overflow: null, timeout: null });
    t.equal(
      (await createGroup(app, { name: 'Reuse', extension: '803' })).extension,
      '803',
      'a released extension is free again',
    );

    // A group's extension is in the one numbering plan: an agent cannot take it.
    const agentClash = await api.post('/agents', {
      loginId: 'op3',
      name: 'n',
      nickname: 'n',
      password: 'Secret123',
      roleId: await roleId(app, 'agent'),
      extension: '801',
    });
    refused(t, agentClash, 409, 'extension_taken');

    const deleted = await api.delete(`/groups/${salesB.id}`);
    t.equal(deleted.statusCode, 204);
    t.equal(deleted.body, '');
    refused(t, await api.get(`/groups/${salesB.id}`), 404, 'not_found');
    refused(t, await api.get(`/groups/${salesB.id}/members`), 404, 'not_found');
    refused(t, await api.delete(`/groups/${salesB.id}`), 404, 'not_found');
    t.same(names(await api.get(`/groups?agentId=${op2}`)), [], 'its memberships went with it');
    t.same(names(await api.get('/groups')), ['Sales', 'Support', 'Reuse']);
    t.equal(
      (await createGroup(app, { name: 'Sales Team B', extension: '802' })).name,
      'Sales Team B',
      'its name and extension are free again',
    );
  },
);

t.test('invalid groups are refused and change nothing', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const api = admin(app);
  const op1 = await createAgent(app, { loginId: 'op1', extension: '201' });
  const sales = await createGroup(app, { name: 'Sales', extension: '801' });
  const support = await createGroup(app, { name: 'Support' });
  const before = await listGroups(app);
  const since = new Date(Date.now() - 60_000);

  const create = (body: Record<string, unknown>) => api.post('/groups', { name: 'New', ...body });
  const invalid: [string, Record<string, unknown>, string][] = [
    ['an unknown strategy', { strategy: 'loudest_first' }, 'strategy'],
    ['a negative ring time', { ringSeconds: -1 }, 'ringSeconds'],
    ['no ring time', { ringSeconds: 0 }, 'ringSeconds'],
    ['a negative timeout', { timeoutSeconds: -5 }, 'timeoutSeconds'],
    ['a fractional wait limit', { maxWaiting: 1.5 }, 'maxWaiting'],
    ['a colour by name', { fontColor: 'red' }, 'fontColor'],
    ['a short colour', { backgroundColor: '#12345' }, 'backgroundColor'],
    ['a path for a sound', { greeting: '../etc/passwd' }, 'greeting'],
    ['an absolute sound path', { announcement: '/var/lib/asterisk/sounds/x' }, 'announcement'],
    ['a sound with a dot', { whisper: 'beep.wav' }, 'whisper'],
    ['a music class with a space', { musicOnHold: 'my music' }, 'musicOnHold'],
    ['an extension with letters', { extension: '80a' }, 'extension'],
    ['a skill level of 0', { members: [{ agentId: op1, skillLevel: 0 }] }, 'members.0.skillLevel'],
    ['an empty name', { name: '' }, 'name'],
  ];
  for (const [what, body, path] of invalid) {
    const res = await create(body);
    refused(t, res, 400, 'validation_failed', what);
    t.match(res.json(), { error: { details: [{ in: 'body', path }] } }, `${what}: names ${path}`);
  }
  refused(t, await api.post('/groups', { strategy: 'ring_all' }), 400, 'validation_failed');

  const unknownAgent = await create({ members: [{ agentId: op1 }, { agentId: 9999 }] });
  refused(t, unknownAgent, 422, 'unknown_agent');
  t.match(unknownAgent.json(), { error: { details: { agentIds: [9999] } } });
  refused(
    t,
    await create({ members: [{ agentId: op1 }, { agentId: op1, skillLevel: 2 }] }),
    422,
    'duplicate_member',
  );
  refused(t, await create({ acwStatusId: 9999 }), 422, 'unknown_status');
  refused(
    t,
    await create({ overflow: { type: 'group', groupId: 9999 } }),
    422,
    'unknown_route_target',
  );
  refused(
    t,
    await create({ timeout: { type: 'agent', agentId: 9999 } }),
    422,
    'unknown_route_target',
  );
  refused(
    t,
    await create({ timeout: { type: 'external_transfer', externalTransferId: 9999 } }),
    422,
    'unknown_route_target',
  );
  refused(t, await create({ name: 'Sales' }), 409, 'name_taken');
  refused(t, await create({ extension: '201' }), 409, 'extension_taken', 'an agent’s extension');
  refused(t, await create({ extension: '801' }), 409, 'extension_taken', 'a group’s extension');
  refused(t, await create({ extension: '9001' }), 409, 'extension_reserved', 'a feature code');
  refused(t, await create({ extension: '990' }), 409, 'extension_reserved', 'a feature code');

  t.same(await listGroups(app), before, 'no group was created');
  t.same(
    ((await queueLogOf(app, since, new Date(Date.now() + 60_000))).json() as { items: [] }).items,
    [],
    'no member was added',
  );

  // A valid after-call status is accepted.
  const acw = await api.post('/agent-statuses', { name: 'ACW', afterCall: true });
  const acwId = (acw.json() as { id: number }).id;
  t.match(await createGroup(app, { name: 'With ACW', acwStatusId: acwId, acwSeconds: 30 }), {
    acwStatusId: acwId,
    acwSeconds: 30,
  });
  const withAcw = await listGroups(app);

  const salesBefore: unknown = (await api.get(`/groups/${sales.id}`)).json();
  const patch = (body: Record<string, unknown>) => api.patch(`/groups/${sales.id}`, body);
  refused(
    t,
    await patch({ overflow: { type: 'group', groupId: sales.id } }),
    422,
    'route_loop',
    'overflow to itself',
  );
  refused(
    t,
    await patch({ timeout: { type: 'group', groupId: sales.id } }),
    422,
    'route_loop',
    'timeout to itself',
  );
  refused(
    t,
    await patch({ ringSeconds: 10, overflow: { type: 'group', groupId: sales.id } }),
    422,
    'route_loop',
    'a valid field beside does not go through',
  );
  refused(t, await patch({ name: 'Support' }), 409, 'name_taken');
  refused(t, await patch({ extension: '201' }), 409, 'extension_taken');
  refused(t, await patch({ extension: '9001' }), 409, 'extension_reserved');
  refused(t, await patch({ strategy: 'nope' }), 400, 'validation_failed');
  refused(t, await patch({ ringSeconds: -1 }), 400, 'validation_failed');
  refused(t, await patch({ greeting: '../etc/passwd' }), 400, 'validation_failed');
  refused(t, await patch({ members: [{ agentId: 9999 }] }), 422, 'unknown_agent');
  refused(t, await patch({ acwStatusId: 9999 }), 422, 'unknown_status');
  refused(
    t,
    await patch({ overflow: { type: 'group', groupId: 9999 } }),
    422,
    'unknown_route_target',
  );
  refused(t, await api.patch('/groups/9999', { ringSeconds: 10 }), 404, 'not_found');
  t.same((await api.get(`/groups/${sales.id}`)).json(), salesBefore, 'the group is unchanged');
  t.same(await membersOf(app, sales.id), [], 'no member was added');
  t.same(await listGroups(app), withAcw, 'no group changed');

  // Another group is a fine diversion.
  const diverted = await patch({ overflow: { type: 'group', groupId: support.id } });
  t.equal(diverted.statusCode, 200);
});

t.test(
  'members: the list in ring order, one skill level at a time, supervisors may set levels',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const api = admin(app);
    const a1 = await createAgent(app, { loginId: 'op1', extension: '201' });
    const a2 = await createAgent(app, { loginId: 'op2', extension: '202' });
    const a3 = await createAgent(app, { loginId: 'op3', extension: '203' });
    await createAgent(app, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
    await createAgent(app, { loginId: 'ag1', password: 'Operator1', role: 'agent' });
    const group = await createGroup(app, { name: 'Sales', extension: '801' });
    const url = `/groups/${group.id}/members`;

    const set = await api.put(url, {
      members: [{ agentId: a3 }, { agentId: a1, skillLevel: 5 }, { agentId: a2 }],
    });
    t.equal(set.statusCode, 200);
    const items = (set.json() as { items: Member[] }).items;
    t.match(items, [
      { agentId: a3, skillLevel: 1, position: 0, paused: false, pausedStatusId: null },
      { agentId: a1, skillLevel: 5, position: 1, paused: false, pausedStatusId: null },
      { agentId: a2, skillLevel: 1, position: 2, paused: false, pausedStatusId: null },
    ]);
    t.equal(items.length, 3);
    t.ok(
      items.every((m) => !Number.isNaN(Date.parse(m.addedAt))),
      'addedAt is an instant',
    );
    t.same(await membersOf(app, group.id), items, 'GET answers the same list');

    const reordered = await api.put(url, { members: [{ agentId: a2 }, { agentId: a3 }] });
    t.same(
      (reordered.json() as { items: Member[] }).items.map((m) => [m.agentId, m.position]),
      [
        [a2, 0],
        [a3, 1],
      ],
      'replaced: a1 left, the order is the new one',
    );

    const added = await api.put(`${url}/${a1}`, { skillLevel: 7 });
    t.equal(added.statusCode, 200);
    t.match(added.json(), { agentId: a1, skillLevel: 7, position: 2 });
    const changed = await api.put(`${url}/${a3}`, { skillLevel: 2 });
    t.match(changed.json(), { agentId: a3, skillLevel: 2, position: 1 }, 'keeps its place');
    t.same(
      (await membersOf(app, group.id)).map((m) => [m.agentId, m.skillLevel, m.position]),
      [
        [a2, 1, 0],
        [a3, 2, 1],
        [a1, 7, 2],
      ],
    );

    const snapshot = await membersOf(app, group.id);
    for (const skillLevel of [0, 100, 1.5, -1, '5']) {
      refused(
        t,
        await api.put(`${url}/${a1}`, { skillLevel }),
        400,
        'validation_failed',
        `skill level ${String(skillLevel)}`,
      );
    }
    refused(t, await api.put(`${url}/${a1}`, {}), 400, 'validation_failed', 'no skill level');
    refused(
      t,
      await api.put(url, { members: [{ agentId: a1, skillLevel: 100 }] }),
      400,
      'validation_failed',
    );
    refused(t, await api.put(url, {}), 400, 'validation_failed', 'no list');
    refused(t, await api.put(`${url}/9999`, { skillLevel: 3 }), 422, 'unknown_agent');
    refused(
      t,
      await api.put(url, { members: [{ agentId: a1 }, { agentId: 9999 }] }),
      422,
      'unknown_agent',
    );
    refused(
      t,
      await api.put(url, { members: [{ agentId: a1 }, { agentId: a1 }] }),
      422,
      'duplicate_member',
    );
    refused(t, await api.put(`/groups/9999/members/${a1}`, { skillLevel: 3 }), 404, 'not_found');
    refused(t, await api.put('/groups/9999/members', { members: [] }), 404, 'not_found');
    t.same(await membersOf(app, group.id), snapshot, 'refusals changed nothing');

    const removed = await api.delete(`${url}/${a3}`);
    t.equal(removed.statusCode, 204);
    t.same(
      (await membersOf(app, group.id)).map((m) => [m.agentId, m.position]),
      [
        [a2, 0],
        [a1, 1],
      ],
      'the others close up',
    );
    refused(t, await api.delete(`${url}/${a3}`), 404, 'not_found', 'not a member any more');
    refused(t, await api.delete(`/groups/9999/members/${a1}`), 404, 'not_found');

    // A supervisor changes a skill level from the realtime view (realtime.skill_level).
    const sv = await tokenOf(app, 'sv1', 'Supervis1');
    const bySv = await app.request('PUT', `/api/v1${url}/${a2}`, {
      token: sv,
      body: { skillLevel: 4 },
    });
    t.equal(bySv.statusCode, 200);
    t.match(bySv.json(), { agentId: a2, skillLevel: 4, position: 0 });
    t.equal((await app.request('GET', `/api/v1${url}`, { token: sv })).statusCode, 200);

    // An agent may not touch the list, nor even see it.
    const agent = await tokenOf(app, 'ag1', 'Operator1');
    const before = await membersOf(app, group.id);
    const byAgent = await app.request('PUT', `/api/v1${url}/${a2}`, {
      token: agent,
      body: { skillLevel: 9 },
    });
    refused(t, byAgent, 403, 'permission_denied');
    t.match(byAgent.json(), { error: { details: { required: 'realtime.skill_level' } } });
    refused(
      t,
      await app.request('PUT', `/api/v1${url}`, { token: agent, body: { members: [] } }),
      403,
      'permission_denied',
    );
    refused(
      t,
      await app.request('DELETE', `/api/v1${url}/${a2}`, { token: agent }),
      403,
      'permission_denied',
    );
    refused(
      t,
      await app.request('POST', '/api/v1/groups', { token: agent, body: { name: 'Mine' } }),
      403,
      'permission_denied',
    );
    refused(
      t,
      await app.request('GET', '/api/v1/groups', { token: agent }),
      403,
      'permission_denied',
    );
    refused(t, await app.request('GET', `/api/v1${url}`), 401, 'unauthenticated', 'no token');
    t.same(await membersOf(app, group.id), before, 'the agent changed nothing');

    // Deleting an agent takes them out of their groups.
    t.equal((await api.delete(`/agents/${a1}`)).statusCode, 204);
    t.same(
      (await membersOf(app, group.id)).map((m) => m.agentId),
      [a2],
    );
  },
);

t.test('calls routed to a group keep it from being deleted', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const api = admin(app);
  const target = await createGroup(app, { name: 'Target', extension: '801' });
  const other = await createGroup(app, { name: 'Other' });

  const did = await api.post('/phone-numbers', {
    number: '03-1234-0000',
    name: 'main',
    route: { type: 'group', groupId: target.id },
  });
  t.equal(did.statusCode, 201);
  t.match(did.json(), { number: '0312340000', route: { type: 'group', groupId: target.id } });
  const didId = (did.json() as { id: number }).id;
  refused(
    t,
    await api.post('/phone-numbers', {
      number: '0312340001',
      name: 'nowhere',
      route: { type: 'group', groupId: 9999 },
    }),
    422,
    'unknown_route_target',
  );

  const byNumber = await api.delete(`/groups/${target.id}`);
  refused(t, byNumber, 409, 'in_use');
  t.match(byNumber.json(), { error: { details: { phoneNumbers: ['0312340000'], groups: [] } } });
  t.equal((await api.get(`/groups/${target.id}`)).statusCode, 200, 'still there');

  t.equal(
    (await api.patch(`/groups/${other.id}`, { overflow: { type: 'group', groupId: target.id } }))
      .statusCode,
    200,
  );
  const both = await api.delete(`/groups/${target.id}`);
  refused(t, both, 409, 'in_use');
  t.match(both.json(), {
    error: { details: { phoneNumbers: ['0312340000'], groups: ['Other'] } },
  });

  t.equal((await api.patch(`/phone-numbers/${didId}`, { route: null })).statusCode, 200);
  const byOverflow = await api.delete(`/groups/${target.id}`);
  refused(t, byOverflow, 409, 'in_use', 'another group overflows to it');
  t.match(byOverflow.json(), { error: { details: { phoneNumbers: [], groups: ['Other'] } } });

  await api.patch(`/groups/${other.id}`, {
    overflow: null,
    timeout: { type: 'group', groupId: target.id },
  });
  refused(t, await api.delete(`/groups/${target.id}`), 409, 'in_use', 'or times out to it');
  t.equal((await api.get(`/groups/${target.id}`)).statusCode, 200, 'still there');

  await api.patch(`/groups/${other.id}`, { timeout: null });
  t.equal((await api.delete(`/groups/${target.id}`)).statusCode, 204, 'nothing routes to it now');
  t.same(names(await api.get('/groups')), ['Other']);
});

t.test('the queue log: member changes as JSON and as Asterisk queue_log lines', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const api = admin(app);
  const a1 = await createAgent(app, { loginId: 'op1', extension: '201' });
  const a2 = await createAgent(app, { loginId: 'op2' });
  const a3 = await createAgent(app, { loginId: 'op3', extension: '203' });
  await createAgent(app, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
  await createAgent(app, { loginId: 'ag1', password: 'Operator1', role: 'agent' });
  const g = await createGroup(app, { name: 'Sales', extension: '801' });
  const h = await createGroup(app, { name: 'Support' });

  const from = new Date(Date.now() - 1000);
  await api.put(`/groups/${g.id}/members`, { members: [{ agentId: a1 }, { agentId: a2 }] });
  await api.put(`/groups/${g.id}/members/${a1}`, { skillLevel: 3 });
  await api.put(`/groups/${g.id}/members/${a1}`, { skillLevel: 3 }); // no change: no event
  await api.delete(`/groups/${g.id}/members/${a2}`);
  await api.put(`/groups/${h.id}/members`, { members: [{ agentId: a1 }, { agentId: a3 }] });
  await api.put(`/groups/${h.id}/members`, { members: [{ agentId: a3, skillLevel: 2 }] });
  const to = new Date(Date.now() + 1000);

  const json = await queueLogOf(app, from, to);
  t.equal(json.statusCode, 200);
  const events = (json.json() as { items: QueueEvent[] }).items;
  t.same(
    events.map(({ callId, groupId, agentId, event, data }) => ({
      callId,
      groupId,
      agentId,
      event,
      data,
    })),
    [
      { callId: 'NONE', groupId: g.id, agentId: a1, event: 'ADDMEMBER', data: [] },
      { callId: 'NONE', groupId: g.id, agentId: a2, event: 'ADDMEMBER', data: [] },
      { callId: 'NONE', groupId: g.id, agentId: a1, event: 'PENALTY', data: ['3'] },
      { callId: 'NONE', groupId: g.id, agentId: a2, event: 'REMOVEMEMBER', data: [] },
      { callId: 'NONE', groupId: h.id, agentId: a1, event: 'ADDMEMBER', data: [] },
      { callId: 'NONE', groupId: h.id, agentId: a3, event: 'ADDMEMBER', data: [] },
      { callId: 'NONE', groupId: h.id, agentId: a3, event: 'PENALTY', data: ['2'] },
      { callId: 'NONE', groupId: h.id, agentId: a1, event: 'REMOVEMEMBER', data: [] },
    ],
    'in order, one event per change',
  );
  const times = events.map((e) => Date.parse(e.at));
  t.ok(
    times.every((at, i) => at >= from.getTime() && at < to.getTime() && at >= (times[i - 1] ?? 0)),
    'instants within the window, ascending',
  );

  const ofH = (await queueLogOf(app, from, to, `&groupId=${h.id}`)).json() as {
    items: QueueEvent[];
  };
  t.same(
    ofH.items.map((e) => e.event),
    ['ADDMEMBER', 'ADDMEMBER', 'PENALTY', 'REMOVEMEMBER'],
    'one group only',
  );

  const text = await queueLogOf(app, from, to, '&format=queue_log');
  t.equal(text.statusCode, 200);
  t.match(text.headers['content-type'], /^text\/plain/);
  t.ok(text.body.endsWith('\n'), 'every line ends with a newline');
  const lines = text.body.trimEnd().split('\n');
  const epochs = lines.map((l) => Number(l.split('|')[0]));
  t.ok(
    epochs.every(
      (e) =>
        Number.isInteger(e) &&
        e >= Math.floor(from.getTime() / 1000) &&
        e <= Math.ceil(to.getTime() / 1000),
    ),
    'epoch seconds',
  );
  t.same(
    lines.map((l) => l.split('|').slice(1).join('|')),
    [
      'NONE|801|Agent/201|ADDMEMBER',
      'NONE|801|Agent/op2|ADDMEMBER',
      'NONE|801|Agent/201|PENALTY|3',
      'NONE|801|Agent/op2|REMOVEMEMBER',
      `NONE|group-${h.id}|Agent/201|ADDMEMBER`,
      `NONE|group-${h.id}|Agent/203|ADDMEMBER`,
      `NONE|group-${h.id}|Agent/203|PENALTY|2`,
      `NONE|group-${h.id}|Agent/201|REMOVEMEMBER`,
    ],
    'queue = extension or group-<id>, agent = Agent/<extension or login ID>',
  );
  t.match(lines[0], new RegExp(`^${String(epochs[0])}\\|NONE\\|801\\|Agent/201\\|ADDMEMBER$`));

  // The log outlives groups and agents: they are then named by id.
  t.equal((await api.delete(`/agents/${a3}`)).statusCode, 204);
  t.equal((await api.delete(`/groups/${g.id}`)).statusCode, 204);
  const later = (await queueLogOf(app, from, to, '&format=queue_log')).body
    .trimEnd()
    .split('\n')
    .map((l) => l.split('|').slice(1).join('|'));
  t.equal(later[0], `NONE|group-${g.id}|Agent/201|ADDMEMBER`);
  t.equal(later[5], `NONE|group-${h.id}|Agent/${a3}|ADDMEMBER`);
  const afterDelete = (
    await queueLogOf(app, from, new Date(Date.now() + 60_000), `&groupId=${g.id}`)
  ).json() as { items: { event: string; agentId: number }[] };
  t.match(
    afterDelete.items.at(-1),
    { event: 'REMOVEMEMBER', agentId: a1 },
    'deleting a group logs its last member leaving it',
  );

  const empty = new Date(from.getTime() - 3_600_000);
  t.same((await queueLogOf(app, empty, from)).json(), { items: [] }, 'an empty window');
  const emptyText = await queueLogOf(app, empty, from, '&format=queue_log');
  t.equal(emptyText.statusCode, 200);
  t.equal(emptyText.body, '');

  refused(t, await queueLogOf(app, to, from), 422, 'invalid_range', 'from after to');
  refused(t, await queueLogOf(app, from, from), 422, 'invalid_range', 'an empty range');
  const day = 86_400_000;
  refused(
    t,
    await queueLogOf(app, new Date(to.getTime() - 92 * day - 1000), to),
    422,
    'range_too_long',
    'more than 92 days',
  );
  t.equal(
    (await queueLogOf(app, new Date(to.getTime() - 92 * day), to)).statusCode,
    200,
    '92 days exactly',
  );
  refused(
    t,
    await api.get(`/queue-log?from=2024-01-01&to=${encodeURIComponent(to.toISOString())}`),
    400,
    'validation_failed',
    'a date is not an instant',
  );
  refused(
    t,
    await api.get(`/queue-log?from=${encodeURIComponent(from.toISOString())}`),
    400,
    'validation_failed',
    'no end',
  );
  refused(t, await queueLogOf(app, from, to, '&format=xml'), 400, 'validation_failed');
  t.equal(
    (
      await queueLogOf(
        app,
        new Date('2024-01-01T09:00:00+09:00'),
        new Date('2024-01-01T10:00:00+09:00'),
      )
    ).statusCode,
    200,
  );
  t.equal(
    (
      await api.get(
        `/queue-log?from=${encodeURIComponent('2024-01-01T09:00:00+09:00')}` +
          `&to=${encodeURIComponent('2024-01-01T01:30:00Z')}`,
      )
    ).statusCode,
    200,
    'instants with offsets',
  );

  const url =
    `/api/v1/queue-log?from=${encodeURIComponent(from.toISOString())}` +
    `&to=${encodeURIComponent(to.toISOString())}`;
  const sv = await tokenOf(app, 'sv1', 'Supervis1');
  t.equal((await app.request('GET', url, { token: sv })).statusCode, 200, 'supervisors may');
  const agent = await tokenOf(app, 'ag1', 'Operator1');
  refused(t, await app.request('GET', url, { token: agent }), 403, 'permission_denied');
});

t.test(
  'realtime statistics: a row per group and "All", zero counters, members counted',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const a1 = await createAgent(app, { loginId: 'op1', extension: '201' });
    const a2 = await createAgent(app, { loginId: 'op2', extension: '202' });
    const a3 = await createAgent(app, { loginId: 'op3', extension: '203' });
    await createAgent(app, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
    await createAgent(app, { loginId: 'ag1', password: 'Operator1', role: 'agent' });
    const g1 = await createGroup(app, {
      name: 'Sales',
      extension: '801',
      members: [{ agentId: a1 }, { agentId: a2, skillLevel: 2 }],
    });
    const g2 = await createGroup(app, {
      name: 'Support',
      members: [{ agentId: a2 }, { agentId: a3 }],
    });
    const g3 = await createGroup(app, { name: 'Empty' });
    const sv = await tokenOf(app, 'sv1', 'Supervis1');
    const agent = await tokenOf(app, 'ag1', 'Operator1');

    const res = await app.request('GET', '/api/v1/stats/realtime', { token: sv });
    t.equal(res.statusCode, 200);
    const body = res.json() as {
      groups: Record<string, unknown>[];
      all: Record<string, unknown>;
    };
    const live = { online: 0, onCall: 0, available: 0, paused: 0, waiting: 0 };
    t.match(body.groups, [
      { groupId: g1.id, name: 'Sales', extension: '801', ...NO_CALLS, ...live, total: 2 },
      { groupId: g2.id, name: 'Support', extension: null, ...NO_CALLS, ...live, total: 2 },
      { groupId: g3.id, name: 'Empty', extension: null, ...NO_CALLS, ...live, total: 0 },
    ]);
    t.equal(body.groups.length, 3, 'one row per group');
    t.match(body.all, {
      groupId: null,
      name: 'All',
      extension: null,
      ...NO_CALLS,
      ...live,
      longestWaitSeconds: 0,
      total: 3,
    });
    t.equal(body.all.total, 3, 'an agent in two groups counts once');
    const since = new Date(String(body.all.since));
    const tokyo = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Tokyo',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    t.equal(tokyo.format(since), '00:00:00', 'counters since midnight in the call center’s zone');
    t.ok(Date.now() - since.getTime() < 86_400_000 && since.getTime() <= Date.now());

    refused(
      t,
      await app.request('GET', '/api/v1/stats/realtime', { token: agent }),
      403,
      'permission_denied',
    );
    refused(t, await app.request('GET', '/api/v1/stats/realtime'), 401, 'unauthenticated');

    const detail = await app.request('GET', `/api/v1/stats/realtime/groups/${g1.id}`, {
      token: sv,
    });
    t.equal(detail.statusCode, 200);
    const d = detail.json() as { agents: unknown[]; chart: unknown[]; waitingCalls: unknown[] };
    t.match(d, {
      stats: { groupId: g1.id, ...NO_CALLS, total: 2 },
      waitingCalls: [],
      agents: [
        { agentId: a1, name: 'op1', extension: '201', skillLevel: 1, callsToday: 0 },
        { agentId: a2, name: 'op2', extension: '202', skillLevel: 2, lastCallAt: null },
      ],
    });
    t.equal(d.chart.length, 36, '3 hours of 5-minute buckets');
    t.match(d.chart[0], { calls: 0, answered: 0, abandoned: 0, answerRate: null });
    const six = await app.request('GET', `/api/v1/stats/realtime/groups/${g1.id}?hours=6`, {
      token: sv,
    });
    t.equal((six.json() as { chart: unknown[] }).chart.length, 72);
    refused(
      t,
      await app.request('GET', `/api/v1/stats/realtime/groups/${g1.id}?hours=5`, { token: sv }),
      400,
      'validation_failed',
    );
    refused(
      t,
      await app.request('GET', '/api/v1/stats/realtime/groups/9999', { token: sv }),
      404,
      'not_found',
    );

    const waiting = await app.request('GET', `/api/v1/groups/${g1.id}/waiting-calls`, {
      token: sv,
    });
    t.equal(waiting.statusCode, 200);
    t.same(waiting.json(), { items: [] });
    refused(
      t,
      await app.request('GET', '/api/v1/groups/9999/waiting-calls', { token: sv }),
      404,
      'not_found',
    );
    refused(
      t,
      await app.request('GET', `/api/v1/groups/${g1.id}/waiting-calls`, { token: agent }),
      403,
      'permission_denied',
    );
  },
);

t.test(
  'group statistics: a row per day or hour, a total, CSV as the seed downloads it',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    await createAgent(app, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
    await createAgent(app, { loginId: 'ag1', password: 'Operator1', role: 'agent' });
    const group = await createGroup(app, { name: 'Sales', extension: '801' });
    const sv = await tokenOf(app, 'sv1', 'Supervis1');
    const agent = await tokenOf(app, 'ag1', 'Operator1');
    const viewer = await agentWithPermissions(app, 'viewer', ['stats.view']);
    const stats = (query: string, token = sv) =>
      app.request('GET', `/api/v1/stats/groups?${query}`, { token });

    const byDate = await stats('from=2024-03-01&to=2024-03-03&breakdown=date');
    t.equal(byDate.statusCode, 200);
    const report = byDate.json() as { rows: ReportRow[]; total: ReportRow };
    t.same(report, {
      rows: ['2024-03-01', '2024-03-02', '2024-03-03'].map((key) => ({ key, ...NO_CALLS })),
      total: { key: 'total', ...NO_CALLS },
    });
    t.same((await stats('from=2024-03-01&to=2024-03-03')).json(), report, 'date by default');
    t.same(
      ((await stats('from=2024-03-01&to=2024-03-01')).json() as { rows: ReportRow[] }).rows.map(
        (r) => r.key,
      ),
      ['2024-03-01'],
      'to is inclusive',
    );
    t.same(
      (
        (await stats('from=2024-02-28&to=2024-03-01&tz=UTC')).json() as { rows: ReportRow[] }
      ).rows.map((r) => r.key),
      ['2024-02-28', '2024-02-29', '2024-03-01'],
      'a leap day',
    );

    const byHour = (await stats('from=2024-03-01&to=2024-03-03&breakdown=hour')).json() as {
      rows: ReportRow[];
      total: ReportRow;
    };
    t.same(
      byHour.rows.map((r) => r.key),
      Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')),
    );
    t.ok(byHour.rows.every((r) => r.calls === 0 && r.answerRate === null));
    t.match(byHour.total, { key: 'total', ...NO_CALLS });
    t.equal(
      (
        (
          await stats('from=2024-03-10&to=2024-03-10&breakdown=hour&tz=America/New_York')
        ).json() as { rows: unknown[] }
      ).rows.length,
      24,
      'a 23-hour day still has 24 hour rows',
    );
    t.same(
      (
        (await stats('from=2024-03-01&to=2024-03-03&breakdown=talk_duration')).json() as {
          rows: ReportRow[];
        }
      ).rows.map((r) => r.key),
      ['0-30s', '30-60s', '1-3m', '3-5m', '5-10m', '10m+', 'in_progress', 'unanswered'],
    );
    t.same(
      (
        (await stats('from=2024-03-01&to=2024-03-03&breakdown=agent')).json() as {
          rows: ReportRow[];
        }
      ).rows.map((r) => r.key),
      ['none'],
    );
    t.equal((await stats(`from=2024-03-01&to=2024-03-03&groupId=${group.id}`)).statusCode, 200);
    refused(t, await stats('from=2024-03-01&to=2024-03-03&groupId=9999'), 404, 'not_found');

    const csv = await stats('from=2024-03-01&to=2024-03-03&format=csv');
    t.equal(csv.statusCode, 200);
    t.match(csv.headers['content-type'], /^text\/csv/);
    t.match(csv.headers['content-disposition'], /attachment; filename="group-statistics\.csv"/);
    const lines = csv.body.trim().split(/\r?\n/);
    t.equal(
      lines[0],
      '"date","コール数","応答呼","破棄呼","あふれ","制限時間","応答率",' +
        '"平均応答時間","最大応答時間","平均放棄時間","最大放棄時間"',
    );
    t.equal(lines.length, 5, 'header, three days, 合計');
    t.match(lines[1], /^"2024-03-01","0","0","0","0","0",/);
    t.match(lines[4], /^"合計","0","0","0","0","0",/);
    // The seed's "-" (no value) is no formula: it downloads as it is.
    t.equal(lines[1], '"2024-03-01","0","0","0","0","0","-","0s","-","0s","-"', 'a day');
    t.equal(lines[4], '"合計","0","0","0","0","0","-","0s","-","0s","-"', 'the total');
    const hourCsv = await stats('from=2024-03-01&to=2024-03-01&breakdown=hour&format=csv');
    t.equal(hourCsv.body.trim().split(/\r?\n/).length, 26, 'header, 24 hours, 合計');
    t.match(hourCsv.body, /^\uFEFF"hour","コール数"/, 'with a BOM, so Excel reads UTF-8');

    t.equal((await stats('from=2024-03-01&to=2024-03-03', viewer)).statusCode, 200);
    const noDownload = await stats('from=2024-03-01&to=2024-03-03&format=csv', viewer);
    refused(t, noDownload, 403, 'permission_denied', 'CSV needs stats.download');
    t.match(noDownload.json(), { error: { details: { required: 'stats.download' } } });
    const byAgent = await stats('from=2024-03-01&to=2024-03-03', agent);
    refused(t, byAgent, 403, 'permission_denied', 'agents have no stats.view');
    t.match(byAgent.json(), { error: { details: { required: 'stats.view' } } });

    refused(t, await stats('from=2024-03-03&to=2024-03-01'), 422, 'invalid_range');
    refused(t, await stats('from=2023-01-01&to=2024-03-01'), 422, 'range_too_long');
    t.equal((await stats('from=2023-03-02&to=2024-03-01')).statusCode, 200, '366 days');
    refused(
      t,
      await stats('from=2024-03-01&to=2024-03-03&tz=Mars/Olympus'),
      400,
      'validation_failed',
    );
    refused(t, await stats('from=2024-3-1&to=2024-03-03'), 400, 'validation_failed');
    refused(t, await stats('from=2024-03-01'), 400, 'validation_failed');
    refused(
      t,
      await stats('from=2024-03-01&to=2024-03-03&breakdown=week'),
      400,
      'validation_failed',
    );
    refused(t, await stats('from=2024-03-01&to=2024-03-03&format=xlsx'), 400, 'validation_failed');
  },
);

t.test('agent status statistics: rows for agents with logged statuses; CSV', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const api = admin(app);
  const from = new Date(Date.now() - 30 * 60_000).toISOString();
  const a1 = await createAgent(app, { loginId: 'op1', extension: '201' });
  const a2 = await createAgent(app, { loginId: 'op2', extension: '202' });
  await createAgent(app, { loginId: 'sv1', password: 'Supervis1', role: 'supervisor' });
  await createAgent(app, { loginId: 'ag1', password: 'Operator1', role: 'agent' });
  const group = await createGroup(app, { name: 'Sales', members: [{ agentId: a1 }] });
  const sv = await tokenOf(app, 'sv1', 'Supervis1');
  const agent = await tokenOf(app, 'ag1', 'Operator1');
  const viewer = await agentWithPermissions(app, 'viewer', ['status_stats.view']);

  // Reading or choosing a status starts the agent's status log.
  t.equal((await api.get(`/agents/${a1}/status`)).statusCode, 200);
  t.equal((await api.put(`/agents/${a2}/status`, { status: 'available' })).statusCode, 200);
  await new Promise((resolve) => setTimeout(resolve, 20));

  const statuses = (query: string, token = sv) =>
    app.request('GET', `/api/v1/stats/agent-statuses?from=${encodeURIComponent(from)}${query}`, {
      token,
    });
  interface StatusRow {
    agentId: number;
    agent: string;
    hour: string | null;
    observedSeconds: number;
    statuses: Record<string, { seconds: number; count: number; share: number }>;
  }
  const rowsOf = (res: Response) => (res.json() as { rows: StatusRow[] }).rows;

  const res = await statuses('&hours=1');
  t.equal(res.statusCode, 200);
  const rows = rowsOf(res);
  const mine = rows.filter((r) => r.agentId === a1 || r.agentId === a2);
  t.match(mine, [
    { agentId: a1, agent: '(201)op1', hour: null, statuses: { unknown: { count: 1, share: 100 } } },
    { agentId: a2, agent: '(202)op2', hour: null, statuses: { unknown: { count: 1, share: 100 } } },
  ]);
  t.equal(mine.length, 2);
  t.ok(
    mine.every((r) => r.observedSeconds > 0 && r.observedSeconds < 60),
    'observed since the status was first read',
  );
  t.same(
    rows.map((r) => r.agentId),
    [...rows.map((r) => r.agentId)].sort((x, y) => x - y),
    'by agent',
  );

  t.same(
    rowsOf(await statuses(`&hours=1&groupId=${group.id}`)).map((r) => r.agentId),
    [a1],
    'members of a group',
  );
  t.same(
    rowsOf(await statuses('&hours=1&agent=202')).map((r) => r.agentId),
    [a2],
    'by extension',
  );
  t.same(
    rowsOf(await statuses('&hours=1&agent=op1')).map((r) => r.agentId),
    [a1],
    'by name',
  );
  const byHour = rowsOf(await statuses('&hours=1&breakdown=hour')).filter((r) => r.agentId === a1);
  t.ok(byHour.length >= 1 && byHour.length <= 2, 'one row per hour of day touched');
  t.ok(byHour.every((r) => /^\d\d$/.test(r.hour ?? '')));
  const past = new Date(Date.now() - 2 * 86_400_000).toISOString();
  const before = await app.request(
    'GET',
    `/api/v1/stats/agent-statuses?from=${encodeURIComponent(past)}&hours=1`,
    { token: sv },
  );
  t.same(before.json(), { rows: [] }, 'nothing was logged then');
  refused(t, await statuses('&hours=1&groupId=9999'), 404, 'not_found');

  const csv = await statuses('&hours=1&format=csv');
  t.equal(csv.statusCode, 200);
  t.match(csv.headers['content-type'], /^text\/csv/);
  t.match(csv.headers['content-disposition'], /filename="status-statistics\.csv"/);
  const lines = csv.body.trim().split(/\r?\n/);
  t.match(lines[0], /^"agent","hour","unknown s","unknown count","unknown %","unknown avg"/);
  t.ok(
    lines.some((l) => l.startsWith('"(201)op1","",')),
    'a row for the agent',
  );
  t.equal(lines.length, rows.length + 1, 'a line per row');

  t.equal((await statuses('&hours=1', viewer)).statusCode, 200, 'viewing needs view only');
  const noDownload = await statuses('&hours=1&format=csv', viewer);
  refused(t, noDownload, 403, 'permission_denied', 'CSV needs status_stats.download');
  t.match(noDownload.json(), { error: { details: { required: 'status_stats.download' } } });
  refused(t, await statuses('&hours=1', agent), 403, 'permission_denied');

  refused(t, await statuses('&hours=0'), 400, 'validation_failed');
  refused(t, await statuses('&hours=745'), 400, 'validation_failed');
  refused(t, await statuses('&hours=1&tz=Nowhere/City'), 400, 'validation_failed');
  refused(
    t,
    await app.request('GET', '/api/v1/stats/agent-statuses?from=yesterday', { token: sv }),
    400,
    'validation_failed',
  );
});

t.test(
  'what the database deletes along with a status or an agent shows in the members at once',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const api = admin(app);
    const a1 = await createAgent(app, { loginId: 'op1', extension: '201' });
    const a2 = await createAgent(app, { loginId: 'op2', extension: '202' });
    const group = await createGroup(app, { name: 'Sales', extension: '801' });
    const url = `/groups/${group.id}/members`;
    await api.put(url, { members: [{ agentId: a1 }, { agentId: a2 }] });
    const lunch = (await api.post('/agent-statuses', { name: 'Lunch' })).json() as { id: number };
    const paused = await api.put(`${url}/${a1}/status`, {
      status: 'paused',
      customStatusId: lunch.id,
    });
    t.match(paused.json(), { agentId: a1, paused: true, pausedStatusId: lunch.id });
    t.match(await membersOf(app, group.id), [
      { agentId: a1, pausedStatusId: lunch.id },
      { agentId: a2 },
    ]);

    // The status goes: the member stays paused, without it (ON DELETE SET NULL).
    t.equal((await api.delete(`/agent-statuses/${lunch.id}`)).statusCode, 204);
    t.match(await membersOf(app, group.id), [
      { agentId: a1, paused: true, pausedStatusId: null },
      { agentId: a2 },
    ]);
    // The agent goes: out of the group (ON DELETE CASCADE), in the members and the group's routing.
    t.equal((await api.delete(`/agents/${a1}`)).statusCode, 204);
    t.same(
      (await membersOf(app, group.id)).map((m) => m.agentId),
      [a2],
    );
  },
);

t.test('my groups: the status tags of the desk, with my pause in each', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const me = await createAgent(app, { loginId: 'op1', password: 'Operator1', role: 'agent' });
  const other = await createAgent(app, { loginId: 'op2' });
  const sales = await createGroup(app, {
    name: 'Sales',
    extension: '801',
    backgroundColor: '#112233',
    members: [{ agentId: other }, { agentId: me, skillLevel: 3 }],
  });
  await createGroup(app, { name: 'Others only', members: [{ agentId: other }] });
  const support = await createGroup(app, { name: 'Support', members: [{ agentId: me }] });
  const token = await tokenOf(app, 'op1', 'Operator1');

  const mine = async () =>
    (await app.request('GET', '/api/v1/me/groups', { token })).json() as {
      items: { id: number; name: string; membership: Member }[];
    };
  t.match((await mine()).items, [
    { id: sales.id, name: 'Sales', extension: '801', backgroundColor: '#112233' },
    { id: support.id, name: 'Support', extension: null },
  ]);
  t.equal((await mine()).items.length, 2, 'not the group I am not in');
  t.match((await mine()).items[0]?.membership, { agentId: me, skillLevel: 3, paused: false });

  const paused = await app.request('PUT', `/api/v1/me/groups/${support.id}/status`, {
    token,
    body: { status: 'paused' },
  });
  t.equal(paused.statusCode, 200);
  t.match((await mine()).items[1]?.membership, { paused: true }, 'paused for Support only');
  t.match((await mine()).items[0]?.membership, { paused: false });

  refused(t, await app.request('GET', '/api/v1/me/groups'), 401, 'unauthenticated');
});

t.test('the reports’ calendar is the server’s zone: its today and hour', async (t) => {
  // 2026-04-01 20:30 UTC is already 2 April, 05:30 in Tokyo.
  const app = await buildTestApp({
    env: { TIMEZONE: 'Asia/Tokyo' },
    clock: fakeClock(new Date('2026-04-01T20:30:00Z')),
  });
  t.teardown(app.close);
  await createAgent(app, { loginId: 'op1', password: 'Operator1', role: 'agent' });
  const token = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
  const calendar = await app.request('GET', '/api/v1/stats/calendar', { token });
  t.equal(calendar.statusCode, 200, 'any logged-in user may read it');
  t.same(calendar.json(), { timeZone: 'Asia/Tokyo', today: '2026-04-02', hour: 5 });
  t.equal((await app.request('GET', '/api/v1/stats/calendar')).statusCode, 401);
});
