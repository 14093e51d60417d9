/**
 * Postal code → addresses from the Japan Post data the package ships (the real data, offline).
 */
import t from 'tap';
import { createPostalLookup } from '../../src/crm/postal/lookup.js';
import { normalisePostalCode } from '../../src/crm/postal/postal-code.js';

const lookup = createPostalLookup();
const triples = (code: string) =>
  lookup.find(code).map((a) => [a.postalCode, a.prefecture, a.city, a.street]);

t.test('known codes give prefecture, city and street', async (t) => {
  t.same(triples('1600023'), [['1600023', '東京都', '新宿区', '西新宿']]);
  t.same(triples('1000001'), [['1000001', '東京都', '千代田区', '千代田']]);
  t.same(triples('0600000'), [['0600000', '北海道', '札幌市中央区', '']], '以下に掲載がない場合');
});

t.test('one code can cover several addresses, all returned', async (t) => {
  t.same(triples('4980000'), [
    ['4980000', '愛知県', '弥富市', ''],
    ['4980000', '三重県', '桑名郡木曽岬町', ''],
  ]);
  const kiyosu = lookup.find('4520961');
  t.ok(kiyosu.length > 50, `${kiyosu.length} streets under 452-0961`);
  t.ok(kiyosu.every((a) => a.city === '清須市'));
});

t.test("Japan Post's notes in place of a street become ''", async (t) => {
  t.same(triples('4090142'), [['4090142', '山梨県', '北都留郡小菅村', '']], '…の次に…がくる場合');
  t.same(triples('1000301'), [['1000301', '東京都', '利島村', '']], '利島村一円');
  t.same(triples('5220317'), [['5220317', '滋賀県', '犬上郡多賀町', '一円']], 'a real place');
  t.same(triples('1000004'), [['1000004', '東京都', '千代田区', '大手町']], '（次のビルを除く）');
});

t.test('unknown or malformed codes give nothing', async (t) => {
  t.same(lookup.find('9999999'), []);
  t.same(lookup.find('160002'), []);
  t.same(lookup.find('16000231'), []);
  t.same(lookup.find('abcdefg'), []);
  t.same(lookup.find(''), []);
});

t.test('what people type is read as the 7 digits', async (t) => {
  for (const typed of [
    '1600023',
    '160-0023',
    '〒160-0023',
    '〒 160-0023',
    '１６０－００２３',
    '160ー0023',
  ])
    t.equal(normalisePostalCode(typed), '1600023', typed);
  for (const bad of ['', '160-002', '1600-0233', '160-0023x', '+1600023', '16OOO23'])
    t.equal(normalisePostalCode(bad), null, bad);
  t.same(triples('〒１６０－００２３'), [['1600023', '東京都', '新宿区', '西新宿']]);
});
