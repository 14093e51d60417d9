/**
 * Presence (§6-1) through the whole server on a fake Asterisk: a group's agents with their
 * status, phones and calls as the server knows them, and the actions each operator is offered —
 * an agent on a call can transfer to a free colleague, an idle one can call, a supervisor can
 * monitor and whisper, an agent cannot.
 */
import t from 'tap';
import { createAgent, roleId } from '../support/app.js';
import { floor } from '../support/fake-floor.js';

interface Presence {
  agentId: number;
  name: string;
  extension: string | null;
  status: string;
  phones: { sipUser: string; registered: boolean }[];
  registered: boolean;
  onCall: boolean;
  callId: string | null;
  actions: string[];
}

t.test('a group’s agents, their calls and what each operator can do', async (t) => {
  const f = await floor(t, ['op1', 'op2', 'op3', 'sv1']);
  const s = f.server;
  const token = async (loginId: string) =>
    ((await s.login(loginId, 'Secret123')).json() as { token: string }).token;
  const agents = (
    (await s.request('GET', '/api/v1/agents?limit=100', { token: s.adminToken })).json() as {
      items: { id: number; loginId: string }[];
    }
  ).items;
  const id = (loginId: string) => agents.find((a) => a.loginId === loginId)?.id ?? 0;
  const promote = await s.request('PATCH', `/api/v1/agents/${id('sv1')}`, {
    token: s.adminToken,
    body: { roleId: await roleId(s, 'supervisor') },
  });
  t.equal(promote.statusCode, 200);
  // op4 has no phone at all.
  const op4 = await createAgent(s, { loginId: 'op4', extension: '205', password: 'Secret123' });
  const group = await s.request('POST', '/api/v1/groups', {
    token: s.adminToken,
    body: {
      name: '業務B',
      members: ['op1', 'op2', 'op3'].map((l) => ({ agentId: id(l) })).concat({ agentId: op4 }),
    },
  });
  t.equal(group.statusCode, 201);
  const groupId = (group.json() as { id: number }).id;

  const presence = async (who: string, query = `groupId=${groupId}`) => {
    const res = await s.request('GET', `/api/v1/presence?${query}`, { token: await token(who) });
    t.equal(res.statusCode, 200, `${who}: ${res.body.slice(0, 200)}`);
    const page = res.json() as { items: Presence[]; total: number };
    return Object.fromEntries(page.items.map((p) => [p.name, p]));
  };

  // Nobody is on a call yet.
  const idle = await presence('op3');
  t.same(Object.keys(idle), ['op1', 'op2', 'op3', 'op4'], 'the members, in ring order');
  t.match(idle.op1, {
    agentId: id('op1'),
    extension: '201',
    status: 'available',
    phones: [{ sipUser: 'desk201', registered: true }],
    registered: true,
    onCall: false,
    callId: null,
    actions: ['chat', 'call'],
  });
  t.same(idle.op3?.actions, [], 'nothing on oneself');
  t.match(idle.op4, { phones: [], registered: false, status: 'offline', actions: ['chat'] });

  // op1 calls op2, who answers.
  f.asterisk.phone('PJSIP/desk202', { answerAfterMs: 500 });
  f.asterisk.call('PJSIP/desk201', ['internal', '202'], { number: '201', name: 'op1' });
  await f.after(600);
  const calls = (await s.request('GET', '/api/v1/calls', { token: s.adminToken })).json() as {
    items: { id: string; state: string }[];
  };
  const callId = calls.items[0]?.id;
  t.equal(calls.items[0]?.state, 'up', 'the call is connected');

  const byOp1 = await presence('op1');
  t.match(byOp1.op2, { onCall: true, callId, actions: ['chat'] }, 'op2 is on op1’s own call');
  t.match(byOp1.op3, { onCall: false, actions: ['chat', 'transfer', 'attended_transfer'] });
  t.same(byOp1.op4?.actions, ['chat'], 'no transfer to an agent without a phone');

  const byOp3 = await presence('op3');
  t.match(
    byOp3.op1,
    { onCall: true, callId: null, actions: ['chat', 'call'] },
    'another agent’s call: on a call, but not whose; no monitoring for the agent role',
  );

  const bySupervisor = await presence('sv1');
  for (const who of ['op1', 'op2']) {
    t.match(
      bySupervisor[who],
      {
        onCall: true,
        callId,
        actions: ['chat', 'call', 'monitor', 'whisper'],
      },
      `the supervisor may listen to ${who}`,
    );
  }
  t.same(bySupervisor.op3?.actions, ['chat', 'call'], 'nothing to listen to on op3');

  // The actions are what the API does: op1 transfers the call to op3.
  const transfer = await s.request('POST', `/api/v1/calls/${callId}/transfer`, {
    token: await token('op1'),
    body: { to: '203', mode: 'blind' },
  });
  t.equal(transfer.statusCode, 201, transfer.body);

  const everyone = await s.request('GET', '/api/v1/presence?limit=100', {
    token: await token('op3'),
  });
  t.same(
    (everyone.json() as { items: Presence[] }).items.map((p) => p.agentId).sort((a, b) => a - b),
    [...agents.map((a) => a.id), op4].sort((a, b) => a - b),
    'without a group: every agent',
  );
  const groups = await s.request('GET', '/api/v1/presence/groups', { token: await token('op3') });
  t.same(groups.json(), { items: [{ id: groupId, name: '業務B', extension: null }] });
});

t.test('presence needs chat.view; an unknown group is 404', async (t) => {
  const f = await floor(t, ['op1']);
  const s = f.server;
  const op1 = ((await s.login('op1', 'Secret123')).json() as { token: string }).token;
  const missing = await s.request('GET', '/api/v1/presence?groupId=999', { token: op1 });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { error: { code: 'not_found', message: 'Group not found' } });

  const role = (
    (
      await s.request('POST', '/api/v1/roles', {
        token: s.adminToken,
        body: { name: 'no chat', permissions: ['agents.view'] },
      })
    ).json() as { id: number }
  ).id;
  const key = (
    (
      await s.request('POST', '/api/v1/api-keys', {
        token: s.adminToken,
        body: { name: 'nochat', roleId: role },
      })
    ).json() as { key: string }
  ).key;
  for (const url of ['/api/v1/presence', '/api/v1/presence/groups']) {
    const res = await s.request('GET', url, { token: key });
    t.equal(res.statusCode, 403, url);
    t.match(res.json(), {
      error: { code: 'permission_denied', details: { required: 'chat.view' } },
    });
  }
});
