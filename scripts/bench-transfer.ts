/**
 * Blind-transfer benchmark: an agent's phone keys a blind transfer during a call, through our
 * keypad (#8 + number + #, src/calls) and, in the same run on the same Asterisk, through
 * Asterisk's own blind transfer (features.conf blindxfer `#`, bridge_builtin_features, a Dial()
 * with the T option in the benchmark-only context bench-xfer).
 *
 *   npx tsx scripts/bench-transfer.ts [--rounds 30] [--hold 300] [--gap 300] [--warmup 1]
 *
 * One round of ours: a SIPp agent phone (201) calls a SIPp customer on the carrier, keys #8202#
 * as SIP INFO; the server rings 202's SIPp phone, which answers, talks `hold` ms and hangs up (the
 * customer gets the BYE; the agent was let go at the transfer). One round of Asterisk's: a
 * benchmark endpoint calls another benchmark endpoint (the customer, a SIPp phone at a static
 * contact) through bench-xfer, Dial(…,T); keys #202# as SIP INFO (# = blindxfer, then the number,
 * then # to end it); Asterisk sends the customer to 202 in bench-xfer-target, which rings a third
 * benchmark endpoint, answering as above. Both paths' endpoints have dtmf_mode rfc4733 (our
 * phones' default) and get the digits as SIP INFO: res_pjsip_dtmf_info takes INFO digits whatever
 * the dtmf_mode, and both the server's dtmf_events bridge and Asterisk's feature hooks see them.
 * Rounds are sequential (the next starts once Asterisk has no channel left), the two paths
 * alternate, and `warmup` rounds of each go first, not counted.
 *
 * Transfer completion time: the SIP INFO carrying the closing # sent (the agent phone's SIPp
 * message trace) → the INVITE the recipient's phone receives (its trace; both µs timestamps on
 * this host's clock). Both paths end the number on that # (bench-xfer-target's pattern _X.
 * keeps matching, so Asterisk waits for it like our keypad does). What comes before it is not
 * timed and differs: Asterisk's blindxfer # takes effect only once its DTMF end is emulated
 * (an INFO digit has no begin; Asterisk holds the emulated key for the INFO's Duration, 250 ms
 * from caller.xml, and feature hooks act on the end), then plays pbx-transfer to the agent and
 * music to the customer while it reads the number (end-only DTMF, no hold); our keypad reads the
 * digits from ARI DTMF events and lets the agent go (BYE) just before it rings the recipient.
 * `gap` is the time between digits (above that 250 ms, so no digit waits behind the previous one).
 * BENCH_TRACE_DIR=<dir> keeps the last round's SIPp traces of each path and Asterisk's log.
 * CPU is process time (this process: the server and the benchmark; Asterisk from /proc) over the
 * whole round (a call set up and answered, five or six digits, the transfer, the recipient's call,
 * the hang-ups: the same SIP work on both paths, ours through the trunk and Stasis).
 * Figures, not assertions.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  agentWithPhone,
  answer,
  callOutWith,
  carrier,
  dial,
  did,
  type Carrier,
  type Phone,
} from '../test/support/floor.js';
import { freePortBlock } from '../test/support/ports.js';
import { runSipp, type SippResult } from '../test/support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../test/support/telephony.js';
import {
  benchEndpoint,
  benchEndpointAt,
  lastInfoSentTime,
  percentile,
  processCpuMs,
  receivedInviteTimes,
  alternatingRounds,
  keepAsteriskLog,
} from './bench-support.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    hold: { type: 'string', default: '300' },
    gap: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '1' },
  },
});
const rounds = Number(values.rounds);
const hold = Number(values.hold);
const gap = Number(values.gap);
const warmup = Number(values.warmup);

const CUSTOMER = '0399998888';
const RECIPIENT = '202';
/** A pause after each round, so nothing of one round overlaps the next. */
const QUIET_MS = 200;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Cpu {
  serverMs: number;
  asteriskMs: number;
}

/** Starts measuring this process's and Asterisk's CPU; the returned function reads the use since. */
function cpuFrom(server: TelephonyServer): () => Cpu {
  const pid = server.asterisk.managed?.pid();
  const before = process.cpuUsage();
  const asteriskBefore = pid === undefined ? 0 : processCpuMs(pid);
  return () => {
    const used = process.cpuUsage(before);
    return {
      serverMs: (used.user + used.system) / 1000,
      asteriskMs: (pid === undefined ? 0 : processCpuMs(pid)) - asteriskBefore,
    };
  };
}

/** The agent's caller.xml variables: `digits` as SIP INFO from 1 s after the answer. */
const keying = (digits: string) => ({
  dtmf: digits,
  dtmf_mode: 'info',
  dtmf_delay: 1000,
  dtmf_gap: gap,
  hold: 20_000,
});

interface Parties {
  agent: SippResult;
  customer: SippResult;
  recipient: SippResult;
}

interface Path {
  name: string;
  /** One call, the transfer keyed, the recipient answering and hanging up; every SIPp run's end. */
  run(): Promise<Parties>;
}

interface Round {
  /** Transfer completion time, ms; undefined when there is no pair to measure. */
  transferMs: number | undefined;
  cpu: Cpu;
  error: string;
}

function describe(what: string, r: SippResult): string {
  return `${what} exited ${String(r.code)}: ${(r.errors || r.output).slice(-600)}`;
}

async function round(server: TelephonyServer, path: Path): Promise<Round> {
  const cpu = cpuFrom(server);
  const parties = await path.run();
  const used = cpu();
  await quiet(server);
  const traces = process.env.BENCH_TRACE_DIR;
  if (traces !== undefined) {
    // The last round of each path stays (SIPp's traces of the agent and the recipient).
    const file = (who: string) => join(traces, `${path.name.replace(/\W+/g, '-')}-${who}.log`);
    writeFileSync(file('agent'), parties.agent.messages);
    writeFileSync(file('recipient'), parties.recipient.messages);
  }
  const keyed = lastInfoSentTime(parties.agent.messages);
  const rung = receivedInviteTimes(parties.recipient.messages)[0];
  const transferMs = keyed !== undefined && rung !== undefined ? rung - keyed : undefined;
  // The agent is hung up at the transfer; caller.xml may count a BYE landing on one of its ticks
  // as unexpected (a non-zero exit) though the call went as it should: the pair decides.
  const error =
    transferMs === undefined
      ? `no ${keyed === undefined ? 'INFO sent' : 'INVITE at the recipient'}: ${describe('agent', parties.agent)} / ${describe('recipient', parties.recipient)}`
      : parties.recipient.code !== 0
        ? describe('recipient', parties.recipient)
        : parties.customer.code !== 0
          ? describe('customer', parties.customer)
          : '';
  return { transferMs, cpu: used, error };
}

/** Waits until Asterisk has no channel left (every leg of the round hung up), then a pause. */
async function quiet(server: TelephonyServer): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await server.asterisk.ari.channels.list()).length > 0) {
    if (Date.now() > deadline) throw new Error('channels still up 10 s after a round');
    await sleep(50);
  }
  await sleep(QUIET_MS);
}

/** Our agent 201 calls the carrier's customer and keys #8202#; 202's phone answers. */
function ourPath(server: TelephonyServer, agent: Phone, recipient: Phone, trunk: Carrier): Path {
  return {
    name: 'ours (#8)',
    async run() {
      const customer = await trunk.answer({ timeoutSeconds: 60 });
      const rung = await answer(recipient, 'phone-answer.xml', {
        vars: { hangup_after: hold },
        timeoutSeconds: 30,
      });
      const caller = await dial(server, agent, CUSTOMER, 'caller.xml', {
        vars: keying(`#8${RECIPIENT}#`),
        timeoutSeconds: 60,
      });
      const [a, r, c] = await Promise.all([caller.done, rung.done, customer.done]);
      return { agent: a, recipient: r, customer: c };
    },
  };
}

/** A benchmark endpoint Dial()s another with T (bench-xfer) and keys #202#; benchxfer202 answers. */
function asteriskPath(
  server: TelephonyServer,
  agent: Phone,
  customer: Phone,
  recipient: Phone,
): Path {
  return {
    name: 'Asterisk (#)',
    async run() {
      const answered = await runSipp('phone-answer.xml', {
        localPort: customer.port,
        timeoutSeconds: 60,
      });
      const rung = await runSipp('phone-answer.xml', {
        localPort: recipient.port,
        vars: { hangup_after: hold },
        timeoutSeconds: 30,
      });
      const caller = await runSipp('caller.xml', {
        remote: server.sip.address,
        service: customer.sipUser,
        authUser: agent.sipUser,
        authPassword: agent.secret,
        timeoutSeconds: 60,
        vars: { from_user: agent.sipUser, ...keying(`#${RECIPIENT}#`) },
      });
      const [a, r, c] = await Promise.all([caller.done, rung.done, answered.done]);
      return { agent: a, recipient: r, customer: c };
    },
  };
}

interface Summary {
  name: string;
  transfers: number[];
  failed: number;
  errors: string[];
  cpu: Cpu;
}

async function main(): Promise<void> {
  const server = await startTelephonyServer({
    env: { LOG_LEVEL: 'warn', CALL_RECORDING: 'false' },
    rtpPorts: 400,
  });
  try {
    const agent = await agentWithPhone(server, 'op1', '201');
    const recipient = await agentWithPhone(server, 'op2', RECIPIENT);
    const trunk = await carrier(server);
    await callOutWith(server, agent.agentId ?? 0, await did(server, '0312340000'));
    const paths = [
      asteriskPath(
        server,
        await benchEndpoint(server, 'benchxferer', 'bench-xfer'),
        await benchEndpointAt(server, 'benchxfercust', 'bench-xfer', await freePortBlock(1)),
        await benchEndpointAt(
          server,
          `benchxfer${RECIPIENT}`,
          'bench-xfer',
          await freePortBlock(1),
        ),
      ),
      ourPath(server, agent, recipient, trunk),
    ];

    console.log(
      `Blind transfer (closing # sent → the recipient's INVITE), ${rounds} rounds of each path ` +
        `(alternating, ${warmup} warm-up each), digits as SIP INFO ${gap} ms apart, the recipient talks ${hold} ms\n`,
    );
    const results = await alternatingRounds(paths, { rounds, warmup }, (p) => round(server, p));
    const summaries: Summary[] = paths.map((p, k) => {
      const s: Summary = {
        name: p.name,
        transfers: [],
        failed: 0,
        errors: [],
        cpu: { serverMs: 0, asteriskMs: 0 },
      };
      for (const r of results[k] ?? []) {
        if (r.transferMs === undefined) s.failed += 1;
        else s.transfers.push(r.transferMs);
        if (r.error !== '') s.errors.push(r.error);
        s.cpu.serverMs += r.cpu.serverMs;
        s.cpu.asteriskMs += r.cpu.asteriskMs;
      }
      return s;
    });

    const fmt = (n: number) => (Number.isNaN(n) ? '     -' : n.toFixed(1).padStart(6));
    const perRound = (ms: number) => (ms / rounds).toFixed(2).padStart(8);
    console.log(
      'path          transferred  failed   p50 ms   p95 ms   p99 ms   max ms  |  cpu ms/round: server  asterisk',
    );
    for (const s of summaries) {
      s.transfers.sort((a, b) => a - b);
      console.log(
        `${s.name.padEnd(13)} ${String(s.transfers.length).padStart(11)} ${String(s.failed).padStart(7)}   ${fmt(percentile(s.transfers, 50))}   ${fmt(percentile(s.transfers, 95))}   ${fmt(percentile(s.transfers, 99))}   ${fmt(s.transfers.at(-1) ?? Number.NaN)}  |              ${perRound(s.cpu.serverMs)}  ${perRound(s.cpu.asteriskMs)}`,
      );
    }
    for (const s of summaries) {
      if (s.errors.length > 0)
        console.log(`\n${s.name}: ${s.errors.length} round(s) with errors; first: ${s.errors[0]}`);
    }
    const [base, ours] = summaries;
    if (base !== undefined && ours !== undefined) {
      const ratio = (p: number) =>
        (percentile(ours.transfers, p) / percentile(base.transfers, p)).toFixed(2);
      console.log(
        `\nratio ours/Asterisk: transfer completion p50 ${ratio(50)}x  p95 ${ratio(95)}x  p99 ${ratio(99)}x`,
      );
      console.log(
        `CPU per round: Asterisk ${(base.cpu.asteriskMs / rounds).toFixed(2)} ms on its own transfer, ${(ours.cpu.asteriskMs / rounds).toFixed(2)} ms on ours; ` +
          `server ${(ours.cpu.serverMs / rounds).toFixed(2)} ms, ` +
          `${((ours.cpu.serverMs - base.cpu.serverMs) / rounds).toFixed(2)} ms above the Asterisk rounds ` +
          `(this process also runs the benchmark)`,
      );
    }
  } finally {
    keepAsteriskLog(server);
    await server.stop();
  }
}

await main();
