/** The WebSocket feed: auth, subscribe → snapshot → events, filtering, ping, slow and revoked clients. */
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket } from 'ws';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import { connectFeed } from '../support/ws-client.js';

async function listening(app: TestApp): Promise<string> {
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

t.test('a token is required to open the feed', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const base = await listening(app);
  await t.rejects(connectFeed(base, 'ccs_bogus'), /HTTP 401/);
  const anonymous = new WebSocket(`${base.replace('http', 'ws')}/api/v1/ws`);
  const status = await new Promise<number | undefined>((resolve) =>
    anonymous.once('unexpected-response', (req, res) => {
      req.destroy();
      resolve(res.statusCode);
    }),
  );
  t.equal(status, 401);
});

t.test(
  'subscribe gives a snapshot, then numbered events; topics and messages are checked',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const base = await listening(app);
    const feed = await connectFeed(base, app.adminToken, 'query');
    t.teardown(() => feed.close());

    feed.send({ type: 'subscribe', topics: ['system', 'nonsense'] });
    const snapshot = await feed.waitFor((m) => m.type === 'snapshot' && m.topic === 'system');
    t.match(snapshot.data, {
      asterisk: { mode: 'external', ari: 'disconnected', ami: 'disconnected' },
    });
    t.match(await feed.waitFor((m) => m.type === 'error'), {
      code: 'unknown_topic',
      topic: 'nonsense',
    });

    const published = app.hub.publish('system', 'asterisk_connection_changed', {
      ari: 'connected',
    });
    const event = await feed.waitFor((m) => m.type === 'event');
    t.match(event, {
      topic: 'system',
      name: 'asterisk_connection_changed',
      seq: published.seq,
      data: { ari: 'connected' },
    });
    t.ok(
      event.seq !== undefined && snapshot.seq !== undefined && event.seq > snapshot.seq,
      'events follow the snapshot',
    );

    feed.send({ type: 'ping' });
    t.ok(await feed.waitFor((m) => m.type === 'pong'));
    feed.send({ type: 'dance' });
    t.match(await feed.waitFor((m) => m.type === 'error' && m.code === 'invalid_message'), {
      code: 'invalid_message',
    });

    feed.send({ type: 'unsubscribe', topics: ['system'] });
    feed.send({ type: 'ping' });
    await feed.waitFor(
      (m) => m.type === 'pong' && feed.messages.filter((x) => x.type === 'pong').length === 2,
    );
    app.hub.publish('system', 'after_unsubscribe', {});
    feed.send({ type: 'ping' });
    await feed.waitFor(
      (m) => m.type === 'pong' && feed.messages.filter((x) => x.type === 'pong').length === 3,
    );
    t.notOk(
      feed.messages.some((m) => m.name === 'after_unsubscribe'),
      'no events after unsubscribing',
    );
  },
);

t.test('events narrowed to an audience reach only that audience', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const base = await listening(app);
  const agentId = await createAgent(app, { loginId: 'op1', password: 'Operator1' });
  const agentToken = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
  const admin = await connectFeed(base, app.adminToken);
  const agent = await connectFeed(base, agentToken);
  t.teardown(() => {
    admin.close();
    agent.close();
  });
  for (const feed of [admin, agent]) {
    feed.send({ type: 'subscribe', topics: ['system'] });
    await feed.waitFor((m) => m.type === 'snapshot');
  }
  app.hub.publish('system', 'for_supervisors', {}, (p) => p.permissions.has('agents.view'));
  app.hub.publish('system', 'for_the_agent', {}, (p) => p.kind === 'agent' && p.id === agentId);
  await admin.waitFor((m) => m.name === 'for_supervisors');
  await agent.waitFor((m) => m.name === 'for_the_agent');
  admin.send({ type: 'ping' });
  agent.send({ type: 'ping' });
  await admin.waitFor((m) => m.type === 'pong');
  await agent.waitFor((m) => m.type === 'pong');
  t.notOk(admin.messages.some((m) => m.name === 'for_the_agent'));
  t.notOk(agent.messages.some((m) => m.name === 'for_supervisors'));
});

t.test('a forced logout closes the agent’s feed at the next keep-alive', async (t) => {
  const app = await buildTestApp({ realtime: { keepAliveMs: 100 } });
  t.teardown(app.close);
  const base = await listening(app);
  const agentId = await createAgent(app, { loginId: 'op1', password: 'Operator1' });
  const token = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
  const feed = await connectFeed(base, token);
  const forced = await app.request('POST', `/api/v1/agents/${agentId}/logout`, {
    token: app.adminToken,
  });
  t.equal(forced.statusCode, 200);
  t.same(await feed.closed, { code: 4001, reason: 'session ended' });
});

t.test(
  'a client that stops reading is dropped instead of growing the server’s memory',
  async (t) => {
    const app = await buildTestApp({ realtime: { maxBufferedBytes: 64 * 1024 } });
    t.teardown(app.close);
    const base = await listening(app);
    const feed = await connectFeed(base, app.adminToken);
    feed.send({ type: 'subscribe', topics: ['system'] });
    await feed.waitFor((m) => m.type === 'snapshot');

    // The client stops reading; the server keeps publishing 100 kB events.
    // ws keeps the TCP socket in _socket; pausing it stops reading at the transport.
    const tcp = (feed.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    tcp.pause();
    const payload = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 400; i++) {
      app.hub.publish('system', 'bulk', { i, payload });
      await new Promise((r) => setImmediate(r));
    }
    tcp.resume();
    const closed = await feed.closed;
    t.equal(closed.code, 4008);
    t.equal(closed.reason, 'slow consumer');
    t.ok(feed.messages.filter((m) => m.name === 'bulk').length < 400, 'not everything was queued');
  },
);
