import { writeFileSync } from 'node:fs';
/**
 * Transfers survive `kill -9` of the server: the managed Asterisk keeps the customer on hold and
 * the agent talking with the recipient, or the recipient's phone ringing; the restarted server
 * finds each transfer by the customer's CC_TRANSFER tag and goes on from there — completing a
 * consultation hands the customer over, a recipient answering after the restart gets the
 * customer (blind) or the agent (attended).
 */
import t from 'tap';
import {
  agentWithPhone,
  answer,
  dial,
  until,
  type FloorServer,
  type Phone,
} from '../support/floor.js';
import { firstServerProcess, readyServer, startServerProcess } from '../support/process.js';
import { subscribedFeed } from '../support/ws-client.js';

interface LiveCall {
  id: string;
  legs: { terminal: string | null; state: string }[];
}

const liveCalls = async (api: FloorServer): Promise<LiveCall[]> =>
  (
    (await api.request('GET', '/api/v1/calls', { token: api.adminToken })).json() as {
      items: LiveCall[];
    }
  ).items;

t.test('kill -9 during a consultation: the transfer is still there and completes', async (t) => {
  const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn));
  const op1 = await agentWithPhone(server, 'op1', '201');
  const op2 = await agentWithPhone(server, 'op2', '202');
  const op3 = await agentWithPhone(server, 'op3', '203');
  const feed = await subscribedFeed(environment.url, server.adminToken, ['calls']);
  t.teardown(() => feed.close());

  // op1 calls op2 (the party transferred), then keys #9 203 #: op3 answers, op1 and op3 talk.
  const customer = await answer(op2, 'phone-answer.xml', { timeoutSeconds: 120 });
  const recipient = await answer(op3, 'phone-answer.xml', { timeoutSeconds: 120 });
  const initiator = await dial(server, op1, '202', 'caller.xml', {
    vars: { dtmf: '#9203#', dtmf_mode: 'info', dtmf_delay: 1000, dtmf_gap: 250, hold: 60_000 },
    timeoutSeconds: 120,
  });
  const answered = await feed.waitFor((m) => m.name === 'transfer_answered', 15_000);
  const { id } = answered.data as { id: string };
  feed.close();

  first.child.kill('SIGKILL');
  await first.exited;
  const second = startServerProcess(environment.env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const again = await readyServer(environment, 'the restarted server');

  const status = await again.request('GET', `/api/v1/transfers/${id}`, {
    token: again.adminToken,
  });
  t.equal(status.statusCode, 200, 'the transfer is known again');
  t.match(status.json(), { status: 'answered', mode: 'attended', to: '203' });
  const [before] = await liveCalls(again);
  t.same(
    before?.legs
      .filter((l) => l.state === 'up')
      .map((l) => l.terminal)
      .sort(),
    ['desk201', 'desk202', 'desk203'],
    'the call has its three parties',
  );

  const done = await again.request('POST', `/api/v1/transfers/${id}/complete`, {
    token: again.adminToken,
  });
  t.equal(done.statusCode, 200);
  await until(
    async () => {
      const [call] = await liveCalls(again);
      const up = call?.legs.filter((l) => l.state === 'up').map((l) => l.terminal) ?? [];
      return up.length === 2 && up.includes('desk202') && up.includes('desk203');
    },
    10_000,
    'op2 and op3 to be connected',
  );
  t.match((await initiator.done).messages, /BYE sip:/, 'op1 was let go');

  const [call] = await liveCalls(again);
  const hung = await again.request('POST', `/api/v1/calls/${call?.id ?? ''}/hangup`, {
    token: again.adminToken,
  });
  t.equal(hung.statusCode, 204);
  const customerRun = await customer.done;
  t.equal(customerRun.code, 0, 'op2, on hold across the crash, got the BYE');
  if (customerRun.code !== 0)
    t.comment(customerRun.errors.slice(-3000), customerRun.output.slice(-2000));
  t.equal((await recipient.done).code, 0, 'op3 too');

  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
});

interface Phones {
  terminal: string | null;
  state: string;
}
const upTerminals = (call: { legs: Phones[] } | undefined) =>
  call?.legs
    .filter((l) => l.state === 'up')
    .map((l) => l.terminal)
    .sort() ?? [];

t.test('kill -9 while the recipients ring: both transfers go on when they answer', async (t) => {
  const { environment, first, server } = await firstServerProcess((fn) => t.teardown(fn), {
    CALL_RING_SECONDS: '60',
    LOG_LEVEL: 'info',
  });
  const op = await Promise.all(
    ['201', '202', '203', '204', '205', '206'].map((ext, i) =>
      agentWithPhone(server, `op${i + 1}`, ext),
    ),
  );
  const [op1, op2, op3, op4, op5, op6] = op as [Phone, Phone, Phone, Phone, Phone, Phone];
  const feed = await subscribedFeed(environment.url, server.adminToken, ['calls']);
  t.teardown(() => feed.close());

  // op1 talks with op2 and keys #9 203 #; op4 talks with op5 and keys #8 206 #. op3 and op6
  // ring for 12 s before they answer: the server is killed and restarted meanwhile.
  const keys = (dtmf: string, hold: number) => ({
    vars: { dtmf, dtmf_mode: 'info', dtmf_delay: 1000, dtmf_gap: 250, hold },
    timeoutSeconds: 120,
  });
  const ringing = { vars: { answer_delay: 12_000 }, timeoutSeconds: 120 };
  const customerA = await answer(op2, 'phone-answer.xml', { timeoutSeconds: 120 });
  const recipientA = await answer(op3, 'phone-answer.xml', ringing);
  const customerB = await answer(op5, 'phone-answer.xml', { timeoutSeconds: 120 });
  const recipientB = await answer(op6, 'phone-answer.xml', ringing);
  const initiatorA = await dial(server, op1, '202', 'caller.xml', keys('#9203#', 90_000));
  const initiatorB = await dial(server, op4, '205', 'caller.xml', keys('#8206#', 90_000));
  const created = async (to: string) =>
    (
      (
        await feed.waitFor(
          (m) => m.name === 'transfer_created' && (m.data as { to: string }).to === to,
          15_000,
        )
      ).data as { id: string }
    ).id;
  const attended = await created('203');
  const blind = await created('206');
  await until(
    async () =>
      (await liveCalls(server)).filter((c) =>
        c.legs.some(
          (l) => l.state === 'ringing' && ['desk203', 'desk206'].includes(l.terminal ?? ''),
        ),
      ).length === 2,
    10_000,
    'op3 and op6 to ring',
  );
  feed.close();
  const killedAt = Date.now();

  first.child.kill('SIGKILL');
  await first.exited;
  const second = startServerProcess(environment.env);
  t.teardown(() => second.child.kill('SIGKILL'));
  const again = await readyServer(environment, 'the restarted server');
  t.comment(`restarted in ${Date.now() - killedAt} ms`);
  t.teardown(() => {
    writeFileSync('/tmp/tr-first.log', first.stdout());
    writeFileSync('/tmp/tr-second.log', second.stdout());
  });
  const feedAgain = await subscribedFeed(environment.url, again.adminToken, ['calls']);
  t.teardown(() => feedAgain.close());

  const statusOf = async (id: string) =>
    (await again.request('GET', `/api/v1/transfers/${id}`, { token: again.adminToken })).json() as {
      status: string;
      mode: string;
    };
  t.match(await statusOf(attended), { status: 'ringing', mode: 'attended' }, 'attended, ringing');
  t.match(await statusOf(blind), { status: 'ringing', mode: 'blind' }, 'blind, ringing');
  t.ok(Date.now() - killedAt < 15_000, 'taken back before the recipients answer');

  // op3 answers: op1 consults them, then completes.
  await feedAgain.waitFor(
    (m) => m.name === 'transfer_answered' && (m.data as { id: string }).id === attended,
    30_000,
  );
  const done = await again.request('POST', `/api/v1/transfers/${attended}/complete`, {
    token: again.adminToken,
  });
  t.equal(done.statusCode, 200);
  // op6 answers: the customer is theirs.
  await feedAgain.waitFor(
    (m) => m.name === 'transfer_completed' && (m.data as { id: string }).id === blind,
    30_000,
  );
  await until(
    async () => {
      const calls = (await liveCalls(again)).map(upTerminals).map((up) => up.join());
      return calls.includes('desk202,desk203') && calls.includes('desk205,desk206');
    },
    10_000,
    'op2 with op3, op5 with op6',
  );
  t.pass('op2 is op3’s, op5 is op6’s');
  t.match((await initiatorA.done).messages, /BYE sip:/, 'op1 was let go');
  t.equal((await initiatorB.done).code, 0, 'op4 was let go at the transfer');

  for (const call of await liveCalls(again)) {
    const hung = await again.request('POST', `/api/v1/calls/${call.id}/hangup`, {
      token: again.adminToken,
    });
    t.equal(hung.statusCode, 204);
  }
  for (const [name, run] of [
    ['op2', customerA],
    ['op3', recipientA],
    ['op5', customerB],
    ['op6', recipientB],
  ] as const) {
    const result = await run.done;
    t.equal(result.code, 0, `${name} got the BYE`);
    if (result.code !== 0) t.comment(result.messages.slice(-3000));
  }

  second.child.kill('SIGTERM');
  t.equal(await second.exited, 0);
});
