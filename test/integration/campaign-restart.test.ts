/**
 * A running campaign survives `kill -9` of the server: the call an agent was on goes on in
 * Asterisk and is followed to its end by the restarted server; the customer that was ringing is
 * closed as it stood; the campaign dials the rest — and the carrier sees every number once.
 */
import t from 'tap';
import {
  agentWithPhone,
  carrier,
  CARRIER_IP,
  did,
  until,
  type FloorServer,
} from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';
import { runSipp } from '../support/sipp.js';

interface EntryWire {
  id: number;
  phone: string;
  status: string;
  callCount: number;
  result: { key: string };
}

const entriesOf = async (api: FloorServer, campaignId: number): Promise<EntryWire[]> =>
  (
    (
      await api.request('GET', `/api/v1/campaigns/entries?campaignId=${campaignId}&limit=100`, {
        token: api.adminToken,
      })
    ).json() as { items: EntryWire[] }
  ).items;

t.test('kill -9 while a campaign dials: no entry is dialled twice', async (t) => {
  const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  for (const phone of [op1, op2]) {
    const run = await runSipp('phone-answer-many.xml', {
      localPort: phone.port,
      timeoutSeconds: 300,
      calls: 100,
    });
    t.teardown(() => run.kill());
  }
  const trunk = await carrier(server);
  const carrierRun = await runSipp('carrier-by-number.xml', {
    localIp: CARRIER_IP,
    localPort: trunk.port,
    timeoutSeconds: 300,
    calls: 100,
    vars: { answer_delay: 300, hangup_after: 1500 },
    extraArgs: ['-deadcall_wait', '0'],
  });
  t.teardown(() => carrierRun.kill());
  const phoneNumberId = await did(server, '0312340000');
  const created = await server.request('POST', '/api/v1/campaigns', {
    token: server.adminToken,
    body: {
      name: '再起動',
      type: 'progressive',
      phoneNumberId,
      maxChannels: 2,
      dialTimeoutSeconds: 60,
      memberIds: [op1.agentId, op2.agentId],
    },
  });
  t.equal(created.statusCode, 201);
  const id = (created.json() as { id: number }).id;
  // The first two are dialled together: one answers and stays on the line, one only rings.
  for (const phone of ['0377710001', '0348000001', '0311110003', '0311110004']) {
    const res = await server.request('POST', `/api/v1/campaigns/${id}/entries`, {
      token: server.adminToken,
      body: { phone },
    });
    t.equal(res.statusCode, 201);
  }
  const switched = await server.request('PUT', `/api/v1/campaigns/${id}/status`, {
    token: server.adminToken,
    body: { enabled: true },
  });
  t.equal(switched.statusCode, 200, 'ステータス ON');
  let seen = '';
  await until(
    async () => {
      const entries = await entriesOf(server, id);
      seen = entries.map((e) => `${e.phone}:${e.status}:${e.result.key}`).join(' ');
      return (
        entries.some((e) => e.phone === '0377710001' && e.status === 'in_call') &&
        entries.some((e) => e.phone === '0348000001' && e.status === 'dialing')
      );
    },
    20_000,
    'one customer talking to an agent and one ringing',
  ).catch((err: unknown) => {
    t.comment(seen);
    throw err;
  });

  t.comment(seen);
  first.child.kill('SIGKILL');
  await first.exited;
  const second = startServerProcess(environment.env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const again = await readyServer(environment, 'the restarted server');

  // The call Asterisk kept is the restarted server's: a supervisor hangs it up.
  let callId: string | undefined;
  await until(
    async () => {
      const res = await again.request('GET', '/api/v1/calls', { token: again.adminToken });
      callId = (res.json() as { items: { id: string; to: string }[] }).items.find(
        (c) => c.to === '0377710001',
      )?.id;
      return callId !== undefined;
    },
    20_000,
    'the talking customer’s call to be taken back',
  );
  const hungUp = await again.request('POST', `/api/v1/calls/${callId}/hangup`, {
    token: again.adminToken,
  });
  t.ok(hungUp.statusCode < 300, 'the call taken back can be hung up');
  await until(
    async () =>
      (await entriesOf(again, id)).every(
        (e) => e.status !== 'dialing' && e.status !== 'in_call' && e.result.key !== 'waiting',
      ),
    60_000,
    'every entry to be dialled and closed',
  );
  const byPhone = new Map((await entriesOf(again, id)).map((e) => [e.phone, e]));
  t.equal(byPhone.get('0377710001')?.result.key, 'no_entry', 'the call that went on: 未入力');
  t.equal(byPhone.get('0348000001')?.result.key, 'error', 'the one ringing at the crash: エラー');
  for (const phone of ['0311110003', '0311110004'])
    t.equal(byPhone.get(phone)?.result.key, 'no_entry', `${phone}: dialled after the restart`);
  for (const entry of byPhone.values()) t.equal(entry.callCount, 1, `${entry.phone}: one call`);

  carrierRun.kill();
  const messages = (await carrierRun.done).messages;
  for (const phone of byPhone.keys()) {
    const dialogs = new Set(
      [...messages.matchAll(new RegExp(`^INVITE sip:${phone}@[^]*?^Call-ID: *(\\S+)`, 'gm'))].map(
        (m) => m[1],
      ),
    );
    t.equal(dialogs.size, 1, `the carrier was sent ${phone} once`);
  }
});
