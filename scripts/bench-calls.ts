/**
 * Call-setup benchmark: N SIPp calls through our Stasis application versus the same calls routed
 * by plain dialplan Dial() on the same Asterisk, in the same run.
 *
 *   npx tsx scripts/bench-calls.ts [--calls 200] [--rate 20] [--concurrency 20] [--hold 1000]
 *
 * Both paths ring the same registered SIPp phone (answering at once) by its terminal ID, from a
 * SIPp caller, many calls at once (a terminal, unlike an agent, takes any number of calls):
 * - stasis: a phone of ours dials the terminal → our engine resolves it, rings the phone
 *   (create + dial), answers the caller, bridges the two, writes the history row;
 * - direct: an endpoint in the benchmark-only context [bench-direct] → Dial(PJSIP/<phone>).
 * Latency is the caller's INVITE (the one answered, after the digest challenge) to its 200 OK,
 * from SIPp's microsecond message timestamps. CPU is process time used during each phase (this
 * server process, and Asterisk from /proc), RSS the largest seen. Figures, not assertions.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { agentWithPhone, phoneFor, type Phone } from '../test/support/floor.js';
import { measuredCalls, percentile, setupLatencies, type Measured } from './bench-support.js';
import { runSipp } from '../test/support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../test/support/telephony.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '200' },
    rate: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '20' },
    hold: { type: 'string', default: '1000' },
  },
});
const calls = Number(values.calls);
const rate = Number(values.rate);
const concurrency = Number(values.concurrency);
const hold = Number(values.hold);

interface Phase extends Omit<Measured<unknown>, 'result'> {
  name: string;
  latencies: number[];
  failed: number;
  /** SIPp's own account of what failed, when something did. */
  errors: string;
}

async function phase(
  name: string,
  server: TelephonyServer,
  caller: Phone,
  callee: Phone,
  dialled: string,
): Promise<Phase> {
  const uas = await runSipp('phone-answer-many.xml', {
    localPort: callee.port,
    timeoutSeconds: 600,
    calls,
  });
  const { result, ...measured } = await measuredCalls(server, caller, dialled, {
    calls,
    hold,
    rate,
    limit: concurrency,
    recvTimeoutMs: 10_000,
    timeoutSeconds: 600,
  });
  uas.kill();
  const phone = await uas.done;
  if (process.env.BENCH_TRACE_DIR !== undefined) {
    const base = join(process.env.BENCH_TRACE_DIR, name.replace(/\W+/g, '-'));
    writeFileSync(`${base}-caller.log`, result.messages);
    writeFileSync(`${base}-phone.log`, phone.messages);
  }
  const latencies = setupLatencies(result.messages).sort((a, b) => a - b);
  return {
    name,
    latencies,
    failed: calls - latencies.length,
    ...measured,
    errors:
      result.code === 0
        ? ''
        : `caller exited ${String(result.code)}: ${result.errors.slice(-1500)}\n` +
          `phone exited ${String(phone.code)}: ${phone.errors.slice(-1500)}`,
  };
}

async function main(): Promise<void> {
  const server = await startTelephonyServer({
    env: { LOG_LEVEL: 'warn', CALL_RECORDING: 'false' },
    // Two channels with media per call (caller and phone), RTP + RTCP each, and room to spare:
    // a call that finds no free port fails before it rings.
    rtpPorts: Math.max(54, concurrency * 8 + 40),
  });
  try {
    // The phone that answers, as an agent's (Stasis path) and dialled by name (direct path).
    const agentPhone = await agentWithPhone(server, 'bench1', '2001');
    const stasisCaller = await phoneFor(server, null, null, 'benchcaller');
    // The direct caller lives in [bench-direct]: pushed straight into Asterisk, benchmark only.
    const direct: Phone = {
      agentId: null,
      extension: null,
      sipUser: 'benchdirect',
      secret: 'bench-direct-secret',
      port: 0,
    };
    const ari = server.asterisk.ari;
    await ari.asterisk.putObject('res_pjsip', 'auth', direct.sipUser, {
      auth_type: 'userpass',
      username: direct.sipUser,
      password: direct.secret,
    });
    await ari.asterisk.putObject('res_pjsip', 'aor', direct.sipUser, { max_contacts: '1' });
    await ari.asterisk.putObject('res_pjsip', 'endpoint', direct.sipUser, {
      aors: direct.sipUser,
      auth: direct.sipUser,
      context: 'bench-direct',
      disallow: 'all',
      allow: 'ulaw',
      direct_media: 'no',
      send_connected_line: 'no',
    });

    console.log(
      `call setup, ${calls} calls at ${rate}/s, at most ${concurrency} at once, ${hold} ms each\n`,
    );
    const results = [
      await phase('direct Dial()', server, direct, agentPhone, agentPhone.sipUser),
      await phase('our Stasis app', server, stasisCaller, agentPhone, agentPhone.sipUser),
    ];

    const fmt = (n: number) => (Number.isNaN(n) ? '   -' : n.toFixed(1).padStart(6));
    console.log(
      'path              calls  failed    p50 ms   p95 ms   p99 ms  server cpu ms  asterisk cpu ms  server rss MB',
    );
    for (const r of results) {
      console.log(
        `${r.name.padEnd(16)} ${String(r.latencies.length).padStart(6)} ${String(r.failed).padStart(7)}   ${fmt(percentile(r.latencies, 50))}   ${fmt(percentile(r.latencies, 95))}   ${fmt(percentile(r.latencies, 99))}  ${r.serverCpuMs.toFixed(0).padStart(13)}  ${r.asteriskCpuMs.toFixed(0).padStart(15)}  ${r.serverRssMb.toFixed(1).padStart(13)}`,
      );
    }
    for (const r of results) if (r.errors !== '') console.log(`\n${r.name}: ${r.errors}`);
    const [base, ours] = results;
    if (base !== undefined && ours !== undefined) {
      const ratio = (p: number) =>
        (percentile(ours.latencies, p) / percentile(base.latencies, p)).toFixed(2);
      console.log(`\nratio stasis/direct: p50 ${ratio(50)}x  p95 ${ratio(95)}x  p99 ${ratio(99)}x`);
      console.log(
        `Asterisk CPU per call: direct ${(base.asteriskCpuMs / calls).toFixed(2)} ms, stasis ${(ours.asteriskCpuMs / calls).toFixed(2)} ms; ` +
          `server CPU per call (stasis) ${(ours.serverCpuMs / calls).toFixed(2)} ms, ` +
          `${((ours.serverCpuMs - base.serverCpuMs) / calls).toFixed(2)} ms above the direct run ` +
          `(this process also runs the benchmark)`,
      );
    }
  } finally {
    await server.stop();
  }
}

await main();
