/**
 * The waiting line (pure but for the clock): places by arrival — a customer transferred to the
 * group keeps their original arrival — while the wait and the timeout count from the entry; and
 * the CC_QUEUE tag that carries both across a restart.
 */
import t from 'tap';
import type { Call, Leg } from '../../src/calls/model.js';
import type { WaitingMedia } from '../../src/calls/waiting-media.js';
import { parseQueueTag, queueTag } from '../../src/queues/readoption.js';
import { createWaitingLine, newWaiting } from '../../src/queues/waiting-line.js';
import { fakeClock } from '../support/fake-clock.js';

const media: WaitingMedia = {
  start: async () => undefined,
  hold: async () => undefined,
  resume: () => undefined,
  stop: async () => undefined,
};

function waiting(id: string, enteredAt: Date, arrivedAt?: Date) {
  return newWaiting({
    call: { id, from: { number: id, name: '' } } as unknown as Call,
    caller: {} as Leg,
    groupId: 1,
    enteredAt,
    ...(arrivedAt !== undefined && { arrivedAt }),
    originalPosition: 1,
    ready: true,
    media,
  });
}

t.test('a transferred customer takes their place by arrival, waits from entry', async (t) => {
  const clock = fakeClock(new Date('2026-12-01T01:00:00Z'));
  const line = createWaitingLine(clock);
  const at = (s: number) => new Date(clock.now().getTime() + s * 1000);
  const expired: string[] = [];
  const early = waiting('early', at(0));
  line.join(early, 60, () => expired.push('early'));
  clock.advance(30_000);
  const late = waiting('late', at(0));
  line.join(late, 60, () => expired.push('late'));
  clock.advance(10_000);
  // Called 5 minutes ago, talked to an agent, transferred here now.
  const transferred = waiting('transferred', at(0), at(-300));
  line.join(transferred, 60, () => expired.push('transferred'));
  t.same(
    line.of(1).map((w) => w.call.id),
    ['transferred', 'early', 'late'],
    'ahead of those who called after them',
  );
  const view = line.view(1, null, 1);
  t.match(view[0], { callId: 'transferred', position: 1, waitedSeconds: 0 });
  t.equal(view[0]?.arrivedAt.toISOString(), '2026-12-01T00:55:40.000Z');
  t.match(view[1], { callId: 'early', position: 2, waitedSeconds: 40 });
  clock.advance(20_000);
  t.same(expired, ['early'], 'the group’s timeout counts from the entry, not the arrival');
  clock.advance(40_000);
  t.same(expired, ['early', 'late', 'transferred']);
});

t.test('two arriving in the same instant keep the order they came in', async (t) => {
  const clock = fakeClock();
  const line = createWaitingLine(clock);
  const now = clock.now();
  line.join(waiting('first', now), 0, () => undefined);
  line.join(waiting('second', now), 0, () => undefined);
  t.same(
    line.of(1).map((w) => w.call.id),
    ['first', 'second'],
  );
});

t.test('the queue tag carries the arrival; an earlier release’s tag has none', async (t) => {
  const tag = {
    groupId: 3,
    enteredAt: new Date(1_800_000_000_000),
    originalPosition: 2,
    arrivedAt: new Date(1_799_999_700_000),
  };
  t.equal(queueTag(tag), '3:1800000000000:2:1799999700000');
  t.same(parseQueueTag(queueTag(tag)), tag);
  t.same(parseQueueTag('3:1800000000000:2'), { ...tag, arrivedAt: tag.enteredAt });
  t.equal(parseQueueTag('3:x:2'), undefined);
  t.equal(parseQueueTag('3'), undefined);
});
