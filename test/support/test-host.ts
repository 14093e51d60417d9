/**
 * A test host of the test's own, for what must not go over loopback: a browser phone's media.
 * Asterisk never offers 127/8 as an ICE candidate and Chromium ignores loopback interfaces, so
 * the browser runs in a network namespace made here, joined to this host by one veth pair with
 * a /30 of 10.213.x.0 — the namespace's end is the test host, ours faces it — and nothing else:
 * no route out of the namespace, no IPv6, so every packet the browser sends or receives crosses
 * that veth. `close()` (or the process's exit) deletes the namespace, and the pair with it.
 *
 * Needs root (CI runs as root) and iproute2.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestHost {
  /** The network namespace. */
  name: string;
  /** Our end of the veth: what the browser reaches (the server is forwarded here). */
  hostAddress: string;
  /** The namespace's end: the browser's address. */
  address: string;
  /** The /30 of the pair, e.g. for ASTERISK_ICE_SUBNETS. */
  subnet: string;
  /** An executable that runs `program` inside the namespace with the arguments it is given. */
  wrapper: (program: string) => string;
  /** Forwards TCP connections to hostAddress:port on to 127.0.0.1:port. */
  forward: (port: number) => Promise<void>;
  close: () => Promise<void>;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** Whether this process may make network namespaces (root, iproute2). */
export function canMakeTestHosts(): boolean {
  try {
    if (process.getuid?.() !== 0) return false;
    ip('netns', 'list');
    return true;
  } catch {
    return false;
  }
}

/** A 10.213.x.0/30 no interface of this host uses yet. */
function freeSubnet(): number {
  const used = ip('-o', '-4', 'addr', 'show').toString();
  for (let attempt = 0; attempt < 100; attempt++) {
    const x = Math.floor(Math.random() * 256);
    if (!used.includes(`10.213.${x}.`)) return x;
  }
  throw new Error('no free 10.213.x.0/30');
}

export async function createTestHost(): Promise<TestHost> {
  const tag = randomBytes(3).toString('hex');
  const name = `ccbp-${tag}`;
  const [outside, inside] = [`ccbp${tag}h`, `ccbp${tag}n`];
  const x = freeSubnet();
  const hostAddress = `10.213.${x}.1`;
  const address = `10.213.${x}.2`;
  const work = mkdtempSync(join(tmpdir(), 'cc-testhost-'));
  const forwards: Server[] = [];
  const connections = new Set<Socket>();
  let closed = false;

  const teardown = () => {
    if (closed) return;
    closed = true;
    try {
      ip('netns', 'delete', name);
    } catch {
      /* already gone */
    }
    try {
      ip('link', 'delete', outside);
    } catch {
      /* went with the namespace */
    }
    rmSync(work, { recursive: true, force: true });
  };
  process.once('exit', teardown);

  try {
    ip('netns', 'add', name);
    ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
    ip('link', 'set', inside, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', outside);
    ip('link', 'set', outside, 'up');
    ip('-n', name, 'addr', 'add', `${address}/30`, 'dev', inside);
    ip('-n', name, 'link', 'set', 'lo', 'up');
    ip('-n', name, 'link', 'set', inside, 'up');
    // IPv4 only: no link-local IPv6 candidates either.
    for (const conf of ['all', 'default', inside]) {
      ip(
        'netns',
        'exec',
        name,
        'sh',
        '-c',
        `echo 1 > /proc/sys/net/ipv6/conf/${conf}/disable_ipv6`,
      );
    }
  } catch (err) {
    teardown();
    throw err;
  }

  return {
    name,
    hostAddress,
    address,
    subnet: `10.213.${x}.0/30`,
    wrapper: (program) => {
      const path = join(work, `in-${name}-${program.split('/').pop() ?? 'program'}`);
      writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${name} ${program} "$@"\n`);
      chmodSync(path, 0o755);
      return path;
    },
    forward: async (port) => {
      const server = createServer((client) => {
        const upstream = createConnection({ host: '127.0.0.1', port });
        for (const socket of [client, upstream]) {
          connections.add(socket);
          socket.on('close', () => connections.delete(socket));
        }
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, hostAddress, resolve);
      });
      forwards.push(server);
    },
    close: async () => {
      for (const socket of connections) socket.destroy();
      await Promise.all(
        forwards.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      );
      teardown();
      process.removeListener('exit', teardown);
    },
  };
}

/** A WAV file (16-bit mono PCM) of a steady tone, e.g. for Chromium's fake microphone. */
export function writeToneWav(path: string, hz: number, seconds = 10, sampleRate = 48_000): void {
  const samples = Math.round(seconds * sampleRate);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(16_000 * Math.sin((2 * Math.PI * hz * i) / sampleRate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
}
