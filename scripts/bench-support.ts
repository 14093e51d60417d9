/**
 * What the benchmark scripts share: the measured SIPp caller, SIPp trace parsing, percentiles,
 * process CPU, a clock that processes of this host share.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Phone } from '../test/support/floor.js';
import { runSipp, type SippResult } from '../test/support/sipp.js';
import type { TelephonyServer } from '../test/support/telephony.js';

export interface CallerLoad {
  calls: number;
  /** ms each call stays up once answered. */
  hold: number;
  /** Calls started per second, and at most this many at once. */
  rate: number;
  limit: number;
  /** How long a call may wait for each response. */
  recvTimeoutMs: number;
  timeoutSeconds: number;
}

export interface Measured<T> {
  result: T;
  wallSeconds: number;
  /** CPU time of this process (the server, and the benchmark itself) meanwhile. */
  serverCpuMs: number;
  asteriskCpuMs: number;
  /** The largest RSS of this process seen meanwhile. */
  serverRssMb: number;
}

/**
 * Places the load's calls with caller-bench.xml from `caller` to `dialled`, measuring this
 * process's CPU and peak RSS and the managed Asterisk's CPU while they run.
 */
export async function measuredCalls(
  server: TelephonyServer,
  caller: Phone,
  dialled: string,
  load: CallerLoad,
): Promise<Measured<SippResult>> {
  const asteriskPid = server.asterisk.managed?.pid();
  const cpuBefore = process.cpuUsage();
  const asteriskBefore = asteriskPid === undefined ? 0 : processCpuMs(asteriskPid);
  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 100);
  const started = Date.now();
  const run = await runSipp('caller-bench.xml', {
    remote: server.sip.address,
    service: dialled,
    authUser: caller.sipUser,
    authPassword: caller.secret,
    timeoutSeconds: load.timeoutSeconds,
    vars: { from_user: caller.sipUser, hold: load.hold },
    calls: load.calls,
    extraArgs: [
      '-r',
      String(load.rate),
      '-l',
      String(load.limit),
      '-recv_timeout',
      String(load.recvTimeoutMs),
    ],
  });
  const result = await run.done;
  const wallSeconds = (Date.now() - started) / 1000;
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  const asteriskAfter = asteriskPid === undefined ? 0 : processCpuMs(asteriskPid);
  return {
    result,
    wallSeconds,
    serverCpuMs: (cpu.user + cpu.system) / 1000,
    asteriskCpuMs: asteriskAfter - asteriskBefore,
    serverRssMb: rss / 1024 / 1024,
  };
}

/** One SIPp -trace_msg log as messages: when, sent or received, and the text. */
export function traceMessages(
  messages: string,
): { at: number; sent: boolean; text: string; callId: string | undefined }[] {
  const out: { at: number; sent: boolean; text: string; callId: string | undefined }[] = [];
  for (const block of messages.split(/^-{10,} /m).slice(1)) {
    const stamp = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d+)/.exec(block);
    if (stamp?.[1] === undefined || stamp[2] === undefined) continue;
    out.push({
      at: Date.parse(`${stamp[1].replace(' ', 'T')}Z`) + Number(`0.${stamp[2]}`) * 1000,
      sent: /message sent/.test(block),
      text: block,
      callId: /^Call-ID:\s*(\S+)/im.exec(block)?.[1],
    });
  }
  return out;
}

/** INVITE → 200 OK per call, in ms, from a SIPp -trace_msg log. */
export function setupLatencies(messages: string): number[] {
  const lastInvite = new Map<string, number>();
  const latencies: number[] = [];
  for (const m of traceMessages(messages)) {
    if (m.callId === undefined) continue;
    if (m.sent && /^INVITE sip:/m.test(m.text)) lastInvite.set(m.callId, m.at);
    if (!m.sent && /^SIP\/2\.0 200 /m.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text)) {
      const invite = lastInvite.get(m.callId);
      if (invite !== undefined) {
        latencies.push(m.at - invite);
        lastInvite.delete(m.callId);
      }
    }
  }
  return latencies;
}

/** When each call's last INVITE was sent (the one that got through the challenge), in order. */
export function inviteTimes(messages: string): number[] {
  const last = new Map<string, number>();
  for (const m of traceMessages(messages)) {
    if (m.callId !== undefined && m.sent && /^INVITE sip:/m.test(m.text)) last.set(m.callId, m.at);
  }
  return [...last.values()].sort((a, b) => a - b);
}

/** When a phone received each new INVITE (first of its Call-ID), in order. */
export function receivedInviteTimes(messages: string): number[] {
  const first = new Map<string, number>();
  for (const m of traceMessages(messages)) {
    if (m.callId !== undefined && !m.sent && /^INVITE sip:/m.test(m.text) && !first.has(m.callId))
      first.set(m.callId, m.at);
  }
  return [...first.values()].sort((a, b) => a - b);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/**
 * Now in ms (fractional) on CLOCK_MONOTONIC (libuv's hrtime): one clock for every process of
 * this host, so a time taken in one process can be subtracted from one taken in another.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** CPU time (user + system) used so far by a process, in ms, from /proc. */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/**
 * An endpoint pushed straight into Asterisk (auth, aor, endpoint over ARI) in a benchmark-only
 * context, never known to the server: a baseline's caller.
 */
export async function benchEndpoint(
  server: TelephonyServer,
  name: string,
  context: string,
): Promise<Phone> {
  const phone: Phone = {
    agentId: null,
    extension: null,
    sipUser: name,
    secret: `${name}-secret`,
    port: 0,
  };
  const ari = server.asterisk.ari;
  await ari.asterisk.putObject('res_pjsip', 'auth', name, {
    auth_type: 'userpass',
    username: name,
    password: phone.secret,
  });
  await ari.asterisk.putObject('res_pjsip', 'aor', name, { max_contacts: '1' });
  await ari.asterisk.putObject('res_pjsip', 'endpoint', name, {
    aors: name,
    auth: name,
    context,
    disallow: 'all',
    allow: 'ulaw',
    direct_media: 'no',
  });
  return phone;
}

/**
 * A benchmark endpoint (as benchEndpoint) that Asterisk can ring without a REGISTER: its AOR
 * holds a static contact at 127.0.0.1:`port`, where a SIPp phone (phone-answer.xml) waits.
 */
export async function benchEndpointAt(
  server: TelephonyServer,
  name: string,
  context: string,
  port: number,
): Promise<Phone> {
  const phone = { ...(await benchEndpoint(server, name, context)), port };
  await server.asterisk.ari.asterisk.putObject('res_pjsip', 'aor', name, {
    max_contacts: '1',
    contact: `sip:${name}@127.0.0.1:${port}`,
  });
  return phone;
}

/** When a phone sent its last SIP INFO (its last DTMF digit, in SIP INFO mode), from its trace. */
export function lastInfoSentTime(messages: string): number | undefined {
  return traceMessages(messages)
    .filter((m) => m.sent && /^INFO sip:/m.test(m.text))
    .at(-1)?.at;
}

/** With BENCH_TRACE_DIR set, keeps a copy of the managed Asterisk's log there (after a run). */
export function keepAsteriskLog(server: TelephonyServer): void {
  const dir = process.env.BENCH_TRACE_DIR;
  if (dir === undefined) return;
  copyFileSync(join(server.runtimeDir, 'log', 'messages.log'), join(dir, 'asterisk-messages.log'));
}

/**
 * Runs `warmup` uncounted rounds of every path, then `rounds` counted ones, the paths alternating
 * (so that a drift of the machine touches both alike); the counted results, per path in order.
 */
export async function alternatingRounds<P, R>(
  paths: P[],
  counts: { rounds: number; warmup: number },
  round: (path: P) => Promise<R>,
): Promise<R[][]> {
  for (let i = 0; i < counts.warmup; i++) for (const p of paths) await round(p);
  const results: R[][] = paths.map(() => []);
  for (let i = 0; i < counts.rounds; i++) {
    for (const [k, p] of paths.entries()) results[k]?.push(await round(p));
  }
  return results;
}
