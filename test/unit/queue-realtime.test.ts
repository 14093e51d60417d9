/**
 * Realtime queue statistics with a fake clock: the counters are a fold of today's queue events,
 * pushed (batched) when an event is logged, and reset at midnight in the configured time zone.
 * A real SQLite database holds the groups and the log; the ACD and agent status are stand-ins
 * (no calls wait, every member is available).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { AgentStatusService } from '../../src/agents/status-service.js';
import { createExtensionRegistry } from '../../src/dialplan/extensions.js';
import { migrateDatabase, openDatabase } from '../../src/platform/db/client.js';
import { createHub, type HubEvent } from '../../src/platform/realtime/hub.js';
import type { Acd } from '../../src/queues/acd.js';
import { createGroupsService } from '../../src/queues/groups-service.js';
import { countersSince } from '../../src/queues/group-stats.js';
import { createQueueLog } from '../../src/queues/queue-log.js';
import { createRealtimeStats } from '../../src/queues/realtime.js';
import { fakeClock } from '../support/fake-clock.js';

t.test('counters fold today’s events, are pushed on change and reset at midnight', async (t) => {
  const database = openDatabase(join(mkdtempSync(join(tmpdir(), 'cc-rt-')), 'cc.db'));
  t.teardown(() => database.close());
  migrateDatabase(database);
  const db = database.db;
  // 23:58 in Tokyo (UTC+9).
  const clock = fakeClock(new Date('2026-04-01T14:58:00Z'));
  const hub = createHub(() => clock.now());
  const pushed: HubEvent[] = [];
  hub.subscribe((e) => pushed.push(e));
  const queueLog = createQueueLog(db, clock);
  const groups = createGroupsService(db, clock, createExtensionRegistry(), queueLog);
  const group = groups.create({ name: 'G', serviceLevelSeconds: 10 }, 'test');
  // An event of yesterday does not count today.
  queueLog.append({
    at: new Date('2026-03-31T10:00:00Z'),
    callId: 'old',
    groupId: group.id,
    agentId: null,
    event: 'ABANDON',
    data: ['1', '1', '5'],
  });
  const acd = { waiting: () => [], onChange: () => () => undefined } as unknown as Acd;
  const agentStatus = {
    get: () => ({ status: 'available' }),
    onChange: () => () => undefined,
  } as unknown as AgentStatusService;
  const stats = createRealtimeStats({
    hub,
    clock,
    timeZone: 'Asia/Tokyo',
    groups,
    acd,
    queueLog,
    rollups: { countersSince: (from) => countersSince(db, from) },
    agentStatus,
  });
  t.teardown(() => stats.stop());

  const row = () => stats.snapshot().groups[0];
  t.match(row(), { calls: 0, abandoned: 0, answerRate: null });
  t.equal(row()?.since.toISOString(), '2026-03-31T15:00:00.000Z', 'since midnight in Tokyo');

  const event = (callId: string, name: 'CONNECT' | 'ABANDON', wait: number) =>
    queueLog.append({
      callId,
      groupId: group.id,
      agentId: name === 'CONNECT' ? 1 : null,
      event: name,
      data: name === 'CONNECT' ? [String(wait), 'ch', '1'] : ['1', '1', String(wait)],
    });
  event('a', 'CONNECT', 4);
  event('b', 'CONNECT', 30);
  event('c', 'ABANDON', 12);
  t.match(row(), {
    calls: 3,
    answered: 2,
    abandoned: 1,
    answerRate: 66.67,
    serviceLevel: 33.33,
    maxAnswerSeconds: 30,
  });

  // The three events are pushed together once the batching delay has passed.
  t.equal(pushed.filter((e) => e.name === 'queue_stats').length, 0, 'not before the delay');
  clock.advance(60);
  const pushes = pushed.filter((e) => e.name === 'queue_stats');
  t.equal(pushes.length, 1, 'one push for the burst');
  t.match(pushes[0]?.data, { groups: [{ groupId: group.id, answered: 2 }], all: { answered: 2 } });

  // Midnight in Tokyo: a new day, counters from zero, and everyone told.
  clock.advance(2 * 60_000);
  t.match(row(), { calls: 0, answered: 0, abandoned: 0 });
  t.equal(row()?.since.toISOString(), '2026-04-01T15:00:00.000Z');
  clock.advance(60);
  t.match(pushed.filter((e) => e.name === 'queue_stats').at(-1)?.data, {
    groups: [{ groupId: group.id, answered: 0 }],
  });
  event('d', 'CONNECT', 2);
  t.match(row(), { calls: 1, answered: 1, serviceLevel: 100 });
});
