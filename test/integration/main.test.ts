/**
 * The real entry point, as `npm start` runs it: a separate process with only environment
 * settings, a managed Asterisk, the first administrator announced once, graceful shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { locateInstallation } from '../../src/platform/asterisk/managed.js';
import { freePortBlock } from '../support/ports.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
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

async function waitFor(
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

t.test('an invalid setting stops start-up with a message naming the variable', async (t) => {
  const run = start({ HTTP_PORT: 'eighty', TIMEZONE: 'Nowhere/Land' });
  t.equal(await run.exited, 1);
  t.match(run.stderr(), /Invalid configuration/);
  t.match(run.stderr(), /HTTP_PORT: /);
  t.match(run.stderr(), /TIMEZONE: /);
});

t.test(
  'npm start: managed Asterisk, /readyz 200 within 30 s, admin announced once, clean stop',
  async (t) => {
    const base = await freePortBlock(64);
    const installation = locateInstallation({ binary: 'asterisk', chroot: 'auto' });
    const runtimeDir =
      installation.root === '/'
        ? mkdtempSync(join(tmpdir(), 'cc-main-'))
        : join(installation.root, 'var/tmp/cc-test', `main-${randomBytes(4).toString('hex')}`);
    mkdirSync(runtimeDir, { recursive: true });
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-main-data-'));
    t.teardown(() => {
      rmSync(runtimeDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    });
    const env = {
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
    };
    const url = `http://127.0.0.1:${base + 3}`;
    const ready = async () => {
      try {
        return (await fetch(`${url}/readyz`)).status === 200;
      } catch {
        return false;
      }
    };

    const first = start(env);
    t.teardown(() => first.child.kill('SIGKILL'));
    const elapsed = await waitFor(ready, 30_000, '/readyz = 200');
    t.pass(`/readyz answered 200 after ${elapsed} ms`);

    const banner = /password: (\S+)/.exec(first.stdout());
    t.ok(banner, 'the generated administrator password is printed');
    const password = banner?.[1] ?? '';
    t.equal(first.stdout().split(password).length - 1, 1, 'exactly once');
    t.notOk(first.stderr().includes(password), 'and never in the logs');
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'admin', password }),
    });
    t.equal(login.status, 200, 'the printed password logs in');
    const { token } = (await login.json()) as { token: string };
    // One session per account (the default): log out, or the next login is refused.
    const logout = await fetch(`${url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    t.equal(logout.status, 204);

    const pidFile = join(runtimeDir, 'run', 'asterisk.pid');
    t.ok(existsSync(pidFile), 'Asterisk runs from the runtime directory');
    const asteriskPid = Number(readFileSync(pidFile, 'utf8').trim());
    first.child.kill('SIGTERM');
    t.equal(await first.exited, 0, 'SIGTERM stops the server cleanly');
    await waitFor(
      () => {
        try {
          process.kill(asteriskPid, 0);
          return false;
        } catch {
          return true;
        }
      },
      10_000,
      'Asterisk to stop',
    );
    t.pass('and stops its Asterisk');

    // A second start on the same database announces nothing and keeps the password.
    const second = start(env);
    t.teardown(() => second.child.kill('SIGKILL'));
    await waitFor(ready, 30_000, '/readyz = 200 again');
    t.notMatch(second.stdout(), /password:/, 'no second announcement');
    const again = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ loginId: 'admin', password }),
    });
    t.equal(again.status, 200, 'the same password works after the restart');
    second.child.kill('SIGTERM');
    t.equal(await second.exited, 0);
  },
);
