/**
 * ARI's REST requests made during calls (originate, answer, bridge, tag, play, hang up), over a
 * small pool of persistent HTTP/1.1 connections of ours.
 *
 * Not ari-client: it sends every request through swagger-client and shred, which cost about 1 ms
 * of CPU per request in the ACD benchmark's profile. Not node:http either: a ClientRequest is
 * given its socket on a later tick, after everything the current event queued has run, and in the
 * ACD benchmark that held an originate back 0.4 ms at the median and over 1 ms at p99 between a
 * caller's arrival and the agent's INVITE. Here a request's bytes are written to a connection in
 * the call that makes it.
 *
 * One request at a time per connection (no pipelining); a connection idle for IDLE_MS is closed by
 * us, before Asterisk's own keep-alive limit (http.conf session_keep_alive, 15 s by default) can
 * close it under a request on its way. Parameters go in the query string, as ARI reads them; only
 * `variables` of an originate goes in a JSON body. Errors are classified as ari-client's are
 * (classifyAriError), from ARI's `{"message": …}` answers.
 */
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { AriError, classifyAriError } from './ari-errors.js';
import { parseResponse, type HttpResponse } from './http-response.js';

export type QueryValue = string | number | boolean | undefined;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AriRest {
  /** `path` below /ari, e.g. `/channels/abc/answer`; resolves with the JSON answer, if any. */
  send<T = unknown>(
    operation: string,
    method: HttpMethod,
    path: string,
    query?: Record<string, QueryValue>,
    body?: unknown,
  ): Promise<T>;
  close(): void;
}

/** Enough connections for the requests of a burst of calls (Asterisk allows 100 sessions). */
const MAX_CONNECTIONS = 32;
/** Below Asterisk's default keep-alive of 15 s. */
const IDLE_MS = 10_000;

interface Exchange {
  operation: string;
  done(response: HttpResponse): void;
  failed(err: AriError): void;
}

/** A request and what waits for its answer. */
interface Outgoing {
  exchange: Exchange;
  bytes: string;
}

interface Connection {
  socket: Socket;
  exchange: Exchange | null;
  received: Buffer;
}

export function createAriRest(settings: {
  baseUrl: string;
  user: string;
  password: string;
  timeoutMs: number;
}): AriRest {
  const url = new URL(settings.baseUrl);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const headers =
    `Host: ${url.host}\r\n` +
    `Authorization: Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}\r\n`;

  const idle: Connection[] = [];
  const open = new Set<Connection>();
  /** Requests waiting for a connection while all MAX_CONNECTIONS carry one. */
  const waiting: Outgoing[] = [];
  let closed = false;

  function queryString(query: Record<string, QueryValue> | undefined): string {
    if (query === undefined) return '';
    const parts: string[] = [];
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
    }
    return parts.length === 0 ? '' : `?${parts.join('&')}`;
  }

  function newConnection(): Connection {
    const socket = secure
      ? tlsConnect({ host, port, servername: host })
      : tcpConnect({ host, port, noDelay: true });
    const connection: Connection = { socket, exchange: null, received: Buffer.alloc(0) };
    open.add(connection);
    socket.on('data', (chunk: Buffer) => {
      connection.received =
        connection.received.length === 0 ? chunk : Buffer.concat([connection.received, chunk]);
      read(connection, false);
    });
    socket.on('timeout', () => {
      const exchange = connection.exchange;
      connection.exchange = null;
      socket.destroy();
      exchange?.failed(
        new AriError('timeout', exchange.operation, `no answer within ${settings.timeoutMs} ms`),
      );
    });
    socket.on('error', (err) => {
      const exchange = connection.exchange;
      connection.exchange = null;
      exchange?.failed(classifyAriError(exchange.operation, err));
    });
    socket.on('close', () => {
      if (connection.exchange !== null) read(connection, true);
      const exchange = connection.exchange;
      connection.exchange = null;
      exchange?.failed(new AriError('unavailable', exchange.operation, 'connection closed'));
      forget(connection);
    });
    return connection;
  }

  function forget(connection: Connection): void {
    open.delete(connection);
    const at = idle.indexOf(connection);
    if (at >= 0) idle.splice(at, 1);
    // A request waiting for a connection gets a new one in place of this.
    const next = waiting.shift();
    if (next !== undefined) transmit(newConnection(), next);
  }

  /** Takes the response off what the connection received, once it is all there. */
  function read(connection: Connection, ended: boolean): void {
    const exchange = connection.exchange;
    if (exchange === null) {
      // Nothing was asked: bytes out of turn leave the connection unusable.
      if (!ended) connection.socket.destroy();
      return;
    }
    const result = parseResponse(connection.received, ended);
    if ('incomplete' in result) return;
    // Cut off by the close (Asterisk went away): the close fails the request as unavailable.
    if ('malformed' in result && ended) return;
    connection.exchange = null;
    if ('malformed' in result) {
      connection.socket.destroy();
      return exchange.failed(new AriError('failed', exchange.operation, result.malformed));
    }
    const response = result.complete;
    connection.received = connection.received.subarray(response.length);
    if (response.keepAlive && connection.received.length === 0 && !ended) release(connection);
    else connection.socket.destroy();
    exchange.done(response);
  }

  /** A connection is free: the next waiting request takes it, or it waits idle. */
  function release(connection: Connection): void {
    const next = waiting.shift();
    if (next !== undefined) return transmit(connection, next);
    connection.socket.setTimeout(IDLE_MS);
    idle.push(connection);
  }

  function transmit(connection: Connection, outgoing: Outgoing): void {
    connection.exchange = outgoing.exchange;
    connection.socket.setTimeout(settings.timeoutMs);
    connection.socket.write(outgoing.bytes);
  }

  return {
    send<T>(
      operation: string,
      method: HttpMethod,
      path: string,
      query?: Record<string, QueryValue>,
      body?: unknown,
    ): Promise<T> {
      if (closed) return Promise.reject(new AriError('unavailable', operation, 'client closed'));
      const payload = body === undefined ? '' : JSON.stringify(body);
      const bytes =
        `${method} /ari${path}${queryString(query)} HTTP/1.1\r\n${headers}` +
        (payload === ''
          ? 'Content-Length: 0\r\n\r\n'
          : `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
      return new Promise<T>((resolve, reject) => {
        const exchange: Exchange = {
          operation,
          done(response) {
            const text = response.body.toString('utf8');
            if (response.status >= 200 && response.status < 300) {
              if (text === '') return resolve(undefined as T);
              try {
                resolve(JSON.parse(text) as T);
              } catch {
                reject(new AriError('failed', operation, `not JSON: ${text.slice(0, 80)}`));
              }
              return;
            }
            reject(
              classifyAriError(
                operation,
                new Error(text === '' ? `HTTP ${String(response.status)}` : text),
              ),
            );
          },
          failed: reject,
        };
        // An idle connection (the warmest: last in), a new one, or a turn in the queue.
        const outgoing = { exchange, bytes };
        const reused = idle.pop();
        if (reused !== undefined) transmit(reused, outgoing);
        else if (open.size < MAX_CONNECTIONS) transmit(newConnection(), outgoing);
        else waiting.push(outgoing);
      });
    },
    close() {
      closed = true;
      for (const { exchange } of waiting.splice(0))
        exchange.failed(new AriError('unavailable', exchange.operation, 'client closed'));
      for (const connection of open) connection.socket.destroy();
      idle.length = 0;
    },
  };
}
