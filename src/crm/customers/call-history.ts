/**
 * A customer's call history (§8-1 lower tab 通話履歴): the calls of the call history whose caller
 * or called number is one of the customer's numbers (phone list and phone fields), newest first.
 * Each number is an index lookup on call_history (from / to number), not a scan.
 */
import { and, desc, inArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { countRows } from '../../platform/db/query.js';
import type { Page, PageQuery } from '../../platform/http/pagination.js';
import { callHistory, type CallHistoryRow } from '../../calls/schema.js';
import { allDigitsOf } from './phones.js';

export function customerCallHistory(
  db: DbOrTx,
  customerId: number,
  page: PageQuery,
): Page<CallHistoryRow> {
  const numbers = allDigitsOf(db, customerId);
  if (numbers.length === 0) return { items: [], total: 0 };
  const where = and(
    or(inArray(callHistory.fromNumber, numbers), inArray(callHistory.toNumber, numbers)),
  );
  return {
    items: db
      .select()
      .from(callHistory)
      .where(where)
      .orderBy(desc(callHistory.startedAt), desc(callHistory.id))
      .limit(page.limit)
      .offset(page.offset)
      .all(),
    total: countRows(db, callHistory, where),
  };
}
