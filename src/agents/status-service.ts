/**
 * Agent status at run time: holds each agent's selection and facts, derives the status with
 * agents/status.ts, and on every change writes the status log, then publishes
 * `agent_status_changed` (topics `agents` and `me`).
 *
 * Inputs: the agent or a supervisor (REST), login, registrations (terminals), the link to
 * Asterisk (gateway), the agent's calls (call engine), and timers for timed statuses.
 */
import { and, eq, gt, inArray, isNull, lt, max, or } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { unprocessable } from '../platform/http/errors.js';
import type { Principal } from '../platform/http/auth.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { CustomStatusesService } from './custom-statuses-service.js';
import { agentSelections, agentStatusLog } from './schema.js';
import {
  INITIAL_SELECTION,
  NO_CALLS,
  PAUSED,
  choose,
  effectiveStatus,
  onAutoPause,
  onCallEnded,
  onLogin,
  onTick,
  sameSelection,
  sameStatus,
  type CallCounts,
  type EffectiveStatus,
  type Selection,
  type SelectionState,
} from './status.js';

export interface AgentStatusView extends EffectiveStatus {
  agentId: number;
  since: Date;
  selection: Selection;
  until: Date | null;
  registered: boolean;
}

export interface StatusFacts {
  /** Is Asterisk reachable (ARI connected)? */
  asteriskUp(): boolean;
  isRegistered(agentId: number): boolean;
}

export interface AgentStatusService {
  get(agentId: number): AgentStatusView;
  list(): AgentStatusView[];
  choose(agentId: number, wanted: Selection, actor: string): AgentStatusView;
  /** "Everyone back to available": every agent's selection becomes available. */
  allAvailable(actor: string): number;
  loggedIn(agentId: number): void;
  callEnded(
    agentId: number,
    external: boolean,
    override?: { customStatusId: number; seconds: number },
  ): void;
  setCalls(agentId: number, calls: CallCounts): void;
  /** 無応答自動停止: pauses an agent who did not answer, for `seconds` (0 = until changed). */
  autoPause(agentId: number, seconds: number): AgentStatusView;
  /** The status log's intervals overlapping [from, to) (for status statistics, §10-5). */
  intervals(
    from: Date,
    to: Date,
  ): {
    agentId: number;
    status: string;
    customStatusId: number | null;
    startedAt: Date;
    endedAt: Date | null;
  }[];
  /** When the agent's last call ended, and how long they have been on calls since `from`. */
  callTimes(agentId: number, from: Date): { lastCallEndedAt: Date | null; talkSeconds: number };
  /** Recomputes every agent (e.g. when Asterisk comes or goes). */
  refreshAll(): void;
  /** Recomputes one agent (e.g. a registration changed). */
  refresh(agentId: number): void;
  onChange(listener: (view: AgentStatusView) => void): () => void;
  /** Told when an agent's status is chosen for all groups at once (§4-2, the white tag). */
  onChosen(listener: (agentId: number) => void): () => void;
}

interface Runtime {
  selection: SelectionState;
  calls: CallCounts;
  status: EffectiveStatus;
  /** Whether a terminal of the agent was registered when the status was last derived. */
  registered: boolean;
  since: Date;
  logId: number | null;
  timer: Timer | null;
}

export interface StatusServiceDeps {
  db: Db;
  clock: Clock;
  hub: Hub;
  log: Logger;
  statuses: CustomStatusesService;
  facts: StatusFacts;
}

const SUPERVISOR_VIEW = 'realtime.view';

export function createAgentStatusService(deps: StatusServiceDeps): AgentStatusService {
  const { db, clock, hub, log, statuses, facts } = deps;
  const runtimes = new Map<number, Runtime>();
  const listeners = new Set<(view: AgentStatusView) => void>();
  const chosenListeners = new Set<(agentId: number) => void>();

  // The server was down since the open log rows were written: close them now.
  db.update(agentStatusLog)
    .set({ endedAt: clock.now() })
    .where(isNull(agentStatusLog.endedAt))
    .run();

  function loadSelection(agentId: number): SelectionState {
    const row = db.select().from(agentSelections).where(eq(agentSelections.agentId, agentId)).get();
    if (row === undefined) return INITIAL_SELECTION;
    const selection = (kind: 'available' | 'paused', id: number | null): Selection =>
      kind === 'available' ? { kind } : { kind, customStatusId: id };
    return {
      selection: selection(row.kind, row.customStatusId),
      previous: selection(row.previousKind, row.previousCustomStatusId),
      until: row.until,
    };
  }

  function saveSelection(agentId: number, state: SelectionState, actor: string): void {
    const values = {
      kind: state.selection.kind,
      customStatusId: state.selection.kind === 'paused' ? state.selection.customStatusId : null,
      previousKind: state.previous.kind,
      previousCustomStatusId:
        state.previous.kind === 'paused' ? state.previous.customStatusId : null,
      until: state.until,
      updatedAt: clock.now(),
      updatedBy: actor,
    };
    db.insert(agentSelections)
      .values({ agentId, ...values })
      .onConflictDoUpdate({ target: agentSelections.agentId, set: values })
      .run();
  }

  /**
   * The status from the selection and the facts. Registrations are looked up here only — every
   * registration change refreshes the agent — so reading a status (`get`, on every queue
   * decision and statistics push) costs no query.
   */
  function derive(
    agentId: number,
    runtime: Pick<Runtime, 'selection' | 'calls'>,
  ): { status: EffectiveStatus; registered: boolean } {
    const registered = facts.isRegistered(agentId);
    const status = effectiveStatus(runtime.selection.selection, {
      asteriskUp: facts.asteriskUp(),
      registered,
      calls: runtime.calls,
    });
    return { status, registered };
  }

  function view(agentId: number, runtime: Runtime): AgentStatusView {
    return {
      agentId,
      ...runtime.status,
      since: runtime.since,
      selection: runtime.selection.selection,
      until: runtime.selection.until,
      registered: runtime.registered,
    };
  }

  // A status change is written on every ring, answer and hang-up: the statements are prepared
  // once, and plain better-sqlite3 (the query builder's row mapping would cost more than the write).
  const insertLog = db.$client
    .prepare<[number, string, number | null, number], number>(
      'INSERT INTO agent_status_log (agent_id, status, custom_status_id, started_at) ' +
        'VALUES (?, ?, ?, ?) RETURNING id',
    )
    .pluck();
  const closeLog = db.$client.prepare<[number, number]>(
    'UPDATE agent_status_log SET ended_at = ? WHERE id = ?',
  );

  function openLog(agentId: number, status: EffectiveStatus, at: Date): number {
    const id = insertLog.get(agentId, status.status, status.customStatusId, at.getTime());
    if (id === undefined) throw new Error('agent_status_log: no id returned');
    return id;
  }

  /**
   * Closes the agent's open log row and opens the next, together: better-sqlite3's own
   * transaction, built once, as this runs on every ring, answer and hang-up.
   */
  const moveLog = db.$client.transaction(
    (openId: number | null, agentId: number, status: EffectiveStatus, at: Date): number => {
      if (openId !== null) closeLog.run(at.getTime(), openId);
      return openLog(agentId, status, at);
    },
  );

  function runtimeOf(agentId: number): Runtime {
    let runtime = runtimes.get(agentId);
    if (runtime === undefined) {
      const selection = loadSelection(agentId);
      const now = clock.now();
      const partial = { selection, calls: NO_CALLS };
      const { status, registered } = derive(agentId, partial);
      runtime = {
        ...partial,
        status,
        registered,
        since: now,
        logId: openLog(agentId, status, now),
        timer: null,
      };
      runtimes.set(agentId, runtime);
      armTimer(agentId, runtime);
    }
    return runtime;
  }

  function armTimer(agentId: number, runtime: Runtime): void {
    if (runtime.timer !== null) clock.clearTimeout(runtime.timer);
    runtime.timer = null;
    const until = runtime.selection.until;
    if (until === null) return;
    runtime.timer = clock.setTimeout(
      () => {
        // Timers may fire a millisecond before their time by the wall clock: wait the rest,
        // or the timed status would never end.
        if (clock.now() < until) {
          armTimer(agentId, runtime);
          return;
        }
        update(agentId, (r) => ({ ...r, selection: onTick(r.selection, clock.now()) }), 'system');
      },
      Math.max(0, until.getTime() - clock.now().getTime()),
    );
  }

  /** Applies a change to an agent's runtime; persists, logs and publishes what changed. */
  function update(
    agentId: number,
    change: (r: Runtime) => Pick<Runtime, 'selection' | 'calls'>,
    actor: string,
  ): AgentStatusView {
    const runtime = runtimeOf(agentId);
    const next = change(runtime);
    const selectionChanged =
      !sameSelection(next.selection.selection, runtime.selection.selection) ||
      next.selection.until?.getTime() !== runtime.selection.until?.getTime();
    runtime.selection = next.selection;
    runtime.calls = next.calls;
    if (selectionChanged) {
      saveSelection(agentId, runtime.selection, actor);
      armTimer(agentId, runtime);
    }
    const { status, registered } = derive(agentId, runtime);
    runtime.registered = registered;
    if (!sameStatus(status, runtime.status)) {
      const now = clock.now();
      const previous = runtime.status;
      runtime.logId = moveLog(runtime.logId, agentId, status, now);
      runtime.status = status;
      runtime.since = now;
      const current = view(agentId, runtime);
      log.debug(
        { agentId, status: status.status, previous: previous.status },
        'agent status changed',
      );
      publish(current, previous);
      for (const listener of listeners) listener(current);
    } else if (selectionChanged) {
      // The selection moved under a fact (e.g. chose a break while on a call): still worth telling.
      publish(view(agentId, runtime), runtime.status);
    }
    return view(agentId, runtime);
  }

  function publish(current: AgentStatusView, previous: EffectiveStatus): void {
    const data = {
      ...toWire(current),
      previousStatus: previous.status,
      previousCustomStatusId: previous.customStatusId,
    };
    hub.publish(
      'agents',
      'agent_status_changed',
      data,
      (p) => p.permissions.has(SUPERVISOR_VIEW) || isSelf(p, current.agentId),
    );
    hub.publish('me', 'agent_status_changed', data, (p) => isSelf(p, current.agentId));
  }

  function existingAgentIds(): number[] {
    return db
      .select({ id: agents.id })
      .from(agents)
      .all()
      .map((a) => a.id);
  }

  function assertSelectable(wanted: Selection): void {
    if (
      wanted.kind === 'paused' &&
      wanted.customStatusId !== null &&
      !statuses.exists(wanted.customStatusId)
    ) {
      throw unprocessable('unknown_status', `There is no agent status ${wanted.customStatusId}`);
    }
  }

  statuses.onRemoved((id) => {
    for (const [agentId, runtime] of runtimes) {
      const uses = (s: Selection) => s.kind === 'paused' && s.customStatusId === id;
      if (uses(runtime.selection.selection) || uses(runtime.selection.previous)) {
        update(
          agentId,
          (r) => ({
            ...r,
            selection: {
              selection: uses(r.selection.selection) ? PAUSED : r.selection.selection,
              previous: uses(r.selection.previous) ? PAUSED : r.selection.previous,
              until: uses(r.selection.selection) ? null : r.selection.until,
            },
          }),
          'system',
        );
      }
    }
  });

  const service: AgentStatusService = {
    get: (agentId) => view(agentId, runtimeOf(agentId)),
    list() {
      const ids = existingAgentIds();
      for (const id of runtimes.keys()) if (!ids.includes(id)) runtimes.delete(id);
      return ids.map((id) => view(id, runtimeOf(id)));
    },
    choose(agentId, wanted, actor) {
      assertSelectable(wanted);
      const rules = statuses.rules();
      const view = update(
        agentId,
        (r) => ({ ...r, selection: choose(r.selection, wanted, rules) }),
        actor,
      );
      for (const listener of chosenListeners) listener(agentId);
      return view;
    },
    allAvailable(actor) {
      let changed = 0;
      for (const id of existingAgentIds()) {
        const before = runtimeOf(id).selection.selection;
        if (before.kind !== 'available') {
          update(
            id,
            (r) => ({
              ...r,
              selection: {
                selection: { kind: 'available' },
                previous: r.selection.selection,
                until: null,
              },
            }),
            actor,
          );
          changed += 1;
        }
        for (const listener of chosenListeners) listener(id);
      }
      return changed;
    },
    loggedIn(agentId) {
      const rules = statuses.rules();
      update(agentId, (r) => ({ ...r, selection: onLogin(r.selection, rules) }), 'system');
    },
    callEnded(agentId, external, override) {
      const rules = statuses.rules();
      update(
        agentId,
        (r) => ({
          ...r,
          selection: onCallEnded(r.selection, rules, external, clock.now(), override),
        }),
        'system',
      );
    },
    setCalls(agentId, calls) {
      update(agentId, (r) => ({ ...r, calls }), 'system');
    },
    autoPause(agentId, seconds) {
      return update(
        agentId,
        (r) => ({ ...r, selection: onAutoPause(r.selection, clock.now(), seconds) }),
        'system',
      );
    },
    intervals(from, to) {
      return db
        .select({
          agentId: agentStatusLog.agentId,
          status: agentStatusLog.status,
          customStatusId: agentStatusLog.customStatusId,
          startedAt: agentStatusLog.startedAt,
          endedAt: agentStatusLog.endedAt,
        })
        .from(agentStatusLog)
        .where(
          and(
            lt(agentStatusLog.startedAt, to),
            or(isNull(agentStatusLog.endedAt), gt(agentStatusLog.endedAt, from)),
          ),
        )
        .orderBy(agentStatusLog.agentId, agentStatusLog.startedAt)
        .all();
    },
    callTimes(agentId, from) {
      // The status log holds every call as on_call / on_hold time: the one source of both.
      const now = clock.now();
      const rows = db
        .select({ startedAt: agentStatusLog.startedAt, endedAt: agentStatusLog.endedAt })
        .from(agentStatusLog)
        .where(
          and(
            eq(agentStatusLog.agentId, agentId),
            inArray(agentStatusLog.status, ['on_call', 'on_hold']),
            or(isNull(agentStatusLog.endedAt), gt(agentStatusLog.endedAt, from)),
          ),
        )
        .all();
      let talkMs = 0;
      for (const row of rows) {
        const start = Math.max(row.startedAt.getTime(), from.getTime());
        const end = (row.endedAt ?? now).getTime();
        talkMs += Math.max(0, end - start);
      }
      const last = db
        .select({ endedAt: max(agentStatusLog.endedAt) })
        .from(agentStatusLog)
        .where(
          and(
            eq(agentStatusLog.agentId, agentId),
            inArray(agentStatusLog.status, ['on_call', 'on_hold']),
          ),
        )
        .get();
      return { lastCallEndedAt: last?.endedAt ?? null, talkSeconds: Math.round(talkMs / 1000) };
    },
    refreshAll() {
      for (const id of existingAgentIds()) update(id, (r) => r, 'system');
    },
    refresh(agentId) {
      if (existingAgentIds().includes(agentId)) update(agentId, (r) => r, 'system');
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onChosen(listener) {
      chosenListeners.add(listener);
      return () => chosenListeners.delete(listener);
    },
  };

  hub.defineTopic('agents', {
    canSubscribe: () => true,
    snapshot: (p) => ({
      agents: service
        .list()
        .filter((v) => p.permissions.has(SUPERVISOR_VIEW) || isSelf(p, v.agentId))
        .map(toWire),
    }),
  });
  hub.defineTopic('me', {
    canSubscribe: (p) => p.kind === 'agent',
    snapshot: (p) => ({ status: toWire(service.get(p.id)) }),
  });

  return service;
}

function isSelf(p: Principal, agentId: number): boolean {
  return p.kind === 'agent' && p.id === agentId;
}

/** An agent status as it goes over the wire (REST and the feed). */
export function toWire(v: AgentStatusView) {
  return {
    agentId: v.agentId,
    status: v.status,
    customStatusId: v.customStatusId,
    since: v.since.toISOString(),
    selection: v.selection.kind,
    selectedCustomStatusId: v.selection.kind === 'paused' ? v.selection.customStatusId : null,
    until: v.until === null ? null : v.until.toISOString(),
    registered: v.registered,
  };
}
