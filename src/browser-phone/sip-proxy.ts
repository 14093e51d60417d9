/**
 * GET /api/v1/sip: the browser phone's SIP over WebSocket (RFC 7118, subprotocol `sip`), piped
 * frame by frame to Asterisk's own SIP WebSocket (`/ws` on its HTTP server, on loopback for the
 * managed Asterisk). Browsers thus need one origin and one certificate — the application's — and
 * never reach Asterisk's HTTP server, which also carries ARI.
 *
 * The socket is the signed-in agent's (the token as `?token=`, sessions only, permission
 * `phone.browser_phone`) and speaks only for their WebRTC terminal (sip-guard.ts: a message
 * for another terminal is dropped). It lives as long as the session and the permission
 * (session-lease.ts: closed 4001 when they end); either side closing closes the other.
 * Media does not pass here: it flows between the browser and Asterisk's RTP ports (ICE).
 */
import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { WebSocket, type RawData } from 'ws';
import { z } from 'zod';
import type { BrowserPhoneSettings } from '../config.js';
import type { Clock } from '../platform/clock.js';
import { agentOf, bearerToken, type TokenResolver } from '../platform/http/auth.js';
import type { SessionWatch } from '../platform/http/session-watch.js';
import { BROWSER_PHONE_PERMISSION, type BrowserPhoneService } from './service.js';
import { leaseSession } from './session-lease.js';
import { checkBrowserSip } from './sip-guard.js';

export interface SipProxyOptions {
  browserPhone: BrowserPhoneService;
  settings: BrowserPhoneSettings;
  resolveToken: TokenResolver;
  sessions: SessionWatch;
  clock: Clock;
}

export const CLOSE_SESSION_ENDED = 4001;
export const CLOSE_NO_TERMINAL = 4004;
/** Asterisk's side went away or could not be reached. */
export const CLOSE_UPSTREAM_GONE = 4502;
/** Messages a browser may send before Asterisk's socket is open. */
const MAX_EARLY_MESSAGES = 32;
/** Bytes a browser may leave unread before it is dropped. */
const MAX_BUFFERED = 1024 * 1024;

/** A close code one may send (1005/1006/1015 are reserved for reporting). */
const sendable = (code: number) => (code >= 3000 && code <= 4999) || [1000, 1001].includes(code);

export const sipProxyRoutes: FastifyPluginAsync<SipProxyOptions> = async (app, options) => {
  const { settings } = options;
  const ca =
    settings.asteriskWsCaFile === undefined ? undefined : readFileSync(settings.asteriskWsCaFile);

  app.get(
    '/sip',
    {
      websocket: true,
      config: { permission: BROWSER_PHONE_PERMISSION, tokenInQuery: true, sessionOnly: true },
      schema: {
        tags: ['browser-phone'],
        summary:
          'The browser phone’s SIP over WebSocket (subprotocol sip), piped to Asterisk; ' +
          'only for the caller’s own WebRTC terminal',
        security: [{ bearerAuth: [] }],
        querystring: z.object({
          token: z.string().optional().describe('Bearer token, for browsers'),
        }),
      },
    },
    (socket, request) => {
      const principal = agentOf(request);
      const terminal = options.browserPhone.terminalOf(principal.id);
      if (terminal === undefined) {
        socket.close(CLOSE_NO_TERMINAL, 'no WebRTC terminal');
        return;
      }
      const log = request.log.child({ terminal: terminal.sipUser });
      const early: string[] = [];
      let closed = false;

      const upstream = new WebSocket(settings.asteriskWsUrl, 'sip', {
        ...(ca !== undefined && { ca }),
        handshakeTimeout: 10_000,
      });

      function closeBoth(code: number, reason: string): void {
        if (closed) return;
        closed = true;
        lease.release();
        if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING)
          socket.close(sendable(code) ? code : 1000, reason);
        if (upstream.readyState === upstream.OPEN) upstream.close(1000);
        else upstream.terminate();
      }

      const lease = leaseSession({
        token: bearerToken(request) ?? '',
        principal,
        permission: BROWSER_PHONE_PERMISSION,
        resolveToken: options.resolveToken,
        sessions: options.sessions,
        clock: options.clock,
        onEnded: () => closeBoth(CLOSE_SESSION_ENDED, 'session ended'),
      });

      socket.on('message', (raw: RawData, isBinary: boolean) => {
        const text = textOf(raw);
        const verdict = isBinary
          ? { ok: false as const, reason: 'binary frame' }
          : checkBrowserSip(text, terminal.sipUser);
        if (!verdict.ok) {
          log.warn({ reason: verdict.reason }, 'browser phone message dropped');
          return;
        }
        if (upstream.readyState === upstream.OPEN) upstream.send(text);
        else if (early.length < MAX_EARLY_MESSAGES) early.push(text);
      });
      upstream.on('open', () => {
        for (const text of early.splice(0)) upstream.send(text);
      });
      upstream.on('message', (raw: RawData) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED) {
          log.warn({ buffered: socket.bufferedAmount }, 'dropping a slow browser phone');
          closeBoth(4008, 'slow consumer');
          return;
        }
        socket.send(textOf(raw));
      });
      upstream.on('error', (err: Error) => {
        log.warn({ err: err.message }, 'Asterisk’s SIP WebSocket failed');
        closeBoth(CLOSE_UPSTREAM_GONE, 'Asterisk unreachable');
      });
      upstream.on('close', () => closeBoth(CLOSE_UPSTREAM_GONE, 'Asterisk closed'));
      socket.on('close', () => closeBoth(1000, 'browser left'));
      socket.on('error', (err: Error) => log.debug({ err }, 'browser phone socket error'));
    },
  );
};

/** A WebSocket message as text (ws hands over a Buffer, an ArrayBuffer or fragments). */
function textOf(raw: RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.isBuffer(raw)
    ? raw.toString('utf8')
    : Buffer.from(new Uint8Array(raw)).toString('utf8');
}
