/**
 * readFieldValue (crm/formats/field-values.ts): every field type, what it accepts and how it
 * stores it, and each refusal with its reason.
 */
import t from 'tap';
import type { FormatFieldType } from '../../src/crm/formats/field-types.js';
import {
  describeProblem,
  digitsOf,
  MAX_LONG_TEXT,
  MAX_TEXT,
  readFieldValue,
  type FieldProblem,
} from '../../src/crm/formats/field-values.js';

const spec = (type: FormatFieldType, required = false, options: string[] = []) => ({
  type,
  required,
  options,
});

const ok = (type: FormatFieldType, raw: string | string[], value: unknown, options?: string[]) =>
  t.same(
    readFieldValue(spec(type, false, options), raw),
    { ok: true, value },
    `${type} ${JSON.stringify(raw)}`,
  );
const refused = (
  type: FormatFieldType,
  raw: string | string[] | null,
  problem: FieldProblem,
  options?: string[],
  required = false,
) =>
  t.same(
    readFieldValue(spec(type, required, options), raw),
    { ok: false, problem },
    `${type} ${JSON.stringify(raw)} → ${problem}`,
  );

t.test('empty is no value, or `required` when the field is', async () => {
  const types: FormatFieldType[] = [
    'text',
    'number',
    'date',
    'phone',
    'email',
    'long_text',
    'list',
    'radio',
    'checkbox',
    'postal_code',
  ];
  for (const type of types) {
    for (const raw of ['', '   ', null, undefined])
      t.same(readFieldValue(spec(type), raw), { ok: true, value: null }, `${type} empty`);
    refused(type, '', 'required', [], true);
    refused(type, null, 'required', [], true);
  }
  refused('checkbox', [], 'required', ['a'], true);
  refused('checkbox', ['', ' '], 'required', ['a'], true);
});

t.test('text and long text: trimmed text, long text kept as entered, length limits', async () => {
  ok('text', '  山田 太郎 ', '山田 太郎');
  ok('text', 'x'.repeat(MAX_TEXT), 'x'.repeat(MAX_TEXT));
  refused('text', 'x'.repeat(MAX_TEXT + 1), 'too_long');
  ok('long_text', '  line 1\nline 2  ', '  line 1\nline 2  ');
  ok('long_text', 'y'.repeat(MAX_LONG_TEXT), 'y'.repeat(MAX_LONG_TEXT));
  refused('long_text', 'y'.repeat(MAX_LONG_TEXT + 1), 'too_long');
  refused('text', ['a'], 'not_an_option');
});

t.test('number: kept as written (leading zeros too), full-width and commas read', async () => {
  ok('number', '007', '007');
  ok('number', '-12.50', '-12.50');
  ok('number', '1,234,567', '1234567');
  ok('number', '１２３', '123');
  ok('number', '－５．５', '-5.5');
  for (const raw of ['1e3', '0x10', '12a', '1.', '.5', '+1', '1 2', 'NaN', '9'.repeat(31)])
    refused('number', raw, 'not_a_number');
});

t.test('date: YYYY-MM-DD or YYYY/MM/DD, real dates only', async () => {
  ok('date', '2026-01-05', '2026-01-05');
  ok('date', '2026/1/5', '2026-01-05');
  ok('date', '２０２６／０２／２８', '2026-02-28');
  ok('date', '2024-02-29', '2024-02-29');
  for (const raw of ['2026-02-30', '2025-02-29', '2026-13-01', '2026-04-31', '2026-00-01'])
    refused('date', raw, 'not_a_date');
  for (const raw of ['20260105', '26-01-05', '2026-01-05T00:00', 'tomorrow', '2026.01.05'])
    refused('date', raw, 'not_a_date');
});

t.test('phone: digits only, leading zeros and + kept, separators dropped', async () => {
  ok('phone', '03-1234-5678', '0312345678');
  ok('phone', '(03) 1234 5678', '0312345678');
  ok('phone', '０９０－１２３４－５６７８', '09012345678');
  ok('phone', '+81 3 1234 5678', '+81312345678');
  ok('phone', "'0312345678", '0312345678');
  ok('phone', '00', '00');
  for (const raw of ['0', 'abc', '03-1234-567x', '1'.repeat(21), '++81', '03+1234'])
    refused('phone', raw, 'not_a_phone');
});

t.test('postal code: seven digits, 〒 and hyphen dropped', async () => {
  ok('postal_code', '100-0001', '1000001');
  ok('postal_code', '〒100-0001', '1000001');
  ok('postal_code', '０６０－０００１', '0600001');
  for (const raw of ['100-001', '10000011', '100-000a', 'abc'])
    refused('postal_code', raw, 'not_a_postal_code');
});

t.test('e-mail', async () => {
  ok('email', ' a.b@example.co.jp ', 'a.b@example.co.jp');
  for (const raw of ['a@b', 'a b@example.com', '@example.com', 'a@@example.com', 'plain'])
    refused('email', raw, 'not_an_email');
  refused('email', `${'a'.repeat(250)}@example.com`, 'not_an_email');
});

t.test('list and radio: one of the options, exactly', async () => {
  const options = ['リスト1', 'リスト2'];
  ok('list', 'リスト2', 'リスト2', options);
  ok('radio', ' リスト1 ', 'リスト1', options);
  refused('list', 'リスト3', 'not_an_option', options);
  refused('radio', 'リスト', 'not_an_option', options);
  refused('list', ['リスト1'], 'not_an_option', options);
});

t.test('checkbox: `|`-separated or an array, stored in option order, each once', async () => {
  const options = ['項目1', '項目2', '項目3'];
  ok('checkbox', '項目3|項目1', ['項目1', '項目3'], options);
  ok('checkbox', ' 項目2 | 項目2 ', ['項目2'], options);
  ok('checkbox', ['項目2', '項目1'], ['項目1', '項目2'], options);
  ok('checkbox', '|項目1||', ['項目1'], options);
  refused('checkbox', '項目1|項目4', 'not_an_option', options);
  refused('checkbox', ['項目9'], 'not_an_option', options);
});

t.test('digitsOf and the problem texts', async (t) => {
  t.equal(digitsOf('03-1234-5678'), '0312345678');
  t.equal(digitsOf('（03）1234−5678'), '0312345678');
  t.equal(digitsOf('0120 ー 12 ー 34'), '01201234');
  t.equal(describeProblem('not_a_date', 'ja'), '日付ではありません');
  t.match(describeProblem('not_a_date', 'en'), /not a date/);
});
