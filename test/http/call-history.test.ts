/**
 * Who reads which call history (§9-1): an agent the calls they took part in, whoever holds
 * call_history.view_all every call — in the list, the detail and the recording alike.
 */
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';

async function tokenOf(app: TestApp, loginId: string): Promise<string> {
  return ((await app.login(loginId, 'Operator1')).json() as { token: string }).token;
}

t.test('an agent sees the calls they took part in; call_history.view_all sees all', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const op1 = await createAgent(app, { loginId: 'op1', password: 'Operator1', extension: '201' });
  const op2 = await createAgent(app, { loginId: 'op2', password: 'Operator1', extension: '202' });
  await createAgent(app, { loginId: 'sv1', password: 'Operator1', role: 'supervisor' });
  const { history } = app.app.services;
  const call = (callId: string, agentId: number | null, calleeAgentId: number | null) => {
    history.open({
      callId,
      direction: calleeAgentId === null ? 'inbound' : 'internal',
      fromNumber: '0312345678',
      fromName: '',
      toNumber: '0501234567',
      ourNumber: null,
      phoneNumberId: null,
      agentId,
      calleeAgentId,
    });
    history.answered(callId, `call-${callId}`);
    history.ended(callId, 'completed', 16);
    return history.byCallId(callId)?.id ?? 0;
  };
  const took = call('00000000-0000-4000-8000-000000000001', op1, null); // op1 took it
  const called = call('00000000-0000-4000-8000-000000000002', op2, op1); // op2 called op1
  const others = call('00000000-0000-4000-8000-000000000003', op2, null); // op2's alone
  const nobody = call('00000000-0000-4000-8000-000000000004', null, null); // missed, no agent

  const ids = async (token: string, query = '') => {
    const res = await app.request('GET', `/api/v1/call-history?limit=100${query}`, { token });
    t.equal(res.statusCode, 200, res.body);
    const page = res.json() as { items: { id: number }[]; total: number };
    t.equal(page.total, page.items.length, 'the total counts what the reader may see');
    return page.items.map((r) => r.id).sort((a, b) => a - b);
  };
  // op1 may also listen to recordings (agents may not by default).
  const listener = await app.request('POST', '/api/v1/roles', {
    token: app.adminToken,
    body: { name: 'listener', permissions: ['call_history.view', 'call_history.audio'] },
  });
  await app.request('PATCH', `/api/v1/agents/${op1}`, {
    token: app.adminToken,
    body: { roleId: (listener.json() as { id: number }).id },
  });
  const agent = await tokenOf(app, 'op1');
  t.same(await ids(agent), [took, called], 'op1: the call taken and the call received');
  t.same(await ids(agent, `&agentId=${op2}`), [called], 'filters narrow within their own');
  t.same(await ids(await tokenOf(app, 'op2')), [called, others]);
  t.same(await ids(await tokenOf(app, 'sv1')), [took, called, others, nobody], 'supervisors');
  t.same(await ids(app.adminToken), [took, called, others, nobody], 'administrators');

  for (const url of [
    `/api/v1/call-history/${others}`,
    `/api/v1/call-history/${others}/recording`,
  ]) {
    const res = await app.request('GET', url, { token: agent });
    t.equal(res.statusCode, 404, `${url}: another agent's call is not there for op1`);
    t.notMatch(res.body, /0312345678/);
  }
  t.equal(
    (await app.request('GET', `/api/v1/call-history/${took}`, { token: agent })).statusCode,
    200,
  );
  const recording = await app.request('GET', `/api/v1/call-history/${took}/recording`, {
    token: agent,
  });
  t.equal(recording.statusCode, 503, 'their own recording: Asterisk (unreachable here) is asked');
  t.match(recording.json(), { error: { code: 'asterisk_unavailable' } });

  // An integration's API key has no calls of its own: it needs view_all to read any.
  const keyOf = async (name: string, permissions: string[]) => {
    const role = await app.request('POST', '/api/v1/roles', {
      token: app.adminToken,
      body: { name, permissions },
    });
    const key = await app.request('POST', '/api/v1/api-keys', {
      token: app.adminToken,
      body: { name, roleId: (role.json() as { id: number }).id },
    });
    return (key.json() as { key: string }).key;
  };
  t.same(await ids(await keyOf('reader', ['call_history.view'])), []);
  t.same(await ids(await keyOf('archiver', ['call_history.view', 'call_history.view_all'])), [
    took,
    called,
    others,
    nobody,
  ]);
});
