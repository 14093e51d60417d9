/**
 * Seat layouts (§10-7): CRUD, the atomic replacement of the items with every refused item
 * reported, who may see and change them, the seats' terminals and the agents on them (linked,
 * then hot-desk), seats removed with their terminal, and the `seat_layouts` topic.
 */
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { buildTestApp, createAgent, type TestApp } from '../support/app.js';
import { connectFeed, type FeedMessage } from '../support/ws-client.js';

interface Seat {
  kind: 'seat';
  terminalId: number;
  terminal: { id: number; sipUser: string; name: string; registered: boolean };
  agent: { id: number; name: string; nickname: string; extension: string | null } | null;
}
interface Layout {
  id: number;
  name: string;
  width: number;
  height: number;
  groupId: number | null;
  terminalCount: number;
  objectCount: number;
  updatedBy: string;
  items: ({ kind: string; x: number; y: number; label?: string } & Partial<Omit<Seat, 'kind'>>)[];
}
interface Issue {
  index: number;
  code: string;
  terminalId?: number;
}

const api = (app: TestApp, token = app.adminToken) => ({
  get: (url: string) => app.request('GET', `/api/v1${url}`, { token }),
  post: (url: string, body: unknown) => app.request('POST', `/api/v1${url}`, { token, body }),
  patch: (url: string, body: unknown) => app.request('PATCH', `/api/v1${url}`, { token, body }),
  put: (url: string, body: unknown) => app.request('PUT', `/api/v1${url}`, { token, body }),
  delete: (url: string) => app.request('DELETE', `/api/v1${url}`, { token }),
});

async function terminal(app: TestApp, sipUser: string, agentId?: number): Promise<number> {
  const res = await api(app).post('/terminals', {
    sipUser,
    name: `Desk ${sipUser}`,
    ...(agentId !== undefined && { agentId }),
  });
  if (res.statusCode !== 201) throw new Error(`terminal: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

const seat = (terminalId: number, x: number, y: number) => ({
  kind: 'seat',
  terminalId,
  x,
  y,
  width: 80,
  height: 60,
});

t.test('create, list, get, rename, resize and delete a layout', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const op1 = await createAgent(app, { loginId: 'op1', extension: '201' });
  const desk = await terminal(app, 'desk201', op1);
  const group = (await a.post('/groups', { name: '業務A' })).json() as { id: number };

  const created = await a.post('/seat-layouts', {
    name: 'オフィスA',
    width: 1200,
    height: 800,
    groupId: group.id,
    items: [
      seat(desk, 100, 100),
      { kind: 'wall', x: 0, y: 0, width: 1200, height: 10 },
      { kind: 'label', x: 500, y: 400, width: 120, height: 30, rotation: 90, label: '窓側' },
    ],
  });
  t.equal(created.statusCode, 201, created.body);
  const layout = created.json() as Layout;
  t.match(layout, {
    name: 'オフィスA',
    width: 1200,
    height: 800,
    groupId: group.id,
    terminalCount: 1,
    objectCount: 2,
    createdBy: 'admin',
    items: [
      {
        kind: 'seat',
        terminalId: desk,
        x: 100,
        y: 100,
        width: 80,
        height: 60,
        rotation: 0,
        terminal: { id: desk, sipUser: 'desk201', name: 'Desk desk201', registered: false },
        agent: { id: op1, nickname: 'op1', extension: '201' },
      },
      { kind: 'wall', x: 0, y: 0, width: 1200, height: 10, rotation: 0 },
      { kind: 'label', rotation: 90, label: '窓側' },
    ],
  });
  t.notOk('terminal' in (layout.items[1] ?? {}), 'an object has no terminal');

  t.equal(
    (await a.post('/seat-layouts', { name: 'オフィスA', width: 10, height: 10 })).statusCode,
    409,
  );
  const unknownGroup = await a.post('/seat-layouts', {
    name: 'B',
    width: 10,
    height: 10,
    groupId: 999,
  });
  t.equal(unknownGroup.statusCode, 422);
  t.match(unknownGroup.json(), { error: { code: 'unknown_group' } });
  const empty = await a.post('/seat-layouts', { name: 'B', width: 300, height: 200 });
  t.equal(empty.statusCode, 201);
  const b = empty.json() as Layout;
  t.match(b, { groupId: null, terminalCount: 0, objectCount: 0, items: [] });

  const list = (await a.get('/seat-layouts?limit=1')).json() as { items: Layout[]; total: number };
  t.equal(list.total, 2);
  t.match(list.items, [{ id: layout.id, name: 'オフィスA', terminalCount: 1, objectCount: 2 }]);
  t.notOk('items' in (list.items[0] ?? {}), 'the list has no items');
  t.same(
    ((await a.get('/seat-layouts?name=フィス')).json() as { items: Layout[] }).items.map(
      (l) => l.id,
    ),
    [layout.id],
  );
  t.same(
    ((await a.get(`/seat-layouts?groupId=${group.id}`)).json() as { items: Layout[] }).items.map(
      (l) => l.id,
    ),
    [layout.id],
  );
  t.match((await a.get(`/seat-layouts/${layout.id}`)).json(), { items: [{}, {}, {}] });

  const renamed = await a.patch(`/seat-layouts/${layout.id}`, {
    name: 'オフィス1F',
    groupId: null,
  });
  t.equal(renamed.statusCode, 200);
  t.match(renamed.json(), { name: 'オフィス1F', groupId: null, terminalCount: 1 });
  t.equal((await a.patch(`/seat-layouts/${b.id}`, { name: 'オフィス1F' })).statusCode, 409);
  t.equal((await a.patch(`/seat-layouts/${b.id}`, {})).statusCode, 400, 'nothing to change');

  // The wall spans the canvas; the label, turned upright, reaches y = 400 + 15 + 60 = 475.
  const shrunk = await a.patch(`/seat-layouts/${layout.id}`, { width: 1000, height: 470 });
  t.equal(shrunk.statusCode, 422);
  t.same(
    (shrunk.json() as { error: { details: Issue[] } }).error.details.map((d) => [d.index, d.code]),
    [
      [1, 'out_of_canvas'],
      [2, 'out_of_canvas'],
    ],
  );
  t.match((await a.get(`/seat-layouts/${layout.id}`)).json(), { width: 1200, height: 800 });
  const wider = await a.patch(`/seat-layouts/${layout.id}`, { width: 1600 });
  t.match(wider.json(), { width: 1600, height: 800, terminalCount: 1, objectCount: 2 });

  t.equal((await a.delete(`/seat-layouts/${layout.id}`)).statusCode, 204);
  t.equal((await a.get(`/seat-layouts/${layout.id}`)).statusCode, 404);
  t.equal((await a.get('/seat-layouts')).json<{ total: number }>().total, 1);
});

t.test('PUT items is all or nothing and reports every bad item', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  const t1 = await terminal(app, 'desk201');
  const t2 = await terminal(app, 'desk202');
  const layout = (
    await a.post('/seat-layouts', { name: 'F', width: 500, height: 400, items: [seat(t1, 0, 0)] })
  ).json() as Layout;
  const url = `/seat-layouts/${layout.id}/items`;

  const refused = await a.put(url, {
    items: [
      seat(t2, 10, 10),
      { kind: 'desk', x: 450, y: 10, width: 100, height: 50 },
      seat(9999, 100, 100),
      seat(t2, 200, 200),
      { kind: 'pillar', x: -5, y: 390, width: 20, height: 20 },
      seat(t1, 300, 300),
    ],
  });
  t.equal(refused.statusCode, 422);
  const error = (refused.json() as { error: { code: string; details: Issue[] } }).error;
  t.equal(error.code, 'invalid_items');
  t.same(
    error.details.map((d) => [d.index, d.code, d.terminalId]),
    [
      [1, 'out_of_canvas', undefined],
      [2, 'unknown_terminal', 9999],
      [3, 'terminal_placed_twice', t2],
      [4, 'out_of_canvas', undefined],
    ],
  );
  const unchanged = (await a.get(`/seat-layouts/${layout.id}`)).json() as Layout;
  t.match(unchanged.items, [{ kind: 'seat', terminalId: t1, x: 0, y: 0 }]);
  t.equal(unchanged.items.length, 1, 'nothing changed');

  // What breaks the schema is a 400 naming each bad field.
  const invalid = await a.put(url, {
    items: [
      { kind: 'wall', x: 1.5, y: 0, width: 10, height: 10 },
      seat(t1, 0, 0),
      { kind: 'label', x: 0, y: 0, width: 10, height: 10 },
      { kind: 'window', x: 0, y: 0, width: 10, height: 10 },
      { kind: 'desk', x: 0, y: 0, width: 0, height: 10, rotation: 360 },
    ],
  });
  t.equal(invalid.statusCode, 400);
  const paths = (invalid.json() as { error: { details: { path: string }[] } }).error.details.map(
    (d) => d.path,
  );
  for (const path of ['items.0.x', 'items.2.label', 'items.3', 'items.4.width', 'items.4.rotation'])
    t.ok(
      paths.some((p) => p === path || p.startsWith(`${path}.`)),
      `${path} reported (${paths.join(', ')})`,
    );
  t.notOk(
    paths.some((p) => p.startsWith('items.1')),
    'the good item is not',
  );
  t.equal(((await a.get(`/seat-layouts/${layout.id}`)).json() as Layout).items.length, 1);

  // Overlapping items are fine: a seat on a desk, a label on both.
  const replaced = await a.put(url, {
    items: [
      { kind: 'desk', x: 100, y: 100, width: 200, height: 100 },
      seat(t2, 110, 110),
      seat(t1, 200, 110),
      { kind: 'label', x: 100, y: 100, width: 200, height: 20, label: '島A' },
      // A square turned a quarter touching the canvas's corner stays within it.
      { kind: 'pillar', x: 480, y: 380, width: 20, height: 20, rotation: 90 },
    ],
  });
  t.equal(replaced.statusCode, 200, replaced.body);
  const after = replaced.json() as Layout;
  t.match(after, { terminalCount: 2, objectCount: 3 });
  t.same(
    after.items.map((i) => i.kind),
    ['desk', 'seat', 'seat', 'label', 'pillar'],
    'in drawing order',
  );
  t.same(
    after.items.flatMap((i) => (i.kind === 'seat' ? [i.terminalId] : [])),
    [t2, t1],
  );

  t.match((await a.put(url, { items: [] })).json(), {
    terminalCount: 0,
    objectCount: 0,
    items: [],
  });

  for (const res of [
    await a.get('/seat-layouts/999'),
    await a.patch('/seat-layouts/999', { name: 'x' }),
    await a.put('/seat-layouts/999/items', { items: [] }),
    await a.delete('/seat-layouts/999'),
  ]) {
    t.equal(res.statusCode, 404);
    t.same(res.json(), { error: { code: 'not_found', message: 'Seat layout not found' } });
  }
});

t.test('supervisors see and change layouts; agents get 403', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  await createAgent(app, { loginId: 'op1', password: 'Operator1' });
  await createAgent(app, { loginId: 'sv1', password: 'Supervisor1', role: 'supervisor' });
  const tokenOf = async (loginId: string, password: string) =>
    ((await app.login(loginId, password)).json() as { token: string }).token;
  const agent = api(app, await tokenOf('op1', 'Operator1'));
  const supervisor = api(app, await tokenOf('sv1', 'Supervisor1'));

  const created = await supervisor.post('/seat-layouts', { name: 'SV', width: 100, height: 100 });
  t.equal(created.statusCode, 201);
  const { id } = created.json() as Layout;
  t.equal((await supervisor.get('/seat-layouts')).statusCode, 200);
  t.match((await supervisor.get(`/seat-layouts/${id}`)).json(), { createdBy: 'sv1' });

  for (const res of [
    await agent.get('/seat-layouts'),
    await agent.get(`/seat-layouts/${id}`),
    await agent.post('/seat-layouts', { name: 'x', width: 10, height: 10 }),
    await agent.patch(`/seat-layouts/${id}`, { name: 'x' }),
    await agent.put(`/seat-layouts/${id}/items`, { items: [] }),
    await agent.delete(`/seat-layouts/${id}`),
  ]) {
    t.equal(res.statusCode, 403);
    t.match(res.json(), { error: { code: 'permission_denied' } });
  }
  t.equal((await supervisor.delete(`/seat-layouts/${id}`)).statusCode, 204);
});

t.test(
  'a seat shows the agent on its phone; deleting the terminal removes its seats',
  async (t) => {
    const app = await buildTestApp();
    t.teardown(app.close);
    const a = api(app);
    const op1 = await createAgent(app, { loginId: 'op1', extension: '201' });
    const op2 = await createAgent(app, { loginId: 'op2', extension: '202' });
    const linked = await terminal(app, 'desk201', op1);
    const free = await terminal(app, 'desk299');
    const layout = (
      await a.post('/seat-layouts', {
        name: 'F',
        width: 500,
        height: 400,
        items: [seat(linked, 0, 0), seat(free, 100, 0)],
      })
    ).json() as Layout;
    const other = (
      await a.post('/seat-layouts', {
        name: 'G',
        width: 500,
        height: 400,
        items: [seat(free, 0, 0)],
      })
    ).json() as Layout;
    const agentsOnSeats = async (id = layout.id) =>
      ((await a.get(`/seat-layouts/${id}`)).json() as Layout).items.map((i) => i.agent?.id ?? null);

    t.same(await agentsOnSeats(), [op1, null], 'the linked agent; none on a free phone');

    // op2 logs in on op1's phone by hot-desk (998), then on the free one.
    const terminals = app.app.services.terminals;
    terminals.hotDeskLogin(linked, op2);
    t.same(await agentsOnSeats(), [op2, null], 'the hot-desk agent before the linked one');
    terminals.hotDeskLogin(free, op2);
    t.same(await agentsOnSeats(), [op1, op2], 'moving on releases the first phone');
    t.same(await agentsOnSeats(other.id), [op2], 'in every layout the terminal sits in');
    terminals.hotDeskLogout(free);
    t.same(await agentsOnSeats(), [op1, null]);

    t.equal((await a.delete(`/terminals/${free}`)).statusCode, 204);
    const after = (await a.get(`/seat-layouts/${layout.id}`)).json() as Layout;
    t.match(after, { terminalCount: 1, items: [{ terminalId: linked }] });
    t.equal(after.items.length, 1);
    t.match((await a.get(`/seat-layouts/${other.id}`)).json(), { terminalCount: 0, items: [] });

    // Deleting the layout leaves the terminals alone.
    t.equal((await a.delete(`/seat-layouts/${layout.id}`)).statusCode, 204);
    t.equal((await a.get(`/terminals/${linked}`)).statusCode, 200);
  },
);

t.test('the seat_layouts topic: a snapshot, then layout_changed for every change', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const a = api(app);
  await createAgent(app, { loginId: 'op1', password: 'Operator1' });
  const first = (
    await a.post('/seat-layouts', { name: 'F', width: 500, height: 400 })
  ).json() as Layout;

  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const feed = await connectFeed(base, app.adminToken);
  t.teardown(() => feed.close());
  feed.send({ type: 'subscribe', topics: ['seat_layouts'] });
  const snapshot = await feed.waitFor((m) => m.type === 'snapshot');
  t.match(snapshot.data, { layouts: [{ id: first.id, name: 'F', terminalCount: 0 }] });

  const second = (
    await a.post('/seat-layouts', { name: 'G', width: 50, height: 40 })
  ).json() as Layout;
  await a.patch(`/seat-layouts/${first.id}`, { name: 'F2' });
  await a.put(`/seat-layouts/${first.id}/items`, {
    items: [{ kind: 'wall', x: 0, y: 0, width: 10, height: 10 }],
  });
  await a.delete(`/seat-layouts/${second.id}`);
  const changes: FeedMessage[] = [];
  for (let n = 0; n < 4; n += 1) {
    const event = await feed.waitFor(
      (m) => m.type === 'event' && m.name === 'layout_changed' && !changes.includes(m),
    );
    changes.push(event);
  }
  t.same(
    changes.map((m) => {
      const data = m.data as { layoutId: number; change: string; layout: { name: string } };
      return [data.layoutId, data.change, data.layout.name];
    }),
    [
      [second.id, 'created', 'G'],
      [first.id, 'updated', 'F2'],
      [first.id, 'items_replaced', 'F2'],
      [second.id, 'deleted', 'G'],
    ],
  );
  t.match(changes[2]?.data, { layout: { objectCount: 1 } });

  const agentToken = ((await app.login('op1', 'Operator1')).json() as { token: string }).token;
  const agentFeed = await connectFeed(base, agentToken);
  t.teardown(() => agentFeed.close());
  agentFeed.send({ type: 'subscribe', topics: ['seat_layouts'] });
  t.match(await agentFeed.waitFor((m) => m.type === 'error'), {
    code: 'permission_denied',
    topic: 'seat_layouts',
  });
});
