/**
 * The browser phone's API and SIP socket, on a fake Asterisk with a stand-in for its SIP
 * WebSocket: switching on issues a password Asterisk takes for the agent's WebRTC terminal
 * instead of its secret, until the phone is switched off or the session ends; the socket pipes
 * the agent's own SIP both ways, drops what speaks for another terminal, and closes with the
 * session. The real thing (Asterisk, Chromium, SIPp) is test/browser/browser-phone.test.ts.
 */
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket, WebSocketServer } from 'ws';
import { buildTestApp, createAgent } from '../support/app.js';
import { fakeAsterisk } from '../support/fake-asterisk.js';
import { fakeClock } from '../support/fake-clock.js';

const register = (user: string) =>
  [
    'REGISTER sip:callcenter.invalid SIP/2.0',
    'Via: SIP/2.0/WSS x.invalid;branch=z9hG4bK1',
    `From: <sip:${user}@callcenter.invalid>;tag=1`,
    `To: <sip:${user}@callcenter.invalid>`,
    'Call-ID: c1',
    'CSeq: 1 REGISTER',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

t.test('the browser phone: credential and SIP socket', async (t) => {
  // Asterisk's /ws: records what arrives, answers each message with a 200.
  const upstream = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const received: string[] = [];
  const upstreamSockets = new Set<WebSocket>();
  upstream.on('connection', (socket, request) => {
    t.equal(request.headers['sec-websocket-protocol'], 'sip', 'Asterisk is asked for sip');
    upstreamSockets.add(socket);
    socket.on('message', (raw: Buffer) => {
      received.push(raw.toString());
      socket.send('SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await new Promise((r) => upstream.once('listening', r));
  t.teardown(() => upstream.close());
  const wsUrl = `ws://127.0.0.1:${(upstream.address() as AddressInfo).port}/ws`;

  const clock = fakeClock(new Date('2026-12-01T01:00:00Z'));
  const asterisk = fakeAsterisk(clock);
  const server = await buildTestApp({
    clock,
    asterisk: asterisk.gateway,
    env: { BROWSER_PHONE_ASTERISK_WS_URL: wsUrl },
  });
  t.teardown(server.close);
  asterisk.gateway.start();
  await asterisk.settle();
  const base = (await server.app.listen({ host: '127.0.0.1', port: 0 })).replace(/^http/, 'ws');

  const op1 = await createAgent(server, { loginId: 'op1', extension: '201' });
  await createAgent(server, { loginId: 'op2', extension: '202' });
  const created = await server.request('POST', '/api/v1/terminals', {
    token: server.adminToken,
    body: { sipUser: 'web201', name: 'Browser 201', agentId: op1, webrtc: true },
  });
  t.equal(created.statusCode, 201);
  const secret = (created.json() as { secret: string }).secret;
  const endpoint = await asterisk.ari.asterisk.getObject('res_pjsip', 'endpoint', 'web201');
  t.match(endpoint, { webrtc: 'true', dtls_auto_generate_cert: 'true' }, 'a WebRTC endpoint');
  const password = async () =>
    (await asterisk.ari.asterisk.getObject('res_pjsip', 'auth', 'web201'))?.password;
  t.equal(await password(), secret, 'Asterisk takes the terminal’s secret');

  const token = async (loginId: string) =>
    ((await server.login(loginId, 'Secret123')).json() as { token: string }).token;
  const op1Token = await token('op1');
  const op2Token = await token('op2');

  await t.test('what the phone registers as', async (t) => {
    const mine = await server.request('GET', '/api/v1/me/browser-phone', { token: op1Token });
    t.equal(mine.statusCode, 200);
    t.match(mine.json(), {
      terminal: { sipUser: 'web201', name: 'Browser 201', registered: false },
      sipUri: 'sip:web201@callcenter.invalid',
      active: false,
      websocketPath: '/api/v1/sip',
      iceServers: [],
    });
    t.notMatch(mine.body, secret, 'no secret');
    const none = await server.request('GET', '/api/v1/me/browser-phone', { token: op2Token });
    t.match(none.json(), { terminal: null, sipUri: null });
    const refused = await server.request('POST', '/api/v1/me/browser-phone/credential', {
      token: op2Token,
    });
    t.equal(refused.statusCode, 404);
    t.match(refused.json(), { error: { code: 'no_webrtc_terminal' } });
  });

  let issued = '';
  await t.test('ON: a fresh password, Asterisk takes it instead of the secret', async (t) => {
    const res = await server.request('POST', '/api/v1/me/browser-phone/credential', {
      token: op1Token,
    });
    t.equal(res.statusCode, 201);
    const body = res.json() as { password: string; sipUser: string };
    t.match(body, { sipUser: 'web201', provisioning: { state: 'synced' } });
    t.not(body.password, secret);
    t.ok(body.password.length >= 24);
    issued = body.password;
    t.equal(await password(), issued);
    const mine = await server.request('GET', '/api/v1/me/browser-phone', { token: op1Token });
    t.match(mine.json(), { active: true });
    const terminal = await server.request('GET', `/api/v1/terminals?sipUser=web201`, {
      token: server.adminToken,
    });
    t.notMatch(terminal.body, issued, 'the terminal API never shows it');
  });

  await t.test('the SIP socket', async (t) => {
    const open = (tokenValue: string) => {
      const socket = new WebSocket(`${base}/api/v1/sip?token=${tokenValue}`, 'sip');
      const messages: string[] = [];
      socket.on('message', (raw: Buffer) => messages.push(raw.toString()));
      const closed = new Promise<number>((r) => socket.on('close', (code) => r(code)));
      return { socket, messages, closed };
    };
    const refused = open(op2Token);
    t.equal(await refused.closed, 4004, 'no WebRTC terminal: closed');

    const phone = open(op1Token);
    await new Promise((r) => phone.socket.once('open', r));
    t.equal(phone.socket.protocol, 'sip');
    phone.socket.send(register('desk202'));
    phone.socket.send(register('web201'));
    const deadline = Date.now() + 5000;
    while (phone.messages.length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    t.same(received, [register('web201')], 'its own REGISTER reached Asterisk, the other not');
    t.match(phone.messages, [/^SIP\/2\.0 200 OK/], 'Asterisk’s answer reached the browser');

    // Logout: the socket closes, Asterisk's side too, and the password stops working.
    const logout = await server.request('POST', '/api/v1/auth/logout', { token: op1Token });
    t.equal(logout.statusCode, 204);
    t.equal(await phone.closed, 4001, 'closed: session ended');
    const upstreamDeadline = Date.now() + 5000;
    while (
      [...upstreamSockets].some((s) => s.readyState === s.OPEN) &&
      Date.now() < upstreamDeadline
    )
      await new Promise((r) => setTimeout(r, 20));
    t.ok(
      [...upstreamSockets].every((s) => s.readyState !== s.OPEN),
      'Asterisk’s socket is closed too',
    );
    await asterisk.settle();
    t.equal(await password(), secret, 'the session’s password is withdrawn with it');
  });

  await t.test('OFF withdraws the password', async (t) => {
    const again = await token('op1');
    const on = await server.request('POST', '/api/v1/me/browser-phone/credential', {
      token: again,
    });
    const fresh = (on.json() as { password: string }).password;
    t.not(fresh, issued, 'a new one each time');
    t.equal(await password(), fresh);
    const off = await server.request('DELETE', '/api/v1/me/browser-phone/credential', {
      token: again,
    });
    t.equal(off.statusCode, 204);
    t.equal(await password(), secret);
    t.match((await server.request('GET', '/api/v1/me/browser-phone', { token: again })).json(), {
      active: false,
    });
  });

  await t.test('a terminal that stops being WebRTC is a plain endpoint again', async (t) => {
    const res = await server.request('GET', '/api/v1/terminals?sipUser=web201', {
      token: server.adminToken,
    });
    const id = (res.json() as { items: { id: number }[] }).items[0]?.id;
    const patched = await server.request('PATCH', `/api/v1/terminals/${id}`, {
      token: server.adminToken,
      body: { webrtc: false },
    });
    t.equal(patched.statusCode, 200);
    const plain = await asterisk.ari.asterisk.getObject('res_pjsip', 'endpoint', 'web201');
    t.equal(plain?.webrtc, 'false');
    t.notOk(plain !== undefined && 'dtls_auto_generate_cert' in plain, 're-created, not updated');
  });
});
