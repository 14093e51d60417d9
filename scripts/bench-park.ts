/**
 * Park benchmark: picking a parked call up, through our park (slots 9001…, holding bridges of our
 * Stasis application) and, in the same run on the same Asterisk, through Asterisk's own
 * res_parking (asterisk-config/res_parking.conf: lot 701-720 in the benchmark-only context
 * bench-parkedcalls).
 *
 *   npx tsx scripts/bench-park.ts [--rounds 50] [--hold 500] [--warmup 1]
 *
 * One round of ours: a SIPp agent phone calls a SIPp customer on the carrier, keys #72 (SIP INFO)
 * and is hung up once the customer is in slot 9001 (with music, the slot spoken to it); a second
 * agent's phone dials 9001, talks `hold` ms and hangs up; the customer gets the BYE. One round of
 * res_parking: a benchmark endpoint calls the context bench-park, is answered and Park()ed in 701;
 * a second benchmark endpoint dials 701 (the lot's own extension), talks `hold` ms and hangs up.
 * Rounds are sequential (nothing else is up while one runs: the next starts once Asterisk has no
 * channel left), the two paths alternate, and `warmup` rounds of each go first, not counted.
 *
 * Pickup connect time: the picker's INVITE (the one that passed the digest challenge) → the
 * 200 OK it receives, from SIPp's message trace (µs timestamps). Both paths answer the picker
 * before bridging it (our pickUpByDial answers, then hands the call over; ParkedCall() answers,
 * then retrieves): the figure is the decision and the answer, not the media path. (ParkedCall()'s
 * answer then waits up to 500 ms for the picker's first audio frame, which a SIPp picker never
 * sends: there the parked party joins the picker about 0.5 s after the 200, ours some 10 ms
 * after; Asterisk's log shows it, BENCH_TRACE_DIR=<dir> keeps a copy.)
 * CPU is process time (this process: the server and the benchmark; Asterisk from /proc) per
 * round: over the pickup alone (the picker dialling → both parties' SIPp gone: comparable), and
 * over the whole round (ours also has the parker's call, its digits and the spoken slot, which a
 * Park()ed call has not: not comparable). The park itself is not timed: ours hangs the parker up
 * after speaking the slot, a Park()ed call has no parker, so there is no pair to compare.
 * Figures, not assertions.
 */
import { parseArgs } from 'node:util';
import {
  agentWithPhone,
  callOutWith,
  carrier,
  dial,
  did,
  type Carrier,
  type Phone,
} from '../test/support/floor.js';
import { runSipp, type SippResult, type SippRun } from '../test/support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../test/support/telephony.js';
import {
  benchEndpoint,
  percentile,
  processCpuMs,
  setupLatencies,
  traceMessages,
  alternatingRounds,
  keepAsteriskLog,
} from './bench-support.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '50' },
    hold: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '1' },
  },
});
const rounds = Number(values.rounds);
const hold = Number(values.hold);
const warmup = Number(values.warmup);

const CUSTOMER = '0399998888';
const OUR_SLOT = '9001';
const LOT_SLOT = '701';
/** A pause before each pickup and after each round, so nothing of the park overlaps it. */
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

interface Round {
  /** Pickup connect time, ms; undefined when the picker got no 200. */
  pickupMs: number | undefined;
  pickupCpu: Cpu;
  roundCpu: Cpu;
  error: string;
}

interface Path {
  name: string;
  /** Sets the party up and resolves once it is parked; then its SIPp run (ended by the pickup). */
  park(): Promise<{ party: SippRun } | { error: string }>;
  /** The picker dials the slot and talks `hold` ms. */
  pickUp(): Promise<SippRun>;
}

function describe(what: string, r: SippResult): string {
  return `${what} exited ${String(r.code)}: ${(r.errors || r.output).slice(-600)}`;
}

async function round(server: TelephonyServer, path: Path): Promise<Round> {
  const roundCpu = cpuFrom(server);
  const parked = await path.park();
  if ('error' in parked) {
    await quiet(server);
    return {
      pickupMs: undefined,
      pickupCpu: roundCpu(),
      roundCpu: roundCpu(),
      error: parked.error,
    };
  }
  await sleep(QUIET_MS);
  const pickupCpu = cpuFrom(server);
  const picker = await path.pickUp();
  const [picked, party] = await Promise.all([picker.done, parked.party.done]);
  const pickup = pickupCpu();
  const whole = roundCpu();
  await quiet(server);
  const pickupMs = setupLatencies(picked.messages)[0];
  const error =
    picked.code !== 0
      ? describe('picker', picked)
      : party.code !== 0
        ? describe('parked party', party)
        : '';
  return { pickupMs, pickupCpu: pickup, roundCpu: whole, error };
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

/** #72 by our agent's phone in a call with the carrier's customer; the picker dials 9001. */
function ourPath(server: TelephonyServer, parker: Phone, picker: Phone, trunk: Carrier): Path {
  return {
    name: 'our park',
    async park() {
      const party = await trunk.answer({ timeoutSeconds: 120 });
      const run = await dial(server, parker, CUSTOMER, 'caller.xml', {
        vars: { dtmf: '#72', dtmf_mode: 'info', dtmf_delay: 300, dtmf_gap: 100, hold: 15_000 },
        timeoutSeconds: 60,
      });
      // The parker is hung up (a BYE it receives) once the customer is in the slot.
      const result = await run.done;
      const byed = traceMessages(result.messages).some((m) => !m.sent && /^BYE sip:/m.test(m.text));
      if (result.code !== 0 || !byed) {
        party.kill();
        return { error: `not parked: ${describe('parker', result)}` };
      }
      return { party };
    },
    pickUp: () => dial(server, picker, OUR_SLOT, 'caller.xml', { vars: { hold } }),
  };
}

/** A benchmark endpoint Park()ed in 701 by the dialplan; another dials 701. */
function lotPath(server: TelephonyServer, parkee: Phone, picker: Phone): Path {
  const call = (phone: Phone, number: string, scenario: string, vars: Record<string, number>) =>
    runSipp(scenario, {
      remote: server.sip.address,
      service: number,
      authUser: phone.sipUser,
      authPassword: phone.secret,
      timeoutSeconds: 60,
      vars: { from_user: phone.sipUser, ...vars },
    });
  return {
    name: 'res_parking',
    async park() {
      // It waits for the BYE (caller.xml's hold ticks can abort on one: SIPp's "unexpected BYE").
      const party = await call(parkee, 'park', 'caller-wait-bye.xml', {});
      const deadline = Date.now() + 10_000;
      for (;;) {
        const listed = await server.asterisk.ami.action(
          { Action: 'ParkedCalls', ParkingLot: 'default' },
          { eventList: true },
        );
        if (listed.events.some((e) => e.parkingspace === LOT_SLOT)) return { party };
        if (Date.now() > deadline) {
          party.kill();
          return { error: `not parked in ${LOT_SLOT} within 10 s` };
        }
        await sleep(20);
      }
    },
    pickUp: () => call(picker, LOT_SLOT, 'caller.xml', { hold }),
  };
}

interface Summary {
  name: string;
  pickups: number[];
  failed: number;
  errors: string[];
  pickupCpu: Cpu;
  roundCpu: Cpu;
}

async function main(): Promise<void> {
  const server = await startTelephonyServer({
    env: { LOG_LEVEL: 'warn', CALL_RECORDING: 'false' },
    rtpPorts: 400,
  });
  try {
    const parker = await agentWithPhone(server, 'parker', '201');
    const picker = await agentWithPhone(server, 'picker', '202');
    const trunk = await carrier(server);
    await callOutWith(server, parker.agentId ?? 0, await did(server, '0312340000'));
    const paths = [
      lotPath(
        server,
        await benchEndpoint(server, 'benchparkee', 'bench-park'),
        await benchEndpoint(server, 'benchpicker', 'bench-parkedcalls'),
      ),
      ourPath(server, parker, picker, trunk),
    ];

    console.log(
      `Park → pickup, ${rounds} rounds of each path (alternating, ${warmup} warm-up each), the picker talks ${hold} ms\n`,
    );
    const results = await alternatingRounds(paths, { rounds, warmup }, (p) => round(server, p));
    const summaries: Summary[] = paths.map((p, k) => {
      const s: Summary = {
        name: p.name,
        pickups: [],
        failed: 0,
        errors: [],
        pickupCpu: { serverMs: 0, asteriskMs: 0 },
        roundCpu: { serverMs: 0, asteriskMs: 0 },
      };
      for (const r of results[k] ?? []) {
        if (r.pickupMs === undefined) s.failed += 1;
        else s.pickups.push(r.pickupMs);
        if (r.error !== '') s.errors.push(r.error);
        s.pickupCpu.serverMs += r.pickupCpu.serverMs;
        s.pickupCpu.asteriskMs += r.pickupCpu.asteriskMs;
        s.roundCpu.serverMs += r.roundCpu.serverMs;
        s.roundCpu.asteriskMs += r.roundCpu.asteriskMs;
      }
      return s;
    });

    const fmt = (n: number) => (Number.isNaN(n) ? '     -' : n.toFixed(1).padStart(6));
    const perRound = (ms: number) => (ms / rounds).toFixed(2).padStart(8);
    console.log(
      'path         picked up  failed   p50 ms   p95 ms   p99 ms  |  cpu ms/round, pickup: server  asterisk  |  whole round: server  asterisk',
    );
    for (const s of summaries) {
      s.pickups.sort((a, b) => a - b);
      console.log(
        `${s.name.padEnd(12)} ${String(s.pickups.length).padStart(9)} ${String(s.failed).padStart(7)}   ${fmt(percentile(s.pickups, 50))}   ${fmt(percentile(s.pickups, 95))}   ${fmt(percentile(s.pickups, 99))}  |                    ${perRound(s.pickupCpu.serverMs)}  ${perRound(s.pickupCpu.asteriskMs)}  |              ${perRound(s.roundCpu.serverMs)}  ${perRound(s.roundCpu.asteriskMs)}`,
      );
    }
    for (const s of summaries) {
      if (s.errors.length > 0)
        console.log(`\n${s.name}: ${s.errors.length} round(s) failed; first: ${s.errors[0]}`);
    }
    const [base, ours] = summaries;
    if (base !== undefined && ours !== undefined) {
      const ratio = (p: number) =>
        (percentile(ours.pickups, p) / percentile(base.pickups, p)).toFixed(2);
      console.log(
        `\nratio ours/res_parking: pickup connect p50 ${ratio(50)}x  p95 ${ratio(95)}x  p99 ${ratio(99)}x`,
      );
      console.log(
        `CPU per pickup: Asterisk res_parking ${(base.pickupCpu.asteriskMs / rounds).toFixed(2)} ms, ours ${(ours.pickupCpu.asteriskMs / rounds).toFixed(2)} ms; ` +
          `server ${(ours.pickupCpu.serverMs / rounds).toFixed(2)} ms, ` +
          `${((ours.pickupCpu.serverMs - base.pickupCpu.serverMs) / rounds).toFixed(2)} ms above the res_parking rounds ` +
          `(this process also runs the benchmark)`,
      );
    }
  } finally {
    keepAsteriskLog(server);
    await server.stop();
  }
}

await main();
