/** 業種 of call-list customers: the JSIC major divisions A–T, middle divisions mapped to them. */
import t from 'tap';
import {
  JSIC_MAJOR_CODES,
  JSIC_MAJOR_DIVISIONS,
  JSIC_MAJOR_NAMES,
  readIndustry,
} from '../../src/call-lists/jsic.js';

t.test('twenty major divisions A–T with 99 middle divisions', async (t) => {
  t.equal(JSIC_MAJOR_CODES.length, 20);
  t.equal(JSIC_MAJOR_CODES.join(''), 'ABCDEFGHIJKLMNOPQRST');
  const middles = JSIC_MAJOR_CODES.flatMap((c) => JSIC_MAJOR_DIVISIONS[c].middle);
  t.equal(middles.length, 99, 'JSIC rev. 14 has 99 middle divisions (01–99)');
  t.equal(JSIC_MAJOR_NAMES.length, 20);
});

t.test('every major name reads as itself, every middle name as its major', async (t) => {
  for (const code of JSIC_MAJOR_CODES) {
    const { name, middle } = JSIC_MAJOR_DIVISIONS[code];
    t.same(readIndustry(name), { code, name }, name);
    for (const m of middle) t.same(readIndustry(m), { code, name }, `${m} → ${name}`);
  }
});

t.test('spellings: MOT ・, the official ，, widths and spaces', async (t) => {
  const realEstate = { code: 'K', name: '不動産業・物品賃貸業' };
  t.same(readIndustry('不動産業・物品賃貸業'), realEstate, "MOT's own spelling");
  t.same(readIndustry('不動産業，物品賃貸業'), realEstate, 'the official full-width comma');
  t.same(readIndustry('不動産業,物品賃貸業'), realEstate);
  t.same(readIndustry(' 不動産業・ 物品賃貸業 '), realEstate, 'spaces');
  t.same(readIndustry('不動産取引業'), realEstate, 'a middle division');
  t.same(readIndustry('サービス業(他に分類されないもの)'), {
    code: 'R',
    name: 'サービス業（他に分類されないもの）',
  });
  t.same(readIndustry('分類不能の産業'), { code: 'T', name: '分類不能の産業' });
});

t.test('anything else is not a 業種', async (t) => {
  for (const text of ['', '宇宙開発業', '不動産', 'K', '製造'])
    t.equal(readIndustry(text), null, text);
});
