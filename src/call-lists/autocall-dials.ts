/**
 * The calls made to the customers an operator holds (A.9.4's 架電日時 / 結果 / 済, A.23): read from
 * the call history, the one record of every call placed. A held customer's last dial is the
 * operator's latest outbound call to the customer's number since the customer was retrieved —
 * 応答 when the customer's leg was answered, 不応答 when it ended without, still going while it
 * has not ended. The call-list model keeps no per-call columns on a held customer (its results
 * reach the server only with the operator's upload, A.10.3), so this is what the held list and
 * autocall show, and what a new session skips, without a second copy of the history.
 */
import { and, desc, eq, inArray } from 'drizzle-orm';
import { callHistory } from '../calls/schema.js';
import type { DbOrTx } from '../platform/db/client.js';
import type { DialResult } from './autocall-decision.js';

export interface HeldDial {
  callId: string;
  /** 架電日時: when the call was placed. */
  at: Date;
  /** null while the call goes on. */
  result: DialResult | null;
}

export function lastDials(
  db: DbOrTx,
  agentId: number,
  held: readonly { id: number; phone: string; claimedAt: Date | null }[],
): Map<number, HeldDial> {
  const phones = [...new Set(held.map((c) => c.phone).filter((p) => p !== ''))];
  if (phones.length === 0) return new Map();
  const rows = db
    .select({
      callId: callHistory.callId,
      toNumber: callHistory.toNumber,
      startedAt: callHistory.startedAt,
      answeredAt: callHistory.answeredAt,
      endedAt: callHistory.endedAt,
    })
    .from(callHistory)
    .where(
      and(
        eq(callHistory.agentId, agentId),
        eq(callHistory.direction, 'outbound'),
        inArray(callHistory.toNumber, phones),
      ),
    )
    .orderBy(desc(callHistory.id))
    .all();
  const dials = new Map<number, HeldDial>();
  for (const c of held) {
    const since = c.claimedAt?.getTime() ?? 0;
    const last = rows.find((r) => r.toNumber === c.phone && r.startedAt.getTime() >= since);
    if (last === undefined) continue;
    dials.set(c.id, {
      callId: last.callId,
      at: last.startedAt,
      result: last.answeredAt !== null ? 'answered' : last.endedAt === null ? null : 'no_answer',
    });
  }
  return dials;
}
