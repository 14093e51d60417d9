/**
 * Realtime feed benchmark (issue 10 §5): supervisors' WebSocket clients subscribed to `agents`
 * and `groups` while agents change status and calls queue, through our feed and, in the same
 * run, through a bare `ws` WebSocketServer broadcasting the same messages at the same times.
 *
 *   npx tsx scripts/bench-feed.ts [--clients 500] [--workers 2] [--agents 50] [--groups 5]
 *     [--supervisors 50] [--rate 20] [--queue-groups 2] [--call-rate 1] [--hold 5000]
 *     [--duration 30]
 *
 * The server is the real one (test/support/telephony.ts: the production composition root with a
 * managed Asterisk) in this process; nothing else runs here during a phase but the marks below.
 * `agents` agents with registered SIPp desk phones, in `groups` groups (extensions 800…), all
 * paused before their phone registers, so no call is ever offered to them. `clients` feed
 * clients, logged in as `supervisors` supervisor accounts in turn (a session each; only failed
 * logins are throttled, so the throttle needs no raising), in `workers` forked processes
 * (bench-feed-clients.ts), each subscribed to `agents` and `groups` and ready once both
 * snapshots have come.
 *
 * Load, for `duration` s, all on 127.0.0.1 and stopping by itself: a forked driver
 * (bench-feed-driver.ts) sends `rate` `PUT /agents/{id}/status` a second, the agents in turn,
 * each flipping between paused and paused with a custom status (one `agent_status_changed` per
 * request, and the agent's groups' `queue_stats`); and one SIPp caller per queue group
 * (caller-bench.xml from a terminal without agent) places `call-rate` calls a second into the
 * first `queue-groups` groups, where they wait (no agent is available) for `hold` ms and hang up
 * (ENTERQUEUE, ABANDON: `queue_stats`). The phase ends when the driver and the callers are done,
 * plus 1 s for what is still on its way. Before it, 3 s of the status load (not measured) warm
 * the code paths up, then 3 s of quiet give the server's idle CPU.
 *
 * Latency, event → client: from the server's emit to the client's receipt. The emit is taken in
 * this process by a hub listener subscribed before any WebSocket connection, so the hub calls it
 * first for every event, just before the feed's per-connection listeners; the receipt when the
 * client's `message` event fires. Both on CLOCK_MONOTONIC (monotonicMs), one clock for every
 * process of the host. (The events' own `ts` has only millisecond precision and is wall-clock.)
 * For `agent_status_changed` the script also prints request → client: from the driver starting
 * the PUT that caused it (the k-th request for an agent causes its k-th event) to each receipt,
 * which adds the HTTP request and the status service. Fan-out is the time the hub takes to hand
 * one event to every listener (a last hub listener, added once the clients are subscribed, marks
 * its end): the synchronous work of the feed for one event.
 *
 * Baseline: every `agents` / `groups` event of the feed's phase, as the exact text the feed sent
 * (every client is a supervisor, so all got the same), replayed by a bare `ws` WebSocketServer
 * in this process at the same offsets from the phase's start, each message sent to every client
 * (`client.send` of one string); its emit is the start of that loop. The same client processes,
 * the same number of clients, reconnected to it.
 *
 * CPU is this process's time over each phase (process.cpuUsage: the server, or the baseline's
 * server, and the small bookkeeping of the marks); per 1000 deliveries. RSS is the largest seen.
 * The event loop delay (perf_hooks) shows how long the server could not read sockets. Clients
 * closed with 4008 were dropped by the feed as slow readers. Figures, not assertions.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';
import type { HubEvent } from '../src/platform/realtime/hub.js';
import { createAgent } from '../test/support/app.js';
import { phoneFor, type Phone } from '../test/support/floor.js';
import { runSipp } from '../test/support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../test/support/telephony.js';
import { keepAsteriskLog, monotonicMs, processCpuMs } from './bench-support.js';
import type { ClientsCommand, ClientsReply } from './bench-feed-clients.js';
import type { DriverCommand, DriverReply } from './bench-feed-driver.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '500' },
    workers: { type: 'string', default: '2' },
    agents: { type: 'string', default: '50' },
    groups: { type: 'string', default: '5' },
    supervisors: { type: 'string', default: '50' },
    rate: { type: 'string', default: '20' },
    'queue-groups': { type: 'string', default: '2' },
    'call-rate': { type: 'string', default: '1' },
    hold: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '30' },
  },
});
const clientCount = Number(values.clients);
const workerCount = Number(values.workers);
const agentCount = Number(values.agents);
const groupCount = Number(values.groups);
const supervisorCount = Number(values.supervisors);
const statusRate = Number(values.rate);
const queueGroups = Math.min(groupCount, Number(values['queue-groups']));
const callRate = Number(values['call-rate']);
const hold = Number(values.hold);
const durationMs = Number(values.duration) * 1000;

const TOPICS = ['agents', 'groups'];
const GRACE_MS = 1000;
const IDLE_MS = 3000;
const WARMUP_MS = 3000;
const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Child processes

interface Child<C, R> {
  process: ChildProcess;
  ask<T extends R>(command: C, answer: (r: R) => r is T): Promise<T>;
}

function child<C, R extends { type: string }>(file: string): Child<C, R> {
  const p = fork(join(here, file), [], { serialization: 'advanced' });
  return {
    process: p,
    ask: (command, answer) =>
      new Promise((resolve, reject) => {
        const onMessage = (message: R) => {
          if (answer(message)) {
            p.off('message', onMessage);
            resolve(message);
          } else if (message.type === 'failed') {
            p.off('message', onMessage);
            reject(new Error(`${file}: ${JSON.stringify(message)}`));
          }
        };
        p.on('message', onMessage);
        p.send(command as object);
      }),
  };
}

type Clients = Child<ClientsCommand, ClientsReply>;
type Report = Extract<ClientsReply, { type: 'report' }>;
const is =
  <K extends ClientsReply['type']>(type: K) =>
  (r: ClientsReply): r is Extract<ClientsReply, { type: K }> =>
    r.type === type;

/** The clients' tokens dealt over the workers, in turn. */
async function connectAll(
  workers: Clients[],
  url: string,
  tokens: (string | null)[],
  topics: string[],
) {
  await Promise.all(
    workers.map((w, i) =>
      w.ask(
        { type: 'connect', url, tokens: tokens.filter((_, k) => k % workers.length === i), topics },
        is('connected'),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Measuring a phase

interface Emitted {
  seq: number;
  name: string;
  /** When the hub (or the baseline's loop) started handing it out, and finished. */
  at: number;
  doneAt: number;
  /** The agent whose status changed (agent_status_changed). */
  agentId: number | null;
}

interface PhaseResult {
  name: string;
  emitted: Map<number, Emitted>;
  reports: Report[];
  /** When the phase started (monotonicMs). */
  startedAt: number;
  wallMs: number;
  cpuMs: number;
  asteriskCpuMs: number;
  rssMb: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

/** Runs `load` while measuring this process; `emitted` is filled by the phase's marks. */
async function measured(
  name: string,
  workers: Clients[],
  emitted: Map<number, Emitted>,
  asteriskPid: number | undefined,
  load: () => Promise<void>,
): Promise<PhaseResult> {
  await Promise.all(workers.map((w) => w.ask({ type: 'record' }, is('recording'))));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 200);
  const asteriskBefore = asteriskPid === undefined ? 0 : processCpuMs(asteriskPid);
  const cpuBefore = process.cpuUsage();
  const started = monotonicMs();
  loop.enable();
  await load();
  await new Promise((r) => setTimeout(r, GRACE_MS));
  loop.disable();
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = monotonicMs() - started;
  clearInterval(sampler);
  const asteriskCpuMs = asteriskPid === undefined ? 0 : processCpuMs(asteriskPid) - asteriskBefore;
  const reports = await Promise.all(workers.map((w) => w.ask({ type: 'report' }, is('report'))));
  return {
    name,
    emitted,
    reports,
    startedAt: started,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    asteriskCpuMs,
    rssMb: rss / 1024 / 1024,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
  };
}

/** This process's CPU ms per second while nothing happens (the clients connected). */
async function idleCpu(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / ms;
}

interface Figures {
  events: number;
  deliveries: number;
  missing: number;
  latency: Float64Array;
  byName: Map<string, Float64Array>;
  fanout: Float64Array;
  /** agent_status_changed only: from the PUT that caused it. */
  fromRequest: Float64Array;
  closes: Record<string, number>;
  clientCpuMs: number;
  bytes: number;
}

function figures(phase: PhaseResult, requestAt: Map<number, number>): Figures {
  const latency: number[] = [];
  const byName = new Map<string, number[]>();
  const fromRequest: number[] = [];
  const closes: Record<string, number> = {};
  let clientCpuMs = 0;
  let bytes = 0;
  for (const r of phase.reports) {
    clientCpuMs += r.cpuMs;
    bytes += r.bytes;
    for (const [code, n] of Object.entries(r.closes)) closes[code] = (closes[code] ?? 0) + n;
    for (let i = 0; i < r.seqs.length; i++) {
      const seq = r.seqs[i] ?? 0;
      const at = r.times[i] ?? 0;
      const e = phase.emitted.get(seq);
      if (e === undefined) continue;
      latency.push(at - e.at);
      const list = byName.get(e.name) ?? [];
      list.push(at - e.at);
      byName.set(e.name, list);
      const sent = requestAt.get(seq);
      if (sent !== undefined) fromRequest.push(at - sent);
    }
  }
  const sorted = (a: number[]) => Float64Array.from(a).sort();
  const events = phase.emitted.size;
  return {
    events,
    deliveries: latency.length,
    missing: events * clientCount - latency.length,
    latency: sorted(latency),
    byName: new Map([...byName].map(([k, v]) => [k, sorted(v)])),
    fanout: sorted([...phase.emitted.values()].map((e) => e.doneAt - e.at)),
    fromRequest: sorted(fromRequest),
    closes,
    clientCpuMs,
    bytes,
  };
}

/** Each agent's k-th request → its k-th agent_status_changed: seq → when the request was sent. */
function requestTimes(
  emitted: Map<number, Emitted>,
  sent: { agentId: number; at: number }[],
): { bySeq: Map<number, number>; unmatched: number } {
  const requests = new Map<number, number[]>();
  for (const s of sent) requests.set(s.agentId, [...(requests.get(s.agentId) ?? []), s.at]);
  const events = new Map<number, number[]>();
  for (const e of [...emitted.values()].sort((a, b) => a.seq - b.seq)) {
    if (e.agentId === null) continue;
    events.set(e.agentId, [...(events.get(e.agentId) ?? []), e.seq]);
  }
  const bySeq = new Map<number, number>();
  let unmatched = 0;
  for (const [agentId, times] of requests) {
    const seqs = events.get(agentId) ?? [];
    if (seqs.length !== times.length) {
      unmatched += times.length;
      continue;
    }
    seqs.forEach((seq, k) => bySeq.set(seq, times[k] ?? Number.NaN));
  }
  return { bySeq, unmatched };
}

// ---------------------------------------------------------------------------------------------
// The floor

interface Floor {
  agentIds: number[];
  customStatusId: number;
  tokens: string[];
  caller: Phone;
}

async function ok(
  server: TelephonyServer,
  method: 'POST' | 'PUT',
  url: string,
  body: unknown,
  status = 201,
): Promise<unknown> {
  const res = await server.request(method, url, { token: server.adminToken, body });
  if (res.statusCode !== status) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function inBatches<T, R>(items: T[], size: number, each: (t: T) => Promise<R>) {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map(each))));
  return out;
}

async function buildFloor(server: TelephonyServer): Promise<Floor> {
  const away = (await ok(server, 'POST', '/api/v1/agent-statuses', { name: 'Away' })) as {
    id: number;
  };
  const indexes = [...Array(agentCount).keys()];
  const agentIds = await inBatches(indexes, 10, async (i) => {
    const extension = String(3001 + i);
    const agentId = await createAgent(server, { loginId: `feed${i + 1}`, extension });
    // Paused before the phone registers: never available, so no queued call is offered.
    await ok(server, 'PUT', `/api/v1/agents/${agentId}/status`, { status: 'paused' }, 200);
    await phoneFor(server, agentId, extension, `feed${extension}`);
    return agentId;
  });
  for (let g = 0; g < groupCount; g++) {
    await ok(server, 'POST', '/api/v1/groups', {
      name: `Feed ${g + 1}`,
      extension: String(800 + g),
      members: agentIds.filter((_, i) => i % groupCount === g).map((agentId) => ({ agentId })),
    });
  }
  const supervisors = await inBatches([...Array(supervisorCount).keys()], 10, (i) =>
    createAgent(server, { loginId: `sup${i + 1}`, role: 'supervisor' }),
  );
  const tokens = await inBatches([...Array(clientCount).keys()], 10, async (i) => {
    const res = await server.login(`sup${(i % supervisors.length) + 1}`, 'Secret123');
    if (res.statusCode !== 200) throw new Error(`login: ${res.statusCode} ${res.body}`);
    return res.json<{ token: string }>().token;
  });
  const caller = await phoneFor(server, null, null, 'feedcaller');
  return { agentIds, customStatusId: away.id, tokens, caller };
}

// ---------------------------------------------------------------------------------------------
// The phases

async function feedPhase(
  server: TelephonyServer,
  floor: Floor,
  workers: Clients[],
): Promise<{
  phase: PhaseResult;
  sent: { agentId: number; at: number }[];
  failures: string[];
  script: Script;
  idleCpuPerSecond: number;
  /** When every client had its snapshots (monotonicMs). */
  connectedAt: number;
}> {
  const emitted = new Map<number, Emitted>();
  const recorded: HubEvent[] = [];
  let marking = false;
  // First of the hub's listeners (subscribed before any connection): the emit.
  server.hub.subscribe((event: HubEvent) => {
    if (!marking || !TOPICS.includes(event.topic)) return;
    const agentId =
      event.name === 'agent_status_changed' ? (event.data as { agentId: number }).agentId : null;
    emitted.set(event.seq, {
      seq: event.seq,
      name: event.name,
      at: monotonicMs(),
      doneAt: 0,
      agentId,
    });
    recorded.push(event);
  });
  await connectAll(
    workers,
    `${server.baseUrl.replace(/^http/, 'ws')}/api/v1/ws`,
    floor.tokens,
    TOPICS,
  );
  const connectedAt = monotonicMs();
  // Last of them (subscribed after every connection): the end of the fan-out.
  server.hub.subscribe((event) => {
    const e = marking ? emitted.get(event.seq) : undefined;
    if (e !== undefined) e.doneAt = monotonicMs();
  });

  const driver = child<DriverCommand, DriverReply>('bench-feed-driver.ts');
  const statusLoad = (ms: number): DriverCommand => ({
    type: 'run',
    baseUrl: server.baseUrl,
    token: server.adminToken,
    agentIds: floor.agentIds,
    customStatusId: floor.customStatusId,
    perSecond: statusRate,
    durationMs: ms,
  });
  const isDone = (r: DriverReply): r is Extract<DriverReply, { type: 'done' }> => r.type === 'done';
  // Not measured: the first requests and events compile their code paths, the driver connects.
  await driver.ask(statusLoad(WARMUP_MS), isDone);
  const idleCpuPerSecond = await idleCpu(IDLE_MS);
  let done: Extract<DriverReply, { type: 'done' }> | undefined;
  const asteriskPid = server.asterisk.managed?.pid();
  const callsPerGroup = Math.round((callRate * durationMs) / 1000);
  let phaseStart = 0;
  const phase = await measured('feed', workers, emitted, asteriskPid, async () => {
    marking = true;
    phaseStart = monotonicMs();
    const callers = await Promise.all(
      [...Array(queueGroups).keys()].map((g) =>
        runSipp('caller-bench.xml', {
          remote: server.sip.address,
          service: String(800 + g),
          authUser: floor.caller.sipUser,
          authPassword: floor.caller.secret,
          timeoutSeconds: Math.ceil((durationMs + hold) / 1000) + 60,
          vars: { from_user: floor.caller.sipUser, hold },
          calls: callsPerGroup,
          extraArgs: [
            '-r',
            String(callRate),
            '-l',
            String(callsPerGroup),
            '-recv_timeout',
            '30000',
          ],
        }),
      ),
    );
    [done] = await Promise.all([
      driver.ask(statusLoad(durationMs), isDone),
      ...callers.map(async (c) => {
        const r = await c.done;
        if (r.code !== 0) console.log(`caller exited ${String(r.code)}: ${r.errors.slice(-800)}`);
      }),
    ]);
  });
  marking = false;
  driver.process.disconnect();
  await Promise.all(workers.map((w) => w.ask({ type: 'close' }, is('closed'))));
  // Offsets from the phase's start, and the exact text the feed sent each client.
  const script = recorded.map((event) => {
    const { topic, name, data, ts, seq } = event;
    return {
      seq,
      offset: (emitted.get(seq)?.at ?? phaseStart) - phaseStart,
      text: JSON.stringify({ type: 'event', topic, name, data, ts, seq }),
    };
  });
  return {
    phase,
    sent: done?.sent ?? [],
    failures: done?.failures ?? [],
    script,
    idleCpuPerSecond,
    connectedAt,
  };
}

/** What the feed sent, to replay: each event's text and its offset from the phase's start. */
type Script = { seq: number; offset: number; text: string }[];

async function baselinePhase(workers: Clients[], script: Script): Promise<PhaseResult> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', r));
  const { port } = wss.address() as { port: number };
  await connectAll(
    workers,
    `ws://127.0.0.1:${port}`,
    [...Array(clientCount).keys()].map(() => null),
    [],
  );
  const emitted = new Map<number, Emitted>();
  const phase = await measured('bare ws', workers, emitted, undefined, async () => {
    const start = monotonicMs();
    for (const m of script) {
      const wait = start + m.offset - monotonicMs();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const e: Emitted = {
        seq: m.seq,
        name: nameOf(m.text),
        at: monotonicMs(),
        doneAt: 0,
        agentId: null,
      };
      for (const client of wss.clients) client.send(m.text);
      e.doneAt = monotonicMs();
      emitted.set(m.seq, e);
    }
  });
  await Promise.all(workers.map((w) => w.ask({ type: 'close' }, is('closed'))));
  await new Promise((r) => wss.close(r));
  return phase;
}

function nameOf(text: string): string {
  return /"name":"([a-z_]+)"/.exec(text)?.[1] ?? '?';
}

// ---------------------------------------------------------------------------------------------
// Output

const fmt = (n: number, width = 7) => (Number.isNaN(n) ? '-' : n.toFixed(1)).padStart(width);
/** As bench-support's percentile, on a sorted typed array. */
const pct = (a: Float64Array, p: number) =>
  a.length === 0
    ? Number.NaN
    : (a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))] ?? Number.NaN);

function row(name: string, phase: PhaseResult, f: Figures): string {
  const l = f.latency;
  return [
    name.padEnd(8),
    String(f.events).padStart(6),
    String(f.deliveries).padStart(10),
    String(f.missing).padStart(7),
    fmt(pct(l, 50)),
    fmt(pct(l, 95)),
    fmt(pct(l, 99)),
    fmt(l[l.length - 1] ?? Number.NaN),
    fmt(pct(f.fanout, 50), 9),
    fmt(pct(f.fanout, 99), 7),
    fmt(phase.cpuMs, 8),
    fmt((phase.cpuMs / f.deliveries) * 1000, 9),
    fmt(phase.rssMb, 7),
    `${fmt(phase.loopP99Ms, 6)} /${fmt(phase.loopMaxMs, 6)}`,
  ].join(' ');
}

function print(
  base: { phase: PhaseResult; f: Figures },
  feed: { phase: PhaseResult; f: Figures },
  extra: {
    failures: string[];
    unmatched: number;
    idleCpuPerSecond: number;
    requestAt: Map<number, number>;
    connectedBeforeMs: number;
  },
) {
  console.log(
    'path     events deliveries missing  p50 ms  p95 ms  p99 ms  max ms  fan-out p50  p99 ms   cpu ms  cpu/1000 rss MB  loop p99 / max ms',
  );
  console.log(row('bare ws', base.phase, base.f));
  console.log(row('feed', feed.phase, feed.f));
  const ratio = (p: number) => (pct(feed.f.latency, p) / pct(base.f.latency, p)).toFixed(2);
  const perDelivery = (x: { phase: PhaseResult; f: Figures }) => x.phase.cpuMs / x.f.deliveries;
  console.log(
    `\nratio feed/bare ws: p50 ${ratio(50)}x  p95 ${ratio(95)}x  p99 ${ratio(99)}x; ` +
      `CPU per delivery ${(perDelivery(feed) / perDelivery(base)).toFixed(2)}x`,
  );
  const fanoutTotal = (x: { f: Figures }) => x.f.fanout.reduce((a, b) => a + b, 0);
  console.log(
    `time handing events out (the sum of the fan-outs: the synchronous per-event work): ` +
      `bare ws ${fanoutTotal(base).toFixed(0)} ms, feed ${fanoutTotal(feed).toFixed(0)} ms ` +
      `(${(fanoutTotal(feed) / fanoutTotal(base)).toFixed(2)}x; per 1000 deliveries ` +
      `${((fanoutTotal(base) / base.f.deliveries) * 1000).toFixed(1)} / ${((fanoutTotal(feed) / feed.f.deliveries) * 1000).toFixed(1)} ms)`,
  );
  const aboveIdle = (x: { phase: PhaseResult; f: Figures }) =>
    ((x.phase.cpuMs - (extra.idleCpuPerSecond * x.phase.wallMs) / 1000) / x.f.deliveries) * 1000;
  console.log(
    `server idle (the feed's clients connected, no load): ${extra.idleCpuPerSecond.toFixed(1)} ms CPU/s; ` +
      `CPU per 1000 deliveries above that: bare ws ${aboveIdle(base).toFixed(1)} ms, feed ${aboveIdle(feed).toFixed(1)} ms ` +
      `(${(aboveIdle(feed) / aboveIdle(base)).toFixed(2)}x); phases ${(base.phase.wallMs / 1000).toFixed(1)} s / ${(feed.phase.wallMs / 1000).toFixed(1)} s`,
  );
  for (const [label, x] of [
    ['bare ws', base],
    ['feed', feed],
  ] as const) {
    const parts = [...x.f.byName].map(
      ([name, l]) =>
        `${name} (${l.length}) p50 ${fmt(pct(l, 50), 0)} / p99 ${fmt(pct(l, 99), 0)} / max ${fmt(l[l.length - 1] ?? Number.NaN, 0)} ms`,
    );
    console.log(`${label.padEnd(8)} by event: ${parts.join('; ')}`);
  }
  const toEmit = [...extra.requestAt].flatMap(([seq, sent]) => {
    const e = feed.phase.emitted.get(seq);
    return e === undefined ? [] : [{ ms: e.at - sent, offset: sent - feed.phase.startedAt }];
  });
  const toEmitSorted = Float64Array.from(toEmit.map((x) => x.ms)).sort();
  const slowest = toEmit
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3)
    .map((x) => `${x.ms.toFixed(0)} ms at ${(x.offset / 1000).toFixed(1)} s`);
  console.log(
    `feed     request → emit (the PUT's HTTP path and the status service): p50 ${fmt(pct(toEmitSorted, 50), 0)} / p99 ${fmt(pct(toEmitSorted, 99), 0)} / max ${fmt(toEmitSorted[toEmitSorted.length - 1] ?? Number.NaN, 0)} ms; ` +
      `slowest ${slowest.join(', ')} into the phase (the clients connected ${(extra.connectedBeforeMs / 1000).toFixed(1)} s before it; keep-alive every 30 s)`,
  );
  const r = feed.f.fromRequest;
  console.log(
    `feed     request → client (agent_status_changed, from the PUT): p50 ${fmt(pct(r, 50), 0)} / p95 ${fmt(pct(r, 95), 0)} / p99 ${fmt(pct(r, 99), 0)} / max ${fmt(r[r.length - 1] ?? Number.NaN, 0)} ms` +
      (extra.unmatched > 0 ? ` (${extra.unmatched} requests not matched to an event)` : ''),
  );
  console.log(
    `clients' CPU (their processes): bare ws ${base.f.clientCpuMs.toFixed(0)} ms, feed ${feed.f.clientCpuMs.toFixed(0)} ms; ` +
      `bytes received: bare ws ${(base.f.bytes / 1e6).toFixed(1)} MB, feed ${(feed.f.bytes / 1e6).toFixed(1)} MB; ` +
      `Asterisk CPU during the feed phase ${feed.phase.asteriskCpuMs.toFixed(0)} ms`,
  );
  const closes = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([code, n]) => `${n}×${code}`)
      .join(', ') || 'none';
  console.log(
    `closes during the phases (4008 = dropped as a slow reader): bare ws ${closes(base.f.closes)}, feed ${closes(feed.f.closes)}` +
      (extra.failures.length > 0
        ? `; ${extra.failures.length} status requests failed: ${extra.failures[0] ?? ''}`
        : ''),
  );
}

async function main(): Promise<void> {
  const server = await startTelephonyServer({
    env: { LOG_LEVEL: 'warn', CALL_RECORDING: 'false', AUTH_SINGLE_SESSION: 'false' },
    rtpPorts: 400,
  });
  const workers = [...Array(workerCount).keys()].map(() =>
    child<ClientsCommand, ClientsReply>('bench-feed-clients.ts'),
  );
  try {
    const floor = await buildFloor(server);
    console.log(
      `Realtime feed: ${clientCount} supervisor clients (agents + groups) in ${workerCount} processes; ` +
        `${statusRate} status changes/s over ${agentCount} agents in ${groupCount} groups, ` +
        `${callRate} call/s waiting ${hold} ms into each of ${queueGroups} groups, for ${durationMs / 1000} s\n`,
    );
    const feed = await feedPhase(server, floor, workers);
    const base = await baselinePhase(workers, feed.script);
    const matched = requestTimes(feed.phase.emitted, feed.sent);
    print(
      { phase: base, f: figures(base, new Map()) },
      { phase: feed.phase, f: figures(feed.phase, matched.bySeq) },
      {
        failures: feed.failures,
        unmatched: matched.unmatched,
        idleCpuPerSecond: feed.idleCpuPerSecond,
        requestAt: matched.bySeq,
        connectedBeforeMs: feed.phase.startedAt - feed.connectedAt,
      },
    );
  } finally {
    for (const w of workers) w.process.disconnect();
    keepAsteriskLog(server);
    await server.stop();
  }
}

await main();
