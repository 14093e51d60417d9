/** The WebSocket feed: auth, subscribe → snapshot → events, filtering, ping, slow and revoked clients. */
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket } from 'ws';
import { buildTestApp, createAgent, roleId, type TestApp } from '../support/app.js';
import { fakeClock } from '../support/fake-clock.js';
import { connectFeed, type FeedClient } from '../support/ws-client.js';

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

t.test('every client gets each event of a burst as it was published, once, in order', async (t) => {
  // The feed makes an event's text once for all its clients: each must still get its own event.
  const app = await buildTestApp();
  t.teardown(app.close);
  const base = await listening(app);
  await createAgent(app, { loginId: 'op1', password: 'Operator1' });
  const agentToken = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
  const feeds = await Promise.all([
    connectFeed(base, app.adminToken),
    connectFeed(base, agentToken),
    connectFeed(base, app.adminToken),
  ]);
  t.teardown(() => feeds.forEach((f) => f.close()));
  for (const feed of feeds) {
    feed.send({ type: 'subscribe', topics: ['system'] });
    await feed.waitFor((m) => m.type === 'snapshot');
  }
  const published = [
    app.hub.publish('system', 'first', { n: 1 }),
    app.hub.publish('system', 'supervisors_only', { n: 2 }, (p) =>
      p.permissions.has('agents.view'),
    ),
    app.hub.publish('system', 'third', { n: 3 }),
    app.hub.publish('system', 'fourth', { n: 4 }),
  ];
  const expected = (forAgent: boolean) =>
    published
      .filter((e) => !forAgent || e.name !== 'supervisors_only')
      .map(({ topic, name, data, ts, seq }) => ({ type: 'event', topic, name, data, ts, seq }));
  for (const [i, feed] of feeds.entries()) {
    await feed.waitFor((m) => m.name === 'fourth');
    t.same(
      feed.messages.filter((m) => m.type === 'event'),
      expected(i === 1),
      `client ${i + 1}`,
    );
  }
});

const SESSION_ENDED = { code: 4001, reason: 'session ended' };

/** How the feed closed within a few seconds, or 'still open'. */
function closedSoon(feed: FeedClient): Promise<{ code: number; reason: string } | 'still open'> {
  return Promise.race([
    feed.closed,
    new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 5000)),
  ]);
}

t.test('whatever ends a session closes its feed at once, not at the next keep-alive', async (t) => {
  // The default keep-alive (30 s) is far longer than any of these waits.
  const app = await buildTestApp();
  t.teardown(app.close);
  const base = await listening(app);
  const api = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
    app.request(method, `/api/v1${url}`, { token: app.adminToken, body });
  const session = async (loginId: string) => {
    const token = ((await app.login(loginId, 'Operator1')).json() as { token: string }).token;
    return { token, feed: await connectFeed(base, token) };
  };
  const ids: Record<string, number> = {};
  for (const loginId of ['op1', 'op2', 'op3', 'op4', 'op5', 'op6']) {
    ids[loginId] = await createAgent(app, { loginId, password: 'Operator1' });
  }

  const loggedOut = await session('op1');
  await app.request('POST', '/api/v1/auth/logout', { token: loggedOut.token });
  t.same(await closedSoon(loggedOut.feed), SESSION_ENDED, 'logout');

  const forced = await session('op2');
  t.equal((await api('POST', `/agents/${ids.op2}/logout`)).statusCode, 200);
  t.same(await closedSoon(forced.feed), SESSION_ENDED, 'forced logout');

  const mine = await session('op3');
  const other = await session('op3');
  const changed = await app.request('PUT', '/api/v1/me/password', {
    token: mine.token,
    body: { currentPassword: 'Operator1', newPassword: 'Operator2' },
  });
  t.equal(changed.statusCode, 204);
  t.same(await closedSoon(other.feed), SESSION_ENDED, 'my password change ends my other sessions');
  mine.feed.send({ type: 'ping' });
  t.ok(await mine.feed.waitFor((m) => m.type === 'pong'), 'but not the one that changed it');
  mine.feed.close();

  const reset = await session('op4');
  t.equal((await api('PATCH', `/agents/${ids.op4}`, { password: 'Operator9' })).statusCode, 200);
  t.same(await closedSoon(reset.feed), SESSION_ENDED, 'an administrator sets a new password');

  const locked = await session('op5');
  t.equal((await api('PATCH', `/agents/${ids.op5}`, { locked: true })).statusCode, 200);
  t.same(await closedSoon(locked.feed), SESSION_ENDED, 'an administrator locks the account');

  const deleted = await session('op6');
  t.equal((await api('DELETE', `/agents/${ids.op6}`)).statusCode, 204);
  t.same(await closedSoon(deleted.feed), SESSION_ENDED, 'the account is deleted');

  const key = (
    await api('POST', '/api-keys', { name: 'wallboard', roleId: await roleId(app, 'supervisor') })
  ).json() as { id: number; key: string };
  const keyFeed = await connectFeed(base, key.key);
  t.equal((await api('DELETE', `/api-keys/${key.id}`)).statusCode, 204);
  t.same(await closedSoon(keyFeed), SESSION_ENDED, 'the API key is deleted');
});

t.test('a feed closes when its token expires', async (t) => {
  const clock = fakeClock(new Date());
  const app = await buildTestApp({ clock, env: { AUTH_TOKEN_TTL_MINUTES: '30' } });
  t.teardown(app.close);
  const base = await listening(app);
  const feed = await connectFeed(base, app.adminToken);
  feed.send({ type: 'ping' });
  await feed.waitFor((m) => m.type === 'pong');
  clock.advance(30 * 60_000 - 1);
  feed.send({ type: 'ping' });
  await feed.waitFor((m) => m.type === 'pong' && feed.messages.length === 2);
  clock.advance(1);
  t.same(await closedSoon(feed), SESSION_ENDED);
});

t.test('a role change re-filters what an open feed receives', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const base = await listening(app);
  const id = await createAgent(app, { loginId: 'sv1', password: 'Operator1', role: 'supervisor' });
  const token = ((await app.login('sv1', 'Operator1')).json() as { token: string }).token;
  const feed = await connectFeed(base, token);
  feed.send({ type: 'subscribe', topics: ['groups', 'system'] });
  await feed.waitFor((m) => m.type === 'snapshot' && m.topic === 'groups');
  await feed.waitFor((m) => m.type === 'snapshot' && m.topic === 'system');
  const forSupervisors = (name: string) =>
    app.hub.publish('system', name, {}, (p) => p.permissions.has('realtime.view'));
  forSupervisors('seen_as_supervisor');
  await feed.waitFor((m) => m.name === 'seen_as_supervisor');

  const demoted = await app.request('PATCH', `/api/v1/agents/${id}`, {
    token: app.adminToken,
    body: { roleId: await roleId(app, 'agent') },
  });
  t.equal(demoted.statusCode, 200);
  t.match(await feed.waitFor((m) => m.type === 'unsubscribed'), {
    topic: 'groups',
    reason: 'permission_denied',
  });
  forSupervisors('seen_as_agent');
  app.hub.publish('system', 'for_everyone', {});
  await feed.waitFor((m) => m.name === 'for_everyone');
  t.notOk(
    feed.messages.some((m) => m.name === 'seen_as_agent'),
    'events for supervisors stop at once',
  );
  feed.send({ type: 'subscribe', topics: ['groups'] });
  t.match(await feed.waitFor((m) => m.type === 'error'), {
    code: 'permission_denied',
    topic: 'groups',
  });

  // Editing a role's permissions reaches its holders' feeds the same way.
  const custom = await app.request('POST', '/api/v1/roles', {
    token: app.adminToken,
    body: { name: 'Wallboard', permissions: ['realtime.view'] },
  });
  const customId = (custom.json() as { id: number }).id;
  await app.request('PATCH', `/api/v1/agents/${id}`, {
    token: app.adminToken,
    body: { roleId: customId },
  });
  feed.send({ type: 'subscribe', topics: ['groups'] });
  await feed.waitFor((m) => m.type === 'snapshot' && m.topic === 'groups' && m.seq !== undefined);
  t.equal(
    (
      await app.request('PATCH', `/api/v1/roles/${customId}`, {
        token: app.adminToken,
        body: { permissions: ['agents.view'] },
      })
    ).statusCode,
    200,
  );
  await feed.waitFor(
    (m) =>
      m.type === 'unsubscribed' &&
      feed.messages.filter((x) => x.type === 'unsubscribed').length === 2,
  );
  feed.close();
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
