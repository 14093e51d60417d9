/**
 * ACD benchmark: M callers into one group answered by N SIPp agents, through our queue engine
 * and, in the same run on the same Asterisk, through a stock app_queue queue with the same
 * agents and the same strategy (round_robin = app_queue's rrmemory).
 *
 *   npx tsx scripts/bench-acd.ts [--calls 200] [--agents 10] [--rate 5] [--hold 1000]
 *
 * Routing latency: the caller's INVITE (the one that passed the digest challenge) → the first
 * INVITE an agent's phone receives after it. Calls start 1/rate apart and a free agent is always
 * there (agents ≥ 2 × rate × hold), so that INVITE is the call's own; a call whose agent INVITE
 * does not come before the next call's is counted as dropped.
 * Calls handled per second = calls answered ÷ the phase's wall time. CPU is process time used
 * during each phase (this server process, and Asterisk from /proc); RSS the largest seen.
 * Figures, not assertions.
 */
import { parseArgs } from 'node:util';
import { agentWithPhone, phoneFor, type Phone } from '../test/support/floor.js';
import { runSipp } from '../test/support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../test/support/telephony.js';
import {
  benchEndpoint,
  inviteTimes,
  measuredCalls,
  percentile,
  receivedInviteTimes,
  setupLatencies,
  type Measured,
  keepAsteriskLog,
} from './bench-support.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '200' },
    agents: { type: 'string', default: '10' },
    rate: { type: 'string', default: '5' },
    hold: { type: 'string', default: '1000' },
  },
});
const calls = Number(values.calls);
const agentCount = Number(values.agents);
const rate = Number(values.rate);
const hold = Number(values.hold);

interface Phase extends Omit<Measured<unknown>, 'result'> {
  name: string;
  routing: number[];
  dropped: number;
  answered: number;
  handledPerSecond: number;
  errors: string;
}

async function phase(
  name: string,
  server: TelephonyServer,
  caller: Phone,
  agents: Phone[],
  dialled: string,
): Promise<Phase> {
  const phones = await Promise.all(
    agents.map((a) =>
      runSipp('phone-answer-many.xml', { localPort: a.port, timeoutSeconds: 900, calls }),
    ),
  );
  const { result, ...measured } = await measuredCalls(server, caller, dialled, {
    calls,
    hold,
    rate,
    limit: agentCount,
    recvTimeoutMs: 30_000,
    timeoutSeconds: 900,
  });
  for (const p of phones) p.kill();
  const phoneResults = await Promise.all(phones.map((p) => p.done));

  const sent = inviteTimes(result.messages);
  const received = phoneResults
    .flatMap((p) => receivedInviteTimes(p.messages))
    .sort((a, b) => a - b);
  // Each call's first agent INVITE after it (and before the next call's INVITE).
  const routing: number[] = [];
  let dropped = 0;
  let j = 0;
  sent.forEach((at, i) => {
    const next = sent[i + 1] ?? Infinity;
    while (j < received.length && (received[j] ?? 0) < at) j += 1;
    const first = received[j];
    if (first === undefined || first >= next) dropped += 1;
    else routing.push(first - at);
  });
  const answered = setupLatencies(result.messages).length;
  return {
    name,
    routing: routing.sort((a, b) => a - b),
    dropped,
    answered,
    handledPerSecond: answered / measured.wallSeconds,
    ...measured,
    errors:
      result.code === 0
        ? ''
        : `caller exited ${String(result.code)}: ${result.errors.slice(-1500)}`,
  };
}

async function main(): Promise<void> {
  const server = await startTelephonyServer({
    env: { LOG_LEVEL: 'warn', CALL_RECORDING: 'false' },
    // Generous: Asterisk does not hand a freed RTP port out again at once, and with a range of
    // a few hundred ports app_queue's calls failed for want of one after about a hundred calls.
    rtpPorts: 2000,
  });
  try {
    const agents: Phone[] = [];
    for (let i = 0; i < agentCount; i++) {
      agents.push(await agentWithPhone(server, `bench${i + 1}`, String(3001 + i)));
    }
    const group = await server.request('POST', '/api/v1/groups', {
      token: server.adminToken,
      body: {
        name: 'Bench',
        extension: '800',
        strategy: 'round_robin',
        // As app_queue's queue: no music before ringing, straight to the agents.
        ringBeforeQueueSeconds: 60,
        members: agents.map((a) => ({ agentId: a.agentId, skillLevel: 1 })),
      },
    });
    if (group.statusCode !== 201) throw new Error(`group: ${group.body}`);
    const ourCaller = await phoneFor(server, null, null, 'benchcaller');
    const queueCaller = await benchEndpoint(server, 'benchqueue', 'bench-queue');
    for (const a of agents) {
      await server.asterisk.ami.action({
        Action: 'QueueAdd',
        Queue: 'bench',
        Interface: `PJSIP/${a.sipUser}`,
      });
    }

    console.log(
      `ACD routing, ${calls} calls at ${rate}/s into one group of ${agentCount} SIPp agents, ${hold} ms each\n`,
    );
    const results = [
      await phase('app_queue', server, queueCaller, agents, '800'),
      await phase('our ACD', server, ourCaller, agents, '800'),
    ];
    const fmt = (n: number) => (Number.isNaN(n) ? '     -' : n.toFixed(1).padStart(6));
    console.log(
      'path        answered  dropped  calls/s   p50 ms   p95 ms   p99 ms  server cpu ms  asterisk cpu ms  server rss MB',
    );
    for (const r of results) {
      console.log(
        `${r.name.padEnd(10)} ${String(r.answered).padStart(9)} ${String(r.dropped).padStart(8)} ${r.handledPerSecond.toFixed(2).padStart(8)}   ${fmt(percentile(r.routing, 50))}   ${fmt(percentile(r.routing, 95))}   ${fmt(percentile(r.routing, 99))}  ${r.serverCpuMs.toFixed(0).padStart(13)}  ${r.asteriskCpuMs.toFixed(0).padStart(15)}  ${r.serverRssMb.toFixed(1).padStart(13)}`,
      );
    }
    for (const r of results) if (r.errors !== '') console.log(`\n${r.name}: ${r.errors}`);
    const [base, ours] = results;
    if (base !== undefined && ours !== undefined) {
      const ratio = (p: number) =>
        (percentile(ours.routing, p) / percentile(base.routing, p)).toFixed(2);
      console.log(
        `\nratio ours/app_queue: routing p50 ${ratio(50)}x  p95 ${ratio(95)}x  p99 ${ratio(99)}x; ` +
          `calls/s ${(ours.handledPerSecond / base.handledPerSecond).toFixed(2)}x`,
      );
      console.log(
        `Asterisk CPU per call: app_queue ${(base.asteriskCpuMs / calls).toFixed(2)} ms, ours ${(ours.asteriskCpuMs / calls).toFixed(2)} ms; ` +
          `server CPU per call (ours) ${(ours.serverCpuMs / calls).toFixed(2)} ms, ` +
          `${((ours.serverCpuMs - base.serverCpuMs) / calls).toFixed(2)} ms above the app_queue run ` +
          `(this process also runs the benchmark)`,
      );
    }
  } finally {
    keepAsteriskLog(server);
    await server.stop();
  }
}

await main();
