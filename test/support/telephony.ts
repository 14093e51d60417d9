/**
 * A server with a real telephony stack for one test file: a private Asterisk (managed mode, the
 * same code production uses) on free ports with its own runtime directory, and the application
 * listening on a free HTTP port, ready (/readyz = 200) when this resolves.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createManagedAsterisk,
  locateInstallation,
  type ManagedAsterisk,
} from '../../src/platform/asterisk/managed.js';
import { createLogger } from '../../src/platform/logger.js';
import { buildTestApp, type TestApp } from './app.js';
import { freePortBlock } from './ports.js';

export interface TelephonyServer extends TestApp {
  baseUrl: string;
  /** Asterisk's SIP address for phones and callers. */
  sip: { host: string; port: number; address: string };
  /** The private Asterisk's runtime directory on this host. */
  runtimeDir: string;
  /** Waits until /readyz answers `status` (200 or 503). */
  waitReady(status?: 200 | 503, timeoutMs?: number): Promise<void>;
  stop: () => Promise<void>;
}

const live = new Set<() => number | undefined>();
// If a test process dies without its teardown, its Asterisk must not outlive it.
process.on('exit', () => {
  for (const pid of live) {
    const p = pid();
    if (p !== undefined) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
});

export async function startTelephonyServer(
  options: {
    env?: Record<string, string>;
    features?: { callEngine?: boolean };
    /** RTP ports for Asterisk: each channel with media takes two (RTP + RTCP). Default 54. */
    rtpPorts?: number;
    /**
     * `external`: the test starts Asterisk itself, as an operator's own would run (its files
     * the server never sees), and the server only gets its ARI and AMI addresses.
     */
    mode?: 'managed' | 'external';
  } = {},
): Promise<TelephonyServer> {
  // One block: SIP, ARI, AMI, HTTP, then an RTP range (even start, as RTP wants).
  const rtpPorts = options.rtpPorts ?? 54;
  const base = await freePortBlock(10 + rtpPorts);
  const ports = {
    sip: base,
    ari: base + 1,
    ami: base + 2,
    http: base + 3,
    rtpStart: base + 10,
    rtpEnd: base + 9 + rtpPorts,
  };

  const installation = locateInstallation({ binary: 'asterisk', chroot: 'auto' });
  let runtimeDir: string;
  if (installation.root === '/') {
    runtimeDir = mkdtempSync(join(tmpdir(), 'cc-asterisk-'));
  } else {
    runtimeDir = join(
      installation.root,
      'var/tmp/cc-test',
      `${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    mkdirSync(runtimeDir, { recursive: true });
  }

  let foreign: ManagedAsterisk | null = null;
  if (options.mode === 'external') {
    foreign = createManagedAsterisk({
      settings: {
        binary: 'asterisk',
        chroot: 'auto',
        runtimeDir,
        sipBind: '127.0.0.1',
        sipPort: ports.sip,
        ariPort: ports.ari,
        amiPort: ports.ami,
        rtpPortStart: ports.rtpStart,
        rtpPortEnd: ports.rtpEnd,
        ice: { iceSubnets: [], stunServer: undefined },
      },
      stasisApp: 'callcenter',
      log: createLogger(process.env.TEST_LOG_LEVEL === undefined ? 'silent' : 'info'),
    });
    await foreign.start();
  }
  const endpoints = foreign?.endpoints();
  const external: Record<string, string> =
    endpoints === undefined
      ? {}
      : {
          ASTERISK_MODE: 'external',
          ARI_URL: endpoints.ari.url,
          ARI_USER: endpoints.ari.user,
          ARI_PASSWORD: endpoints.ari.password,
          AMI_HOST: endpoints.ami.host,
          AMI_PORT: String(endpoints.ami.port),
          AMI_USER: endpoints.ami.user,
          AMI_SECRET: endpoints.ami.secret,
        };
  const env = {
    ASTERISK_MODE: 'managed',
    ASTERISK_RUNTIME_DIR: runtimeDir,
    ASTERISK_SIP_BIND: '127.0.0.1',
    ASTERISK_SIP_PORT: String(ports.sip),
    ASTERISK_ARI_PORT: String(ports.ari),
    ASTERISK_AMI_PORT: String(ports.ami),
    ASTERISK_RTP_PORT_START: String(ports.rtpStart),
    ASTERISK_RTP_PORT_END: String(ports.rtpEnd),
    // Asterisk fetches audio files from the server at this port (ASTERISK_MEDIA_URL's default).
    HTTP_PORT: String(ports.http),
    ...external,
    ...options.env,
  };
  const app = await buildTestApp({
    env,
    ...(options.features !== undefined && { features: options.features }),
  });
  const pid = () => foreign?.pid() ?? app.asterisk.managed?.pid();
  live.add(pid);

  app.asterisk.start();
  await app.app.listen({ host: '127.0.0.1', port: ports.http });
  const { port } = app.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  async function waitReady(status: 200 | 503 = 200, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      const res = await fetch(`${baseUrl}/readyz`);
      last = await res.text();
      if (res.status === status) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`/readyz did not answer ${status} within ${timeoutMs} ms: ${last}`);
  }

  const server: TelephonyServer = {
    ...app,
    baseUrl,
    sip: { host: '127.0.0.1', port: ports.sip, address: `127.0.0.1:${ports.sip}` },
    runtimeDir,
    waitReady,
    stop: async () => {
      await app.close();
      await foreign?.stop();
      live.delete(pid);
      rmSync(runtimeDir, { recursive: true, force: true });
    },
  };
  try {
    await waitReady(200);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}
