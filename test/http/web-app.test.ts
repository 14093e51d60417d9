/** The web application's files at / : the page, its assets, nothing outside, 503 unbuilt. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import t from 'tap';
import { registerWebApp } from '../../src/platform/http/web-app.js';

t.test('a built application: its page and assets, and nothing else', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'web-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="app"></div>');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, '..', `secret-${process.pid}.txt`), 'not for the web');
  t.teardown(() => rmSync(join(root, '..', `secret-${process.pid}.txt`), { force: true }));
  const app = Fastify();
  await registerWebApp(app, `${root}/`);
  t.teardown(() => app.close());

  const page = await app.inject({ method: 'GET', url: '/' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.equal(page.headers['cache-control'], 'no-cache');
  t.match(page.body, '<div id="app">');

  const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
  t.equal(asset.statusCode, 200);
  t.match(asset.headers['content-type'], /javascript/);
  t.match(asset.headers['cache-control'], /immutable/);

  t.equal((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode, 404);
  for (const url of [
    `/assets/../../secret-${process.pid}.txt`,
    `/assets/%2e%2e/%2e%2e/secret-${process.pid}.txt`,
  ]) {
    const res = await app.inject({ method: 'GET', url });
    t.not(res.statusCode, 200, `${url} is refused`);
    t.notMatch(res.body, 'not for the web');
  }
});

t.test('without a build: 503 saying what to run', async (t) => {
  const app = Fastify();
  await registerWebApp(app, join(tmpdir(), `no-such-web-${process.pid}`));
  t.teardown(() => app.close());
  for (const url of ['/', '/assets/index.js']) {
    const res = await app.inject({ method: 'GET', url });
    t.equal(res.statusCode, 503, url);
    t.match(res.json(), { error: { code: 'web_app_not_built', message: /npm run build/ } });
  }
});
