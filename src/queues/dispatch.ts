/**
 * The queue's decisions, without I/O: who may wait, which waiting call rings which agents now,
 * and when to look again.
 *
 * - Admission (最大待ち呼数): a group takes a call while fewer than `maxWaiting` calls wait;
 *   with `maxWaiting` = 0 only while fewer calls wait than there are free agents. Otherwise the
 *   call overflows (あふれ).
 * - Dispatch: waiting calls are served oldest first. Each call that is ready (its greeting is
 *   over) and not already ringing someone gets the agents the group's strategy picks among the
 *   free agents no earlier call took in this round of planning. An agent who did not answer a
 *   call is not rung for it again before `retrySeconds` (app_queue's retry), so a call whose
 *   only agent does not answer rings them again after a pause, never in a tight loop.
 * - Capacity (最大同時応答数): calls answered plus calls ringing agents never exceed
 *   `maxAnswered`, so the group cannot end up with more answered calls than allowed.
 * - Waking up: the plan changes by itself only when a retry pause ends or a waiting call
 *   accepts another skill level; `nextWake` says when, so the caller sets one timer.
 */
import type { RingStrategy } from './model.js';
import { acceptedLevels, pickAgents, type Candidate } from './strategies.js';

export interface WaitingCall {
  callId: string;
  enteredAt: Date;
  /** Agents may be rung for it (its greeting is over). */
  ready: boolean;
  /** An attempt is ringing agents for it now. */
  ringing: boolean;
  /** Agents rung for it in the current round. */
  tried: ReadonlySet<number>;
  /** Agents who did not answer it, and when they may be rung for it again. */
  notBefore: ReadonlyMap<number, Date>;
}

export interface DispatchSettings {
  strategy: RingStrategy;
  maxAnswered: number;
  levelRelaxationSeconds: number;
}

export interface Assignment {
  callId: string;
  agentIds: number[];
}

export function admits(maxWaiting: number, waiting: number, freeAgents: number): boolean {
  return maxWaiting === 0 ? waiting < freeAgents : waiting < maxWaiting;
}

export function waitedSeconds(call: Pick<WaitingCall, 'enteredAt'>, now: Date): number {
  return Math.max(0, (now.getTime() - call.enteredAt.getTime()) / 1000);
}

export function plan(input: {
  settings: DispatchSettings;
  now: Date;
  /** The group's waiting calls, oldest first. */
  calls: readonly WaitingCall[];
  /** The members free to take a call now. */
  candidates: readonly Candidate[];
  /** Calls of the group answered and still going. */
  answeredNow: number;
  /** round_robin's memory: the agent the group rang last, and their place in the list. */
  lastRung: { agentId: number; order: number } | null;
  random: () => number;
}): Assignment[] {
  const { settings, now } = input;
  const ringingNow = input.calls.filter((c) => c.ringing).length;
  let capacity = settings.maxAnswered - input.answeredNow - ringingNow;
  const taken = new Set<number>();
  let lastRung = input.lastRung;
  const assignments: Assignment[] = [];
  for (const call of input.calls) {
    if (capacity <= 0) break;
    if (!call.ready || call.ringing) continue;
    const untaken = input.candidates.filter((c) => !taken.has(c.agentId));
    // The skill tier is chosen before the retry pauses apply: a level-1 agent resting after
    // not answering keeps the call at level 1 (it waits for them) rather than letting it fall
    // through to level 2 — the seed's rule. skill_weighted has no tiers.
    const levels =
      settings.strategy === 'skill_weighted'
        ? undefined
        : new Set(
            acceptedLevels(untaken, waitedSeconds(call, now), settings.levelRelaxationSeconds),
          );
    const free = untaken.filter(
      (c) =>
        (levels === undefined || levels.has(c.level)) &&
        !((call.notBefore.get(c.agentId)?.getTime() ?? 0) > now.getTime()),
    );
    const agentIds = pickAgents(free, {
      strategy: settings.strategy,
      now,
      waitedSeconds: waitedSeconds(call, now),
      levelRelaxationSeconds: settings.levelRelaxationSeconds,
      tried: call.tried,
      lastRungAgentId: lastRung?.agentId ?? null,
      lastRungOrder: lastRung?.order ?? null,
      random: input.random,
    });
    if (agentIds.length === 0) continue;
    for (const id of agentIds) taken.add(id);
    const last = input.candidates.find((c) => c.agentId === agentIds.at(-1));
    if (last !== undefined) lastRung = { agentId: last.agentId, order: last.order };
    assignments.push({ callId: call.callId, agentIds });
    capacity -= 1;
  }
  return assignments;
}

/**
 * When the plan may change with nothing else happening: the end of a retry pause, or the next
 * skill level a waiting call accepts. Undefined when neither is ahead.
 */
export function nextWake(input: {
  now: Date;
  calls: readonly WaitingCall[];
  memberLevels: readonly number[];
  levelRelaxationSeconds: number;
}): Date | undefined {
  const now = input.now.getTime();
  const members = input.memberLevels.map((level) => ({ level }));
  const distinctLevels = new Set(input.memberLevels).size;
  let next = Infinity;
  for (const call of input.calls) {
    for (const at of call.notBefore.values())
      if (at.getTime() > now) next = Math.min(next, at.getTime());
    const relax = input.levelRelaxationSeconds;
    if (relax > 0 && call.ready) {
      const waited = waitedSeconds(call, input.now);
      const accepted = acceptedLevels(members, waited, relax).length;
      if (accepted < distinctLevels) {
        const step = Math.floor(waited / relax) + 1;
        next = Math.min(next, call.enteredAt.getTime() + step * relax * 1000);
      }
    }
  }
  return Number.isFinite(next) ? new Date(next) : undefined;
}

/**
 * Estimated wait for the caller at `position` (1 = next): the callers ahead, served by the
 * agents staffing the group one average handling time each, less what the caller has waited.
 */
export function estimatedWaitSeconds(input: {
  position: number;
  averageHandleSeconds: number;
  agentsStaffed: number;
  waitedSeconds: number;
}): number {
  const agents = Math.max(1, input.agentsStaffed);
  const ahead = Math.ceil(input.position / agents) * input.averageHandleSeconds;
  return Math.max(0, Math.round(ahead - input.waitedSeconds));
}

/** The exponential average app_queue keeps of hold and talk times: (3 × old + new) / 4. */
export function movingAverage(previous: number | null, sample: number): number {
  return previous === null ? sample : (3 * previous + sample) / 4;
}
