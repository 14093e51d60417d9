/**
 * With a database file, reports, exports and history searches run in the read worker: the same
 * answers as counted directly, an export of many pages in order, errors as HTTP errors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { HttpError } from '../../src/platform/http/errors.js';
import { createReadPool } from '../../src/platform/db/read-pool.js';
import { createLogger } from '../../src/platform/logger.js';
import { readPrograms } from '../../src/read-programs.js';
import { groupReport } from '../../src/queues/group-report.js';
import type { QueueEvent } from '../../src/queues/model.js';
import { buildTestApp } from '../support/app.js';

t.test('a file database: reports come from the read worker, equal to a direct count', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-reads-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const app = await buildTestApp({ env: { DATABASE_PATH: join(dir, 'cc.db') } });
  t.teardown(app.close);
  const { queueLog, groups } = app.app.services;
  const group = groups.create({ name: 'G', extension: '801' }, 'test');
  const start = Date.parse('2026-03-02T00:00:00Z');
  const events: QueueEvent[] = [];
  // 12,000 events over two days: the export takes three pages.
  for (let i = 0; i < 4000; i++) {
    const at = (s: number) => new Date(start + i * 40_000 + s * 1000);
    const callId = `call-${i}`;
    const wait = String(i % 45);
    events.push(
      {
        at: at(0),
        callId,
        groupId: group.id,
        agentId: null,
        event: 'ENTERQUEUE',
        data: ['', '0312345678', '1'],
      },
      i % 5 === 0
        ? {
            at: at(i % 45),
            callId,
            groupId: group.id,
            agentId: null,
            event: 'ABANDON',
            data: ['1', '1', wait],
          }
        : {
            at: at(i % 45),
            callId,
            groupId: group.id,
            agentId: 1 + (i % 3),
            event: 'CONNECT',
            data: [wait, 'c', '2'],
          },
      {
        at: at(60),
        callId,
        groupId: group.id,
        agentId: 1,
        event: 'COMPLETECALLER',
        data: [wait, String(i % 700), '1'],
      },
    );
  }
  for (const e of events) queueLog.append(e);

  const get = (url: string) => app.request('GET', `/api/v1${url}`, { token: app.adminToken });
  for (const breakdown of ['date', 'hour', 'agent', 'talk_duration'] as const) {
    const res = await get(
      `/stats/groups?from=2026-03-02&to=2026-03-03&breakdown=${breakdown}&tz=UTC`,
    );
    t.equal(res.statusCode, 200);
    const expected = groupReport(events, {
      breakdown,
      from: new Date('2026-03-02T00:00:00Z'),
      to: new Date('2026-03-04T00:00:00Z'),
      timeZone: 'UTC',
    });
    // Agent rows are labelled by name: agent 1 is the administrator, 2 and 3 never existed.
    const label = (key: string) => ({ '1': 'Admin', '2': '#2', '3': '#3' })[key] ?? key;
    if (breakdown === 'agent')
      expected.rows = expected.rows.map((r) => ({ ...r, key: label(r.key) }));
    t.same(res.json(), expected, `by ${breakdown}`);
  }

  const json = await get('/queue-log?from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z');
  t.equal(json.statusCode, 200);
  t.match(json.headers['content-type'], /^application\/json/);
  const items = (json.json() as { items: { callId: string; event: string; at: string }[] }).items;
  t.equal(items.length, 12_000, 'every event, across pages');
  const sorted = [...items].sort((a, b) => a.at.localeCompare(b.at));
  t.same(
    items.map((e) => e.at),
    sorted.map((e) => e.at),
    'oldest first',
  );
  const text = await get(
    '/queue-log?from=2026-03-01T00:00:00Z&to=2026-03-05T00:00:00Z&format=queue_log',
  );
  t.match(text.headers['content-type'], /^text\/plain/);
  const lines = text.body.split('\n').filter((l) => l !== '');
  t.equal(lines.length, 12_000);
  t.match(lines[0], /^\d+\|call-0\|801\|NONE\|ENTERQUEUE\|/);

  const history = await get('/call-history?limit=5');
  t.equal(history.statusCode, 200, 'the history search runs there too');
  t.same(history.json(), { items: [], total: 0 });
});

t.test('the read worker reports a program’s HTTP error as that error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-reads-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const app = await buildTestApp({ env: { DATABASE_PATH: join(dir, 'cc.db') } });
  t.teardown(app.close);
  const pool = createReadPool({
    path: join(dir, 'cc.db'),
    db: app.database.db,
    programs: {
      ...readPrograms,
      failing: () => {
        throw new HttpError(422, 'nope', 'Not like this', { why: 'test' });
      },
    },
    workerUrl: new URL('../../src/read-worker.ts', import.meta.url),
    log: createLogger('silent'),
  });
  t.teardown(() => pool.close());
  // The worker knows only the registry's programs: a missing one is a plain error.
  await t.rejects(pool.run('failing', undefined as never), /no read program failing/);
  const page = await pool.run('historySearch', {
    filter: { limit: 1, offset: 0 },
    scope: { all: true },
  });
  t.same(page, { items: [], total: 0 });
});
