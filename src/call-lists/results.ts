/**
 * Result upload ([アップロード], A.10.3, A.11): an operator sends, per customer they retrieved,
 * 結果 / 見込み / 再架電 / 対応メモ / 架電日時. Each record becomes a call-history row (未架電 ones
 * too, without a date) and sets the customer's final status by 再架電 > 見込み > 結果. The whole
 * upload is one transaction: a customer the operator does not hold refuses it all (409
 * `not_retrieved`), and nothing is written. Sending the same upload again (a retry after a lost
 * answer) writes nothing twice: a record equal to a row already written for that customer by
 * that operator is counted as a duplicate and skipped.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../platform/db/client.js';
import { conflict } from '../platform/http/errors.js';
import { countsAsCalled, finalStatusOf, type CallResult, type FinalStatus } from './outcomes.js';
import { callListCustomers, callListResults } from './schema.js';
import type { CallListSettings } from './settings.js';

export interface ResultRecord {
  customerId: number;
  result: CallResult;
  prospect: boolean;
  recall: boolean;
  memo: string;
  /** 架電日時; null for 未架電. */
  calledAt: Date | null;
}

export interface UploadOutcome {
  written: number;
  duplicates: number;
  customers: { customerId: number; finalStatus: FinalStatus }[];
}

export function uploadResults(
  db: Db,
  upload: {
    agentId: number;
    agentLabel: string;
    records: readonly ResultRecord[];
    settings: Pick<CallListSettings, 'calledCounts'>;
    now: Date;
  },
): UploadOutcome {
  const { agentId, agentLabel, records, settings, now } = upload;
  return db.transaction((tx) => {
    const ids = [...new Set(records.map((r) => r.customerId))];
    const held = new Map(
      tx
        .select()
        .from(callListCustomers)
        .where(
          and(inArray(callListCustomers.customerId, ids), eq(callListCustomers.claimedBy, agentId)),
        )
        .all()
        .map((c) => [c.customerId, c]),
    );
    const notHeld = ids.filter((id) => !held.has(id));
    if (notHeld.length > 0)
      throw conflict(
        'not_retrieved',
        `Customers ${notHeld.join(', ')} are not retrieved by this operator`,
        { customerIds: notHeld },
      );
    let written = 0;
    let duplicates = 0;
    const finals = new Map<number, FinalStatus>();
    for (const r of records) {
      const finalStatus = finalStatusOf(r);
      const calledAt = r.result === 'not_called' ? null : r.calledAt;
      const same = tx
        .select({ id: callListResults.id })
        .from(callListResults)
        .where(
          and(
            eq(callListResults.customerId, r.customerId),
            eq(callListResults.agentId, agentId),
            eq(callListResults.result, r.result),
            eq(callListResults.prospect, r.prospect),
            eq(callListResults.recall, r.recall),
            eq(callListResults.memo, r.memo),
            calledAt === null
              ? isNull(callListResults.calledAt)
              : eq(callListResults.calledAt, calledAt),
            isNull(callListResults.deletedAt),
          ),
        )
        .get();
      finals.set(r.customerId, finalStatus);
      if (same !== undefined) {
        duplicates += 1;
        continue;
      }
      tx.insert(callListResults)
        .values({
          customerId: r.customerId,
          listId: held.get(r.customerId)?.claimedFromList ?? null,
          agentId,
          agentLabel,
          result: r.result,
          prospect: r.prospect,
          recall: r.recall,
          finalStatus,
          called: countsAsCalled(r.result, settings.calledCounts),
          memo: r.memo,
          calledAt,
          uploadedAt: now,
        })
        .run();
      written += 1;
    }
    for (const [customerId, finalStatus] of finals)
      tx.update(callListCustomers)
        .set({ finalStatus, lastResultAt: now, resultPending: false })
        .where(eq(callListCustomers.customerId, customerId))
        .run();
    return {
      written,
      duplicates,
      customers: [...finals].map(([customerId, finalStatus]) => ({ customerId, finalStatus })),
    };
  });
}
