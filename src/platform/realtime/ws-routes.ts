/**
 * GET /api/v1/ws: the realtime feed (design §3).
 *
 *   client → {"type":"subscribe","topics":["agents","system"]}
 *   server → {"type":"snapshot","topic":"agents","data":...,"seq":N}   one per topic, then
 *   server → {"type":"event","topic","name","data","ts","seq"}          as things happen
 *   client → {"type":"ping"}  server → {"type":"pong","ts"}
 *
 * The token comes in the Authorization header or as ?token=. A socket lives only as long as its
 * session: when something ends or changes a session (the session watch: logout, forced logout,
 * a password change, a lock, a role change, a deleted API key) and when the token expires, the
 * token is resolved again at once — no longer valid: the socket is closed (4001); a changed
 * principal (another role, other permissions): events are filtered by the new one from then on,
 * and topics it may no longer see are dropped (`unsubscribed`). A client that reads too slowly
 * is dropped (close 4008) rather than allowed to grow the server's memory. A keep-alive ping
 * finds dead clients, and checks the token again too.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Clock, Timer } from '../clock.js';
import { bearerToken, principalOf, type Principal, type TokenResolver } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import type { SessionWatch } from '../http/session-watch.js';
import type { Hub, HubEvent } from './hub.js';

export interface WsRoutesOptions {
  hub: Hub;
  resolveToken: TokenResolver;
  sessions: SessionWatch;
  clock: Clock;
  /** Bytes a client may leave unread before it is dropped. */
  maxBufferedBytes?: number;
  /** How often the server checks the client is alive and its token still valid. */
  keepAliveMs?: number;
}

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topics: z.array(z.string()).min(1).max(32) }),
  z.object({ type: z.literal('unsubscribe'), topics: z.array(z.string()).min(1).max(32) }),
  z.object({ type: z.literal('ping') }),
]);

export const CLOSE_SESSION_ENDED = 4001;
export const CLOSE_SLOW_CONSUMER = 4008;

/** setTimeout's longest delay (about 24.8 days); a later expiry is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** An open feed: whose it is and what it listens to. */
interface Connection {
  principal: Principal;
  /** Resolves the token again: closes the socket or adopts the new principal. */
  recheck(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on WebSocket routes (and only there): they accept an Upgrade request. */
    acceptsUpgrade?: boolean;
  }
}

/**
 * @fastify/websocket answers an Upgrade request to any route with 101 Switching Protocols and
 * then closes the socket: to a client that is a WebSocket that opens and dies. Refuse the upgrade
 * instead (400), on every route that is not a WebSocket route. Call before routes are added.
 */
export function refuseStrayUpgrades(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.websocket === true) route.config = { ...route.config, acceptsUpgrade: true };
  });
  app.addHook('onRequest', async (request) => {
    if (request.ws && !request.is404 && request.routeOptions.config.acceptsUpgrade !== true) {
      throw badRequest(
        'websocket_not_supported',
        `${request.method} ${request.url.split('?')[0] ?? ''} is not a WebSocket endpoint`,
      );
    }
  });
}

export const wsRoutes: FastifyPluginAsync<WsRoutesOptions> = async (app, options) => {
  const { clock } = options;
  const maxBuffered = options.maxBufferedBytes ?? 1024 * 1024;
  const keepAliveMs = options.keepAliveMs ?? 30_000;
  const connections = new Set<Connection>();
  // The hub hands each event to every connection in turn, and all who may see it get the same
  // text: it is made once, by the first of them, not once per client.
  let lastEvent: HubEvent | undefined;
  let lastText = '';
  const textOfEvent = (event: HubEvent): string => {
    if (event !== lastEvent) {
      const { topic, name, data, ts, seq } = event;
      lastText = JSON.stringify({ type: 'event', topic, name, data, ts, seq });
      lastEvent = event;
    }
    return lastText;
  };

  const stopWatching = options.sessions.onRecheck((match) => {
    for (const connection of connections) {
      if (match(connection.principal)) void connection.recheck();
    }
  });
  app.addHook('onClose', async () => stopWatching());

  app.get(
    '/ws',
    {
      websocket: true,
      config: { permission: 'authenticated', tokenInQuery: true },
      schema: {
        tags: ['realtime'],
        summary: 'Realtime feed (WebSocket): subscribe to topics, get a snapshot, then events',
        security: [{ bearerAuth: [] }],
        querystring: z.object({
          token: z.string().optional().describe('Bearer token, for browsers'),
        }),
      },
    },
    (socket, request) => {
      const token = bearerToken(request) ?? '';
      const subscribed = new Set<string>();
      let alive = true;
      let closed = false;
      let expiryTimer: Timer | null = null;
      let keepAliveTimer: Timer | null = null;

      const sendText = (text: string): void => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > maxBuffered) {
          request.log.warn({ buffered: socket.bufferedAmount }, 'dropping a slow realtime client');
          socket.close(CLOSE_SLOW_CONSUMER, 'slow consumer');
          return;
        }
        socket.send(text);
      };
      const send = (message: object): void => sendText(JSON.stringify(message));

      const connection: Connection = {
        principal: principalOf(request),
        async recheck() {
          const principal = await options.resolveToken(token);
          if (closed) return;
          if (principal === undefined) {
            closed = true;
            socket.close(CLOSE_SESSION_ENDED, 'session ended');
            return;
          }
          connection.principal = principal;
          for (const topic of [...subscribed]) {
            if (options.hub.topic(topic)?.canSubscribe(principal) === true) continue;
            subscribed.delete(topic);
            send({ type: 'unsubscribed', topic, reason: 'permission_denied' });
          }
          armExpiry();
        },
      };
      connections.add(connection);

      /** A check of the token when it expires, so the socket does not outlive it. */
      function armExpiry(): void {
        if (expiryTimer !== null) clock.clearTimeout(expiryTimer);
        expiryTimer = null;
        const expiresAt = connection.principal.expiresAt;
        if (expiresAt === null) return;
        const delay = Math.max(0, expiresAt.getTime() - clock.now().getTime());
        expiryTimer = clock.setTimeout(
          () => void connection.recheck(),
          Math.min(delay, MAX_TIMER_MS),
        );
      }
      armExpiry();

      const onEvent = (event: HubEvent): void => {
        if (!subscribed.has(event.topic)) return;
        if (event.visibleTo !== undefined && !event.visibleTo(connection.principal)) return;
        sendText(textOfEvent(event));
      };
      const unsubscribe = options.hub.subscribe(onEvent);

      socket.on('message', (raw) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(textOf(raw));
        } catch {
          send({ type: 'error', code: 'invalid_message', message: 'Messages must be JSON' });
          return;
        }
        const result = clientMessage.safeParse(parsed);
        if (!result.success) {
          send({
            type: 'error',
            code: 'invalid_message',
            message: result.error.issues[0]?.message,
          });
          return;
        }
        const message = result.data;
        switch (message.type) {
          case 'ping':
            send({ type: 'pong', ts: clock.now().toISOString() });
            return;
          case 'unsubscribe':
            for (const topic of message.topics) subscribed.delete(topic);
            return;
          case 'subscribe':
            for (const topic of message.topics) subscribe(topic);
            return;
        }
      });

      function subscribe(topic: string): void {
        const definition = options.hub.topic(topic);
        if (definition === undefined) {
          send({ type: 'error', code: 'unknown_topic', message: `No topic ${topic}`, topic });
          return;
        }
        const principal = connection.principal;
        if (!definition.canSubscribe(principal)) {
          send({
            type: 'error',
            code: 'permission_denied',
            message: `Not allowed: ${topic}`,
            topic,
          });
          return;
        }
        // Subscribing before taking the snapshot, in one synchronous step, means no event can fall
        // between the snapshot and the stream.
        subscribed.add(topic);
        send({
          type: 'snapshot',
          topic,
          data: definition.snapshot(principal),
          seq: options.hub.lastSeq(),
        });
      }

      socket.on('pong', () => {
        alive = true;
      });

      function keepAlive(): void {
        keepAliveTimer = clock.setTimeout(() => {
          if (!alive) {
            socket.terminate();
            return;
          }
          alive = false;
          socket.ping();
          void connection.recheck();
          keepAlive();
        }, keepAliveMs);
      }
      keepAlive();

      socket.on('close', () => {
        closed = true;
        if (keepAliveTimer !== null) clock.clearTimeout(keepAliveTimer);
        if (expiryTimer !== null) clock.clearTimeout(expiryTimer);
        connections.delete(connection);
        unsubscribe();
      });
      socket.on('error', (err: Error) => request.log.debug({ err }, 'realtime socket error'));
    },
  );
};

/** A WebSocket message as text (ws hands over a Buffer, an ArrayBuffer or fragments). */
function textOf(raw: Buffer | ArrayBuffer | Buffer[]): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.isBuffer(raw)
    ? raw.toString('utf8')
    : Buffer.from(new Uint8Array(raw)).toString('utf8');
}

export type { WebSocket };
