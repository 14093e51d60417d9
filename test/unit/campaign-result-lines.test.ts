/** The campaign results textarea (§10-8, `番号,テキスト` lines): reading, writing, refusing. */
import t from 'tap';
import {
  MAX_RESULT_NUMBER,
  MAX_RESULT_TEXT,
  MAX_RESULTS,
  describeIssues,
  formatResultLines,
  parseResultLines,
  resultIssues,
} from '../../src/campaigns/result-lines.js';

t.test('lines are read in order, and written back the same', async (t) => {
  const text = '1,受注\n2,検討\n10,NG(説明後)';
  const parsed = parseResultLines(text);
  t.same(parsed, {
    ok: true,
    results: [
      { number: 1, text: '受注' },
      { number: 2, text: '検討' },
      { number: 10, text: 'NG(説明後)' },
    ],
  });
  if (parsed.ok) t.equal(formatResultLines(parsed.results), text);
  t.same(parseResultLines(''), { ok: true, results: [] }, 'an empty textarea: no results');
  t.same(parseResultLines('\n  \r\n'), { ok: true, results: [] }, 'blank lines only');
});

t.test('what the textarea forgives', async (t) => {
  t.same(parseResultLines('\r\n 3 , 留守電 \r\n\r\n４，折返し,夕方\r'), {
    ok: true,
    results: [
      { number: 3, text: '留守電' },
      { number: 4, text: '折返し,夕方' },
    ],
  });
});

t.test('every bad line is named, and nothing is returned', async (t) => {
  const parsed = parseResultLines(
    [
      '1,受注',
      '受注',
      ',空',
      'a,英字',
      '1,重複',
      '0,再コール',
      '2,',
      `3,${'あ'.repeat(65)}`,
      '-4,負',
      '1.5,小数',
      `${MAX_RESULT_NUMBER + 1},大`,
    ].join('\n'),
  );
  t.equal(parsed.ok, false);
  if (parsed.ok) return;
  t.same(
    parsed.issues.map((i) => i.where),
    [
      'line 2',
      'line 3',
      'line 4',
      'line 5',
      'line 6',
      'line 7',
      'line 8',
      'line 9',
      'line 10',
      'line 11',
    ],
  );
  const message = describeIssues(parsed.issues);
  t.match(message, 'line 2: expected 結果番号,結果テキスト (no comma)');
  t.match(message, 'line 3: 結果番号 is missing');
  t.match(message, 'line 5: 結果番号 1 is already on line 1');
  t.match(message, 'line 6: 0 is reserved');
  t.match(message, 'line 7: 結果テキスト is empty');
  t.match(message, `line 8: 結果テキスト is longer than ${MAX_RESULT_TEXT}`);
  t.match(message, 'line 11: 結果番号 1000000 is over');
  t.notMatch(message, 'line 1:');
});

t.test('a tab or a bidirectional override in a text is refused', async (t) => {
  t.equal(parseResultLines('1,受\t注').ok, false);
  t.equal(parseResultLines('1,受注\t').ok, false, 'even at the end');
  t.equal(parseResultLines('1,\u202e注受').ok, false);
});

t.test('too many results', async (t) => {
  const lines = Array.from({ length: MAX_RESULTS + 1 }, (_, i) => `${i + 1},r${i + 1}`);
  const parsed = parseResultLines(lines.join('\n'));
  t.equal(parsed.ok, false);
  t.equal(parseResultLines(lines.slice(1).join('\n')).ok, true, `${MAX_RESULTS} are fine`);
});

t.test('the array form keeps the same rules', async (t) => {
  t.same(resultIssues([{ number: 1, text: '受注' }]), []);
  t.same(
    resultIssues([
      { number: 1, text: '受注' },
      { number: 0, text: '再コール' },
      { number: 1, text: '重複' },
      { number: 2, text: '  ' },
      { number: 3, text: 'a\u0000' },
    ]).map((i) => i.where),
    ['results.1', 'results.2', 'results.3', 'results.4'],
  );
});
