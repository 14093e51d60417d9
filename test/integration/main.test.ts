/**
 * The real entry point, as `npm start` runs it: a separate process with only environment
 * settings, a managed Asterisk, the first administrator announced once, graceful shutdown.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import {
  isReady,
  serverEnvironment,
  startServerProcess as start,
  waitFor,
} from '../support/process.js';

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
    const environment = await serverEnvironment();
    t.teardown(environment.cleanup);
    const { env, url, runtimeDir } = environment;
    const ready = () => isReady(url);

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
