/**
 * MOT autocall's decisions (A.23): who is dialled next, and what each setting of 切断時のオートコール
 * does after a hang-up, for each outcome, mode and list left — every combination.
 */
import t from 'tap';
import {
  AUTOCALL_MODES,
  AUTOCALL_ON_HANGUP,
  decide,
  dialsOnHangup,
  nextCandidate,
  type AfterCall,
  type Candidate,
  type DialResult,
} from '../../src/call-lists/autocall-decision.js';
import { CALLED_COUNTS } from '../../src/call-lists/outcomes.js';

const fresh = (customerId: number, recall = false): Candidate => ({
  customerId,
  recall,
  lastDial: null,
});
const dialled = (customerId: number, result: DialResult | null, recall = false): Candidate => ({
  customerId,
  recall,
  lastDial: { result },
});

const base: AfterCall = {
  setting: 'no_answer_only',
  autoRetrieve: false,
  retrieved: false,
  result: 'no_answer',
  rows: [],
  mode: 'all',
  dialled: new Set(),
  calledCounts: 'answered_only',
};

t.test('the next customer: the first in No order not yet dialled in the session', async (t) => {
  const rows = [fresh(1), fresh(2), fresh(3)];
  const pick = (d: number[]) =>
    nextCandidate(rows, { mode: 'all', dialled: new Set(d), calledCounts: 'answered_only' })
      ?.customerId ?? null;
  t.equal(pick([]), 1);
  t.equal(pick([1]), 2);
  t.equal(pick([2]), 1, 'an earlier one not dialled comes first');
  t.equal(pick([1, 2]), 3);
  t.equal(pick([1, 2, 3]), null, 'nothing left');
  t.equal(
    nextCandidate([], { mode: 'all', dialled: new Set(), calledCounts: 'answered_only' }),
    null,
  );
});

t.test(
  '済 under 架電済対象 is skipped; a call still going on is never dialled again',
  async (t) => {
    const rows = [dialled(1, 'answered'), dialled(2, 'no_answer'), dialled(3, null), fresh(4)];
    const pick = (calledCounts: (typeof CALLED_COUNTS)[number], d: number[] = []) =>
      nextCandidate(rows, { mode: 'all', dialled: new Set(d), calledCounts })?.customerId ?? null;
    t.equal(pick('answered_only'), 2, '応答のみ: a no-answer is not 済 and is called again');
    t.equal(pick('answered_only', [2]), 4, 'but not twice in one session');
    t.equal(pick('all_calls'), 4, 'すべての通話: every dialled call is 済');
    for (const counts of CALLED_COUNTS)
      t.not(pick(counts, [2]), 3, `${counts}: the call in progress is not dialled again`);
  },
);

t.test('再架電機能 dials only the customers flagged 再架電', async (t) => {
  const rows = [fresh(1), fresh(2, true), fresh(3), fresh(4, true)];
  const pick = (d: number[]) =>
    nextCandidate(rows, { mode: 'recall', dialled: new Set(d), calledCounts: 'answered_only' })
      ?.customerId ?? null;
  t.equal(pick([]), 2);
  t.equal(pick([2]), 4);
  t.equal(pick([2, 4]), null, 'the others are never dialled');
  t.equal(
    nextCandidate([dialled(2, 'answered', true), fresh(4, true)], {
      mode: 'recall',
      dialled: new Set(),
      calledCounts: 'answered_only',
    })?.customerId,
    4,
    'a recall already answered in this retrieval is 済',
  );
});

t.test('切断時のオートコール after a hang-up', async (t) => {
  const expected: Record<(typeof AUTOCALL_ON_HANGUP)[number], Record<DialResult, boolean>> = {
    all_calls: { answered: true, no_answer: true },
    no_answer_only: { answered: false, no_answer: true },
    off: { answered: false, no_answer: false },
  };
  for (const setting of AUTOCALL_ON_HANGUP)
    for (const result of ['answered', 'no_answer'] as const)
      t.equal(dialsOnHangup(setting, result), expected[setting][result], `${setting} ${result}`);
});

t.test('every setting × outcome × mode × list left', async (t) => {
  for (const setting of AUTOCALL_ON_HANGUP)
    for (const result of ['answered', 'no_answer'] as const)
      for (const mode of AUTOCALL_MODES)
        for (const autoRetrieve of [false, true])
          for (const retrieved of [false, true]) {
            const label = `${setting} ${result} ${mode} retrieve=${autoRetrieve}/${retrieved}`;
            const input = { ...base, setting, result, mode, autoRetrieve, retrieved };
            // One left that fits the mode (customer 2 is a recall), customer 1 was just called.
            const left = decide({
              ...input,
              rows: [dialled(1, result), fresh(2, true)],
              dialled: new Set([1]),
            });
            t.same(
              left,
              dialsOnHangup(setting, result)
                ? { kind: 'dial', customerId: 2 }
                : { kind: 'wait', next: 2 },
              `${label}: one left`,
            );
            // Nothing left (in recall mode, customer 3 does not count).
            const none = decide({
              ...input,
              rows: [dialled(1, result), ...(mode === 'recall' ? [fresh(3)] : [])],
              dialled: new Set([1]),
            });
            t.same(
              none,
              autoRetrieve && !retrieved
                ? { kind: 'retrieve' }
                : { kind: 'stop', reason: 'list_empty' },
              `${label}: nothing left`,
            );
          }
});

t.test('the one-click dial (/next) dials whatever the setting', async (t) => {
  for (const setting of AUTOCALL_ON_HANGUP) {
    t.same(decide({ ...base, setting, result: null, rows: [fresh(7)] }), {
      kind: 'dial',
      customerId: 7,
    });
    t.same(decide({ ...base, setting, result: null, rows: [] }), {
      kind: 'stop',
      reason: 'list_empty',
    });
    t.same(decide({ ...base, setting, result: null, rows: [], autoRetrieve: true }), {
      kind: 'retrieve',
    });
  }
});

t.test('the retrieved customers are dialled after a retrieval', async (t) => {
  const after = decide({
    ...base,
    autoRetrieve: true,
    retrieved: true,
    rows: [dialled(1, 'no_answer'), fresh(2)],
    dialled: new Set([1]),
  });
  t.same(after, { kind: 'dial', customerId: 2 });
});
