/**
 * Park (§5-3, §13) with SIPp phones and a SIPp carrier: an agent keys #72 during a call with a
 * customer; the customer waits in slot 9001 with music, the agent's phone is hung up (free);
 * another phone dialling 9001 takes the call; a pickup over REST rings the agent's phone first;
 * the park timeout rings the parker back; a parked customer who hangs up leaves the list; an
 * empty slot is refused.
 */
import t from 'tap';
import {
  CARRIER_IP,
  agentWithPhone,
  answer,
  callOutWith,
  carrier,
  dial,
  did,
  finalResponse,
  handlersOf,
  lastCall,
  until,
} from '../support/floor.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedClient } from '../support/ws-client.js';

interface Parked {
  slot: string;
  callId: string;
  number: string;
  parkerAgentId: number | null;
  parkedAt: string;
}

const CUSTOMER = '0399998888';

async function parkedList(server: TelephonyServer): Promise<Parked[]> {
  const res = await server.request('GET', '/api/v1/parked-calls', { token: server.adminToken });
  return (res.json() as { items: Parked[] }).items;
}

function parkEvent(feed: FeedClient, name: string, after = 0) {
  return feed.waitFor(
    (m) => m.topic === 'parked' && m.name === name && (m.seq ?? 0) > after,
    20_000,
    name,
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('park by #72, pick up by dialling the slot, over REST, on the timeout', async (t) => {
  const server = await startTelephonyServer({ env: { PARK_TIMEOUT_SECONDS: '10' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const trunk = await carrier(server);
  await callOutWith(server, op1.agentId ?? 0, await did(server, '0312340000'));
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['parked', 'calls']);
  t.teardown(() => feed.close());
  const customerEar = await rtpListener(0, CARRIER_IP);
  t.teardown(customerEar.close);

  /** op1 calls the customer and keys #72 1.5 s after the answer; resolves once parked. */
  async function parkACall(carrierVars: Record<string, string | number> = {}) {
    const before = feed.messages.at(-1)?.seq ?? 0;
    const customer = await trunk.answer({
      vars: { rtp_port: customerEar.port, ...carrierVars },
      timeoutSeconds: 90,
    });
    const parker = await dial(server, op1, CUSTOMER, 'caller.xml', {
      vars: { dtmf: '#72', dtmf_mode: 'info', dtmf_delay: 1500, hold: 40_000 },
      timeoutSeconds: 90,
    });
    const parked = (await parkEvent(feed, 'call_parked', before)).data as Parked;
    return { customer, parker, parked, seq: feed.messages.at(-1)?.seq ?? 0 };
  }

  await t.test('#72 parks the customer in 9001; the agent is free', async (t) => {
    const { customer, parker, parked, seq } = await parkACall();
    t.match(parked, { slot: '9001', number: CUSTOMER, parkerAgentId: op1.agentId });
    t.equal((await parker.done).code, 0, 'the parker’s phone was hung up (after the slot number)');
    t.same(
      (await parkedList(server)).map((p) => p.slot),
      ['9001'],
      'GET /parked-calls lists it',
    );
    customerEar.reset();
    await sleep(1500);
    t.ok(customerEar.rms() > 300, `the customer hears music (RMS ${customerEar.rms().toFixed(0)})`);
    await until(
      async () => {
        const res = await server.request('GET', `/api/v1/agents/${op1.agentId}/status`, {
          token: server.adminToken,
        });
        return (res.json() as { status: string }).status === 'available';
      },
      5000,
      'op1 available again',
    );

    // op2 dials the slot and has the customer.
    const picker = await dial(server, op2, '9001', 'caller.xml', { vars: { hold: 2000 } });
    const unparked = await parkEvent(feed, 'call_unparked', seq);
    t.match(unparked.data, { slot: '9001', via: 'dial', pickedUpBy: op2.agentId });
    await until(
      async () => {
        const res = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
        const calls = (res.json() as { items: { id: string; state: string; agentIds: number[] }[] })
          .items;
        return calls.some(
          (c) =>
            c.id === parked.callId && c.state === 'up' && c.agentIds.includes(op2.agentId ?? 0),
        );
      },
      5000,
      'the parked call to be op2’s',
    );
    t.same(await parkedList(server), [], 'the slot is free again');
    t.equal((await picker.done).code, 0, 'op2 talked, then hung up');
    t.equal((await customer.done).code, 0, 'the customer got the BYE');
    const row = await lastCall(server);
    t.match(row, { callId: parked.callId, agentId: op2.agentId, endReason: 'completed' });
    t.same(await handlersOf(server, row.id), [
      { agentId: op1.agentId, via: 'placed' },
      { agentId: op2.agentId, via: 'pickup' },
    ]);
  });

  await t.test('POST /calls/{id}/park parks as #72 does (the desk’s park button)', async (t) => {
    const before = feed.messages.at(-1)?.seq ?? 0;
    const customer = await trunk.answer({
      vars: { rtp_port: customerEar.port },
      timeoutSeconds: 90,
    });
    const parker = await dial(server, op1, CUSTOMER, 'caller.xml', {
      vars: { hold: 40_000 },
      timeoutSeconds: 90,
    });
    const answered = await feed.waitFor(
      (m) => m.topic === 'calls' && m.name === 'call_answered' && (m.seq ?? 0) > before,
      20_000,
      'the call answered',
    );
    const callId = (answered.data as { id: string }).id;
    const op2Token = ((await server.login('op2', 'Secret123')).json() as { token: string }).token;
    const notHers = await server.request('POST', `/api/v1/calls/${callId}/park`, {
      token: op2Token,
    });
    t.equal(notHers.statusCode, 404, 'another agent does not even see the call');
    const op1Token = ((await server.login('op1', 'Secret123')).json() as { token: string }).token;
    const parked = await server.request('POST', `/api/v1/calls/${callId}/park`, {
      token: op1Token,
    });
    t.equal(parked.statusCode, 201, parked.body);
    t.match(parked.json(), { slot: '9001', callId, number: CUSTOMER, parkerAgentId: op1.agentId });
    t.match((await parkEvent(feed, 'call_parked', before)).data, { slot: '9001', callId });
    t.equal((await parker.done).code, 0, 'the parker’s phone was hung up');
    customerEar.reset();
    await sleep(1500);
    t.ok(customerEar.rms() > 300, `the customer hears music (RMS ${customerEar.rms().toFixed(0)})`);
    const again = await server.request('POST', `/api/v1/calls/${callId}/park`, { token: op1Token });
    t.equal(again.statusCode, 404, 'parked, the call is no longer the agent’s to park');

    const picker = await dial(server, op2, '9001', 'caller.xml', { vars: { hold: 1000 } });
    t.equal((await picker.done).code, 0, 'op2 took it by dialling the slot');
    t.equal((await customer.done).code, 0);
  });

  await t.test('an empty slot is refused (404)', async (t) => {
    const refused = await (await dial(server, op2, '9002', 'caller-refused.xml')).done;
    t.equal(finalResponse(refused.messages), 404);
    const rest = await server.request('POST', '/api/v1/parked-calls/9002/pickup', {
      token: server.adminToken,
      body: { agentId: op2.agentId },
    });
    t.equal(rest.statusCode, 404);
    const notSlot = await server.request('POST', '/api/v1/parked-calls/1234/pickup', {
      token: server.adminToken,
      body: { agentId: op2.agentId },
    });
    t.equal(notSlot.statusCode, 422);
  });

  await t.test('pickup over REST rings the agent’s phone first', async (t) => {
    const { customer, parker, parked, seq } = await parkACall();
    await parker.done;
    const phone = await answer(op2, 'phone-answer.xml', { vars: { hangup_after: 1500 } });
    const res = await server.request('POST', `/api/v1/parked-calls/${parked.slot}/pickup`, {
      token: server.adminToken,
      body: { agentId: op2.agentId },
    });
    t.equal(res.statusCode, 202);
    const unparked = await parkEvent(feed, 'call_unparked', seq);
    t.match(unparked.data, { via: 'callback', pickedUpBy: op2.agentId });
    t.equal((await phone.done).code, 0, 'op2’s phone rang, answered, talked');
    t.equal((await customer.done).code, 0);
  });

  await t.test('the park timeout rings the parker back', async (t) => {
    const { customer, parker, parked, seq } = await parkACall();
    await parker.done;
    const parkedAt = Date.parse(parked.parkedAt);
    // op1's phone now waits for the callback.
    const callback = await answer(op1, 'phone-answer.xml', { vars: { hangup_after: 1500 } });
    const timedOut = await parkEvent(feed, 'parked_call_timed_out', seq);
    t.equal((timedOut.data as Parked).slot, parked.slot);
    const unparked = await parkEvent(feed, 'call_unparked', seq);
    const after = Date.now() - parkedAt;
    t.ok(after >= 8000, `rung back ${after} ms after parking (timeout 10 s)`);
    t.match(unparked.data, { via: 'callback', pickedUpBy: op1.agentId });
    t.equal((await callback.done).code, 0, 'op1 answered the callback');
    t.equal((await customer.done).code, 0);
  });

  await t.test('a parked customer who hangs up is gone from the list', async (t) => {
    // The carrier hangs up 4 s after answering: 2.5 s after being parked.
    const { customer, parker, seq } = await parkACall({ hangup_after: 4000 });
    await parker.done;
    const abandoned = await parkEvent(feed, 'parked_call_abandoned', seq);
    t.match(abandoned.data, { slot: '9001' });
    t.same(await parkedList(server), []);
    t.equal((await customer.done).code, 0);
    t.match(await lastCall(server), { endReason: 'completed', agentId: op1.agentId });
  });
});
