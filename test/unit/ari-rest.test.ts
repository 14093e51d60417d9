/**
 * The lean ARI REST client: its response framing (pure), and its pool of connections against a
 * real HTTP server on a local port (node:http, which frames as Asterisk's does or otherwise).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import t from 'tap';
import { AriError } from '../../src/platform/asterisk/ari-errors.js';
import { createAriRest } from '../../src/platform/asterisk/ari-rest.js';
import { parseResponse } from '../../src/platform/asterisk/http-response.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');

t.test('a response is read once all of it is there, whatever its framing', async (t) => {
  const sized =
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"id":"c1"}';
  // Every cut short of the whole is incomplete; the whole is complete.
  for (let cut = 0; cut < sized.length; cut++)
    t.same(parseResponse(bytes(sized.slice(0, cut))), { incomplete: true }, `cut at ${cut}`);
  const whole = parseResponse(bytes(`${sized}HTTP/1.1 204`));
  if (!('complete' in whole)) throw new Error('not complete');
  t.equal(whole.complete.status, 200);
  t.equal(whole.complete.body.toString(), '{"id":"c1"}');
  t.equal(whole.complete.keepAlive, true);
  t.equal(whole.complete.length, sized.length, 'the next response is left for later');

  const empty = parseResponse(bytes('HTTP/1.1 204 No Content\r\nServer: Asterisk\r\n\r\n'));
  t.match(empty, { complete: { status: 204, keepAlive: true } });

  const chunked =
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3;x=1\r\n:1}\r\n0\r\n\r\n';
  for (let cut = 0; cut < chunked.length; cut++)
    t.same(parseResponse(bytes(chunked.slice(0, cut))), { incomplete: true }, `chunk cut ${cut}`);
  const joined = parseResponse(bytes(chunked));
  if (!('complete' in joined)) throw new Error('not complete');
  t.equal(joined.complete.body.toString(), '{"a":1}');
  t.equal(joined.complete.length, chunked.length);

  const untilClose = bytes('HTTP/1.0 200 OK\r\n\r\nhello');
  t.same(parseResponse(untilClose), { incomplete: true }, 'no length: wait for the close');
  t.match(parseResponse(untilClose, true), {
    complete: { status: 200, keepAlive: false },
  });
  t.match(
    parseResponse(
      bytes('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    ),
    {
      complete: { status: 404, keepAlive: false },
    },
  );

  t.match(parseResponse(bytes('SIP/2.0 200 OK\r\n\r\n')), { malformed: /not an HTTP response/ });
  t.match(parseResponse(bytes('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')), {
    malformed: /Content-Length/,
  });
  t.match(parseResponse(bytes('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc'), true), {
    malformed: /closed mid-body/,
  });
  t.match(parseResponse(bytes('HTTP/1.1 200 OK\r\nContent-'), true), {
    malformed: /closed mid-response/,
  });
});

interface Asked {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
  socket: Socket;
}

async function fakeAri(
  answer: (asked: Asked, res: ServerResponse) => void,
): Promise<{ server: Server; url: string; asked: Asked[] }> {
  const asked: Asked[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const one: Asked = {
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString(),
        socket: req.socket,
      };
      asked.push(one);
      answer(one, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, asked };
}

const settings = (url: string, timeoutMs = 2000) => ({
  baseUrl: url,
  user: 'callcenter',
  password: 's3cret',
  timeoutMs,
});

t.test('requests go over kept connections, answered in order', async (t) => {
  const { server, url, asked } = await fakeAri((a, res) => {
    if (a.url.startsWith('/ari/channels/gone')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end('{"message":"Channel not found"}');
    }
    if (a.method === 'POST' && a.url.startsWith('/ari/channels?')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ id: 'new', asked: a.url, body: a.body }));
    }
    res.writeHead(204);
    res.end();
  });
  t.teardown(() => server.close());
  const rest = createAriRest(settings(url));
  t.teardown(() => rest.close());

  const created = await rest.send<{ id: string; asked: string; body: string }>(
    'channels.originate',
    'POST',
    '/channels',
    { endpoint: 'PJSIP/201', app: 'cc', timeout: 20, originator: undefined },
    { variables: { CC_CALL_ID: 'x y' } },
  );
  t.equal(created.id, 'new');
  t.equal(created.asked, '/ari/channels?endpoint=PJSIP%2F201&app=cc&timeout=20');
  t.same(JSON.parse(created.body), { variables: { CC_CALL_ID: 'x y' } });
  t.equal(asked[0]?.authorization, `Basic ${Buffer.from('callcenter:s3cret').toString('base64')}`);

  t.equal(await rest.send('channels.answer', 'POST', '/channels/c1/answer'), undefined);
  t.equal(asked[1]?.socket, asked[0]?.socket, 'the second request reused the connection');

  const err = await rest
    .send('channels.answer', 'POST', '/channels/gone/answer')
    .catch((e: unknown) => e);
  t.type(err, AriError);
  t.match(err, { kind: 'not_found', operation: 'channels.answer' });

  // A burst: each on a connection of its own or a reused one, every answer to its own request.
  const burst = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      rest.send<{ asked: string }>('channels.originate', 'POST', '/channels', {
        endpoint: `PJSIP/${i}`,
      }),
    ),
  );
  t.same(
    burst.map((b) => b.asked),
    Array.from({ length: 50 }, (_, i) => `/ari/channels?endpoint=PJSIP%2F${i}`),
  );
  const sockets = new Set(asked.slice(3).map((a) => a.socket));
  t.ok(sockets.size <= 32, `at most 32 connections (${sockets.size})`);
});

t.test('a request leaves in the call that sends it, not on a later tick', async (t) => {
  // The server runs in a thread of its own, so it sees the request arrive while this thread is
  // still busy right after sending (node:http would write it only once this code let go).
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     const server = require('node:http').createServer((req, res) => {
       parentPort.postMessage({ url: req.url, at: Date.now() });
       res.writeHead(204); res.end();
     });
     server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));`,
    { eval: true },
  );
  t.teardown(() => worker.terminate());
  const messages: { url?: string; at?: number; port?: number }[] = [];
  let heard: () => void = () => undefined;
  worker.on('message', (m: { url?: string; at?: number; port?: number }) => {
    messages.push(m);
    heard();
  });
  const next = () => new Promise<void>((resolve) => (heard = resolve));
  await next();
  const port = messages[0]?.port;
  const rest = createAriRest(settings(`http://127.0.0.1:${String(port)}/`));
  t.teardown(() => rest.close());
  await rest.send('warm', 'GET', '/asterisk/ping');

  const sentAt = Date.now();
  const answered = rest.send('channels.ring', 'POST', '/channels/c1/ring');
  while (Date.now() < sentAt + 300) {
    /* busy: no tick of this thread runs */
  }
  await answered;
  const ring = () => messages.find((m) => m.url === '/ari/channels/c1/ring');
  while (ring() === undefined) await next();
  const arrival = ring();
  t.ok(arrival?.at !== undefined && arrival.at < sentAt + 200, 'arrived while the sender was busy');
});

t.test('failures: no answer in time, a closed connection, nobody listening', async (t) => {
  const { server, url } = await fakeAri((a, res) => {
    if (a.url.includes('slow')) return; // never answers
    if (a.url.includes('drop')) return a.socket.destroy();
    res.writeHead(204);
    res.end();
  });
  t.teardown(() => server.close());
  const rest = createAriRest(settings(url, 200));
  t.teardown(() => rest.close());
  t.match(await rest.send('slow', 'GET', '/slow').catch((e: unknown) => e), { kind: 'timeout' });
  t.match(await rest.send('drop', 'GET', '/drop').catch((e: unknown) => e), {
    kind: 'unavailable',
  });
  t.equal(await rest.send('ok', 'GET', '/ok'), undefined, 'the next request still goes');

  const port = (server.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  t.not(deadPort, port);
  const nobody = createAriRest(settings(`http://127.0.0.1:${deadPort}/`));
  t.match(await nobody.send('x', 'GET', '/x').catch((e: unknown) => e), { kind: 'unavailable' });
  nobody.close();
  t.match(await nobody.send('x', 'GET', '/x').catch((e: unknown) => e), {
    kind: 'unavailable',
    message: /client closed/,
  });
});
