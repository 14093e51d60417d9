/**
 * The WebSocket clients of scripts/bench-feed.ts, in a process of their own (the benchmark forks
 * one or two), so that reading 500 sockets is not counted as the server's CPU.
 *
 * Told over IPC to connect its share of the clients (each with its own token, subscribed to the
 * given topics, ready once every topic's snapshot has come), it records for every event message
 * a client receives the event's seq, the client and the arrival time on the monotonic clock
 * (monotonicMs: CLOCK_MONOTONIC, the same clock in every process of this host). A client reads
 * only what it needs of a message — whether it is an event, and its seq at the end — so that the
 * clients' own work stays small next to the server's and the arrival time is the socket's, not
 * that of a JSON parse queued behind 249 others. Close codes are counted (4008: dropped as a
 * slow reader).
 */
import { WebSocket } from 'ws';
import { monotonicMs } from './bench-support.js';

export type ClientsCommand =
  | { type: 'connect'; url: string; tokens: (string | null)[]; topics: string[] }
  | { type: 'record' }
  | { type: 'report' }
  | { type: 'close' };

export type ClientsReply =
  | { type: 'connected'; count: number }
  | { type: 'recording' }
  | {
      type: 'report';
      /** Per event message received: its seq, the client's index, the arrival (monotonicMs). */
      seqs: Float64Array;
      clients: Uint16Array;
      times: Float64Array;
      bytes: number;
      /** This process's CPU time since `record`, ms. */
      cpuMs: number;
      /** Close codes seen since `connect`, with how many clients closed with each. */
      closes: Record<string, number>;
    }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

const EVENT_PREFIX = Buffer.from('{"type":"event"');
const SEQ_KEY = '"seq":';
const CONNECT_BATCH = 25;

class Recording {
  seqs = new Float64Array(1 << 16);
  clients = new Uint16Array(1 << 16);
  times = new Float64Array(1 << 16);
  length = 0;
  bytes = 0;

  add(seq: number, client: number, at: number, bytes: number): void {
    if (this.length === this.seqs.length) {
      const grow = <T extends Float64Array | Uint16Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.seqs = grow(this.seqs, (n) => new Float64Array(n));
      this.clients = grow(this.clients, (n) => new Uint16Array(n));
      this.times = grow(this.times, (n) => new Float64Array(n));
    }
    this.seqs[this.length] = seq;
    this.clients[this.length] = client;
    this.times[this.length] = at;
    this.length += 1;
    this.bytes += bytes;
  }
}

let sockets: WebSocket[] = [];
let recording: Recording | null = null;
let cpuAtRecord = process.cpuUsage();
const closes: Record<string, number> = {};

function reply(message: ClientsReply): void {
  process.send?.(message);
}

/** The seq at the end of `{"type":"event",…,"seq":N}` (the feed's and the baseline's shape). */
function seqOf(raw: Buffer): number {
  const tail = raw.toString('latin1', Math.max(0, raw.length - 32));
  return Number.parseInt(tail.slice(tail.lastIndexOf(SEQ_KEY) + SEQ_KEY.length), 10);
}

function open(url: string, token: string | null, topics: string[], index: number) {
  const socket = new WebSocket(url, {
    perMessageDeflate: false,
    ...(token !== null && { headers: { authorization: `Bearer ${token}` } }),
  });
  const snapshots = new Set<string>();
  return new Promise<WebSocket>((resolve, reject) => {
    const ready = () => {
      if (snapshots.size === topics.length) resolve(socket);
    };
    socket.on('message', (raw: Buffer) => {
      const at = monotonicMs();
      if (raw.subarray(0, EVENT_PREFIX.length).equals(EVENT_PREFIX)) {
        recording?.add(seqOf(raw), index, at, raw.length);
        return;
      }
      const snapshot = /^\{"type":"snapshot","topic":"([a-z_]+)"/.exec(
        raw.toString('latin1', 0, 64),
      );
      if (snapshot?.[1] !== undefined) {
        snapshots.add(snapshot[1]);
        ready();
      }
    });
    socket.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`client ${index}: HTTP ${res.statusCode ?? '?'}`));
    });
    socket.once('error', reject);
    socket.on('close', (code) => (closes[code] = (closes[code] ?? 0) + 1));
    socket.once('open', () => {
      if (topics.length === 0) resolve(socket);
      else socket.send(JSON.stringify({ type: 'subscribe', topics }));
    });
  });
}

async function connect(command: Extract<ClientsCommand, { type: 'connect' }>): Promise<void> {
  for (const code of Object.keys(closes)) Reflect.deleteProperty(closes, code);
  sockets = [];
  for (let i = 0; i < command.tokens.length; i += CONNECT_BATCH) {
    const batch = command.tokens.slice(i, i + CONNECT_BATCH);
    sockets.push(
      ...(await Promise.all(
        batch.map((token, k) => open(command.url, token, command.topics, i + k)),
      )),
    );
  }
  reply({ type: 'connected', count: sockets.length });
}

async function closeAll(): Promise<void> {
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.readyState === s.CLOSED) {
            resolve();
            return;
          }
          s.once('close', () => resolve());
          s.close();
        }),
    ),
  );
  sockets = [];
  reply({ type: 'closed' });
}

function report(): void {
  const r = recording ?? new Recording();
  const cpu = process.cpuUsage(cpuAtRecord);
  reply({
    type: 'report',
    seqs: r.seqs.slice(0, r.length),
    clients: r.clients.slice(0, r.length),
    times: r.times.slice(0, r.length),
    bytes: r.bytes,
    cpuMs: (cpu.user + cpu.system) / 1000,
    closes: { ...closes },
  });
  recording = null;
}

process.on('message', (command: ClientsCommand) => {
  const run = async (): Promise<void> => {
    switch (command.type) {
      case 'connect':
        return connect(command);
      case 'record':
        recording = new Recording();
        cpuAtRecord = process.cpuUsage();
        return reply({ type: 'recording' });
      case 'report':
        return report();
      case 'close':
        return closeAll();
    }
  };
  run().catch((err: unknown) => reply({ type: 'failed', message: String(err) }));
});
// Gone with the benchmark: the IPC channel closes when it exits.
process.on('disconnect', () => process.exit(0));
