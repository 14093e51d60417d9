/**
 * The dialer's pacing: how many new customer lines one campaign dials now (issue 13 §2, §5;
 * shared/notes/ivr-voicemail-dialer.md "Predictive pacing and abandon rules"). Pure: the engine
 * gives it the campaign's agents, lines and recent ledger rows and the current instant, and keeps
 * the returned state for the next call (about once a second). scripts/simulate-dialer.ts drives
 * this same code to measure occupancy and abandon rate.
 *
 * Progressive (区分 プログレッシブコール, プレディクティブ OFF): 発信速度倍率 × ready agents − lines
 * ringing − answered customers still waiting for an agent.
 *
 * Predictive (プレディクティブ ON): from the recent ledger it estimates the live-answer rate (with a
 * prior while there is little data), how long answered lines ring, and talk and after-call-work
 * times; from those and each agent's state, how many agents will be free at each second of the
 * next ring time, and how many answers the lines already ringing will bring. It dials as many lines
 * as keep the expected answers by every second below the agents expected free two seconds later
 * (the abandon limit) by a safety margin of `z` standard deviations. `z` is the adaptive level,
 * carried in PacerState: every drop raises it, every customer connected lowers it a little, so the
 * campaign's abandon rate settles at two thirds of its target.
 * Guards, in VICIdial's manner (AST_VDadapt): the abandon rate over 24 h or 30 days above the
 * target → progressive 1:1 until it is back under; fewer agents taking part than
 * predictiveMinAgents → progressive at 発信速度倍率; more than half of the last minute's live
 * answers dropped → a wider margin for a minute, which about halves the over-dial; one more drop
 * would break the target → a wider margin. Predictive never dials fewer lines than progressive
 * 1:1, which cannot abandon anybody. Measured with the simulator: at 20 agents, 25 % connect rate,
 * 180 s talk and 30 s wrap-up, about 87 % occupancy at 2 % abandoned.
 * Every mode: never more than 最大チャンネル minus the campaign's lines in use, nor more than the
 * channels still free on the DID.
 */
import {
  abandonCounts,
  abandonInstantOf,
  overAbandonTarget,
  rollingAbandonRates,
  type RollingAbandonRates,
  ABANDON_LIMIT_MS,
} from './abandon-rate.js';
import type { AttemptOutcome, CampaignType } from './results.js';

/** An agent taking part in the campaign (a member, logged in, not paused), by what they do. */
export type PacerAgent =
  | { state: 'ready' }
  /** Rung for an answered customer (リンギング mode): taken, and that customer's line is in use. */
  | { state: 'ringing' }
  | { state: 'talking'; talkingForSeconds: number }
  | { state: 'after_call_work'; wrapUpForSeconds: number };

/** A customer line dialled and not answered yet. */
export interface PacerLine {
  sinceDialSeconds: number;
}

/** A ledger row (campaign_attempts), instants in ms, plus the agent's wrap-up after it. */
export interface PacerAttempt {
  startedAt: number;
  answeredAt: number | null;
  connectedAt: number | null;
  endedAt: number | null;
  outcome: AttemptOutcome | null;
  /** Seconds the agent spent in after-call work after this call; none until it ended. */
  wrapUpSeconds: number | null;
}

export interface PacerSettings {
  type: CampaignType;
  predictive: boolean;
  /** 発信速度倍率: lines per ready agent in progressive mode. */
  dialRatio: number;
  /** 最大チャンネル: the campaign's lines in use at once, ringing or talking. */
  maxChannels: number;
  abandonTargetPercent: number;
  predictiveMinAgents: number;
  /** タイムアウト: a line unanswered for this long is given up. */
  dialTimeoutSeconds: number;
}

/** The adaptive level and the guards' memory, carried from one decision to the next. */
export interface PacerState {
  /** The safety margin in standard deviations of (agents free − answers): higher dials fewer. */
  z: number;
  /** Up to when the ledger's drops and connections have been counted into `z`. */
  adjustedAt: number | null;
  /** When the last-minute drop guard last found too many drops. */
  dropGuardAt: number | null;
}

export interface PacerInput {
  now: number;
  settings: PacerSettings;
  agents: readonly PacerAgent[];
  lines: readonly PacerLine[];
  /** Customers who answered and wait for an agent (no agent rung for them yet). */
  waitingCustomers: number;
  /** The campaign's recent ledger rows, the last hour at least; any order. */
  history: readonly PacerAttempt[];
  /** Channels still free on the campaign's DID (its limit minus every call on it); none = no limit. */
  didFreeChannels: number | null;
  /**
   * The campaign's abandon counts over 24 h and 30 days (abandon-rate.ts), when the engine keeps
   * them; without them they are counted from `history`, which must then cover 30 days.
   */
  rollingAbandon?: RollingAbandonRates;
  state: PacerState;
}

export type PacerReason =
  | 'preview' // a preview campaign: the agent dials
  | 'progressive'
  | 'predictive'
  | 'below_min_agents'
  | 'over_abandon_target'
  | 'drops_last_minute'
  | 'near_abandon_target' // one more drop would break the target: extra margin
  | 'max_channels'
  | 'did_channels';

export interface PacerDecision {
  lines: number;
  mode: 'progressive' | 'predictive';
  reason: PacerReason;
  state: PacerState;
}

/** The margin a fresh campaign starts with (cautious), and its bounds. */
export const INITIAL_Z = 2.25;
export const MIN_Z = 1.25;
export const MAX_Z = 4;
/**
 * `z` follows the campaign's own drops: each drop raises it by Z_STEP_UP, each customer connected
 * to an agent lowers it by Z_STEP_UP × aim ÷ (1 − aim), so it settles where drops ÷ live answers
 * is the aim, AIM_SHARE_OF_TARGET of the target (room for bad luck before the target is reached).
 */
export const AIM_SHARE_OF_TARGET = 0.67;
export const Z_STEP_UP = 0.15;
/**
 * The drop guard: at least DROP_GUARD_MIN drops in the last minute and more than DROP_GUARD_SHARE
 * of its live answers dropped → for DROP_GUARD_MS from the last such decision `z` is raised by
 * DROP_GUARD_Z, which about halves the lines dialled beyond 1:1.
 */
export const DROP_GUARD_MIN = 2;
export const DROP_GUARD_SHARE = 0.5;
export const DROP_GUARD_MS = 60_000;
export const DROP_GUARD_Z = 1;
/** Extra margin while one more drop would put a rolling window over the target. */
export const NO_BUDGET_Z = 0.5;
/** Estimates read the ledger of the last hour, the newest attempts first, up to this many. */
export const ESTIMATE_WINDOW_MS = 60 * 60 * 1000;
export const ESTIMATE_MAX_ATTEMPTS = 600;
/**
 * Priors while there is little data. The answer rate starts at 50 % (weight 20 attempts): higher
 * than is usual, so a new campaign dials fewer lines until it knows better. Answered lines ring
 * 5–25 s. Talk and wrap-up get pseudo-samples that never end within the horizon, so an agent
 * is not expected free on the strength of one short call.
 */
export const PRIOR_ANSWER_RATE = 0.5;
export const PRIOR_ANSWER_WEIGHT = 20;
export const PRIOR_RING_SECONDS: readonly number[] = [5, 10, 15, 20, 25];
export const PRIOR_DURATION_WEIGHT = 3;
/** The horizon never looks further than this. */
export const MAX_HORIZON_SECONDS = 60;

export function initialPacerState(): PacerState {
  return { z: INITIAL_Z, adjustedAt: null, dropGuardAt: null };
}

export function decideLines(input: PacerInput): PacerDecision {
  const { settings, agents, state } = input;
  const ready = agents.filter((a) => a.state === 'ready').length;
  const inFlight = input.lines.length;
  const inUse =
    inFlight +
    input.waitingCustomers +
    agents.filter((a) => a.state === 'ringing' || a.state === 'talking').length;

  if (settings.type === 'preview') {
    return { lines: 0, mode: 'progressive', reason: 'preview', state };
  }
  const progressive = (ratio: number) =>
    Math.floor(ratio * ready + 1e-9) - inFlight - input.waitingCustomers;

  if (!settings.predictive) {
    return capped(progressive(settings.dialRatio), 'progressive', 'progressive', state);
  }
  const rolling = input.rollingAbandon ?? rollingAbandonRates(input.history, input.now);
  // While it dials progressively, connections do not count toward a bolder level later.
  const kept: PacerState = { ...state, adjustedAt: input.now };
  if (overAbandonTarget(rolling, settings.abandonTargetPercent)) {
    return capped(progressive(1), 'progressive', 'over_abandon_target', kept);
  }
  if (agents.length < settings.predictiveMinAgents) {
    return capped(progressive(settings.dialRatio), 'progressive', 'below_min_agents', kept);
  }

  let next = adjustLevel(input);
  let reason: PacerReason = 'predictive';
  let z = next.z;
  const target = settings.abandonTargetPercent / 100;
  const noBudget = [rolling.day, rolling.month].some(
    (w) => w.abandoned + 1 > target * (w.liveAnswered + 1),
  );
  if (noBudget) {
    z += NO_BUDGET_Z;
    reason = 'near_abandon_target';
  }
  const lastMinute = abandonCounts(input.history, input.now - 60_000, input.now);
  if (
    lastMinute.abandoned >= DROP_GUARD_MIN &&
    lastMinute.abandoned > DROP_GUARD_SHARE * lastMinute.liveAnswered
  ) {
    next = { ...next, dropGuardAt: input.now };
  }
  if (next.dropGuardAt !== null && input.now - next.dropGuardAt < DROP_GUARD_MS) {
    z += DROP_GUARD_Z;
    reason = 'drops_last_minute';
  }

  const model = predictiveLines(input, z, inUse);
  return capped(Math.max(model, progressive(1)), 'predictive', reason, next);

  function capped(
    wanted: number,
    mode: PacerDecision['mode'],
    why: PacerReason,
    carried: PacerState,
  ): PacerDecision {
    const channelRoom = settings.maxChannels - inUse;
    const didRoom = input.didFreeChannels ?? Number.POSITIVE_INFINITY;
    let lines = Math.max(0, wanted);
    let finalReason = why;
    if (lines > channelRoom) {
      lines = Math.max(0, channelRoom);
      finalReason = 'max_channels';
    }
    if (lines > didRoom) {
      lines = Math.max(0, didRoom);
      finalReason = 'did_channels';
    }
    return { lines, mode, reason: finalReason, state: carried };
  }
}

/** `z` after the drops and connections since the last decision (counted by when they happened). */
function adjustLevel(input: PacerInput): PacerState {
  const { state, now } = input;
  // A fresh state (a new campaign, a restart) starts counting now.
  const since = state.adjustedAt ?? now;
  const aim = (input.settings.abandonTargetPercent * AIM_SHARE_OF_TARGET) / 100;
  const stepDown = (Z_STEP_UP * aim) / (1 - aim);
  let z = state.z;
  for (const a of input.history) {
    if (a.outcome === 'abandoned') {
      const at = a.endedAt ?? abandonInstantOf(a);
      if (at > since && at <= now) z += Z_STEP_UP;
    } else if (a.connectedAt !== null && a.connectedAt > since && a.connectedAt <= now) {
      z -= stepDown;
    }
  }
  return { ...state, z: Math.min(MAX_Z, Math.max(MIN_Z, z)), adjustedAt: now };
}

/** What the recent ledger says of this campaign's calls. */
export interface PacerEstimates {
  /** Of lines dialled, the share a live person answers (machines excluded). */
  answerRate: number;
  /** Seconds answered lines rang, ascending (with the prior's). */
  ringSeconds: number[];
  /** Talk seconds of finished calls, ascending. */
  talkSeconds: number[];
  /** Wrap-up seconds after finished calls, ascending. */
  wrapUpSeconds: number[];
}

const DIALLED: ReadonlySet<AttemptOutcome> = new Set([
  'connected',
  'abandoned',
  'machine',
  'busy',
  'no_answer',
  'cancelled',
  'error',
]);

export function estimate(history: readonly PacerAttempt[], now: number): PacerEstimates {
  const recent = history
    .filter((a) => a.startedAt > now - ESTIMATE_WINDOW_MS && a.startedAt <= now)
    .sort((a, b) => b.startedAt - a.startedAt)
    .slice(0, ESTIMATE_MAX_ATTEMPTS);
  let dialled = 0;
  let live = 0;
  const ring: number[] = [...PRIOR_RING_SECONDS];
  const talk: number[] = [];
  const wrapUp: number[] = [];
  for (const a of recent) {
    const liveAnswer = a.answeredAt !== null && a.outcome !== 'machine';
    // A line still ringing has not told yet whether it will be answered.
    if (liveAnswer || (a.outcome !== null && DIALLED.has(a.outcome))) {
      dialled += 1;
      if (liveAnswer) live += 1;
    }
    if (liveAnswer && a.answeredAt !== null) ring.push((a.answeredAt - a.startedAt) / 1000);
    if (a.connectedAt !== null && a.endedAt !== null) {
      talk.push((a.endedAt - a.connectedAt) / 1000);
      if (a.wrapUpSeconds !== null) wrapUp.push(a.wrapUpSeconds);
    }
  }
  const byValue = (x: number, y: number) => x - y;
  return {
    answerRate: (live + PRIOR_ANSWER_RATE * PRIOR_ANSWER_WEIGHT) / (dialled + PRIOR_ANSWER_WEIGHT),
    ringSeconds: ring.sort(byValue),
    talkSeconds: talk.sort(byValue),
    wrapUpSeconds: wrapUp.sort(byValue),
  };
}

/** How many of the ascending `sorted` are ≤ x. */
function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The model: expected answers by each second τ of the horizon (lines ringing, plus n new ones)
 * against the agents expected free by τ + 2 s, with a margin of z standard deviations.
 */
function predictiveLines(input: PacerInput, z: number, inUse: number): number {
  const est = estimate(input.history, input.now);
  const p = est.answerRate;
  const ring = est.ringSeconds;
  const ringCdf = (s: number) => countAtMost(ring, s) / ring.length;
  const lastRing = ring[ring.length - 1] ?? 0;
  const horizon = Math.max(
    1,
    Math.ceil(Math.min(input.settings.dialTimeoutSeconds, lastRing + 1, MAX_HORIZON_SECONDS)),
  );
  const slack = ABANDON_LIMIT_MS / 1000;

  // Supply: agents free by τ + slack, mean and variance, for τ = 1..horizon.
  const supplyMean = new Array<number>(horizon + 1).fill(-input.waitingCustomers);
  const supplyVar = new Array<number>(horizon + 1).fill(0);
  const wrap = est.wrapUpSeconds;
  // A call's wrap-up, when none is known yet: none (ACW off).
  const wrapDoneBy = (s: number) =>
    s < 0 ? 0 : wrap.length === 0 ? 1 : countAtMost(wrap, s) / wrap.length;
  const talk = est.talkSeconds;
  for (const agent of input.agents) {
    for (let tau = 1; tau <= horizon; tau += 1) {
      const within = tau + slack;
      let free = 0;
      if (agent.state === 'ready') free = 1;
      else if (agent.state === 'after_call_work') {
        const a = agent.wrapUpForSeconds;
        const done = countAtMost(wrap, a);
        const longer = wrap.length - done + PRIOR_DURATION_WEIGHT;
        free = (countAtMost(wrap, a + within) - done) / longer;
      } else if (agent.state === 'talking') {
        // P(rest of the talk + wrap-up ≤ within | the talk has lasted e so far).
        const e = agent.talkingForSeconds;
        const first = countAtMost(talk, e);
        const longer = talk.length - first + PRIOR_DURATION_WEIGHT;
        let sum = 0;
        for (let i = first; i < talk.length; i += 1) {
          const rest = (talk[i] ?? 0) - e;
          if (rest > within) break;
          sum += wrapDoneBy(within - rest);
        }
        free = sum / longer;
      }
      supplyMean[tau] = (supplyMean[tau] ?? 0) + free;
      supplyVar[tau] = (supplyVar[tau] ?? 0) + free * (1 - free);
    }
  }

  // Demand from the lines ringing: P(answered by τ | unanswered at age s).
  const demandMean = new Array<number>(horizon + 1).fill(0);
  const demandVar = new Array<number>(horizon + 1).fill(0);
  for (const line of input.lines) {
    const s = line.sinceDialSeconds;
    const stillOpen = 1 - p * ringCdf(s);
    if (stillOpen <= 0) continue;
    for (let tau = 1; tau <= horizon; tau += 1) {
      const q = (p * (ringCdf(s + tau) - ringCdf(s))) / stillOpen;
      demandMean[tau] = (demandMean[tau] ?? 0) + q;
      demandVar[tau] = (demandVar[tau] ?? 0) + q * (1 - q);
    }
  }
  const newLine = Array.from({ length: horizon + 1 }, (_, tau) => p * ringCdf(tau));

  const fits = (n: number) => {
    for (let tau = 1; tau <= horizon; tau += 1) {
      const q = newLine[tau] ?? 0;
      const gap = (supplyMean[tau] ?? 0) - (demandMean[tau] ?? 0) - n * q;
      const sd = Math.sqrt((supplyVar[tau] ?? 0) + (demandVar[tau] ?? 0) + n * q * (1 - q));
      if (gap < z * sd) return false;
    }
    return true;
  };
  const room = Math.max(0, input.settings.maxChannels - inUse);
  let n = 0;
  while (n < room && fits(n + 1)) n += 1;
  return n;
}
