/** How many customers one retrieval hands out: the setting, 3 at first for a setting of 1, capped. */
import t from 'tap';
import { claimSize, FIRST_CLAIM_OF_ONE, MAX_CLAIM_SIZE } from '../../src/call-lists/claim-size.js';

t.test('the setting, whatever one holds', async (t) => {
  t.equal(claimSize(50, 0), 50);
  t.equal(claimSize(50, 10), 50);
  t.equal(claimSize(5, 0), 5);
  t.equal(claimSize(2, 0), 2, 'only a setting of 1 has the first-time rule');
});

t.test('a setting of 1: 3 while one holds none, then 1', async (t) => {
  t.equal(claimSize(1, 0), FIRST_CLAIM_OF_ONE);
  t.equal(FIRST_CLAIM_OF_ONE, 3);
  t.equal(claimSize(1, 1), 1);
  t.equal(claimSize(1, 3), 1);
});

t.test('a request may ask for fewer, never more; never above the ceiling', async (t) => {
  t.equal(claimSize(10, 0, 3), 3);
  t.equal(claimSize(10, 0, 20), 10);
  t.equal(claimSize(1, 0, 1), 1, 'asking for one at first gives one');
  t.equal(claimSize(500, 0), MAX_CLAIM_SIZE);
  t.equal(claimSize(0, 0), 0);
});
