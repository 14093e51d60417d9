/**
 * The digit collector (a PIN, later an IVR's choice), key by key with times: barge-in, the
 * terminator, the length limit, the first-digit and inter-digit pauses, a hang-up.
 */
import t from 'tap';
import {
  beginDigits,
  digitDeadline,
  expireDigits,
  hangUpDigits,
  pressDigit,
  promptEnded,
  type DigitRules,
  type DigitState,
} from '../../src/calls/digit-collector.js';

const PIN: DigitRules = {
  maxDigits: 4,
  terminator: '#',
  firstDigitMs: 10_000,
  interDigitMs: 5_000,
};

/** Keys `digits` `gap` ms apart, the first at `from`. */
function key(state: DigitState, digits: string, from: number, gap = 300, rules = PIN) {
  let s = state;
  Array.from(digits).forEach((d, i) => (s = pressDigit(rules, s, d, from + i * gap)));
  return s;
}

t.test('four digits complete a PIN; the terminator ends it early', async (t) => {
  t.same(key(beginDigits(0, false), '1234', 0).done, { digits: '1234', end: 'max_digits' });
  t.same(key(beginDigits(0, false), '12#', 0).done, { digits: '12', end: 'terminator' });
  t.same(
    key(beginDigits(0, false), '#', 0).done,
    { digits: '', end: 'terminator' },
    'the terminator alone: an empty input',
  );
  t.same(
    key(beginDigits(0, false), '1*3#', 0).done,
    { digits: '1*3', end: 'terminator' },
    '* is a digit',
  );
  const noTerminator = { ...PIN, terminator: null, maxDigits: 2 };
  t.same(key(beginDigits(0, false), '#5', 0, 300, noTerminator).done, {
    digits: '#5',
    end: 'max_digits',
  });
});

t.test('nothing changes once complete; what is not a key is ignored', async (t) => {
  const done = key(beginDigits(0, false), '1234', 0);
  t.equal(pressDigit(PIN, done, '5', 2000), done);
  t.equal(hangUpDigits(done), done, 'a hang-up after the input does not change it');
  const waiting = beginDigits(0, false);
  t.equal(pressDigit(PIN, waiting, 'A', 100), waiting);
  t.equal(pressDigit(PIN, waiting, '', 100), waiting);
  t.equal(pressDigit(PIN, waiting, '12', 100), waiting);
});

t.test('no timeout runs while the prompt plays; the first key interrupts it', async (t) => {
  const prompting = beginDigits(0, true);
  t.equal(digitDeadline(PIN, prompting), null);
  t.equal(expireDigits(PIN, prompting, 60_000).done, null, 'a long prompt is no pause');
  const keyed = pressDigit(PIN, prompting, '7', 1500);
  t.equal(keyed.prompting, false, 'barge-in');
  t.equal(digitDeadline(PIN, keyed), 1500 + 5000, 'the inter-digit pause from the key');
  t.equal(promptEnded(keyed, 2000), keyed, 'the prompt ending after a key changes nothing');
});

t.test('the first digit is waited for from the end of the prompt', async (t) => {
  const waiting = promptEnded(beginDigits(0, true), 3000);
  t.equal(digitDeadline(PIN, waiting), 13_000);
  t.equal(expireDigits(PIN, waiting, 12_999).done, null);
  t.same(expireDigits(PIN, waiting, 13_000).done, { digits: '', end: 'timeout' });
  t.equal(digitDeadline(PIN, beginDigits(500, false)), 10_500, 'no prompt: from the start');
});

t.test('a pause between digits ends the input with what was keyed', async (t) => {
  const two = key(beginDigits(0, false), '12', 1000);
  t.equal(digitDeadline(PIN, two), 1300 + 5000);
  t.same(expireDigits(PIN, two, 6300).done, { digits: '12', end: 'timeout' });
  t.equal(expireDigits(PIN, two, 6299).done, null);
  t.same(
    pressDigit(PIN, two, '3', 6300).done,
    { digits: '12', end: 'timeout' },
    'a key after the pause ran out is too late: the input ended before it',
  );
  t.same(pressDigit(PIN, two, '3', 6299).digits, '123', 'just in time');
});

t.test('a hang-up ends the input with what was keyed', async (t) => {
  t.same(hangUpDigits(key(beginDigits(0, true), '12', 100)).done, { digits: '12', end: 'hangup' });
  t.same(hangUpDigits(beginDigits(0, true)).done, { digits: '', end: 'hangup' });
  t.equal(
    digitDeadline(PIN, hangUpDigits(beginDigits(0, false))),
    null,
    'nothing more to wait for',
  );
});
