/** How a FAQ search text becomes an FTS5 trigram query and LIKE terms (crm/faqs/search.ts). */
import t from 'tap';
import { planSearch } from '../../src/crm/faqs/search.js';

t.test('terms of 3 or more characters are quoted phrases, ANDed', async (t) => {
  t.same(planSearch('配送料金', 'title_and_details'), { match: '"配送料金"', short: [] });
  t.same(planSearch('配送料金 解約手続き', 'title_and_details'), {
    match: '"配送料金" AND "解約手続き"',
    short: [],
  });
  t.same(planSearch('配送料金', 'title'), { match: 'title : "配送料金"', short: [] });
});

t.test('terms of 1–2 characters go to LIKE; the length counts characters', async (t) => {
  t.same(planSearch('返品', 'title_and_details'), { match: null, short: ['返品'] });
  t.same(planSearch('円', 'title'), { match: null, short: ['円'] });
  t.same(planSearch('返品 7日以内', 'title_and_details'), { match: '"7日以内"', short: ['返品'] });
  t.same(planSearch('𠮷野', 'title'), { match: null, short: ['𠮷野'] }, 'a surrogate pair is one');
  t.same(planSearch('𠮷野家', 'title'), { match: 'title : "𠮷野家"', short: [] });
});

t.test('white space of any kind splits; repeats and empties go', async (t) => {
  t.same(planSearch('  配送料金\u3000沖縄\t配送料金 ', 'title_and_details'), {
    match: '"配送料金"',
    short: ['沖縄'],
  });
  t.same(planSearch('   ', 'title'), { match: null, short: [] });
});

t.test('FTS5 syntax is text: quotes doubled, operators inside a phrase', async (t) => {
  t.same(planSearch('a"b"c', 'title_and_details'), { match: '"a""b""c"', short: [] });
  t.same(planSearch('NEAR(x', 'title_and_details'), { match: '"NEAR(x"', short: [] });
  t.same(planSearch('OR', 'title_and_details'), { match: null, short: ['OR'] });
  t.same(planSearch('AND', 'title'), { match: 'title : "AND"', short: [] });
});
