/**
 * Reading AMD()'s verdict (src/calls/machine-check.ts): what the dialplan leaves in CC_AMD —
 * `<AMDSTATUS>:<AMDCAUSE>:<answered at, s.ms>` — and the answer instant the attempt counts from.
 */
import t from 'tap';
import { answerInstant, parseMachineCheck } from '../../src/calls/machine-check.js';

t.test('each AMDSTATUS is its verdict, with its cause and the answer instant', async (t) => {
  t.same(parseMachineCheck('MACHINE:LONGGREETING-1500-1500:1764782596.123'), {
    verdict: 'machine',
    cause: 'LONGGREETING-1500-1500',
    answeredAt: new Date(1764782596123),
  });
  t.equal(parseMachineCheck('HUMAN:HUMAN-600-600:1764782596.5').verdict, 'human');
  t.equal(parseMachineCheck('NOTSURE:TOOLONG-3000:1764782596.000').verdict, 'notsure');
  t.equal(parseMachineCheck('HANGUP::1764782596.000').verdict, 'hangup');
  t.equal(
    parseMachineCheck('HUMAN:HUMAN-600-600:1764782596.999').answeredAt?.getTime(),
    1764782596999,
    'milliseconds kept',
  );
});

t.test('what says nothing usable goes on as a person would (notsure)', async (t) => {
  // AMD() could not run (AMDSTATUS ""), or the variable was never set.
  t.same(parseMachineCheck('::1764782596.123'), {
    verdict: 'notsure',
    cause: '',
    answeredAt: new Date(1764782596123),
  });
  t.same(parseMachineCheck(''), { verdict: 'notsure', cause: '', answeredAt: null });
  t.equal(parseMachineCheck('SOMETHING:X:1').verdict, 'notsure', 'an unknown status');
  t.equal(parseMachineCheck('human:HUMAN-600-600:1').verdict, 'human', 'any case');
  for (const answered of ['', 'soon', '-5', '1e3', '0'])
    t.equal(parseMachineCheck(`HUMAN:x:${answered}`).answeredAt, null, `no instant: "${answered}"`);
});

t.test('the answer instant counted from is never after the verdict, nor long before', async (t) => {
  const now = new Date('2026-12-03T08:00:10.000Z');
  const at = (iso: string) => ({ verdict: 'human' as const, cause: '', answeredAt: new Date(iso) });
  t.same(
    answerInstant(at('2026-12-03T08:00:08.750Z'), now),
    new Date('2026-12-03T08:00:08.750Z'),
    "Asterisk's instant, 1.25 s before the verdict",
  );
  t.same(answerInstant(at('2026-12-03T08:00:11.000Z'), now), now, 'a clock ahead: now');
  t.same(
    answerInstant(at('2026-12-03T07:00:00.000Z'), now),
    new Date('2026-12-03T08:00:00.000Z'),
    'a clock far behind: no more than 10 s before',
  );
  t.same(
    answerInstant({ verdict: 'notsure', cause: '', answeredAt: null }, now),
    now,
    'none given: now',
  );
});
