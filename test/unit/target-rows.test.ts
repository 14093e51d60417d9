/**
 * The call-target CSV rows (MiiTel B.3), pure: the header by column names, the phone with or
 * without hyphens, one of the two names, categories, a phone twice in the file, 発信対象.
 */
import t from 'tap';
import { readHeader, readTargetRows } from '../../src/target-lists/target-rows.js';

const header = readHeader([
  '電話番号',
  '\uFEFF取引先会社名',
  '取引先担当者名',
  'カテゴリー',
  '発信対象',
]);

t.test('the header names the columns, in any order; the four of B.3 are required', async (t) => {
  t.match(header, {
    ok: true,
    columns: { phone: 0, company: 1, contact: 2, categories: 3, callable: 4 },
  });
  t.same(readHeader(['取引先会社名', '電話番号']), {
    ok: false,
    missing: ['取引先担当者名', 'カテゴリー'],
  });
});

t.test('rows', async (t) => {
  if (!header.ok) throw new Error('header');
  const { targets, problems } = readTargetRows(header.columns, [
    { row: 2, cells: ['03-0000-0000', 'A社', '', ' 製品A | 製品B |製品A', ''] },
    { row: 3, cells: ['0300000000', '', '田中', '', '対象外'] },
    { row: 4, cells: ['０８０１１１１２２２２', '', '', '', ''] },
    { row: 5, cells: ['0801111222x', 'B社', '', '', 'たぶん'] },
    {
      row: 6,
      cells: ["'=0311112222", 'C社', '', Array.from({ length: 101 }, (_, i) => i).join('|'), ''],
    },
  ]);
  t.same(targets, [
    {
      row: 2,
      company: 'A社',
      contact: '',
      phone: '0300000000',
      categories: ['製品A', '製品B'],
      assignee: undefined,
      excluded: undefined,
    },
  ]);
  t.same(
    problems.map((p) => [p.row, p.column]),
    [
      [3, '電話番号'],
      [4, '取引先担当者名'],
      [5, '電話番号'],
      [5, '発信対象'],
      [6, '電話番号'],
      [6, 'カテゴリー'],
    ],
  );
  t.match(problems[0]?.message, '3行目: 電話番号: 2行目と同じ電話番号です');
});
