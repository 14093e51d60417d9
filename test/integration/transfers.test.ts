/**
 * Transfers with SIPp phones and a SIPp carrier (§13 `#8` / `#9`, REST): op1 talks with a
 * customer and transfers them — blind to an extension and to a group, attended (completed by
 * hanging up, cancelled with #0, a recipient that does not answer), and over REST; bad requests
 * change nothing.
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
  firstRequest,
  handlersOf,
  lastCall,
  until,
} from '../support/floor.js';
import type { SippResult } from '../support/sipp.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedClient } from '../support/ws-client.js';

const CUSTOMER = '0399998888';

interface LiveCall {
  id: string;
  state: string;
  agentIds: number[];
  legs: { agentId: number | null; state: string }[];
}

async function liveCalls(server: TelephonyServer): Promise<LiveCall[]> {
  const res = await server.request('GET', '/api/v1/calls', { token: server.adminToken });
  return (res.json() as { items: LiveCall[] }).items;
}

function transferEvents(feed: FeedClient, after: number): string[] {
  return feed.messages
    .filter((m) => (m.seq ?? 0) > after && m.name?.startsWith('transfer_') === true)
    .map((m) => m.name ?? '');
}

const seqOf = (feed: FeedClient) => feed.messages.at(-1)?.seq ?? 0;

t.test('transfers from the phone and over REST', async (t) => {
  const server = await startTelephonyServer({ env: { CALL_RING_SECONDS: '6' } });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const op3 = await agentWithPhone(server, 'op3', '203');
  const trunk = await carrier(server);
  await callOutWith(server, op1.agentId ?? 0, await did(server, '0312340000'));
  const group = await server.request('POST', '/api/v1/groups', {
    token: server.adminToken,
    body: { name: 'Support', extension: '801', members: [{ agentId: op3.agentId, skillLevel: 1 }] },
  });
  t.equal(group.statusCode, 201);
  const groupId = (group.json() as { id: number }).id;
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['calls']);
  t.teardown(() => feed.close());
  const customerEar = await rtpListener(0, CARRIER_IP);
  t.teardown(customerEar.close);

  /** op1 calls the customer and keys `dtmf` from 1 s after the answer; op1 stays `hold` ms. */
  async function callAndKey(dtmf: string, hold: number, carrierVars = {}) {
    const customer = await trunk.answer({
      vars: { rtp_port: customerEar.port, ...carrierVars },
      timeoutSeconds: 90,
    });
    const agent = await dial(server, op1, CUSTOMER, 'caller.xml', {
      vars: { dtmf, dtmf_mode: 'info', dtmf_delay: 1000, dtmf_gap: 250, hold },
      timeoutSeconds: 90,
    });
    return { customer, agent };
  }

  /** The call is up, with `agentId`'s phone on it and no other phone of ours still there. */
  async function callIsWith(agentId: number | null, what: string) {
    await until(
      async () =>
        (await liveCalls(server)).some((c) => {
          const ours = c.legs.filter((l) => l.state === 'up' && l.agentId !== null);
          return c.state === 'up' && ours.length === 1 && ours[0]?.agentId === agentId;
        }),
      15_000,
      what,
    );
  }

  const byeTo = (run: SippResult) => /received \[\d+\] bytes :\s+BYE sip:/.test(run.messages);

  await t.test('#8 + extension + #: blind; op2 rings, answers and has the customer', async (t) => {
    const before = seqOf(feed);
    const recipient = await answer(op2, 'phone-answer.xml', { timeoutSeconds: 60 });
    const { customer, agent } = await callAndKey('#8202#', 30_000, { hangup_after: 8000 });
    await callIsWith(op2.agentId, 'the call to be op2’s');
    const op1Run = await agent.done;
    t.ok(byeTo(op1Run) || op1Run.code === 0, 'op1’s phone was let go (BYE)');
    const invite = firstRequest((await recipient.done).messages, 'INVITE') ?? '';
    t.match(invite, new RegExp(`From: [^\\n]*${CUSTOMER}`), 'op2’s phone showed the customer');
    t.equal((await customer.done).code, 0);
    t.same(transferEvents(feed, before), [
      'transfer_created',
      'transfer_answered',
      'transfer_completed',
    ]);
    const row = await lastCall(server);
    t.match(row, { agentId: op2.agentId, endReason: 'completed' });
    t.same(
      await handlersOf(server, row.id),
      [
        { agentId: op1.agentId, via: 'placed' },
        { agentId: op2.agentId, via: 'transfer' },
      ],
      'the history keeps both agents, in order',
    );
  });

  await t.test('#8 + a group’s extension + #: the customer joins the queue', async (t) => {
    const before = seqOf(feed);
    const member = await answer(op3, 'phone-answer.xml', { timeoutSeconds: 60 });
    const { customer, agent } = await callAndKey('#8801#', 30_000, { hangup_after: 8000 });
    await callIsWith(op3.agentId, 'the queue to give the call to op3');
    await agent.done;
    t.equal((await member.done).code, 0, 'op3 answered and got the BYE');
    t.equal((await customer.done).code, 0);
    t.same(transferEvents(feed, before), ['transfer_created', 'transfer_completed']);
  });

  await t.test(
    '#8 to a group: the customer keeps their original arrival in its line',
    async (t) => {
      // Sales (802): op3 alone, paused for now; calls may wait.
      const sales = await server.request('POST', '/api/v1/groups', {
        token: server.adminToken,
        body: {
          name: 'Sales',
          extension: '802',
          maxWaiting: 5,
          members: [{ agentId: op3.agentId, skillLevel: 1 }],
        },
      });
      t.equal(sales.statusCode, 201);
      const salesId = (sales.json() as { id: number }).id;
      await did(server, '0312340002', { route: { type: 'group', groupId: salesId } });
      const setStatus = async (status: 'available' | 'paused') => {
        const res = await server.request('PUT', `/api/v1/agents/${op3.agentId ?? 0}/status`, {
          token: server.adminToken,
          body: { status },
        });
        t.equal(res.statusCode, 200, `op3 ${status}`);
      };
      await setStatus('paused');
      // op3 will take two calls, 2 s each.
      const member = await answer(op3, 'phone-answer.xml', {
        vars: { hangup_after: 2000 },
        calls: 2,
        timeoutSeconds: 90,
      });
      const waitingCalls = async () =>
        (
          (
            await server.request('GET', `/api/v1/groups/${salesId}/waiting-calls`, {
              token: server.adminToken,
            })
          ).json() as {
            items: {
              from: { number: string };
              position: number;
              arrivedAt: string;
              enteredAt: string;
            }[];
          }
        ).items;
      // op1 calls the customer first, and 6 s into the call keys #8 802 #.
      const customer = await trunk.answer({
        vars: { rtp_port: customerEar.port },
        timeoutSeconds: 90,
      });
      const agent = await dial(server, op1, CUSTOMER, 'caller.xml', {
        vars: { dtmf: '#8802#', dtmf_mode: 'info', dtmf_delay: 6000, dtmf_gap: 250, hold: 30_000 },
        timeoutSeconds: 90,
      });
      await callIsWith(op1.agentId, 'op1’s call with the customer');
      // Meanwhile another customer calls Sales: they wait there before the transfer comes.
      const later = await trunk.call('0312340002', '0311112222', 'caller.xml', {
        vars: { hold: 40_000 },
        timeoutSeconds: 90,
      });
      await until(async () => (await waitingCalls()).length === 1, 10_000, 'the other to wait');
      await until(async () => (await waitingCalls()).length === 2, 20_000, 'both to wait in Sales');
      const [first, second] = await waitingCalls();
      t.match(first, { from: { number: CUSTOMER }, position: 1 }, 'the transferred customer first');
      t.match(second, { from: { number: '0311112222' }, position: 2 });
      t.ok(
        (first?.arrivedAt ?? '') < (second?.arrivedAt ?? '') &&
          (first?.enteredAt ?? '') > (second?.enteredAt ?? ''),
        'arrived before, though it entered the line after',
      );
      await agent.done;
      await setStatus('available');
      const run = await member.done;
      t.equal(run.code, 0, 'op3 took both calls');
      const invites = run.messages
        .split(/^-{10,}.*$/m)
        .filter((b) => /^INVITE sip:/m.test(b))
        .map((b) => /^From: (.*)$/m.exec(b)?.[1] ?? '');
      t.equal(invites.length, 2);
      t.match(invites[0], CUSTOMER, 'op3 rang first for the transferred customer');
      t.match(invites[1], '0311112222', 'then for the one who called after them');
      t.equal((await customer.done).code, 0);
      t.equal((await later.done).code, 0);
    },
  );

  await t.test('#9: attended, completed by hanging up after the consultation', async (t) => {
    const before = seqOf(feed);
    const recipient = await answer(op2, 'phone-answer.xml', { timeoutSeconds: 60 });
    // op1 consults op2 from about 3 s and hangs up at 7 s: the customer is op2's.
    const { customer, agent } = await callAndKey('#9202#', 7000, { hangup_after: 11_000 });
    await feed.waitFor((m) => (m.seq ?? 0) > before && m.name === 'transfer_answered', 15_000);
    t.equal((await agent.done).code, 0, 'op1 hung up');
    await feed.waitFor((m) => (m.seq ?? 0) > before && m.name === 'transfer_completed', 5000);
    await callIsWith(op2.agentId, 'the call to be op2’s');
    t.equal((await customer.done).code, 0);
    t.equal((await recipient.done).code, 0);
    t.match(await lastCall(server), { agentId: op2.agentId });
  });

  await t.test(
    '#9 + a group’s extension: op1 waits in its line, consults who answers',
    async (t) => {
      const before = seqOf(feed);
      const setStatus = async (status: 'available' | 'paused') => {
        const res = await server.request('PUT', `/api/v1/agents/${op3.agentId ?? 0}/status`, {
          token: server.adminToken,
          body: { status },
        });
        t.equal(res.statusCode, 200, `op3 ${status}`);
      };
      // Support's one member is paused: the consultation waits in its line.
      await setStatus('paused');
      const member = await answer(op3, 'phone-answer.xml', {
        vars: { answer_delay: 1000 },
        timeoutSeconds: 60,
      });
      // op1 keys #9 801 # a second into the call and hangs up at 10 s: the customer is op3's.
      const { customer, agent } = await callAndKey('#9801#', 10_000, { hangup_after: 14_000 });
      const line = async () =>
        (
          (
            await server.request('GET', `/api/v1/groups/${groupId}/waiting-calls`, {
              token: server.adminToken,
            })
          ).json() as { items: { from: { number: string }; consultation: boolean }[] }
        ).items;
      await until(async () => (await line()).length === 1, 10_000, 'op1 to wait in Support’s line');
      t.match(await line(), [{ from: { number: CUSTOMER }, consultation: true }]);
      customerEar.reset();
      await until(() => customerEar.rms() > 200, 5000, 'music at the customer');
      t.pass(`the customer hears music while op1 waits (RMS ${customerEar.rms().toFixed(0)})`);
      await setStatus('available');
      await feed.waitFor((m) => (m.seq ?? 0) > before && m.name === 'transfer_answered', 10_000);
      t.same(await line(), [], 'out of the line once answered');
      t.equal((await agent.done).code, 0, 'op1 consulted op3 and hung up');
      await callIsWith(op3.agentId, 'the call to be op3’s');
      t.equal((await customer.done).code, 0);
      const run = await member.done;
      t.equal(run.code, 0, 'op3 got the BYE');
      t.match(
        firstRequest(run.messages, 'INVITE') ?? '',
        new RegExp(`From: [^\\n]*${CUSTOMER}`),
        'op3’s phone showed the customer',
      );
      t.same(transferEvents(feed, before), [
        'transfer_created',
        'transfer_answered',
        'transfer_completed',
      ]);
      const row = await lastCall(server);
      t.same(await handlersOf(server, row.id), [
        { agentId: op1.agentId, via: 'placed' },
        { agentId: op3.agentId, via: 'transfer' },
      ]);
    },
  );

  await t.test('#9 then #0: cancelled, op1 is back with the customer', async (t) => {
    const before = seqOf(feed);
    const recipient = await answer(op2, 'phone-noanswer.xml', { timeoutSeconds: 60 });
    const { customer, agent } = await callAndKey('#9202##0', 9000, { hangup_after: 20_000 });
    await feed.waitFor((m) => (m.seq ?? 0) > before && m.name === 'transfer_cancelled', 15_000);
    await callIsWith(op1.agentId, 'op1 back on the call');
    t.match((await recipient.done).messages, /CANCEL sip:/, 'op2’s ringing phone was cancelled');
    t.equal((await agent.done).code, 0, 'op1 talked on and hung up');
    t.equal((await customer.done).code, 0);
    t.same(transferEvents(feed, before), ['transfer_created', 'transfer_cancelled']);
  });

  await t.test('#9 to a phone that does not answer: op1 is back after the ring time', async (t) => {
    const before = seqOf(feed);
    const recipient = await answer(op2, 'phone-noanswer.xml', { timeoutSeconds: 60 });
    const { customer, agent } = await callAndKey('#9202#', 14_000, { hangup_after: 20_000 });
    const cancelled = await feed.waitFor(
      (m) => (m.seq ?? 0) > before && m.name === 'transfer_cancelled',
      15_000,
    );
    t.ok(cancelled, 'cancelled once the 6 s ring time ran out');
    await callIsWith(op1.agentId, 'op1 back on the call');
    await recipient.done;
    t.equal((await agent.done).code, 0);
    t.equal((await customer.done).code, 0);
  });

  await t.test('over REST: bad requests change nothing; attended, then complete', async (t) => {
    const customer = await trunk.answer({
      vars: { rtp_port: customerEar.port, hangup_after: 15_000 },
      timeoutSeconds: 90,
    });
    const agent = await dial(server, op1, CUSTOMER, 'caller.xml', {
      vars: { hold: 30_000 },
      timeoutSeconds: 90,
    });
    await callIsWith(op1.agentId, 'op1’s call');
    const call = (await liveCalls(server))[0];
    const transfer = (body: object) =>
      server.request('POST', `/api/v1/calls/${call?.id ?? ''}/transfer`, {
        token: server.adminToken,
        body,
      });
    t.equal((await transfer({ to: '999', mode: 'blind' })).statusCode, 422, 'unknown number');
    t.equal((await transfer({ to: '201', mode: 'blind' })).statusCode, 422, 'to op1 themselves');
    t.equal((await transfer({ to: '202', mode: 'sideways' })).statusCode, 400, 'a bad mode');
    const unknown = await server.request(
      'POST',
      '/api/v1/transfers/00000000-0000-4000-8000-000000000000/complete',
      { token: server.adminToken },
    );
    t.equal(unknown.statusCode, 404);
    await callIsWith(op1.agentId, 'nothing changed');
    t.equal((await liveCalls(server))[0]?.legs.filter((l) => l.state !== 'gone').length, 2);

    const before = seqOf(feed);
    const recipient = await answer(op2, 'phone-answer.xml', { timeoutSeconds: 60 });
    const started = await transfer({ to: '202', mode: 'attended' });
    t.equal(started.statusCode, 201);
    const { id } = started.json() as { id: string };
    t.equal((await transfer({ to: '203', mode: 'blind' })).statusCode, 409, 'a second one');
    await feed.waitFor((m) => (m.seq ?? 0) > before && m.name === 'transfer_answered', 10_000);
    const status = await server.request('GET', `/api/v1/transfers/${id}`, {
      token: server.adminToken,
    });
    t.match(status.json(), { status: 'answered', mode: 'attended', recipientAgentId: op2.agentId });
    const done = await server.request('POST', `/api/v1/transfers/${id}/complete`, {
      token: server.adminToken,
    });
    t.equal(done.statusCode, 200);
    t.match(done.json(), { status: 'completed' });
    const again = await server.request('POST', `/api/v1/transfers/${id}/complete`, {
      token: server.adminToken,
    });
    t.equal(again.statusCode, 409, 'a second complete is refused');
    await callIsWith(op2.agentId, 'the call to be op2’s');
    const op1Run = await agent.done;
    t.ok(byeTo(op1Run) || op1Run.code === 0, 'op1 was let go');
    t.equal((await customer.done).code, 0);
    t.equal((await recipient.done).code, 0);

    const over = await transfer({ to: '202', mode: 'blind' });
    t.equal(over.statusCode, 404, 'a call that is over is not there');
  });
});
