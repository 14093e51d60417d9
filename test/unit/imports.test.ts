/** The pure parts of the CSV import engine: mapping, header suggestion, 機種依存文字, cell quoting. */
import t from 'tap';
import {
  looksLikeHeader,
  mappingProblems,
  mapRow,
  rowMessage,
  suggestMapping,
  type ImportField,
} from '../../src/imports/importer.js';
import { machineDependentCharOf } from '../../src/imports/machine-dependent.js';
import { readCsv, safeCell, unneutralisedCell } from '../../src/platform/csv.js';
import { csvLine } from '../../src/platform/csv-export.js';

const fields: ImportField[] = [
  { key: 'name', label: '名称', aliases: ['氏名'], required: true },
  { key: 'phones', label: '電話番号', repeatable: true },
  { key: 'email', label: 'メール', aliases: ['E-Mail'] },
];

t.test('a header suggests the mapping; unknown and repeated columns are --', async (t) => {
  t.same(suggestMapping(['氏名', '電話番号', 'ＴＥＬ', '電話番号', 'e mail', '名称'], fields), [
    'name',
    'phones',
    '--',
    'phones',
    'email',
    '--',
  ]);
  t.ok(looksLikeHeader(['x', '名称'], fields));
  t.notOk(looksLikeHeader(['山田', '0300000000'], fields));
});

t.test('mapping problems', async (t) => {
  t.same(mappingProblems(['name', '--', 'phones', 'phones'], fields), []);
  t.same(mappingProblems(['--', 'nope', 'email', 'email'], fields), [
    { problem: 'unknown_field', column: 2, key: 'nope' },
    { problem: 'mapped_twice', column: 4, key: 'email' },
    { problem: 'required_unmapped', key: 'name', label: '名称' },
  ]);
});

t.test('a row by field, with its columns', async (t) => {
  const row = mapRow(['山田', 'x', '03', '090'], ['name', '--', 'phones', 'phones', 'email']);
  t.same(
    [...row.entries()],
    [
      ['name', [{ column: 1, text: '山田' }]],
      [
        'phones',
        [
          { column: 3, text: '03' },
          { column: 4, text: '090' },
        ],
      ],
      ['email', [{ column: 5, text: '' }]],
    ],
  );
  t.equal(
    rowMessage(3, { column: 2, message: '日付ではありません' }, '生年月日'),
    '3行目: 2列目(生年月日) 日付ではありません',
  );
  t.equal(rowMessage(4, { column: null, message: 'x' }), '4行目: x');
});

t.test('machine-dependent characters, by code point', async (t) => {
  for (const c of ['①', '⑳', 'Ⅳ', 'ⅲ', '㈱', '㍉', '№', '℡', '髙', '﨑', '∑'])
    t.equal(machineDependentCharOf(`山田${c}`), c, c);
  for (const c of ['山田太郎', '∵', '≒', '¬', '〒', 'ｱｲｳ', 'ABC', '髪', '—'])
    t.equal(machineDependentCharOf(c), undefined, c);
});

t.test('neutralised cells read back as they were', async (t) => {
  for (const v of ['=1+2', '+x', '-x', '@x', "'=x", "''+y", 'plain', "'quoted", '-5', '-', '007'])
    t.equal(unneutralisedCell(safeCell(v)), v, v);
  t.equal(safeCell('=1'), "'=1");
  t.equal(safeCell('-12'), '-12');
  t.equal(csvLine(['=A1', '007', 'a"b', null]), '"\'=A1","007","a""b",""\r\n');
});

t.test('a row is numbered by the line of the file it starts on', async (t) => {
  const rowsOf = async (text: string) =>
    (await readCsv(Buffer.from(text), { encoding: 'utf8', header: true })).rows.map((r) => [
      r.row,
      r.cells[0],
    ]);
  t.same(
    await rowsOf('名称,電話\n山田,1\n\n佐藤,2\n,,\n鈴木,3\n'),
    [
      [2, '山田'],
      [4, '佐藤'],
      [6, '鈴木'],
    ],
    'after an empty line and a spreadsheet’s empty row (,,), still the editor’s line',
  );
  t.same(
    await rowsOf('名称,備考\r\n"山田","一行目\r\n二行目"\r\n佐藤,x\r\n'),
    [
      [2, '山田'],
      [4, '佐藤'],
    ],
    'a cell spanning two lines counts both',
  );
  t.same(await rowsOf('\n\n名称\n山田\n'), [[4, '山田']], 'leading blank lines, the header after');
});
