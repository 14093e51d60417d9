/**
 * The digit reader on a leg outside any bridge, on a fake clock and a fake engine: the prompt is
 * stopped by the first key, the pauses run on the clock, keys between two reads are kept for the
 * next one, the `#` after a complete PIN is dropped, a hang-up ends the read.
 */
import t from 'tap';
import type { AriEvent } from '../../src/platform/asterisk/ari-types.js';
import { createDigitReaders, type DigitInput } from '../../src/calls/digit-reader.js';
import type { Call, Leg } from '../../src/calls/model.js';
import { fakeClock } from '../support/fake-clock.js';

const PIN = { maxDigits: 4, terminator: '#', firstDigitMs: 10_000, interDigitMs: 5_000 };
const leg = { channelId: 'chan-1' } as Leg;
const call = { id: 'call-1' } as Call;

function rig() {
  const clock = fakeClock();
  const events = new Set<(e: AriEvent) => void>();
  const playing = new Map<string, () => void>();
  const played: string[] = [];
  const stopped: string[] = [];
  let listener: ((digit: string) => void) | null = null;
  const readers = createDigitReaders({
    clock,
    ari: {
      onEvent(l) {
        events.add(l);
        return () => events.delete(l);
      },
      playbacks: {
        async stop(id) {
          stopped.push(id);
          playing.get(id)?.();
        },
      },
    },
    engine: {
      listenDigits(_call, _leg, l) {
        listener = l;
        return () => {
          if (listener === l) listener = null;
        };
      },
      playToEnd(_channel, media, id) {
        played.push(media);
        return new Promise<void>((resolve) =>
          playing.set(id, () => {
            playing.delete(id);
            resolve();
          }),
        );
      },
    },
  });
  const tick = () => new Promise<void>((r) => setImmediate(r));
  return {
    clock,
    played,
    stopped,
    reader: readers.open(call, leg),
    listening: () => listener !== null,
    async keys(digits: string) {
      for (const d of digits) listener?.(d);
      await tick();
    },
    /** The prompt playing now finishes by itself. */
    async promptDone() {
      for (const done of [...playing.values()]) done();
      await tick();
    },
    async hangUp() {
      const event = {
        type: 'ChannelDestroyed',
        channel: { id: leg.channelId },
        cause: 16,
        cause_txt: 'Normal Clearing',
      } as unknown as AriEvent;
      for (const l of events) l(event);
      await tick();
    },
    tick,
  };
}

/** Resolves to the input, or 'pending' if the read has not ended yet. */
function watch(read: Promise<DigitInput>) {
  let result: DigitInput | 'pending' = 'pending';
  void read.then((r) => (result = r));
  return () => result;
}

t.test('the prompt plays and the first key stops it; four digits end the read', async (t) => {
  const r = rig();
  const result = watch(r.reader.read(PIN, 'sound:agent-pass'));
  await r.tick();
  t.same(r.played, ['sound:agent-pass']);
  await r.keys('1');
  t.equal(r.stopped.length, 1, 'the prompt is stopped at the first key (barge-in)');
  await r.keys('234');
  t.same(result(), { digits: '1234', end: 'max_digits' });
});

t.test('the first key is waited for 10 s after the prompt, the next ones 5 s', async (t) => {
  const r = rig();
  const first = watch(r.reader.read(PIN, 'sound:agent-pass'));
  await r.tick();
  r.clock.advance(60_000);
  await r.tick();
  t.equal(first(), 'pending', 'no timeout while the prompt plays');
  await r.promptDone();
  r.clock.advance(9_999);
  await r.tick();
  t.equal(first(), 'pending');
  r.clock.advance(1);
  await r.tick();
  t.same(first(), { digits: '', end: 'timeout' });

  const second = watch(r.reader.read(PIN));
  await r.keys('12');
  r.clock.advance(4_999);
  await r.tick();
  t.equal(second(), 'pending');
  r.clock.advance(1);
  await r.tick();
  t.same(second(), { digits: '12', end: 'timeout' });
});

t.test(
  'keys between two reads are kept for the next one, which then plays no prompt',
  async (t) => {
    const r = rig();
    const first = watch(r.reader.read(PIN, 'sound:agent-pass'));
    await r.keys('1111');
    t.same(first(), { digits: '1111', end: 'max_digits' });
    // The PIN is being checked: the caller types on.
    await r.keys('22');
    const second = watch(r.reader.read(PIN, 'sound:auth-incorrect'));
    await r.tick();
    t.same(r.played, ['sound:agent-pass'], 'typed ahead: no prompt over the typing');
    await r.keys('22');
    t.same(second(), { digits: '2222', end: 'max_digits' });
  },
);

t.test('the # after a complete PIN is dropped, not kept for the next read', async (t) => {
  const r = rig();
  const first = watch(r.reader.read(PIN, 'sound:agent-pass'));
  await r.keys('1234#');
  t.same(first(), { digits: '1234', end: 'max_digits' });
  const second = watch(r.reader.read(PIN, 'sound:auth-incorrect'));
  await r.tick();
  t.equal(second(), 'pending', 'the # did not end the next read');
  t.same(r.played, ['sound:agent-pass', 'sound:auth-incorrect']);
  await r.keys('5678');
  t.same(second(), { digits: '5678', end: 'max_digits' });

  // Typed ahead in one go: `1234#9` before a read.
  const r2 = rig();
  await r2.keys('1234#9');
  t.same(await r2.reader.read(PIN, 'sound:agent-pass'), { digits: '1234', end: 'max_digits' });
  const next = watch(r2.reader.read(PIN, 'sound:auth-incorrect'));
  await r2.keys('87#');
  t.same(next(), { digits: '987', end: 'terminator' });

  // Only a terminator right after is dropped: another key first keeps a later one.
  const r3 = rig();
  void r3.reader.read(PIN);
  await r3.keys('12345#');
  t.same(await r3.reader.read(PIN), { digits: '5', end: 'terminator' });
});

t.test('a hang-up ends the read with what was keyed; later reads end at once', async (t) => {
  const r = rig();
  const result = watch(r.reader.read(PIN, 'sound:agent-pass'));
  await r.keys('12');
  await r.hangUp();
  t.same(result(), { digits: '12', end: 'hangup' });
  t.same(await r.reader.read(PIN, 'sound:agent-pass'), { digits: '', end: 'hangup' });
  t.same(r.played, ['sound:agent-pass'], 'nothing is played to a phone that hung up');
});

t.test('close stops reading the leg and ends a read in progress', async (t) => {
  const r = rig();
  const result = watch(r.reader.read(PIN, 'sound:agent-pass'));
  await r.tick();
  r.reader.close();
  await r.tick();
  t.equal(r.listening(), false, 'the leg’s keys are no longer read');
  t.same(result(), { digits: '', end: 'timeout' });
  t.equal(r.stopped.length, 1, 'its prompt is stopped');
});
