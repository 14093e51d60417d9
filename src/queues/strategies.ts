/**
 * Ring strategies of the ACD (鳴動方式), as pure functions: which of a group's free agents to ring
 * for a call's next attempt. The caller passes only the members free to take a call right now
 * (busy, paused and offline agents are filtered out before), and rings what comes back.
 *
 * Skill tiers. A call accepts only the lowest skill level present among the candidates, as
 * app_queue's penalty tiers do: while a level-1 agent is free, level-2 agents do not ring; when
 * every level-1 agent is busy (so none is a candidate), level 2 takes the calls. An agent who merely
 * does not answer stays free, hence a candidate: the call does not fall through to the next level
 * because a level does not answer (the seed's rule) — it rings that level again in a new round.
 * Only waiting widens the tier: with a level relaxation of N seconds (0 = off), after k·N seconds
 * the call accepts the k+1 lowest distinct levels present. Within the accepted levels every
 * candidate is equal — the level no longer orders them — except for ring_all, which rings all of
 * them anyway and lists them by level.
 *
 * Rounds. Every strategy but ring_all rings one agent per attempt and skips the agents already
 * rung for this call (`tried`); once every accepted candidate was tried, a new round starts and
 * `tried` is ignored. ring_all has no rotation to advance: each attempt rings every accepted
 * candidate again.
 *
 * The strategies:
 * - ring_all (全て呼び出し, app_queue ringall): every accepted candidate, sorted by level, then
 *   member order, then agent id.
 * - least_recent (終話順, app_queue leastrecent): the one whose last call ended longest ago; agents
 *   who had no call yet come first.
 * - shortest_talk_time (通話時間が短い順): the one who talked the least today.
 * - fewest_calls (app_queue fewestcalls): the one who answered the fewest calls from this group
 *   today.
 * - random (ランダム, app_queue random): uniform among the accepted untried candidates.
 * - round_robin (順番に呼び出し, app_queue rrmemory): the first accepted untried candidate after
 *   the agent the group rang last, in member order, wrapping around. When that agent is no longer
 *   a candidate (busy, paused, removed), the rotation resumes after the position it had
 *   (`lastRungOrder`); when nothing is remembered, from the top.
 * - linear (app_queue linear): every call starts from the top of the member order: the first
 *   accepted untried candidate.
 * - skill_weighted (レベルにより分配, like app_queue wrandom): no tiers and no relaxation — the
 *   level is the weight instead: a weighted random pick among all untried candidates with weight
 *   1/level, so level 1 gets twice the calls of level 2 and three times those of level 3.
 *
 * Ties, everywhere: the lower member order, then the lower agent id. Randomness comes only from
 * `ctx.random`, so that tests are deterministic; the other strategies never draw from it.
 */
import type { RingStrategy } from './model.js';

export interface Candidate {
  agentId: number;
  /** Skill level in this group; 1 is the best. */
  level: number;
  /** The member's position in the group's member list (0-based); round_robin and linear follow it, and it breaks ties. */
  order: number;
  /** When the agent's last call ended (any call), null if none yet. */
  lastCallEndedAt: Date | null;
  /** Seconds the agent has talked today. */
  talkSecondsToday: number;
  /** Calls the agent answered from this group today. */
  callsToday: number;
}

export interface PickContext {
  strategy: RingStrategy;
  now: Date;
  /** How long this call has waited in the group, in seconds. */
  waitedSeconds: number;
  /** 0 = off. Otherwise, every N seconds of waiting the call accepts one more skill level. */
  levelRelaxationSeconds: number;
  /** Agents already rung for this call in the current round. */
  tried: ReadonlySet<number>;
  /** round_robin: the agent the group rang last (its remembered position), null if none. */
  lastRungAgentId: number | null;
  /**
   * round_robin: the member order the last rung agent had, used when that agent is not among the
   * candidates (busy, paused or removed since), so the rotation resumes where it was.
   */
  lastRungOrder?: number | null;
  /** Uniform in [0, 1); injected so tests are deterministic. */
  random: () => number;
}

/** Member order, the tie-break everywhere: lower order, then lower agent id. */
export function byMemberOrder(a: Candidate, b: Candidate): number {
  return a.order - b.order || a.agentId - b.agentId;
}

/** The skill levels a call accepts now (ascending), from the candidates' levels. */
export function acceptedLevels(
  candidates: readonly Pick<Candidate, 'level'>[],
  waitedSeconds: number,
  levelRelaxationSeconds: number,
): number[] {
  const levels = [...new Set(candidates.map((c) => c.level))].sort((a, b) => a - b);
  // Written as negated comparisons so that a NaN relaxation or wait means "no relaxation".
  if (!(levelRelaxationSeconds > 0) || !(waitedSeconds > 0)) return levels.slice(0, 1);
  return levels.slice(0, 1 + Math.floor(waitedSeconds / levelRelaxationSeconds));
}

/** The agents to ring for this call's next attempt (ring_all: several; others: one; none: []). */
export function pickAgents(candidates: readonly Candidate[], ctx: PickContext): number[] {
  switch (ctx.strategy) {
    case 'ring_all':
      return inAcceptedLevels(candidates, ctx)
        .sort((a, b) => a.level - b.level || byMemberOrder(a, b))
        .map((c) => c.agentId);
    case 'skill_weighted':
      return idOf(weightedPick(thisRound(candidates, ctx.tried), ctx.random));
    case 'least_recent':
      // No call yet counts as the oldest end of all.
      return idOf(
        minBy(tierRound(candidates, ctx), (c) => c.lastCallEndedAt?.getTime() ?? -Infinity),
      );
    case 'shortest_talk_time':
      return idOf(minBy(tierRound(candidates, ctx), (c) => c.talkSecondsToday));
    case 'fewest_calls':
      return idOf(minBy(tierRound(candidates, ctx), (c) => c.callsToday));
    case 'random':
      return idOf(uniformPick(tierRound(candidates, ctx), ctx.random));
    case 'round_robin':
      return idOf(nextInRotation(tierRound(candidates, ctx), candidates, ctx));
    case 'linear':
      return idOf(tierRound(candidates, ctx)[0]);
  }
}

function idOf(c: Candidate | undefined): number[] {
  return c === undefined ? [] : [c.agentId];
}

function inAcceptedLevels(candidates: readonly Candidate[], ctx: PickContext): Candidate[] {
  const levels = new Set(acceptedLevels(candidates, ctx.waitedSeconds, ctx.levelRelaxationSeconds));
  return candidates.filter((c) => levels.has(c.level));
}

/**
 * The candidates of the current round, in member order: the untried ones, or all of them again
 * once everyone was tried. Sorting here makes every pick independent of the array's order and
 * lets "the first of the best" be the tie-break.
 */
function thisRound(pool: readonly Candidate[], tried: ReadonlySet<number>): Candidate[] {
  const untried = pool.filter((c) => !tried.has(c.agentId));
  return (untried.length > 0 ? untried : [...pool]).sort(byMemberOrder);
}

function tierRound(candidates: readonly Candidate[], ctx: PickContext): Candidate[] {
  return thisRound(inAcceptedLevels(candidates, ctx), ctx.tried);
}

/** The first candidate with the least key; `sorted` is in member order, so ties go to it. */
function minBy(sorted: readonly Candidate[], key: (c: Candidate) => number): Candidate | undefined {
  let best: Candidate | undefined;
  let bestKey = Infinity;
  for (const c of sorted) {
    const k = key(c);
    if (best === undefined || k < bestKey) {
      best = c;
      bestKey = k;
    }
  }
  return best;
}

// A random() that returns 1 (outside its contract) must still pick someone.
function uniformPick(sorted: readonly Candidate[], random: () => number): Candidate | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor(random() * sorted.length))];
}

function weightedPick(sorted: readonly Candidate[], random: () => number): Candidate | undefined {
  if (sorted.length === 0) return undefined;
  // Levels start at 1; a lower one (bad data) must not give an infinite or negative weight.
  const weight = (c: Candidate): number => 1 / Math.max(1, c.level);
  const total = sorted.reduce((sum, c) => sum + weight(c), 0);
  let r = random() * total;
  for (const c of sorted) {
    r -= weight(c);
    if (r < 0) return c;
  }
  return sorted[sorted.length - 1];
}

function nextInRotation(
  sorted: readonly Candidate[],
  candidates: readonly Candidate[],
  ctx: PickContext,
): Candidate | undefined {
  // The last rung agent may be a candidate outside this round (tried, or in another level).
  const last = candidates.find((c) => c.agentId === ctx.lastRungAgentId);
  const lastOrder = ctx.lastRungOrder ?? null;
  const after =
    last !== undefined
      ? sorted.find((c) => byMemberOrder(c, last) > 0)
      : lastOrder !== null
        ? sorted.find((c) => c.order > lastOrder)
        : undefined;
  return after ?? sorted[0];
}
