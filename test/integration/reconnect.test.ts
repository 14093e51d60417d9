/**
 * The links to Asterisk heal themselves: kill -9 the managed Asterisk mid-life, and the server
 * says so (/readyz 503 with the reason, a `system` event), restarts it, reconnects ARI and AMI,
 * and says so again (/readyz 200, a `system` event) — without anybody touching it.
 */
import t from 'tap';
import { subscribedFeed } from '../support/ws-client.js';
import { startTelephonyServer } from '../support/telephony.js';

interface ConnectionStatus {
  ari: string;
  ami: string;
  process?: string;
  reason?: string;
}

t.test('ARI and AMI reconnect after the managed Asterisk is killed', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['system']);
  t.teardown(() => feed.close());
  const snapshot = await feed.waitFor((m) => m.type === 'snapshot');
  t.match(snapshot.data, {
    asterisk: { mode: 'managed', ari: 'connected', ami: 'connected', process: 'running' },
  });

  const pid = server.asterisk.managed?.pid();
  t.ok(pid, 'the managed Asterisk has a pid');
  if (pid === undefined) return;
  process.kill(pid, 'SIGKILL');

  await server.waitReady(503, 15_000);
  const down = await fetch(`${server.baseUrl}/readyz`);
  const downBody = (await down.json()) as { ready: boolean; reason?: string };
  t.equal(downBody.ready, false);
  t.match(downBody.reason, /ARI|AMI/, `the reason is given: ${downBody.reason ?? ''}`);
  const lost = await feed.waitFor(
    (m) =>
      m.name === 'asterisk_connection_changed' && (m.data as ConnectionStatus).ari !== 'connected',
    15_000,
    'a system event saying ARI is down',
  );
  t.ok(lost.seq !== undefined && snapshot.seq !== undefined && lost.seq > snapshot.seq);

  await server.waitReady(200, 60_000);
  const up = (await (await fetch(`${server.baseUrl}/readyz`)).json()) as {
    ready: boolean;
    asterisk: ConnectionStatus;
  };
  t.same(
    up.asterisk,
    { mode: 'managed', ari: 'connected', ami: 'connected', process: 'running' },
    'healthy, no stale reason',
  );
  const newPid = server.asterisk.managed?.pid();
  t.ok(newPid !== undefined && newPid !== pid, `a new Asterisk runs (pid ${String(newPid)})`);
  await feed.waitFor(
    (m) =>
      m.name === 'asterisk_connection_changed' &&
      (m.data as ConnectionStatus).ari === 'connected' &&
      (m.data as ConnectionStatus).ami === 'connected' &&
      (m.seq ?? 0) > (lost.seq ?? 0),
    30_000,
    'a system event saying both links are back',
  );

  // The links really work again: ARI answers a request and AMI an action.
  const info = await server.asterisk.ari.asterisk.info();
  t.match(info.system?.version, /^22\.|^16\./, `Asterisk ${info.system?.version ?? '?'}`);
  const ping = await server.asterisk.ami.action({ Action: 'Ping' });
  t.equal(ping.response.response, 'Success');
});

t.test(
  'AMI list actions return their events (EventList aggregation, our own ActionIDs)',
  async (t) => {
    const server = await startTelephonyServer();
    t.teardown(server.stop);
    const [a, b] = await Promise.all([
      server.asterisk.ami.action({ Action: 'CoreShowChannels' }, { eventList: true }),
      server.asterisk.ami.action({ Action: 'CoreSettings' }),
    ]);
    t.equal(a.response.eventlist, 'start');
    t.same(a.events, [], 'no channels, and the Complete event is not among the items');
    t.match(b.response.asteriskversion, /^\d+\./);
    t.not(a.response.actionid, b.response.actionid);
    const rejected = server.asterisk.ami.action({ Action: 'NoSuchAction' });
    await t.rejects(rejected, /AMI NoSuchAction/);
  },
);
