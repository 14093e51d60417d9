/**
 * The call history search (§9-1): a page of rows, newest first, and how many match — for the
 * rows a reader may see (HistoryScope). Every filter has an index (calls/schema.ts), so neither
 * the page nor the count reads the whole table; the party is matched on its digits, exactly or
 * by their beginning (an index range), not anywhere inside the number.
 */
import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/db/client.js';
import { countRows } from '../platform/db/query.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { CallType } from './outcomes.js';
import { callHistory, type CallHistoryRow } from './schema.js';

/**
 * Whose calls a reader sees: everyone's (call_history.view_all), or only the calls one agent
 * took part in — as caller, as the agent who took it, or as the agent called.
 */
export type HistoryScope = { all: true } | { all: false; agentId: number | null };

export interface HistoryFilter extends PageQuery {
  from?: Date | undefined;
  to?: Date | undefined;
  /** The other party's number: its digits, or their beginning (see partyMatch). */
  party?: string | undefined;
  partyMatch?: 'prefix' | 'exact' | undefined;
  ourNumber?: string | undefined;
  type?: CallType | undefined;
  agentId?: number | undefined;
  minSeconds?: number | undefined;
  groupId?: number | undefined;
}

/** The condition that limits rows to a scope (undefined: no limit). */
export function scopeCondition(scope: HistoryScope): SQL | undefined {
  if (scope.all) return undefined;
  if (scope.agentId === null) return sql`0`;
  return or(eq(callHistory.agentId, scope.agentId), eq(callHistory.calleeAgentId, scope.agentId));
}

/** Numbers that begin with `digits`: an index range (':' follows '9', so it ends the digits). */
function numberMatches(
  column: typeof callHistory.fromNumber | typeof callHistory.toNumber,
  digits: string,
  match: 'prefix' | 'exact',
): SQL | undefined {
  return match === 'exact'
    ? eq(column, digits)
    : and(gte(column, digits), lt(column, `${digits}:`));
}

export function searchHistory(
  db: Db,
  { filter, scope }: { filter: HistoryFilter; scope: HistoryScope },
): Page<CallHistoryRow> {
  const { limit, offset, from, to, party, ourNumber, type, agentId, minSeconds, groupId } = filter;
  const match = filter.partyMatch ?? 'prefix';
  const conditions: (SQL | undefined)[] = [
    scopeCondition(scope),
    from === undefined ? undefined : gte(callHistory.startedAt, from),
    to === undefined ? undefined : lt(callHistory.startedAt, to),
    party === undefined
      ? undefined
      : or(
          numberMatches(callHistory.fromNumber, party, match),
          numberMatches(callHistory.toNumber, party, match),
        ),
    ourNumber === undefined ? undefined : eq(callHistory.ourNumber, ourNumber),
    type === undefined ? undefined : eq(callHistory.type, type),
    agentId === undefined
      ? undefined
      : or(eq(callHistory.agentId, agentId), eq(callHistory.calleeAgentId, agentId)),
    minSeconds === undefined ? undefined : gte(callHistory.talkSeconds, minSeconds),
    groupId === undefined ? undefined : eq(callHistory.groupId, groupId),
  ];
  const where = and(...conditions);
  const items = db
    .select()
    .from(callHistory)
    .where(where)
    .orderBy(desc(callHistory.startedAt), desc(callHistory.id))
    .limit(limit)
    .offset(offset)
    .all();
  return { items, total: countRows(db, callHistory, where) };
}
