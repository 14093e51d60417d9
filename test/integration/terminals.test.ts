/**
 * Terminals provisioned from SQLite into a real Asterisk: created over REST, a SIPp phone
 * registers with the returned digest credentials, a wrong password is refused, deletion
 * unregisters it, and a reconnect re-pushes everything and removes what we no longer have.
 */
import t from 'tap';
import { createAgent } from '../support/app.js';
import { freePortBlock } from '../support/ports.js';
import { runSipp, sippOk } from '../support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed } from '../support/ws-client.js';

interface Terminal {
  id: number;
  sipUser: string;
  registered: boolean;
  contacts: { uri: string; state: string }[];
  secret?: string;
}

async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function getTerminal(server: TelephonyServer, id: number): Promise<Terminal> {
  return (
    await server.request('GET', `/api/v1/terminals/${id}`, { token: server.adminToken })
  ).json() as Terminal;
}

t.test('a terminal created over REST registers with its digest credentials', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const agentId = await createAgent(server, { loginId: 'op1', extension: '201' });
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['agents']);
  t.teardown(() => feed.close());

  const created = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { sipUser: 'desk201', name: 'Desk phone 201', agentId },
  });
  t.equal(created.statusCode, 201);
  const terminal = created.json() as Terminal;
  t.match(terminal.secret, /^\S{20}$/, 'a generated secret, shown once');
  t.equal(terminal.registered, false);
  const secret = terminal.secret ?? '';

  const again = await server.request('GET', `/api/v1/terminals/${terminal.id}`, {
    token: server.adminToken,
  });
  t.notOk(again.body.includes(secret), 'never shown again');
  const list = await server.request('GET', '/api/v1/terminals', { token: server.adminToken });
  t.notOk(list.body.includes(secret));

  const [port] = [await freePortBlock(2)];
  const wrong = await (
    await runSipp('phone-register.xml', {
      remote: server.sip.address,
      localPort: port + 1,
      service: 'desk201',
      authPassword: 'not-the-secret',
      timeoutSeconds: 10,
    })
  ).done;
  t.not(wrong.code, 0, 'a wrong password is refused');
  t.equal((await getTerminal(server, terminal.id)).registered, false);

  const ok = await sippOk('phone-register.xml', {
    remote: server.sip.address,
    localPort: port,
    service: 'desk201',
    authPassword: secret,
  });
  t.match(ok.messages, /SIP\/2\.0 401[\s\S]*SIP\/2\.0 200 OK/, 'challenged, then accepted');
  const registered = await eventually(
    async () => {
      const now = await getTerminal(server, terminal.id);
      return now.registered ? now : undefined;
    },
    5000,
    'the terminal to show as registered',
  );
  t.match(registered.contacts[0]?.uri, `:${port}`);
  const event = await feed.waitFor((m) => m.name === 'terminal_registration_changed', 5000);
  t.match(event.data, { sipUser: 'desk201', agentId, registered: true });
  // The agent was offline (no registered terminal) and is now available, as the feed says.
  const online = await feed.waitFor(
    (m) =>
      m.name === 'agent_status_changed' && (m.data as { status: string }).status === 'available',
    5000,
    'the agent to become available',
  );
  t.match(online.data, {
    agentId,
    status: 'available',
    previousStatus: 'offline',
    registered: true,
  });
  const snapshot = feed.messages.find((m) => m.type === 'snapshot' && m.topic === 'agents');
  t.match(
    snapshot?.data,
    { agents: [{}, { agentId, status: 'offline', registered: false }] },
    'offline before',
  );

  // Deleting the terminal: Asterisk forgets it, the registration is gone, re-registering fails.
  t.equal(
    (
      await server.request('DELETE', `/api/v1/terminals/${terminal.id}`, {
        token: server.adminToken,
      })
    ).statusCode,
    204,
  );
  await feed.waitFor(
    (m) =>
      m.name === 'terminal_registration_changed' && !(m.data as { registered: boolean }).registered,
    5000,
  );
  await feed.waitFor(
    (m) => m.name === 'agent_status_changed' && (m.data as { status: string }).status === 'offline',
    5000,
    'the agent to go offline',
  );
  const afterDelete = await (
    await runSipp('phone-register.xml', {
      remote: server.sip.address,
      localPort: port,
      service: 'desk201',
      authPassword: secret,
      timeoutSeconds: 10,
    })
  ).done;
  t.not(afterDelete.code, 0, 'the deleted terminal cannot register');
  const endpoints = await server.asterisk.ari.endpoints.list('PJSIP');
  t.notOk(
    endpoints.some((e) => e.resource === 'desk201'),
    'Asterisk no longer has the endpoint',
  );
});

t.test('a new secret is pushed at once; invalid terminals are refused', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const created = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { sipUser: 'soft1', name: 'Softphone', secret: 'first-secret-123' },
  });
  const { id } = created.json() as Terminal;
  const port = await freePortBlock(1);
  await sippOk('phone-register.xml', {
    remote: server.sip.address,
    localPort: port,
    service: 'soft1',
    authPassword: 'first-secret-123',
  });

  const regenerated = await server.request('PATCH', `/api/v1/terminals/${id}`, {
    token: server.adminToken,
    body: { regenerateSecret: true },
  });
  const newSecret = (regenerated.json() as Terminal).secret ?? '';
  t.ok(newSecret.length >= 20 && newSecret !== 'first-secret-123', 'a new secret, shown once');
  const old = await (
    await runSipp('phone-register.xml', {
      remote: server.sip.address,
      localPort: port,
      service: 'soft1',
      authPassword: 'first-secret-123',
      timeoutSeconds: 10,
    })
  ).done;
  t.not(old.code, 0, 'the old secret no longer works');
  await sippOk('phone-register.xml', {
    remote: server.sip.address,
    localPort: port,
    service: 'soft1',
    authPassword: newSecret,
  });

  const dup = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { sipUser: 'soft1', name: 'x' },
  });
  t.equal(dup.statusCode, 409);
  const badId = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { sipUser: 'no spaces', name: 'x' },
  });
  t.equal(badId.statusCode, 400);
  const weak = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { name: 'x', secret: 'short' },
  });
  t.equal(weak.statusCode, 400);
  const noAgent = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { name: 'x', agentId: 999 },
  });
  t.equal(noAgent.statusCode, 422);
  const count = (
    await server.request('GET', '/api/v1/terminals', { token: server.adminToken })
  ).json() as { total: number };
  t.equal(count.total, 1, 'refused requests changed nothing');
});

t.test('after Asterisk restarts, terminals are pushed again and strangers removed', async (t) => {
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const created = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { sipUser: 'keep1', name: 'Keep', secret: 'keep-secret-123' },
  });
  t.equal(created.statusCode, 201);
  // An endpoint we do not have, e.g. left from an earlier configuration.
  await server.asterisk.ari.asterisk.putObject('res_pjsip', 'endpoint', 'ghost1', {
    context: 'from-phones',
  });

  const pid = server.asterisk.managed?.pid();
  if (pid === undefined) throw new Error('no managed Asterisk');
  process.kill(pid, 'SIGKILL');
  await server.waitReady(503, 15_000);
  await server.waitReady(200, 60_000);

  const endpoints = await eventually(
    async () => {
      const list = await server.asterisk.ari.endpoints.list('PJSIP');
      return list.some((e) => e.resource === 'keep1') ? list : undefined;
    },
    10_000,
    'keep1 to be pushed again',
  );
  t.notOk(
    endpoints.some((e) => e.resource === 'ghost1'),
    'the stranger is gone',
  );
  const port = await freePortBlock(1);
  await sippOk('phone-register.xml', {
    remote: server.sip.address,
    localPort: port,
    service: 'keep1',
    authPassword: 'keep-secret-123',
  });
  t.pass('the re-pushed terminal registers');

  // A stranger pushed while we are connected is removed at the next resync.
  await server.asterisk.ari.asterisk.putObject('res_pjsip', 'endpoint', 'ghost2', {
    context: 'from-phones',
  });
  const { removed } = await server.provisioner.resync();
  t.equal(removed, 1);
});
