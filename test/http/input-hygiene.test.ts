/**
 * Input the API refuses at the edge with a 400 and without changing anything: ids spelt in ways
 * Number() would read (0x1, 1e0 …), names holding control or bidirectional characters, and
 * WebSocket upgrades on routes that are not WebSocket routes.
 */
import { exec } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import t from 'tap';
import { buildTestApp, createAgent, roleId } from '../support/app.js';

t.test('ids in paths and queries are plain decimal numbers', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const get = (url: string) => app.request('GET', url, { token: app.adminToken });
  t.equal((await get('/api/v1/agents/1')).statusCode, 200);
  for (const spelling of ['0x1', '1e0', '1.0', '+1', '%201', '01', '0', '-1', '1%00']) {
    const res = await get(`/api/v1/agents/${spelling}`);
    t.equal(res.statusCode, 400, `/agents/${spelling}`);
    t.match(res.json(), { error: { code: 'validation_failed' } });
  }
  t.equal((await get('/api/v1/agents?roleId=0x1')).statusCode, 400, 'in a query too');
  t.equal((await get('/api/v1/agents?limit=1e1')).statusCode, 400, 'and in paging');
  t.equal((await get('/api/v1/agents?limit=10&offset=0')).statusCode, 200);
});

t.test('names with control or bidirectional characters are refused, nothing stored', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const post = (url: string, body: object) =>
    app.request('POST', `/api/v1${url}`, { token: app.adminToken, body });
  const agentRole = await roleId(app, 'agent');
  const creates: [string, (name: string) => object][] = [
    [
      '/agents',
      (name) => ({ loginId: 'op9', name, nickname: 'n', password: 'Secret123', roleId: agentRole }),
    ],
    ['/roles', (name) => ({ name, permissions: [] })],
    ['/api-keys', (name) => ({ name, roleId: agentRole })],
    ['/groups', (name) => ({ name })],
    ['/terminals', (name) => ({ name })],
    ['/agent-statuses', (name) => ({ name })],
    ['/phone-numbers', (name) => ({ number: '0501110000', name })],
    ['/external-transfers', (name) => ({ name, number: '0312345678' })],
  ];
  for (const bad of [
    'Sato\u0000',
    'Sato\r\nX-Injected: 1',
    'a\u202egnp.exe',
    'Tab\there',
    '\u2066x',
  ]) {
    for (const [url, body] of creates) {
      const res = await post(url, body(bad));
      t.equal(res.statusCode, 400, `${url} ${JSON.stringify(bad)}`);
    }
  }
  const note = await post('/blocked-numbers', { number: '0312345678', note: 'x\u0007' });
  t.equal(note.statusCode, 400, 'a note is a name too');
  for (const [url] of creates) {
    const list = await app.request('GET', `/api/v1${url}?limit=500`, { token: app.adminToken });
    t.notMatch(list.body, /Sato|gnp|Injected|Tab/, `${url}: nothing stored`);
  }
  // Ordinary Japanese names, emoji with joiners and inner spaces are names.
  t.equal((await post('/groups', { name: 'サポート 第1 👩‍💻' })).statusCode, 201);
  // A screen message may span lines.
  const message = await post('/phone-numbers', {
    number: '0501110001',
    name: 'Main',
    incomingMessage: 'VIP line\nGreet by name',
  });
  t.equal(message.statusCode, 201);
  t.equal(
    (await post('/phone-numbers', { number: '0501110002', name: 'x', incomingMessage: 'a\u0000' }))
      .statusCode,
    400,
  );
});

t.test('an agent that does not exist has no caller IDs to read or set (404)', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  const id = await createAgent(app, { loginId: 'op1' });
  const token = app.adminToken;
  for (const res of [
    await app.request('GET', '/api/v1/agents/999999/phone-numbers', { token }),
    await app.request('PUT', '/api/v1/agents/999999/phone-numbers', {
      token,
      body: { phoneNumberIds: [] },
    }),
  ]) {
    t.equal(res.statusCode, 404);
    t.match(res.json(), { error: { code: 'not_found' } });
  }
  t.equal(
    (await app.request('GET', `/api/v1/agents/${id}/phone-numbers`, { token })).statusCode,
    200,
  );
});

t.test('an Upgrade request to a route that is not a WebSocket gets 400, not 101', async (t) => {
  const app = await buildTestApp();
  t.teardown(app.close);
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.app.server.address() as AddressInfo;
  // curl in a child process: node's own client hides a refused upgrade behind "socket hang up".
  const statusLine = async (path: string) =>
    (
      await promisify(exec)(
        `curl -s -i -m 5 -H 'Connection: Upgrade' -H 'Upgrade: websocket' ` +
          `-H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' ` +
          `-H 'Authorization: Bearer ${app.adminToken}' http://127.0.0.1:${port}${path}`,
      ).catch((err: unknown) => ({ stdout: (err as { stdout?: string }).stdout ?? '' }))
    ).stdout.split('\r\n')[0];
  t.equal(await statusLine('/api/v1/agents'), 'HTTP/1.1 400 Bad Request');
  t.equal(await statusLine('/healthz'), 'HTTP/1.1 400 Bad Request');
  t.equal(await statusLine('/api/v1/nothing-here'), 'HTTP/1.1 404 Not Found');
  t.equal(await statusLine('/api/v1/ws'), 'HTTP/1.1 101 Switching Protocols', 'the feed upgrades');
});
