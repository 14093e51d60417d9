/** The #C… / #T… references of a chat message (§6-2 ID links): what is one, and where it stands. */
import t from 'tap';
import { parseReferences, referenceText } from '../../src/chat/references.js';

const refs = (text: string) =>
  parseReferences(text).map((r) => [r.kind, r.id, r.text, text.slice(r.start, r.end)]);

t.test('customers (#C) and cases (#T), in order, with their place in the text', async (t) => {
  const text = 'お客様 #C3 の件、#T458 を見てください';
  const found = parseReferences(text);
  t.same(found, [
    { kind: 'customer', id: 3, text: '#C3', start: 4, end: 7 },
    { kind: 'case', id: 458, text: '#T458', start: 11, end: 16 },
  ]);
  for (const r of found) t.equal(text.slice(r.start, r.end), r.text);
  t.same(refs('#C3'), [['customer', 3, '#C3', '#C3']], 'the whole text');
  t.same(
    refs('#C1 #C1'),
    [
      ['customer', 1, '#C1', '#C1'],
      ['customer', 1, '#C1', '#C1'],
    ],
    'each occurrence is a link',
  );
});

t.test('what may touch a reference: punctuation, spaces, Japanese, line breaks', async (t) => {
  t.same(refs('#C3開発代表'), [['customer', 3, '#C3', '#C3']], 'the name pasted after it');
  t.same(refs('（#T458）'), [['case', 458, '#T458', '#T458']]);
  t.same(refs('see #C12, #T7.'), [
    ['customer', 12, '#C12', '#C12'],
    ['case', 7, '#T7', '#T7'],
  ]);
  t.same(refs('line\n#T9\n'), [['case', 9, '#T9', '#T9']]);
  t.same(refs('##C5'), [['customer', 5, '#C5', '#C5']], 'a # before is not part of a word');
});

t.test('what is not a reference', async (t) => {
  for (const text of [
    'abc#C3', // glued to a word before
    '#C3a', // … or after
    '#C3_x',
    '#c3', // the screens copy capitals
    '#t3',
    '#X3', // neither customer nor case
    '#C', // no id
    '#C0', // ids start at 1
    '#C03', // plain decimal only
    '#C 3',
    'C3',
    '#C1234567890123456', // 16 digits: no id of ours
  ]) {
    t.same(parseReferences(text), [], JSON.stringify(text));
  }
  t.same(
    refs('#C123456789012345'),
    [['customer', 123456789012345, '#C123456789012345', '#C123456789012345']],
    '15 digits are',
  );
});

t.test('positions are UTF-16 code units, as JavaScript indexes strings', async (t) => {
  const text = '😀 #T2';
  const [r] = parseReferences(text);
  t.equal(r?.start, 3, 'the emoji takes two units');
  t.equal(text.slice(r?.start, r?.end), '#T2');
});

t.test('a reference is written back as it was', async (t) => {
  t.equal(referenceText('customer', 3), '#C3');
  t.equal(referenceText('case', 458), '#T458');
});
