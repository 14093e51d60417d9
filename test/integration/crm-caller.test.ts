/**
 * CRM自動検索 with real phones: a customer's number calls a DID through a SIPp carrier, and the
 * answering agent's `me` feed and GET /calls carry that customer (#C…, name, format); a number no
 * customer has carries none; an agent outside the customer's business format sees none while a
 * supervisor on the `calls` feed does; the +81 form of the number finds the same customer; an
 * outbound call to the customer carries it too.
 */
import t from 'tap';
import {
  agentWithPhone,
  answer,
  callOutWith,
  carrier,
  dial,
  did,
  firstRequest,
  lastCall,
  type Phone,
} from '../support/floor.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedClient } from '../support/ws-client.js';

interface CustomerMatch {
  id: number;
  displayId: string;
  name: string;
  formatId: number;
  formatName: string;
}
interface CallData {
  id: string;
  direction: string;
  customers: CustomerMatch[];
}

async function created<T>(
  server: TelephonyServer,
  url: string,
  body: unknown,
  method: 'POST' | 'PUT' = 'POST',
): Promise<T> {
  const res = await server.request(method, `/api/v1${url}`, { token: server.adminToken, body });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

async function tokenOf(server: TelephonyServer, loginId: string): Promise<string> {
  return ((await server.login(loginId, 'Operator1')).json() as { token: string }).token;
}

/** The customers the viewer's GET /calls shows on its one live call, polled while it rings. */
async function customersOnLiveCall(
  server: TelephonyServer,
  token: string,
): Promise<CustomerMatch[] | undefined> {
  for (let i = 0; i < 40; i += 1) {
    const res = await server.request('GET', '/api/v1/calls', { token });
    const items = (res.json() as { items: CallData[] }).items;
    if (items[0]) return items[0].customers;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

/** Forgets what the feed has received, so the next wait sees only what follows. */
function clear(feed: FeedClient): void {
  feed.messages.length = 0;
}

function callEvent(feed: FeedClient, name: string, timeoutMs = 8000) {
  return feed.waitFor((m) => m.name === name, timeoutMs).then((m) => m.data as CallData);
}

t.test('the customers a call carries, from the CRM', async (t) => {
  const server = await startTelephonyServer({ env: { CALL_RING_SECONDS: '8' } });
  t.teardown(server.stop);
  const member = await agentWithPhone(server, 'op1', '201', { password: 'Operator1' });
  const outsider = await agentWithPhone(server, 'op2', '202', { password: 'Operator1' });
  const trunk = await carrier(server);
  await did(server, '0312340000', { route: { type: 'agent', agentId: member.agentId } });
  await did(server, '0312340001', { route: { type: 'agent', agentId: outsider.agentId } });

  const format = await created<{ id: number; name: string }>(server, '/business-formats', {
    name: '営業',
  });
  await created(
    server,
    `/business-formats/${format.id}/agents`,
    { agentIds: [member.agentId] },
    'PUT',
  );
  const yamada = await created<{ id: number; displayId: string }>(server, '/customers', {
    formatId: format.id,
    name: '山田 太郎',
    phones: ['090-1111-2222'],
  });
  const expected = {
    id: yamada.id,
    displayId: `#C${yamada.id}`,
    name: '山田 太郎',
    formatId: format.id,
    formatName: '営業',
  };
  const memberFeed = await subscribedFeed(server.baseUrl, await tokenOf(server, 'op1'), ['me']);
  t.teardown(() => memberFeed.close());
  const outsiderFeed = await subscribedFeed(server.baseUrl, await tokenOf(server, 'op2'), ['me']);
  t.teardown(() => outsiderFeed.close());
  const supervisorFeed = await subscribedFeed(server.baseUrl, server.adminToken, ['calls']);
  t.teardown(() => supervisorFeed.close());
  let calls = 0;

  /** A call from `from` to `number`, answered by `phone` after a ring, held 2 s. */
  async function inbound(phone: Phone, number: string, from: string) {
    const ringing = await answer(phone, 'phone-answer.xml', { vars: { answer_delay: 1500 } });
    const caller = await trunk.call(number, from, 'caller.xml', { vars: { hold: 2000 } });
    return { ringing, caller };
  }

  await t.test('a customer calls: the agent sees who it is', async (t) => {
    clear(memberFeed);
    const { ringing, caller } = await inbound(member, '0312340000', '09011112222');
    const ring = await callEvent(memberFeed, 'call_ringing');
    t.same(ring.customers, [expected], 'call_ringing carries the customer');
    t.same(
      await customersOnLiveCall(server, await tokenOf(server, 'op1')),
      [expected],
      'GET /calls too',
    );
    const answered = await callEvent(memberFeed, 'call_answered');
    t.same(answered.customers, [expected], 'and call_answered');
    t.equal((await caller.done).code, 0, 'the customer was answered');
    t.match(firstRequest((await ringing.done).messages, 'INVITE'), /^From: .*<sip:09011112222@/m);
    calls += 1;
    await lastCall(server, calls - 1);
  });

  await t.test('a number no customer has carries none', async (t) => {
    clear(memberFeed);
    const { ringing, caller } = await inbound(member, '0312340000', '09099998888');
    t.same((await callEvent(memberFeed, 'call_ringing')).customers, [], 'no customer');
    t.same((await callEvent(memberFeed, 'call_answered')).customers, []);
    t.equal((await caller.done).code, 0);
    await ringing.done;
    calls += 1;
    await lastCall(server, calls - 1);
  });

  await t.test('the carrier’s +81 form of the number finds the same customer', async (t) => {
    clear(memberFeed);
    const { ringing, caller } = await inbound(member, '0312340000', '+819011112222');
    t.same((await callEvent(memberFeed, 'call_ringing')).customers, [expected]);
    t.equal((await caller.done).code, 0);
    await ringing.done;
    calls += 1;
    await lastCall(server, calls - 1);
  });

  await t.test(
    'an agent outside the customer’s format sees none; a supervisor sees it',
    async (t) => {
      clear(outsiderFeed);
      clear(supervisorFeed);
      const { ringing, caller } = await inbound(outsider, '0312340001', '09011112222');
      t.same(
        (await callEvent(outsiderFeed, 'call_ringing')).customers,
        [],
        'not in the format: not shown',
      );
      t.same(
        await customersOnLiveCall(server, await tokenOf(server, 'op2')),
        [],
        'nor in GET /calls',
      );
      t.same(
        (await callEvent(supervisorFeed, 'call_ringing')).customers,
        [expected],
        'the administrator on the calls feed sees the customer',
      );
      t.equal((await caller.done).code, 0);
      await ringing.done;
      calls += 1;
      await lastCall(server, calls - 1);
    },
  );

  await t.test('an outbound call to the customer carries the customer', async (t) => {
    clear(memberFeed);
    const number = await did(server, '0312349999');
    await callOutWith(server, member.agentId ?? 0, number);
    const far = await trunk.answer({ vars: { answer_delay: 500 } });
    const run = await dial(server, member, '09011112222', 'caller.xml', { vars: { hold: 1500 } });
    const event = await memberFeed.waitFor(
      (m) => m.name?.startsWith('call_') === true && (m.data as CallData).direction === 'outbound',
      8000,
    );
    t.same((event.data as CallData).customers, [expected], `${event.name} carries the customer`);
    t.equal((await run.done).code, 0);
    await far.done;
    calls += 1;
    await lastCall(server, calls - 1);
  });
});
