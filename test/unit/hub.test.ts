import t from 'tap';
import { createHub, type HubEvent } from '../../src/platform/realtime/hub.js';

t.test('events are numbered and reach every listener, even after one throws', async (t) => {
  const hub = createHub(() => new Date('2026-01-01T00:00:00Z'));
  const seen: HubEvent[] = [];
  hub.subscribe(() => {
    throw new Error('broken listener');
  });
  hub.subscribe((e) => seen.push(e));
  t.equal(hub.lastSeq(), 0);
  hub.publish('system', 'a', { n: 1 });
  hub.publish('system', 'b', { n: 2 });
  t.same(
    seen.map((e) => [e.seq, e.name, e.ts]),
    [
      [1, 'a', '2026-01-01T00:00:00.000Z'],
      [2, 'b', '2026-01-01T00:00:00.000Z'],
    ],
  );
  t.equal(hub.lastSeq(), 2);
});

t.test('topics are defined once', async (t) => {
  const hub = createHub();
  hub.defineTopic('x', { canSubscribe: () => true, snapshot: () => ({}) });
  t.throws(() => hub.defineTopic('x', { canSubscribe: () => true, snapshot: () => ({}) }));
  t.same(hub.topics(), ['x']);
  t.equal(hub.topic('y'), undefined);
});
