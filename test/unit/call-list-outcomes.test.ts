/** The final status of a call-list customer (再架電 > 見込み > 結果) and 架電済 (架電済対象), every case. */
import t from 'tap';
import {
  CALL_RESULTS,
  countsAsCalled,
  finalStatusOf,
  type CallResult,
} from '../../src/call-lists/outcomes.js';

t.test('再架電 > 見込み > 結果, over every combination', async (t) => {
  for (const result of CALL_RESULTS)
    for (const prospect of [false, true])
      for (const recall of [false, true]) {
        const expected = recall ? 'recall' : prospect ? 'prospect' : result;
        t.equal(
          finalStatusOf({ result, prospect, recall }),
          expected,
          `${result} prospect=${prospect} recall=${recall}`,
        );
      }
  t.equal(
    finalStatusOf({ result: 'answered', prospect: true, recall: true }),
    'recall',
    'the manual example: answered and a prospect, but flagged for recall',
  );
});

t.test('架電済: answered only (default) or every dialled call; never 未架電', async (t) => {
  const cases: [CallResult, boolean, boolean][] = [
    ['not_called', false, false],
    ['no_answer', false, true],
    ['answered', true, true],
  ];
  for (const [result, answeredOnly, allCalls] of cases) {
    t.equal(countsAsCalled(result, 'answered_only'), answeredOnly, `${result}, 応答のみ`);
    t.equal(countsAsCalled(result, 'all_calls'), allCalls, `${result}, すべての通話`);
  }
});
