/**
 * The agent status statistics of a window (§10-5), read from the status log: the intervals
 * that start inside the window, and for each agent the one it was in when the window began (an
 * agent's intervals follow each other: the status service closes one as it opens the next).
 * They are streamed through the tally, so memory holds the table, not the intervals.
 */
import type { Db } from '../platform/db/client.js';
import type { BuiltInStatus } from './status.js';
import {
  createStatusTally,
  type StatusReportOptions,
  type StatusRow,
} from './status-statistics.js';

export interface StatusStatisticsQuery extends StatusReportOptions {
  /** Only the current members of this group. */
  groupId?: number | undefined;
  /** Only agents whose name or extension holds this text. */
  agent?: string | undefined;
}

export interface StatusStatisticsRow extends StatusRow {
  /** `(extension)name`, or the name; `#id` for an agent deleted since. */
  agent: string;
}

interface IntervalRow {
  agent_id: number;
  status: BuiltInStatus;
  custom_status_id: number | null;
  started_at: number;
  ended_at: number | null;
}

type IntervalColumns = [
  agentId: number,
  status: BuiltInStatus,
  customStatusId: number | null,
  startedAt: number,
  endedAt: number | null,
];

const COLUMNS = 'agent_id, status, custom_status_id, started_at, ended_at';

export function statusStatistics(db: Db, query: StatusStatisticsQuery): StatusStatisticsRow[] {
  const sqlite = db.$client;
  const agents = sqlite
    .prepare<[], { id: number; nickname: string; extension: string | null }>(
      'SELECT id, nickname, extension FROM agents',
    )
    .all();
  const members =
    query.groupId === undefined
      ? undefined
      : new Set(
          sqlite
            .prepare<[number], { agent_id: number }>(
              'SELECT agent_id FROM group_members WHERE group_id = ?',
            )
            .all(query.groupId)
            .map((m) => m.agent_id),
        );
  const wanted = (a: { id: number; nickname: string; extension: string | null }) =>
    (members === undefined || members.has(a.id)) &&
    (query.agent === undefined ||
      a.nickname.includes(query.agent) ||
      (a.extension ?? '').includes(query.agent));
  const chosen = new Map(agents.filter(wanted).map((a) => [a.id, a]));

  const tally = createStatusTally(query);
  const inForce = sqlite.prepare<[number, number], IntervalRow>(
    `SELECT ${COLUMNS} FROM agent_status_log WHERE agent_id = ? AND started_at < ? ` +
      'ORDER BY started_at DESC LIMIT 1',
  );
  const add = (r: IntervalRow) =>
    tally.addSpan(r.agent_id, r.status, r.custom_status_id, r.started_at, r.ended_at);
  for (const agentId of chosen.keys()) {
    const row = inForce.get(agentId, query.from.getTime());
    if (row !== undefined) add(row);
  }
  // Rows as arrays (in COLUMNS order): a week is hundreds of thousands of intervals.
  const starting = sqlite
    .prepare<[number, number], IntervalColumns>(
      `SELECT ${COLUMNS} FROM agent_status_log WHERE started_at >= ? AND started_at < ?`,
    )
    .raw();
  const end = Math.min(query.to.getTime(), query.now.getTime());
  for (const [agentId, status, customStatusId, startedAt, endedAt] of starting.iterate(
    query.from.getTime(),
    end,
  )) {
    if (chosen.has(agentId)) tally.addSpan(agentId, status, customStatusId, startedAt, endedAt);
  }

  return tally.rows().map((r) => {
    const a = chosen.get(r.agentId);
    const label =
      a === undefined
        ? `#${r.agentId}`
        : a.extension === null
          ? a.nickname
          : `(${a.extension})${a.nickname}`;
    return { ...r, agent: label };
  });
}
