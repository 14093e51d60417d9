import t from 'tap';
import {
  parseResultEntry,
  resultEntryReader,
  type ResultEntryStep,
} from '../../src/campaigns/result-entry.js';

/** The campaign's results: 受注 1, 検討 2 … その他 17, and a late addition 120. */
const NUMBERS = [1, 2, 3, 9, 10, 17, 120];
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

const parse = (keys: string) => parseResultEntry(keys, NUMBERS);
const error = (reason: string) => ({ kind: 'error', reason });

t.test('a result number then # records that result', async (t) => {
  t.same(parse('1#'), { kind: 'result', number: 1 });
  t.same(parse('17#'), { kind: 'result', number: 17 });
  t.same(parse('120#'), { kind: 'result', number: 120 });
  t.same(parse('12#'), error('unknown_result'), 'not one of the campaign’s results');
  t.same(parse('4#'), error('unknown_result'));
  t.same(parse('1'), { kind: 'more' }, 'no # yet');
});

t.test('0 asks for the recall time: 分#, 分*時#, 分*時*日#', async (t) => {
  t.same(parse('030#'), {
    kind: 'recall',
    delay: { minutes: 30, hours: 0, days: 0 },
    delayMs: 30 * MIN,
  });
  t.same(parse('015*2#'), {
    kind: 'recall',
    delay: { minutes: 15, hours: 2, days: 0 },
    delayMs: 2 * HOUR + 15 * MIN,
  });
  t.same(parse('00*0*3#'), {
    kind: 'recall',
    delay: { minutes: 0, hours: 0, days: 3 },
    delayMs: 3 * DAY,
  });
  t.same(parse('05*1*1#'), {
    kind: 'recall',
    delay: { minutes: 5, hours: 1, days: 1 },
    delayMs: DAY + HOUR + 5 * MIN,
  });
  t.same(
    parse('0005#'),
    {
      kind: 'recall',
      delay: { minutes: 5, hours: 0, days: 0 },
      delayMs: 5 * MIN,
    },
    'leading zeros in a field are allowed',
  );
});

t.test('limits: 999 minutes, 99 hours, 365 days', async (t) => {
  t.match(parse('0999*99*365#'), { kind: 'recall', delay: { minutes: 999, hours: 99, days: 365 } });
  t.same(parse('01000#'), error('too_long'));
  t.same(parse('00*100#'), error('too_long'));
  t.same(parse('00*0*366#'), error('too_long'));
  t.same(parse('1200#'), error('too_long'), 'longer than any result number');
  t.same(parse('0' + '0'.repeat(20) + '1#'), error('too_long'), 'endless zeros end too');
});

t.test('bad input', async (t) => {
  t.same(parse('#'), error('empty'));
  t.same(parse('0#'), error('empty'), 'a recall without a time');
  t.same(parse('00#'), error('zero_delay'));
  t.same(parse('00*0*0#'), error('zero_delay'));
  t.same(parse('*'), error('bad_form'));
  t.same(parse('1*2#'), error('bad_form'), 'no * in a result');
  t.same(parse('0*5#'), error('bad_form'), 'an empty minutes field');
  t.same(parse('05**1#'), error('bad_form'), 'an empty hours field');
  t.same(parse('05*#'), error('bad_form'), 'ends on an empty field');
  t.same(parse('01*1*1*1#'), error('bad_form'), 'no fourth field');
  t.same(parse('1A#'), error('bad_form'), 'not a DTMF key we take');
  t.same(parse('1#2'), error('bad_form'), 'keys after the #');
  t.same(parseResultEntry('1#', []), error('unknown_result'), 'a campaign without results');
});

t.test('the reader answers key by key and stops at the first answer', async (t) => {
  const reader = resultEntryReader(NUMBERS);
  const steps: ResultEntryStep[] = '015*2#'.split('').map((k) => reader.feed(k));
  t.same(
    steps.map((s) => s.kind),
    ['more', 'more', 'more', 'more', 'more', 'recall'],
  );
  t.equal(reader.keys, '015*2#');
  t.match(reader.feed('3'), { kind: 'recall' }, 'finished: later keys change nothing');
  t.equal(reader.keys, '015*2#');

  const early = resultEntryReader(NUMBERS);
  t.same(early.feed('5'), { kind: 'more' });
  t.same(early.feed('5'), { kind: 'more' }, 'up to three digits may still be a result');
  t.same(early.feed('5'), { kind: 'more' });
  t.same(early.feed('5'), error('too_long'), 'refused at once, before any #');
  t.same(early.feed('#'), error('too_long'));
});
