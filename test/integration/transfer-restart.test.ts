/**
 * An attended transfer in consultation survives `kill -9` of the server: the managed Asterisk
 * keeps the customer on hold and the agent talking with the recipient; the restarted server finds
 * the transfer by the customer's CC_TRANSFER tag, and completing it then hands the customer over.
 */
import t from 'tap';
import { agentWithPhone, answer, dial, until, type FloorServer } from '../support/floor.js';
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
