/**
 * Chat (§6-2) through the real application: posting to an agent, a group and everyone, the
 * permissions (chat.post, chat.alert, chat.view), bad input refused with nothing stored, the
 * history by day in the server's time zone, and the feed delivering each message to its
 * readers only.
 */
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { buildTestApp, createAgent, roleId, type TestApp } from '../support/app.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { connectFeed, subscribedFeed, type FeedClient } from '../support/ws-client.js';

interface Message {
  id: number;
  sentAt: string;
  from: { kind: string; id: number | null; name: string };
  to: { type: string; agentId?: number | null; groupId?: number | null; name?: string };
  body: string;
  bold: boolean;
  red: boolean;
  alert: boolean;
  links: {
    kind: string;
    id: number;
    text: string;
    start: number;
    end: number;
    label: string | null;
  }[];
}

interface Floor {
  app: TestApp;
  clock: FakeClock;
  ids: Record<string, number>;
  tokens: Record<string, string>;
  groupId: number;
  post(who: string, body: unknown): ReturnType<TestApp['request']>;
  /** The messages `who` reads on a day (all pages). */
  day(who: string, date?: string): Promise<Message[]>;
  /** Rows in the table, whoever may read them. */
  stored(): number;
}

/**
 * Agents op1–op3 and a supervisor sv1; a group サポート with op2 and sv1. The clock stands at
 * 23:59 on 2026-03-31 in Tokyo (the server's zone).
 */
async function chatFloor(t: Test): Promise<Floor> {
  const clock = fakeClock(new Date('2026-03-31T14:59:00Z'));
  // Tokens last a week: the history test moves the clock across days.
  const app = await buildTestApp({
    clock,
    env: { TIMEZONE: 'Asia/Tokyo', AUTH_TOKEN_TTL_MINUTES: '10080' },
  });
  t.teardown(app.close);
  const ids: Record<string, number> = {};
  const tokens: Record<string, string> = {};
  for (const [loginId, role] of [
    ['op1', 'agent'],
    ['op2', 'agent'],
    ['op3', 'agent'],
    ['sv1', 'supervisor'],
  ] as const) {
    ids[loginId] = await createAgent(app, { loginId, role, password: 'Secret123' });
    tokens[loginId] = ((await app.login(loginId, 'Secret123')).json() as { token: string }).token;
  }
  const group = await app.request('POST', '/api/v1/groups', {
    token: app.adminToken,
    body: { name: 'サポート', members: [{ agentId: ids.op2 }, { agentId: ids.sv1 }] },
  });
  t.equal(group.statusCode, 201);
  const groupId = (group.json() as { id: number }).id;
  return {
    app,
    clock,
    ids,
    tokens,
    groupId,
    post: (who, body) =>
      app.request('POST', '/api/v1/chat/messages', { token: tokens[who] ?? who, body }),
    async day(who, date) {
      const items: Message[] = [];
      for (;;) {
        const query = `limit=2&offset=${items.length}${date === undefined ? '' : `&date=${date}`}`;
        const res = await app.request('GET', `/api/v1/chat/messages?${query}`, {
          token: tokens[who] ?? who,
        });
        if (res.statusCode !== 200) throw new Error(`history: ${res.statusCode} ${res.body}`);
        const page = res.json() as { items: Message[]; total: number };
        items.push(...page.items);
        if (page.items.length === 0 || items.length >= page.total) return items;
      }
    },
    stored: () =>
      (
        app.database.sqlite.prepare('select count(*) as n from chat_messages').get() as {
          n: number;
        }
      ).n,
  };
}

async function listening(app: TestApp): Promise<string> {
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

t.test('a message to an agent, with its flags and its #C / #T links', async (t) => {
  const f = await chatFloor(t);
  const res = await f.post('op1', {
    to: { type: 'agent', agentId: f.ids.op2 },
    body: '  #C3開発代表 の件、（#T458）を見てください\n',
    bold: true,
    red: true,
  });
  t.equal(res.statusCode, 201, res.body);
  const message = res.json() as Message;
  t.match(message, {
    sentAt: '2026-03-31T14:59:00.000Z',
    from: { kind: 'agent', id: f.ids.op1, name: 'op1' },
    to: { type: 'agent', agentId: f.ids.op2, name: 'op2' },
    body: '#C3開発代表 の件、（#T458）を見てください',
    bold: true,
    red: true,
    alert: false,
  });
  t.same(message.links, [
    { kind: 'customer', id: 3, text: '#C3', start: 0, end: 3, label: null },
    { kind: 'case', id: 458, text: '#T458', start: 12, end: 17, label: null },
  ]);
  for (const link of message.links)
    t.equal(message.body.slice(link.start, link.end), link.text, 'the position is in the body');

  t.same(await f.day('op2'), [message], 'the addressee reads it, links and all');
  t.same(await f.day('op1'), [message], 'so does the sender');
  t.same(await f.day('op3'), [], 'another agent does not');
  t.same(await f.day('sv1'), [], 'nor a supervisor: it was not for them');
});

t.test('a message to a group reaches its members; one to everyone, everyone', async (t) => {
  const f = await chatFloor(t);
  const toGroup = (
    await f.post('op1', { to: { type: 'group', groupId: f.groupId }, body: 'group' })
  ).json() as Message;
  t.match(toGroup, { to: { type: 'group', groupId: f.groupId, name: 'サポート' }, links: [] });
  const toAll = (await f.post('op3', { to: { type: 'everyone' }, body: 'all' })).json() as Message;
  t.same(toAll.to, { type: 'everyone' });

  const bodies = async (who: string) => (await f.day(who)).map((m) => m.body);
  t.same(await bodies('op2'), ['group', 'all'], 'a member');
  t.same(await bodies('sv1'), ['group', 'all'], 'another member');
  t.same(await bodies('op1'), ['group', 'all'], 'the sender, not a member');
  t.same(await bodies('op3'), ['all'], 'not a member');

  // Membership is read when the history is: one who joins reads the group's messages.
  const join = await f.app.request('PUT', `/api/v1/groups/${f.groupId}/members/${f.ids.op3}`, {
    token: f.app.adminToken,
    body: { skillLevel: 1 },
  });
  t.equal(join.statusCode, 200);
  t.same(await bodies('op3'), ['group', 'all'], 'after joining the group');

  // An API key is no agent: it reads what went to everyone and what it sent.
  const key = (
    await f.app.request('POST', '/api/v1/api-keys', {
      token: f.app.adminToken,
      body: { name: 'crm', roleId: await roleId(f.app, 'agent') },
    })
  ).json() as { key: string; id: number };
  const fromKey = await f.post(key.key, { to: { type: 'agent', agentId: f.ids.op1 }, body: 'k' });
  t.equal(fromKey.statusCode, 201);
  t.match(fromKey.json(), { from: { kind: 'api_key', id: key.id, name: 'api_key:crm' } });
  t.same(await bodies(key.key), ['all', 'k']);
  t.same(await bodies('op1'), ['group', 'all', 'k'], 'its addressee reads it');
  t.same(await bodies('op2'), ['group', 'all']);
});

t.test('permissions: chat.post to post, chat.alert for an alert, chat.view to read', async (t) => {
  const f = await chatFloor(t);
  const makeRole = async (name: string, permissions: string[]) =>
    (
      (
        await f.app.request('POST', '/api/v1/roles', {
          token: f.app.adminToken,
          body: { name, permissions },
        })
      ).json() as { id: number }
    ).id;
  const asRole = async (loginId: string, permissions: string[]) => {
    const role = await makeRole(`role-${loginId}`, permissions);
    const id = await createAgent(f.app, { loginId, password: 'Secret123' });
    await f.app.request('PATCH', `/api/v1/agents/${id}`, {
      token: f.app.adminToken,
      body: { roleId: role },
    });
    return ((await f.app.login(loginId, 'Secret123')).json() as { token: string }).token;
  };
  const reader = await asRole('reader', ['chat.view']);
  const poster = await asRole('poster', ['chat.view', 'chat.post']);
  const none = await asRole('nochat', []);

  const everyone = { to: { type: 'everyone' }, body: 'hello' };
  const denied = await f.post(reader, everyone);
  t.equal(denied.statusCode, 403);
  t.match(denied.json(), {
    error: { code: 'permission_denied', details: { required: 'chat.post' } },
  });

  const alert = await f.post(poster, { ...everyone, alert: true });
  t.equal(alert.statusCode, 403, 'an alert without chat.alert');
  t.match(alert.json(), {
    error: { code: 'permission_denied', details: { required: 'chat.alert' } },
  });
  t.equal(f.stored(), 0, 'nothing stored');

  t.equal(
    (await f.post(poster, { ...everyone, bold: true, red: true })).statusCode,
    201,
    'bold and red need no more than chat.post',
  );
  const alerted = await f.post('op1', { ...everyone, alert: true });
  t.equal(alerted.statusCode, 201, 'the agent role has chat.alert');
  t.match(alerted.json(), { alert: true });

  t.equal((await f.app.request('GET', '/api/v1/chat/messages', { token: none })).statusCode, 403);
  t.equal((await f.day(reader)).length, 2, 'chat.view reads');
});

t.test('bad input: 400 / 422 with a clear code, nothing stored', async (t) => {
  const f = await chatFloor(t);
  const cases: [string, unknown, number, string][] = [
    ['empty body', { to: { type: 'everyone' }, body: '' }, 400, 'validation_failed'],
    ['blank body', { to: { type: 'everyone' }, body: ' \n\t ' }, 400, 'validation_failed'],
    ['no body', { to: { type: 'everyone' } }, 400, 'validation_failed'],
    ['too long', { to: { type: 'everyone' }, body: 'x'.repeat(2001) }, 400, 'validation_failed'],
    [
      'control characters',
      { to: { type: 'everyone' }, body: 'a\u0000b' },
      400,
      'validation_failed',
    ],
    ['a bidi override', { to: { type: 'everyone' }, body: 'a\u202eb' }, 400, 'validation_failed'],
    ['no addressee', { body: 'x' }, 400, 'validation_failed'],
    ['an unknown kind of addressee', { to: { type: 'room' }, body: 'x' }, 400, 'validation_failed'],
    ['an agent without an id', { to: { type: 'agent' }, body: 'x' }, 400, 'validation_failed'],
    ['an unknown agent', { to: { type: 'agent', agentId: 999 }, body: 'x' }, 422, 'unknown_agent'],
    ['an unknown group', { to: { type: 'group', groupId: 999 }, body: 'x' }, 422, 'unknown_group'],
  ];
  for (const [what, body, status, code] of cases) {
    const res = await f.post('op1', body);
    t.equal(res.statusCode, status, what);
    t.match(res.json(), { error: { code } }, what);
  }
  t.equal(f.stored(), 0, 'nothing was stored');
  t.equal(
    (await f.post('op1', { to: { type: 'everyone' }, body: 'x'.repeat(2000) })).statusCode,
    201,
    '2000 characters are fine',
  );

  for (const query of ['date=2026-3-31', 'date=2026-02-30', 'date=yesterday', 'limit=0']) {
    const res = await f.app.request('GET', `/api/v1/chat/messages?${query}`, {
      token: f.tokens.op1,
    });
    t.equal(res.statusCode, 400, query);
  }
});

t.test('history by day: calendar days in the server’s time zone', async (t) => {
  const f = await chatFloor(t);
  const send = async (body: string) => {
    const res = await f.post('op1', { to: { type: 'everyone' }, body });
    t.equal(res.statusCode, 201);
  };
  await send('before midnight 1'); // 23:59:00 in Tokyo, 2026-03-31
  f.clock.advance(59_999);
  await send('before midnight 2'); // 23:59:59.999
  f.clock.advance(1);
  await send('at midnight'); // 00:00 on 2026-04-01 in Tokyo, still 03-31 in UTC
  f.clock.advance(86_400_000);
  await send('the day after'); // 2026-04-02

  const bodies = async (date?: string) => (await f.day('op2', date)).map((m) => m.body);
  t.same(await bodies('2026-03-31'), ['before midnight 1', 'before midnight 2']);
  t.same(await bodies('2026-04-01'), ['at midnight']);
  t.same(await bodies('2026-04-02'), ['the day after']);
  t.same(await bodies(), ['the day after'], 'today when no date is given');
  t.same(await bodies('2026-03-30'), []);

  const page = await f.app.request(
    'GET',
    '/api/v1/chat/messages?date=2026-03-31&limit=1&offset=1',
    {
      token: f.tokens.op2,
    },
  );
  t.match(page.json(), { total: 2, items: [{ body: 'before midnight 2' }] }, 'paged');
});

t.test('the feed: each message to its readers only, and a snapshot of the latest', async (t) => {
  const f = await chatFloor(t);
  const before = await f.post('op1', {
    to: { type: 'agent', agentId: f.ids.op2 },
    body: 'earlier',
  });
  t.equal(before.statusCode, 201);
  const base = await listening(f.app);
  const feeds: Record<string, FeedClient> = {};
  for (const who of ['op1', 'op2', 'op3', 'sv1']) {
    feeds[who] = await subscribedFeed(base, f.tokens[who] ?? '', ['chat']);
  }
  t.teardown(() => Object.values(feeds).forEach((feed) => feed.close()));
  const snapshot = (who: string) =>
    (
      feeds[who]?.messages.find((m) => m.type === 'snapshot' && m.topic === 'chat')?.data as {
        messages: Message[];
      }
    ).messages.map((m) => m.body);
  t.same(snapshot('op2'), ['earlier'], 'the addressee’s snapshot has it');
  t.same(snapshot('op1'), ['earlier'], 'the sender’s too');
  t.same(snapshot('op3'), [], 'no one else’s');

  const posted = async (who: string, body: unknown) => {
    const res = await f.post(who, body);
    t.equal(res.statusCode, 201);
    return res.json() as Message;
  };
  const toAgent = await posted('op1', {
    to: { type: 'agent', agentId: f.ids.op2 },
    body: 'to op2',
    alert: true,
  });
  const toGroup = await posted('op3', {
    to: { type: 'group', groupId: f.groupId },
    body: 'to group',
  });
  const toAll = await posted('sv1', { to: { type: 'everyone' }, body: 'to all' });

  // Everyone gets the last one: once it is there, what came before it has come too.
  const received = async (who: string) => {
    const feed = feeds[who];
    if (feed === undefined) throw new Error(who);
    const last = await feed.waitFor(
      (m) => m.type === 'event' && (m.data as Message | undefined)?.id === toAll.id,
      10_000,
      `${who}: the message to everyone`,
    );
    t.match(last, { topic: 'chat', name: 'chat_message_posted' });
    return feed.messages
      .filter((m) => m.type === 'event' && m.name === 'chat_message_posted')
      .map((m) => (m.data as Message).body);
  };
  t.same(await received('op1'), ['to op2', 'to all'], 'op1: sent to op2, and everyone’s');
  t.same(await received('op2'), ['to op2', 'to group', 'to all'], 'op2: addressee and member');
  t.same(await received('op3'), ['to group', 'to all'], 'op3: its own, not a member');
  t.same(await received('sv1'), ['to group', 'to all'], 'sv1: a member');
  const event = feeds.op2?.messages.find(
    (m) => m.type === 'event' && (m.data as Message).id === toAgent.id,
  );
  t.same(event?.data, toAgent, 'the event carries the message as the API answered it');
  t.match(toGroup, { to: { type: 'group', groupId: f.groupId } });

  // Without chat.view there is no subscribing.
  const role = (
    await f.app.request('POST', '/api/v1/roles', {
      token: f.app.adminToken,
      body: { name: 'no chat', permissions: ['agents.view'] },
    })
  ).json() as { id: number };
  const key = (
    await f.app.request('POST', '/api/v1/api-keys', {
      token: f.app.adminToken,
      body: { name: 'nochat', roleId: role.id },
    })
  ).json() as { key: string };
  const refused = await connectFeed(base, key.key);
  refused.send({ type: 'subscribe', topics: ['chat'] });
  t.match(await refused.waitFor((m) => m.type === 'error'), {
    code: 'permission_denied',
    topic: 'chat',
  });
  refused.close();
});
