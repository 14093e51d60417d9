/**
 * The server as its own process (`src/main.ts`, as `npm start` runs it): for tests of start-up,
 * shutdown and crashes. `serverEnvironment` gives it private ports, database and runtime
 * directory, inside the Asterisk chroot when there is one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateInstallation } from '../../src/platform/asterisk/managed.js';
import { ADMIN_PASSWORD, httpClient } from './app.js';
import type { FloorServer } from './floor.js';
import { freePortBlock } from './ports.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export interface ServerEnvironment {
  env: Record<string, string>;
  url: string;
  sip: { host: string; port: number; address: string };
  runtimeDir: string;
  /** Stops whatever Asterisk is left in the runtime directory and removes the directories. */
  cleanup: () => void;
}

export async function serverEnvironment(
  extra: Record<string, string> = {},
): Promise<ServerEnvironment> {
  const base = await freePortBlock(64);
  const installation = locateInstallation({ binary: 'asterisk', chroot: 'auto' });
  const runtimeDir =
    installation.root === '/'
      ? mkdtempSync(join(tmpdir(), 'cc-proc-'))
      : join(installation.root, 'var/tmp/cc-test', `proc-${randomBytes(4).toString('hex')}`);
  mkdirSync(runtimeDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-proc-data-'));
  return {
    env: {
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(base + 3),
      DATABASE_PATH: join(dataDir, 'callcenter.db'),
      ASTERISK_RUNTIME_DIR: runtimeDir,
      ASTERISK_SIP_BIND: '127.0.0.1',
      ASTERISK_SIP_PORT: String(base),
      ASTERISK_ARI_PORT: String(base + 1),
      ASTERISK_AMI_PORT: String(base + 2),
      ASTERISK_RTP_PORT_START: String(base + 10),
      ASTERISK_RTP_PORT_END: String(base + 63),
      // As test/support/app.ts: off unless a test is about them.
      SIP_RTP_TIMEOUT_SECONDS: '0',
      SIP_QUALIFY_SECONDS: '0',
      ...extra,
    },
    url: `http://127.0.0.1:${base + 3}`,
    sip: { host: '127.0.0.1', port: base, address: `127.0.0.1:${base}` },
    runtimeDir,
    cleanup: () => {
      // A server killed with SIGKILL leaves its Asterisk running (by design): stop it here.
      try {
        process.kill(
          Number(readFileSync(join(runtimeDir, 'run', 'asterisk.pid'), 'utf8').trim()),
          'SIGKILL',
        );
      } catch {
        /* not running */
      }
      rmSync(runtimeDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/**
 * Waits until the server process is ready, then logs in as the administrator (the environment
 * must set ADMIN_PASSWORD to the harness's): the API and Asterisk's SIP address, for the floor.
 */
export async function readyServer(
  environment: ServerEnvironment,
  what = 'the server',
): Promise<FloorServer> {
  await waitFor(() => isReady(environment.url), 30_000, what);
  const res = await fetch(`${environment.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ loginId: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await res.json()) as { token: string };
  return { ...httpClient(environment.url, token), sip: environment.sip };
}

/**
 * A crash test's start: a fresh environment (the administrator's password set, logins not
 * limited to one session), the server started in it and ready, both cleaned up with the test.
 */
export async function firstServerProcess(
  teardown: (fn: () => void) => void,
  extra: Record<string, string> = {},
): Promise<{
  environment: ServerEnvironment;
  first: ServerProcess;
  server: FloorServer;
}> {
  const environment = await serverEnvironment({
    ADMIN_PASSWORD,
    AUTH_SINGLE_SESSION: 'false',
    LOG_LEVEL: 'warn',
    ...extra,
  });
  teardown(environment.cleanup);
  const first = startServerProcess(environment.env);
  teardown(() => first.child.kill('SIGKILL'));
  return { environment, first, server: await readyServer(environment, 'the server') };
}
