/**
 * The call-target CSV rows (MiiTel B.3), pure: the title row matched to the fields in any order,
 * the phone with or without hyphens, one of the two names, categories, 発信対象. (A phone twice
 * in the file is the importer's, over HTTP: test/http/target-lists.test.ts.)
 */
import t from 'tap';
import { mappingProblems, mapRow, suggestMapping } from '../../src/imports/importer.js';
import { readTargetRow, TARGET_FIELDS } from '../../src/target-lists/target-rows.js';

const mapping = suggestMapping(
  ['電話番号', '取引先会社名', '取引先担当者名', 'カテゴリー', '発信対象'],
  TARGET_FIELDS,
);

t.test('the title row names the columns, in any order; the four of B.3 are required', async (t) => {
  t.same(mapping, ['phone', 'company', 'contact', 'categories', 'callable']);
  t.same(
    mappingProblems(suggestMapping(['取引先会社名', '電話番号'], TARGET_FIELDS), TARGET_FIELDS).map(
      (p) => (p.problem === 'required_unmapped' ? p.label : p.problem),
    ),
    ['取引先担当者名', 'カテゴリー'],
  );
});

const read = (cells: string[]) => readTargetRow(mapRow(cells, mapping));
const columnsOf = (cells: string[]) => {
  const reading = read(cells);
  return 'problems' in reading ? reading.problems.map((p) => p.column) : [];
};

t.test('rows', async (t) => {
  t.same(read(['03-0000-0000', 'A社', '', ' 製品A | 製品B |製品A', '']), {
    value: {
      company: 'A社',
      contact: '',
      phone: '0300000000',
      phoneColumn: 1,
      categories: ['製品A', '製品B'],
      assignee: undefined,
      excluded: undefined,
    },
  });
  t.match(read(['０８０１１１１２２２２', '', '田中', '', '対象外']), {
    value: { phone: '08011112222', excluded: true },
  });
  t.same(columnsOf(['０８０１１１１２２２２', '', '', '', '']), [3], 'one of the names');
  t.same(columnsOf(['0801111222x', 'B社', '', '', 'たぶん']), [1, 5], 'phone and 発信対象');
  t.same(
    columnsOf(['=0311112222', 'C社', '', Array.from({ length: 101 }, (_, i) => i).join('|'), '']),
    [1, 4],
    'a formula is no phone; 101 categories are too many',
  );
  const named = read(['0300000009', 'D社', '', '', '']);
  t.equal('value' in named && named.value.assignee, undefined, 'no 発信担当者 column');
});
