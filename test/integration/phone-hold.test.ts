/**
 * The phone's own hold button on a customer's call (an agent who answered it): the phone's
 * re-INVITE (a=sendonly) puts the customer on music on hold, its a=sendrecv takes them back —
 * the music stops and the two are bridged again; the agent is `on_hold` meanwhile. A customer who
 * hangs up while held ends the call: the agent's phone gets the BYE and the agent is free.
 * (test/integration/call-control.test.ts covers a caller holding an internal call.)
 */
import t from 'tap';
import {
  CARRIER_IP,
  agentWithPhone,
  answer,
  carrier,
  did,
  lastCall,
  until,
} from '../support/floor.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('the agent holds a customer’s call from the phone, and resumes', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const trunk = await carrier(server);
  await did(server, '0312340000', { route: { type: 'agent', agentId: op1.agentId } });
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['calls', 'agents']);
  t.teardown(() => feed.close());
  const customerEar = await rtpListener(0, CARRIER_IP);
  t.teardown(customerEar.close);

  await t.test('hold and resume: music, then the agent again', async (t) => {
    // The phone holds 1 s after the answer, for 3 s; the customer hangs up 6.5 s after it.
    const phone = await answer(op1, 'phone-answer.xml', {
      vars: { hold_after: 1000, hold_for: 3000 },
    });
    const customer = await trunk.call('0312340000', '09011112222', 'caller.xml', {
      vars: { rtp_port: customerEar.port, hold: 6500 },
    });
    await feed.waitFor((m) => m.name === 'call_answered', 10_000);
    customerEar.reset();
    await sleep(700);
    t.ok(
      customerEar.rms() < 100,
      `before the hold: no music (${customerEar.packets()} packets, RMS ${customerEar.rms().toFixed(0)})`,
    );
    const held = await feed.waitFor((m) => m.name === 'call_held', 5000);
    t.match(held.data, { held: true, direction: 'inbound' });
    customerEar.reset();
    await sleep(1500);
    const onHold = customerEar.rms();
    t.ok(onHold > 300, `on hold the customer hears music (RMS ${onHold.toFixed(0)})`);
    await feed.waitFor(
      (m) =>
        m.name === 'agent_status_changed' &&
        (m.data as { agentId: number; status: string }).agentId === op1.agentId &&
        (m.data as { status: string }).status === 'on_hold',
      5000,
    );
    const resumed = await feed.waitFor((m) => m.name === 'call_resumed', 5000);
    t.match(resumed.data, { held: false });
    const callId = (resumed.data as { id: string }).id;
    await sleep(300);
    customerEar.reset();
    await sleep(1200);
    // The SIPp phone sends no audio: once the music stops, nothing (or silence) reaches the customer.
    t.ok(
      customerEar.rms() < 100,
      `resumed: the music stopped (RMS ${customerEar.rms().toFixed(0)})`,
    );
    const bridge = (await server.asterisk.ari.bridges.list()).find((b) => b.id === callId);
    t.equal(bridge?.channels.length, 2, 'the customer is back in the call’s bridge with the agent');
    t.equal((await customer.done).code, 0, 'the customer hung up');
    t.equal((await phone.done).code, 0, 'the agent’s phone got the BYE');
    t.match(await lastCall(server), { endReason: 'completed', agentId: op1.agentId });
    const statuses = feed.messages
      .filter(
        (m) =>
          m.name === 'agent_status_changed' &&
          (m.data as { agentId: number }).agentId === op1.agentId,
      )
      .map((m) => (m.data as { status: string }).status);
    t.same(statuses.slice(-4), ['on_call', 'on_hold', 'on_call', 'available']);
  });

  await t.test('the customer hangs up while held: the call ends, the agent is free', async (t) => {
    const before = feed.messages.at(-1)?.seq ?? 0;
    // The phone holds 1 s after the answer and stays on hold; the customer hangs up at 3 s.
    const phone = await answer(op1, 'phone-answer.xml', { vars: { hold_after: 1000 } });
    const customer = await trunk.call('0312340000', '09033334444', 'caller.xml', {
      vars: { hold: 3000 },
    });
    await feed.waitFor((m) => m.name === 'call_held' && (m.seq ?? 0) > before, 10_000);
    t.equal((await customer.done).code, 0);
    t.equal((await phone.done).code, 0, 'the agent’s phone got the BYE');
    const ended = await feed.waitFor((m) => m.name === 'call_ended' && (m.seq ?? 0) > before, 5000);
    t.match(ended.data, { from: { number: '09033334444' } });
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
    const res = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
    t.same((res.json() as { items: unknown[] }).items, [], 'no call left');
  });
});
