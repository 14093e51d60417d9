/**
 * Reservations and recalls over HTTP (§9-2, §7, §10-9): the 10分後 / 1時間後 / 1日後 buttons and an
 * explicit time against a fake clock; the reservation list with its search and bulk edit (all
 * or none); the agent's recall list (担当 = me, 発信待機中, by reservation) and its count pushed
 * as `recalls_changed` on the agent's own `me` topic, to that agent only; permissions.
 */
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import {
  client,
  engineSets,
  insertCampaign,
  ok,
  tokenOf,
  type Entry,
  type Res,
} from '../support/campaign-entries.js';
import { fakeClock } from '../support/fake-clock.js';
import { connectFeed } from '../support/ws-client.js';

interface ErrorBody {
  error: { code: string; details?: unknown };
}
type Tap = Parameters<Parameters<typeof t.test>[0]>[0];

function refused(t: Tap, res: Res, status: number, code: string, what: string) {
  t.equal(res.statusCode, status, `${what}: ${res.body}`);
  t.equal((res.json() as ErrorBody).error.code, code, what);
}

const START = new Date('2026-04-01T00:00:00Z');
const clock = fakeClock(START);
let app: TestApp;
let api: ReturnType<typeof client>;

t.before(async () => {
  app = await buildTestApp({ clock });
  api = client(app);
});
t.teardown(() => app.close());

const minutes = (n: number) => new Date(clock.now().getTime() + n * 60_000).toISOString();
const add = (campaignId: number, phone: string) =>
  ok<Entry>(api.post(`/campaigns/${campaignId}/entries`, { phone }), 201);

t.test('the reservation buttons count from now, by the clock', async (t) => {
  const c = insertCampaign(app, '予約ボタン');
  const entry = await add(c, '0300000001');
  engineSets(app, entry.id, { result: 'busy', callCount: 1 });

  const tenMinutes = await ok<Entry>(
    api.post(`/campaigns/entries/${entry.id}/reserve`, { in: '10m' }),
  );
  t.equal(tenMinutes.reservedAt, '2026-04-01T00:10:00.000Z');
  t.match(tenMinutes.result, { key: 'waiting', label: '発信待機中' }, 'to be dialled again');
  t.equal(
    (await ok<Entry>(api.post(`/campaigns/entries/${entry.id}/reserve`, { in: '1h' }))).reservedAt,
    '2026-04-01T01:00:00.000Z',
  );
  clock.advance(30 * 60_000);
  t.equal(
    (await ok<Entry>(api.post(`/campaigns/entries/${entry.id}/reserve`, { in: '1d' }))).reservedAt,
    '2026-04-02T00:30:00.000Z',
    'from the moved clock',
  );
  t.equal(
    (await ok<Entry>(api.post(`/campaigns/entries/${entry.id}/reserve`, { at: minutes(90) })))
      .reservedAt,
    '2026-04-01T02:00:00.000Z',
  );
  refused(
    t,
    await api.post(`/campaigns/entries/${entry.id}/reserve`, { at: minutes(-1) }),
    422,
    'reservation_in_past',
    'the past',
  );
  refused(
    t,
    await api.post(`/campaigns/entries/${entry.id}/reserve`, { in: '2w' }),
    400,
    'validation_failed',
    'no such button',
  );
  engineSets(app, entry.id, { phase: 'in_call' });
  refused(
    t,
    await api.post(`/campaigns/entries/${entry.id}/reserve`, { in: '10m' }),
    409,
    'entry_in_call',
    'in a call',
  );
  engineSets(app, entry.id, { phase: 'idle' });
});

t.test('the reservation list: soonest first, searched, bulk edited all or none', async (t) => {
  const x = insertCampaign(app, '予約X', [[1, '見込み']]);
  const y = insertCampaign(app, '予約Y');
  const late = await add(x, '0300000011');
  const soon = await add(x, '0300000012');
  const none = await add(x, '0300000013');
  const other = await add(y, '0300000014');
  await ok(api.patch(`/campaigns/entries/${late.id}`, { reservedAt: minutes(120) }));
  await ok(api.patch(`/campaigns/entries/${soon.id}`, { reservedAt: minutes(5), result: '1' }));
  await ok(api.patch(`/campaigns/entries/${other.id}`, { reservedAt: minutes(60) }));
  engineSets(app, late.id, { callCount: 3 });

  const list = (query: string) =>
    ok<{ items: Entry[]; total: number }>(api.get(`/reservations?${query}`));
  const byX = await list(`campaignId=${x}`);
  t.same(
    byX.items.map((e) => e.id),
    [soon.id, late.id],
    'only the reserved, soonest first',
  );
  t.notOk(byX.items.some((e) => e.id === none.id));
  t.same(
    (await list(`campaignId=${x}&results=1`)).items.map((e) => e.id),
    [soon.id],
  );
  t.same(
    (await list(`campaignId=${x}&results=waiting`)).items.map((e) => e.id),
    [late.id],
  );
  t.same(
    (await list(`campaignId=${x}&callCount=3`)).items.map((e) => e.id),
    [late.id],
  );
  t.same((await list(`callCountMin=1&campaignId=${y}`)).items, []);

  refused(
    t,
    await api.post('/reservations/bulk', {
      ids: [soon.id, late.id, 999_999],
      set: { reservedAt: null },
    }),
    422,
    'bulk_edit_refused',
    'one unknown id',
  );
  t.same(
    (await list(`campaignId=${x}`)).items.map((e) => e.id),
    [soon.id, late.id],
    'unchanged',
  );
  t.same(
    await ok(
      api.post('/reservations/bulk', {
        ids: [soon.id, late.id],
        set: { reservedAt: minutes(300), result: 'waiting' },
      }),
    ),
    { updated: 2 },
  );
  const moved = await list(`campaignId=${x}`);
  t.ok(
    moved.items.every((e) => e.reservedAt === minutes(300) && e.result.key === 'waiting'),
    'both moved',
  );
  await ok(api.post('/reservations/bulk', { ids: [soon.id], set: { reservedAt: null } }));
  t.same(
    (await list(`campaignId=${x}`)).items.map((e) => e.id),
    [late.id],
    'cleared: off the list',
  );

  await createAgent(app, { loginId: 'resv1' });
  const agent = client(app, await tokenOf(app, 'resv1'));
  t.equal((await agent.get('/reservations')).statusCode, 200, 'agents see the reservations');
  t.equal(
    (await agent.post('/reservations/bulk', { ids: [late.id], set: { reservedAt: null } }))
      .statusCode,
    403,
    'but may not bulk edit them',
  );
});

async function listening(app: TestApp): Promise<string> {
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

t.test('the recall list, and its count pushed to its agent alone', async (t) => {
  const r = insertCampaign(app, '再コール');
  const mine = await createAgent(app, { loginId: 'recall1' });
  const theirs = await createAgent(app, { loginId: 'recall2' });
  const mineToken = await tokenOf(app, 'recall1');
  const theirsToken = await tokenOf(app, 'recall2');
  const base = await listening(app);
  const feed = await connectFeed(base, mineToken);
  t.teardown(() => feed.close());
  const otherFeed = await connectFeed(base, theirsToken);
  t.teardown(() => otherFeed.close());
  for (const f of [feed, otherFeed]) {
    f.send({ type: 'subscribe', topics: ['me'] });
    await f.waitFor((m) => m.type === 'snapshot' && m.topic === 'me');
  }
  const recallEvents = (f: typeof feed) =>
    f.messages.filter((m) => m.type === 'event' && m.name === 'recalls_changed').map((m) => m.data);

  const later = await add(r, '0300000021');
  const sooner = await add(r, '0300000022');
  const unscheduled = await add(r, '0300000023');
  const done = await add(r, '0300000024');
  await ok(
    api.patch(`/campaigns/entries/${later.id}`, { assigneeId: mine, reservedAt: minutes(60) }),
  );
  await feed.waitFor(
    (m) => m.name === 'recalls_changed' && (m.data as { count: number }).count === 1,
    5000,
    'count 1',
  );
  await ok(
    api.post('/campaigns/entries/bulk', {
      ids: [sooner.id, unscheduled.id, done.id],
      set: { assigneeId: mine },
    }),
  );
  await feed.waitFor(
    (m) => m.name === 'recalls_changed' && (m.data as { count: number }).count === 4,
  );
  await ok(api.patch(`/campaigns/entries/${sooner.id}`, { reservedAt: minutes(10) }));
  await ok(api.patch(`/campaigns/entries/${done.id}`, { result: 'stopped' }));
  await feed.waitFor(
    (m) => m.name === 'recalls_changed' && (m.data as { count: number }).count === 3,
  );

  const recalls = await ok<{ items: Entry[]; count: number }>(
    client(app, mineToken).get('/me/recalls'),
  );
  t.equal(recalls.count, 3);
  t.same(
    recalls.items.map((e) => e.id),
    [sooner.id, later.id, unscheduled.id],
    'by reservation, the unscheduled last; not the stopped one',
  );
  t.match(recalls.items[0], { campaign: { name: '再コール' }, phone: '0300000022' });
  t.same((await ok<{ count: number }>(client(app, theirsToken).get('/me/recalls'))).count, 0);

  // No phone of mine is registered: I am offline, the 発信 is refused and the entry untouched.
  const offline = await client(app, mineToken).post(`/me/recalls/${sooner.id}/dial`);
  t.equal(offline.statusCode, 409, `an offline agent cannot dial a recall: ${offline.body}`);
  t.equal(offline.json<{ error: { code: string } }>().error.code, 'agent_offline');
  t.match(await ok<Entry>(api.get(`/campaigns/entries/${sooner.id}`)), {
    callCount: 0,
    status: 'waiting',
  });

  // The dialer changes an entry, then tells the service.
  engineSets(app, later.id, { result: 'busy', callCount: 1 });
  app.app.services.campaignEntries.recalls.changed(mine);
  await feed.waitFor(
    (m) => m.name === 'recalls_changed' && (m.data as { count: number }).count === 2,
  );

  // Handing one over tells both agents; the other never saw the first agent's counts.
  await ok(api.patch(`/campaigns/entries/${unscheduled.id}`, { assigneeId: theirs }));
  await otherFeed.waitFor((m) => m.name === 'recalls_changed');
  await feed.waitFor(
    (m) => m.name === 'recalls_changed' && (m.data as { count: number }).count === 1,
  );
  t.same(recallEvents(otherFeed), [{ count: 1 }], 'only their own count');
  t.same(
    recallEvents(feed),
    [{ count: 1 }, { count: 4 }, { count: 3 }, { count: 2 }, { count: 1 }],
    'each change once, no repeats of an unchanged count',
  );

  t.equal((await api.delete(`/campaigns/entries/${sooner.id}`)).statusCode, 204);
  await feed.waitFor(
    (m) => m.name === 'recalls_changed' && (m.data as { count: number }).count === 0,
  );
});

t.test('recall list permissions', async (t) => {
  const role = await ok<{ id: number }>(
    api.post('/roles', { name: '再コールなし', permissions: ['customers.view'] }),
    201,
  );
  await ok(
    api.post('/agents', {
      loginId: 'norecall',
      name: 'N',
      nickname: 'N',
      password: 'Secret123',
      roleId: role.id,
    }),
    201,
  );
  const res = await client(app, await tokenOf(app, 'norecall')).get('/me/recalls');
  t.equal(res.statusCode, 403, res.body);
});
