/**
 * ログイン mode (§10-8 エージェントモード) against a real Asterisk: the agent's SIPp phone dials 990
 * and stays on the line; the campaign's customers (a SIPp carrier) are put through to it one
 * after another with a tone and no ringing — the agent's phone never gets an INVITE — and the
 * agent leaves by hanging up, which hangs up the customer still on the line. Before the agent
 * dials in, nothing is dialled at all.
 */
import t from 'tap';
import {
  answering,
  campaignWith,
  carrierTaking,
  entriesOf,
  invitesIn,
  switchCampaign,
} from '../support/campaign-floor.js';
import { agentWithPhone, carrier, dial, did, until } from '../support/floor.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedMessage } from '../support/ws-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LineChange {
  agentId: number;
  state: string;
  callId: string | null;
}
interface Attempt {
  campaignId: number;
  callId: string;
  phone: string;
  agentId: number | null;
  outcome?: string;
}

t.test('login mode: the agent on 990 takes customers with a tone and no ring', async (t) => {
  const server = await startTelephonyServer({ rtpPorts: 40 });
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const trunk = await carrier(server);
  const phoneNumberId = await did(server, '0312340000', { maxChannels: 0 });
  await carrierTaking((fn) => t.teardown(fn), trunk, { answer_delay: 300, hangup_after: 3000 });
  // The agent's registered phone answers anything it is sent: in login mode it must get nothing.
  const ringing = await answering((fn) => t.teardown(fn), op1);
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['campaigns']);
  t.teardown(() => feed.close());
  const ear = await rtpListener();
  t.teardown(() => ear.close());

  const token = server.adminToken;
  const customers = ['0311110001', '0311110002', '0377700003'];
  const campaignId = await campaignWith(
    server,
    {
      name: 'ログイン',
      type: 'progressive',
      agentMode: 'login',
      phoneNumberId,
      maxChannels: 1,
      dialTimeoutSeconds: 10,
      agentRingSeconds: 10,
    },
    [op1.agentId ?? 0],
    customers,
  );
  const entries = () => entriesOf(server, campaignId);
  const attempts = (name: string): Attempt[] =>
    feed.messages
      .filter((m: FeedMessage) => m.name === name)
      .map((m) => m.data as Attempt)
      .filter((a) => a.campaignId === campaignId);
  const lineStates = () =>
    feed.messages
      .filter((m) => m.name === 'line_changed')
      .map((m) => m.data as LineChange)
      .filter((c) => c.agentId === op1.agentId)
      .map((c) => c.state);

  await switchCampaign(server, campaignId, true);
  await sleep(3000);
  t.equal(attempts('attempt_dialing').length, 0, 'nobody on a line: nothing is dialled');
  t.ok(
    entries().every((e) => e.phase === 'idle' && e.result === 'waiting'),
    'every entry still 発信待機中',
  );

  // The agent dials 990 and stays on the line (the phone hangs up after `hold` ms).
  const line = await dial(server, op1, '990', 'caller.xml', {
    vars: { rtp_port: ear.port, hold: 30_000 },
    timeoutSeconds: 90,
  });
  await feed.waitFor(
    (m) => m.name === 'line_changed' && (m.data as LineChange).state === 'idle',
    15_000,
    'the line to open',
  );

  // The first customer is put through with a tone and no ring.
  await until(() => attempts('attempt_connected').length >= 1, 20_000, 'a customer connected');
  const first = attempts('attempt_connected')[0];
  t.equal(first?.phone, customers[0], 'the first entry first');
  t.equal(first?.agentId, op1.agentId, 'to the agent on the line');
  const when = (name: string, callId: string | undefined) => {
    const ts = feed.messages.find(
      (m) => m.name === name && (m.data as Attempt).callId === callId,
    )?.ts;
    return ts === undefined ? undefined : Date.parse(ts);
  };
  const answeredAt = when('attempt_answered', first?.callId);
  const connectedAt = when('attempt_connected', first?.callId);
  t.ok(
    answeredAt !== undefined && connectedAt !== undefined && connectedAt - answeredAt < 1500,
    `put through ${String((connectedAt ?? 0) - (answeredAt ?? 0))} ms after the customer answered`,
  );
  await sleep(1000);
  t.ok(
    ear.soundTimes().some((at) => at >= (answeredAt ?? 0) - 200),
    `the agent heard the tone (${ear.soundTimes().length} packets of sound)`,
  );

  // The second customer follows on the same line once the first hung up.
  await until(() => attempts('attempt_connected').length >= 2, 30_000, 'the second customer');
  t.equal(attempts('attempt_connected')[1]?.phone, customers[1], 'the second entry next');
  // The third (a customer who never hangs up) is on the line when the agent hangs up.
  await until(() => attempts('attempt_connected').length >= 3, 30_000, 'the third customer');
  const third = attempts('attempt_connected')[2];
  t.equal(third?.phone, customers[2], 'the third entry last');
  const lineRun = await line.done;
  t.equal(lineRun.code, 0, 'the agent’s line call ended cleanly (their BYE answered)');
  await feed.waitFor(
    (m) => m.name === 'line_changed' && (m.data as LineChange).state === 'closed',
    10_000,
    'the line to close',
  );
  await until(
    () => attempts('attempt_ended').some((a) => a.callId === third?.callId),
    10_000,
    'the third customer’s attempt to end',
  );
  await until(
    async () =>
      (await server.request('GET', '/api/v1/calls', { token })).json<{ items: unknown[] }>().items
        .length === 0,
    10_000,
    'no call left',
  );
  t.pass('the customer on the line was hung up with it');

  t.same(
    lineStates().slice(0, 4),
    ['idle', 'customer', 'wrap_up', 'idle'],
    'the line: idle, a customer, wrap-up, idle again',
  );
  t.equal(lineStates().at(-1), 'closed', 'and closed when the agent hung up');
  const byPhone = new Map(entries().map((e) => [e.phone, e]));
  for (const phone of customers) {
    t.equal(byPhone.get(phone)?.result, 'no_entry', `${phone}: talked to, 未入力`);
    t.equal(byPhone.get(phone)?.lastAgentId, op1.agentId, `${phone}: by op1`);
    t.equal(byPhone.get(phone)?.phase, 'idle', `${phone}: not in flight`);
  }
  const history = (await server.request('GET', '/api/v1/call-history?limit=20', { token })).json<{
    items: { toNumber: string; agentId: number | null; recordingName: string | null }[];
  }>();
  const rows = history.items.filter((r) => customers.includes(r.toNumber));
  t.equal(rows.length, 3, 'each customer is a call of their own in the history');
  t.ok(
    rows.every((r) => r.agentId === op1.agentId),
    'each with the agent',
  );
  t.notOk(
    history.items.some((r) => r.toNumber === '990'),
    'the line itself is not in the call history',
  );

  await switchCampaign(server, campaignId, false);
  ringing.kill();
  t.equal(invitesIn((await ringing.done).messages), 0, 'the agent’s phone was never rung');
});

t.test('990 is refused to an agent in no ログイン campaign', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op2 = await agentWithPhone(server, 'op2', '202');
  const run = await dial(server, op2, '990', 'caller-refused.xml', { timeoutSeconds: 30 });
  const result = await run.done;
  t.match(result.messages, /SIP\/2\.0 403 /, 'the phone is refused (403)');
});
