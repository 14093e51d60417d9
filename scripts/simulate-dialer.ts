/**
 * Dialer simulation (issue 13 §5): a discrete-event simulation of one campaign that drives the
 * server's own pacer (src/campaigns/pacer.ts) once a simulated second, and compares in the same run,
 * on the same seeded customers, progressive 1:1, our predictive pacer and a VICIdial-style adaptive
 * baseline implemented here.
 *
 *   npx tsx scripts/simulate-dialer.ts [--agents 5,10,20,50] [--seed 1] [--hours 4]
 *     [--connect 0.25] [--talk 180] [--acw 30] [--reasons]
 *
 * --reasons also prints, per team size, how many seconds our pacer spent on each reason and level.
 *
 * The campaign: every agent logged in for the whole run, in login mode (an answered customer is
 * bridged to a ready agent at once, no ringing). A dialled line is answered by a person with the
 * connect rate, after 5–25 s (uniform); otherwise it rings until the 30 s dial timeout. Talk is
 * exponential with the given mean (the hardest case for a pacer: a call's age says nothing of its
 * end); after-call work is log-normal (mean as given, σ 0.4), then the agent is ready. An answered
 * customer with no agent within 2 s is abandoned (abandon-rate.ts). Every strategy sees the same
 * customers: the n-th line dialled, the n-th call talked and the n-th wrap-up draw the same numbers.
 *
 * VICIdial-style baseline (after AST_VDadapt): every 15 s the dial level is multiplied by
 * (1 + intensity × the average over the last 15 one-second samples of (ready agents − customers
 * waiting) ÷ agents), capped at 3.0 and never below 1.0; more than 50 % of the last minute's live
 * answers dropped → halved; the day's abandon rate above the target → 1.0. It dials
 * level × ready agents − lines ringing − customers waiting (the "available only" tally).
 *
 * Figures: occupancy = (talk + after-call work) ÷ logged-in time; abandon rate = abandoned ÷
 * (connected + abandoned); wait = from the customer's answer to an agent (an abandoned customer
 * counts the 2 s they waited); calls/agent-hour = connected calls ÷ agent-hours. Figures, not
 * assertions.
 */
import { parseArgs } from 'node:util';
import {
  ABANDON_LIMIT_MS,
  type RollingAbandonRates,
  countsOf,
} from '../src/campaigns/abandon-rate.js';
import {
  decideLines,
  initialPacerState,
  type PacerAgent,
  type PacerAttempt,
  type PacerSettings,
  type PacerState,
} from '../src/campaigns/pacer.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '5,10,20,50' },
    seed: { type: 'string', default: '1' },
    hours: { type: 'string', default: '4' },
    connect: { type: 'string', default: '0.25' },
    talk: { type: 'string', default: '180' },
    acw: { type: 'string', default: '30' },
    reasons: { type: 'boolean', default: false },
  },
});

interface Scenario {
  agents: number;
  seed: number;
  hours: number;
  connectRate: number;
  meanTalkSeconds: number;
  meanWrapUpSeconds: number;
}

const RING_MIN_SECONDS = 5;
const RING_MAX_SECONDS = 25;
const DIAL_TIMEOUT_SECONDS = 30;
const ABANDON_TARGET_PERCENT = 3;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exponential(random: () => number, mean: number): number {
  return -mean * Math.log(1 - random());
}

function logNormal(random: () => number, mean: number, sigma: number): number {
  // Box–Muller from two uniforms.
  const u = 1 - random();
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.exp(Math.log(mean) - (sigma * sigma) / 2 + sigma * normal);
}

/** The customers, talks and wrap-ups, drawn in order: identical for every strategy. */
class Draws {
  private readonly lineRandom: () => number;
  private readonly talkRandom: () => number;
  private readonly wrapRandom: () => number;
  constructor(private readonly scenario: Scenario) {
    this.lineRandom = mulberry32(scenario.seed * 3 + 1);
    this.talkRandom = mulberry32(scenario.seed * 3 + 2);
    this.wrapRandom = mulberry32(scenario.seed * 3 + 3);
  }
  /** Seconds until a person answers, or null: rings until the timeout. */
  line(): number | null {
    const answers = this.lineRandom() < this.scenario.connectRate;
    const ring = RING_MIN_SECONDS + (RING_MAX_SECONDS - RING_MIN_SECONDS) * this.lineRandom();
    return answers ? ring : null;
  }
  talk(): number {
    return exponential(this.talkRandom, this.scenario.meanTalkSeconds);
  }
  wrapUp(): number {
    return logNormal(this.wrapRandom, this.scenario.meanWrapUpSeconds, 0.4);
  }
}

/** A binary min-heap of timed events (ties in the order they were scheduled). */
class EventQueue {
  private readonly heap: { at: number; seq: number; run: () => void }[] = [];
  private seq = 0;
  push(at: number, run: () => void): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, run });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): { at: number; run: () => void } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && this.before(l, m)) m = l;
        if (r < heap.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
  private before(i: number, j: number): boolean {
    const a = this.heap[i];
    const b = this.heap[j];
    if (!a || !b) return false;
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  private swap(i: number, j: number): void {
    const a = this.heap[i];
    const b = this.heap[j];
    if (!a || !b) return;
    this.heap[i] = b;
    this.heap[j] = a;
  }
}

interface SimAgent {
  state: 'ready' | 'talking' | 'after_call_work';
  /** When the current state began (ms). */
  since: number;
}

interface SimLine {
  dialledAt: number;
  attempt: PacerAttempt;
}

/** What a strategy sees each second, and the number of lines it dials. */
interface PaceView {
  now: number;
  agents: readonly PacerAgent[];
  lines: readonly { sinceDialSeconds: number }[];
  waitingCustomers: number;
  history: readonly PacerAttempt[];
  rollingAbandon: RollingAbandonRates;
}
type Strategy = (view: PaceView) => number;

interface Figures {
  occupancyPercent: number;
  abandonPercent: number;
  meanWaitSeconds: number;
  p95WaitSeconds: number;
  callsPerAgentHour: number;
  dialsPerAgentHour: number;
}

function simulate(scenario: Scenario, strategy: Strategy): Figures {
  const draws = new Draws(scenario);
  const events = new EventQueue();
  const end = scenario.hours * 3_600_000;
  const agents: SimAgent[] = Array.from({ length: scenario.agents }, () => ({
    state: 'ready',
    since: 0,
  }));
  const lines = new Set<SimLine>();
  /** Answered customers waiting for an agent, oldest first. */
  const waiting: PacerAttempt[] = [];
  let history: PacerAttempt[] = [];
  let busyMs = 0;
  let connected = 0;
  let abandoned = 0;
  let dials = 0;
  const waits: number[] = [];

  const setState = (agent: SimAgent, state: SimAgent['state'], now: number) => {
    if (agent.state !== 'ready') busyMs += now - agent.since;
    agent.state = state;
    agent.since = now;
  };

  const connect = (agent: SimAgent, attempt: PacerAttempt, now: number) => {
    attempt.connectedAt = now;
    waits.push((now - (attempt.answeredAt ?? now)) / 1000);
    connected += 1;
    setState(agent, 'talking', now);
    const talkMs = draws.talk() * 1000;
    events.push(now + talkMs, () => {
      const hungUp = now + talkMs;
      attempt.endedAt = hungUp;
      attempt.outcome = 'connected';
      setState(agent, 'after_call_work', hungUp);
      const wrapSeconds = draws.wrapUp();
      events.push(hungUp + wrapSeconds * 1000, () => {
        const freed = hungUp + wrapSeconds * 1000;
        attempt.wrapUpSeconds = wrapSeconds;
        setState(agent, 'ready', freed);
        const next = waiting.shift();
        if (next) connect(agent, next, freed);
      });
    });
  };

  const readyAgent = (): SimAgent | undefined => {
    let best: SimAgent | undefined;
    for (const agent of agents) {
      if (agent.state === 'ready' && (!best || agent.since < best.since)) best = agent;
    }
    return best;
  };

  const dial = (now: number) => {
    dials += 1;
    const attempt: PacerAttempt = {
      startedAt: now,
      answeredAt: null,
      connectedAt: null,
      endedAt: null,
      outcome: null,
      wrapUpSeconds: null,
    };
    history.push(attempt);
    const line: SimLine = { dialledAt: now, attempt };
    lines.add(line);
    const answerSeconds = draws.line();
    if (answerSeconds === null) {
      events.push(now + DIAL_TIMEOUT_SECONDS * 1000, () => {
        lines.delete(line);
        attempt.endedAt = now + DIAL_TIMEOUT_SECONDS * 1000;
        attempt.outcome = 'no_answer';
      });
      return;
    }
    const answeredAt = now + answerSeconds * 1000;
    events.push(answeredAt, () => {
      lines.delete(line);
      attempt.answeredAt = answeredAt;
      const agent = readyAgent();
      if (agent) {
        connect(agent, attempt, answeredAt);
        return;
      }
      waiting.push(attempt);
      events.push(answeredAt + ABANDON_LIMIT_MS, () => {
        const at = waiting.indexOf(attempt);
        if (at < 0) return;
        waiting.splice(at, 1);
        attempt.endedAt = answeredAt + ABANDON_LIMIT_MS;
        attempt.outcome = 'abandoned';
        abandoned += 1;
        waits.push(ABANDON_LIMIT_MS / 1000);
      });
    });
  };

  const tick = (now: number) => {
    if (now >= end) return;
    // The ledger the engine would pass: the last hour, and every call still live.
    if (history.length > 0 && (history[0]?.startedAt ?? now) < now - 3_700_000) {
      history = history.filter((a) => a.startedAt >= now - 3_600_000 || a.endedAt === null);
    }
    const counts = countsOf(abandoned, connected, 0);
    const view: PaceView = {
      now,
      agents: agents.map((agent): PacerAgent => {
        const seconds = (now - agent.since) / 1000;
        if (agent.state === 'talking') return { state: 'talking', talkingForSeconds: seconds };
        if (agent.state === 'after_call_work')
          return { state: 'after_call_work', wrapUpForSeconds: seconds };
        return { state: 'ready' };
      }),
      lines: [...lines].map((line) => ({ sinceDialSeconds: (now - line.dialledAt) / 1000 })),
      waitingCustomers: waiting.length,
      history,
      // The run is shorter than a day: both windows hold all of it.
      rollingAbandon: { day: counts, month: counts },
    };
    const toDial = strategy(view);
    for (let i = 0; i < toDial; i += 1) dial(now);
    events.push(now + 1000, () => tick(now + 1000));
  };

  events.push(0, () => tick(0));
  for (let event = events.pop(); event && event.at <= end; event = events.pop()) event.run();
  for (const agent of agents) if (agent.state !== 'ready') busyMs += end - agent.since;

  const sorted = [...waits].sort((a, b) => a - b);
  const agentHours = scenario.agents * scenario.hours;
  return {
    occupancyPercent: (busyMs / (scenario.agents * end)) * 100,
    abandonPercent: connected + abandoned === 0 ? 0 : (abandoned / (connected + abandoned)) * 100,
    meanWaitSeconds: sorted.length === 0 ? 0 : sorted.reduce((s, w) => s + w, 0) / sorted.length,
    p95WaitSeconds: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0,
    callsPerAgentHour: connected / agentHours,
    dialsPerAgentHour: dials / agentHours,
  };
}

function campaignSettings(agents: number, predictive: boolean): PacerSettings {
  return {
    type: 'progressive',
    predictive,
    dialRatio: 1,
    maxChannels: agents * 4,
    abandonTargetPercent: ABANDON_TARGET_PERCENT,
    predictiveMinAgents: 6,
    dialTimeoutSeconds: DIAL_TIMEOUT_SECONDS,
  };
}

/** The server's pacer, as the engine calls it. */
function pacerStrategy(settings: PacerSettings, reasons?: Map<string, number>): Strategy {
  let state: PacerState = initialPacerState();
  return (view) => {
    const decision = decideLines({ ...view, settings, didFreeChannels: null, state });
    state = decision.state;
    if (reasons) {
      const key = `${decision.reason} z≈${decision.state.z.toFixed(1)}`;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    return decision.lines;
  };
}

/** The VICIdial-style adaptive baseline (see the header). */
function vicidialStrategy(agentCount: number, intensity = 1): Strategy {
  let level = 1;
  const samples: number[] = [];
  let lastAdapt = 0;
  return (view) => {
    const ready = view.agents.filter((a) => a.state === 'ready').length;
    samples.push((ready - view.waitingCustomers) / agentCount);
    if (samples.length > 15) samples.shift();
    if (view.now - lastAdapt >= 15_000) {
      lastAdapt = view.now;
      const average = samples.reduce((s, x) => s + x, 0) / samples.length;
      level = Math.min(3, Math.max(1, level * (1 + intensity * average)));
      let drops = 0;
      let answers = 0;
      for (const a of view.history) {
        if (a.answeredAt === null || a.answeredAt <= view.now - 60_000) continue;
        if (a.outcome === 'abandoned') drops += 1;
        if (a.outcome === 'abandoned' || a.connectedAt !== null) answers += 1;
      }
      if (answers > 0 && drops / answers > 0.5) level = Math.max(1, level / 2);
      if (view.rollingAbandon.day.percent > ABANDON_TARGET_PERCENT) level = 1;
    }
    return Math.max(0, Math.floor(level * ready) - view.lines.length - view.waitingCustomers);
  };
}

function main(): void {
  const agentCounts = values.agents.split(',').map(Number);
  const base = {
    seed: Number(values.seed),
    hours: Number(values.hours),
    connectRate: Number(values.connect),
    meanTalkSeconds: Number(values.talk),
    meanWrapUpSeconds: Number(values.acw),
  };
  console.log(
    `seed ${base.seed}, ${base.hours} h, connect ${base.connectRate * 100} %, talk exp mean ${base.meanTalkSeconds} s, ` +
      `ACW log-normal mean ${base.meanWrapUpSeconds} s, answer after ${RING_MIN_SECONDS}–${RING_MAX_SECONDS} s, ` +
      `timeout ${DIAL_TIMEOUT_SECONDS} s, abandon after ${ABANDON_LIMIT_MS / 1000} s, target ${ABANDON_TARGET_PERCENT} %`,
  );
  const header = [
    'agents',
    'strategy',
    'occupancy %',
    'abandon %',
    'wait mean s',
    'wait p95 s',
    'calls/agent-h',
    'dials/agent-h',
  ];
  const rows: string[][] = [];
  for (const agents of agentCounts) {
    const scenario: Scenario = { ...base, agents };
    const reasons = values.reasons ? new Map<string, number>() : undefined;
    const strategies: [string, Strategy][] = [
      ['progressive 1:1', pacerStrategy(campaignSettings(agents, false))],
      ['predictive (ours)', pacerStrategy(campaignSettings(agents, true), reasons)],
      ['VICIdial adaptive', vicidialStrategy(agents)],
    ];
    for (const [name, strategy] of strategies) {
      const f = simulate(scenario, strategy);
      rows.push([
        String(agents),
        name,
        f.occupancyPercent.toFixed(1),
        f.abandonPercent.toFixed(2),
        f.meanWaitSeconds.toFixed(2),
        f.p95WaitSeconds.toFixed(2),
        f.callsPerAgentHour.toFixed(1),
        f.dialsPerAgentHour.toFixed(1),
      ]);
    }
    if (reasons) {
      const seconds = [...reasons].sort((a, b) => b[1] - a[1]);
      console.log(
        `${agents} agents, pacer decisions (seconds): ${seconds.map(([k, n]) => `${k} ${n}`).join(', ')}`,
      );
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    '| ' +
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join(' | ') +
    ' |';
  console.log(line(header));
  console.log(
    '|' +
      widths.map((w, i) => (i < 2 ? ':' : '-') + '-'.repeat(w) + (i < 2 ? '-' : ':')).join('|') +
      '|',
  );
  for (const row of rows) console.log(line(row));
}

main();
