/**
 * Realtime queue statistics (§10-1 リアルタイム): per group and for "All", today's counters —
 * answered, abandoned, overflow, timed out, answer rate, service level — next to the live
 * numbers — agents online / total, on call (ringing counts), available, paused, calls waiting,
 * the longest wait now.
 *
 * The counters are a fold of the queue event log since midnight in the configured time zone,
 * with the same reducer the reports and their rollups use (counters.ts): at start and midnight
 * they are read from the rollups, then each event logged is folded in, so the feed always equals
 * a recount of the log. They are pushed on the `groups` topic (`queue_stats`) when something
 * changes — an event logged, a call waiting or leaving, an agent's status — batched for at most
 * PUSH_DELAY_MS, never on a timer; the only timer resets the counters at midnight.
 */
import type { AgentStatusService } from '../agents/status-service.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { Acd } from './acd.js';
import type { GroupsService, GroupView } from './groups-service.js';
import type { QueueEvent } from './model.js';
import type { QueueLog } from './queue-log.js';
import { startOfDay } from '../platform/calendar.js';
import {
  addCounters,
  columnsOf,
  countEvent,
  emptyCounters,
  type QueueColumns,
  type QueueCounters,
} from './counters.js';

const PUSH_DELAY_MS = 50;
const SUPERVISOR_VIEW = 'realtime.view';
const ON_CALL: ReadonlySet<string> = new Set(['ringing', 'on_call', 'on_hold']);
const ONLINE_ABSENT: ReadonlySet<string> = new Set(['offline', 'unknown']);

export interface AgentCounts {
  online: number;
  total: number;
  onCall: number;
  available: number;
  paused: number;
}

export interface GroupStats extends QueueColumns, AgentCounts {
  /** A group's id; null for the "All" row. */
  groupId: number | null;
  name: string;
  extension: string | null;
  waiting: number;
  longestWaitSeconds: number;
  /** The period the counters cover: since this midnight. */
  since: Date;
}

export interface RealtimeStatsDeps {
  hub: Hub;
  clock: Clock;
  timeZone: string;
  groups: GroupsService;
  acd: Acd;
  queueLog: QueueLog;
  /** Each group's counters since an instant, from the rollups of the log (group-stats.ts). */
  rollups: { countersSince(from: Date): Map<number, QueueCounters> };
  agentStatus: AgentStatusService;
}

export function createRealtimeStats(deps: RealtimeStatsDeps) {
  const { hub, clock, groups, acd, queueLog, agentStatus } = deps;
  let dayStart = startOfDay(clock.now(), deps.timeZone);
  let nextMidnight = dayStart;
  let counters = new Map<number, QueueCounters>();
  const dirty = new Set<number>();
  let pushTimer: Timer | null = null;
  let midnightTimer: Timer | null = null;

  function thresholdOf(groupId: number): number {
    return groups.find(groupId)?.serviceLevelSeconds ?? 20;
  }

  /** Today's counters, read from the rollups of the log (at start, and at midnight). */
  function recount(): void {
    dayStart = startOfDay(clock.now(), deps.timeZone);
    counters = deps.rollups.countersSince(dayStart);
    armMidnight();
  }

  function fold(event: QueueEvent): void {
    if (event.groupId === null) return;
    const current = counters.get(event.groupId) ?? emptyCounters();
    counters.set(event.groupId, countEvent(current, event, thresholdOf(event.groupId)));
  }

  function armMidnight(): void {
    if (midnightTimer !== null) clock.clearTimeout(midnightTimer);
    // The next midnight: the start of the day 25 h after this one's start (days last 23-25 h).
    nextMidnight = startOfDay(new Date(dayStart.getTime() + 25 * 3_600_000), deps.timeZone);
    midnightTimer = clock.setTimeout(
      () => {
        recount();
        for (const g of groups.all()) dirty.add(g.id);
        schedulePush();
      },
      Math.max(0, nextMidnight.getTime() - clock.now().getTime()),
    );
  }

  function agentCounts(agentIds: Iterable<{ agentId: number; paused: boolean }>): AgentCounts {
    const counts: AgentCounts = { online: 0, total: 0, onCall: 0, available: 0, paused: 0 };
    for (const { agentId, paused } of agentIds) {
      const status = agentStatus.get(agentId).status;
      counts.total += 1;
      if (!ONLINE_ABSENT.has(status)) counts.online += 1;
      if (ON_CALL.has(status)) counts.onCall += 1;
      else if (status === 'available' && !paused) counts.available += 1;
      else if (status === 'paused' || (status === 'available' && paused)) counts.paused += 1;
    }
    return counts;
  }

  function waitingNow(groupIds: number[]): { waiting: number; longestWaitSeconds: number } {
    let waiting = 0;
    let longest = 0;
    for (const id of groupIds) {
      for (const w of acd.waiting(id)) {
        waiting += 1;
        longest = Math.max(longest, w.waitedSeconds);
      }
    }
    return { waiting, longestWaitSeconds: longest };
  }

  function statsOf(group: GroupView): GroupStats {
    const members = groups.members(group.id);
    return {
      groupId: group.id,
      name: group.name,
      extension: group.extension,
      ...columnsOf(counters.get(group.id) ?? emptyCounters()),
      ...agentCounts(members),
      ...waitingNow([group.id]),
      since: dayStart,
    };
  }

  /** The "All" row: every group's counters summed, each agent counted once. */
  function allStats(all: GroupView[]): GroupStats {
    let sum = emptyCounters();
    for (const g of all) {
      const c = counters.get(g.id);
      if (c !== undefined) sum = addCounters(sum, c);
    }
    // Paused for one group but not another counts as paused only if paused in all of them.
    const members = new Map<number, boolean>();
    for (const g of all) {
      for (const m of groups.members(g.id))
        members.set(m.agentId, (members.get(m.agentId) ?? true) && m.paused);
    }
    return {
      groupId: null,
      name: 'All',
      extension: null,
      ...columnsOf(sum),
      ...agentCounts([...members].map(([agentId, paused]) => ({ agentId, paused }))),
      ...waitingNow(all.map((g) => g.id)),
      since: dayStart,
    };
  }

  function snapshot() {
    const all = groups.all();
    return { groups: all.map(statsOf), all: allStats(all) };
  }

  function schedulePush(): void {
    if (pushTimer !== null) return;
    pushTimer = clock.setTimeout(push, PUSH_DELAY_MS);
  }

  function push(): void {
    pushTimer = null;
    const all = groups.all();
    const changed = all.filter((g) => dirty.has(g.id));
    dirty.clear();
    if (changed.length === 0) return;
    hub.publish(
      'groups',
      'queue_stats',
      { groups: changed.map(statsOf).map(toWire), all: toWire(allStats(all)) },
      (p) => p.permissions.has(SUPERVISOR_VIEW),
    );
  }

  function touch(groupId: number): void {
    dirty.add(groupId);
    schedulePush();
  }

  recount();
  queueLog.onAppend((event) => {
    if (event.at >= nextMidnight) recount();
    else fold(event);
    if (event.groupId !== null) touch(event.groupId);
  });
  acd.onChange(touch);
  groups.onChange(({ groupId }) => touch(groupId));
  agentStatus.onChange((view) => {
    for (const m of groups.groupsOf(view.agentId)) touch(m.groupId);
  });

  hub.defineTopic('groups', {
    canSubscribe: (p) => p.permissions.has(SUPERVISOR_VIEW),
    snapshot: () => {
      const s = snapshot();
      return { groups: s.groups.map(toWire), all: toWire(s.all) };
    },
  });

  return {
    snapshot,
    stop(): void {
      if (pushTimer !== null) clock.clearTimeout(pushTimer);
      if (midnightTimer !== null) clock.clearTimeout(midnightTimer);
    },
  };
}

export function toWire(s: GroupStats) {
  return { ...s, since: s.since.toISOString() };
}

export type RealtimeStats = ReturnType<typeof createRealtimeStats>;
