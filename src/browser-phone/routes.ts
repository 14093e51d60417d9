/**
 * /me/browser-phone: what the agent's browser phone (ブラウザフォン, §5-1) registers as, and the
 * credential switching it on issues (service.ts). The signalling itself is /sip (sip-proxy.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toProvisioning, provisioningSchema } from '../terminals/dto.js';
import type { TerminalsService } from '../terminals/service.js';
import { agentOf, bearerToken } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { security } from '../platform/http/schemas.js';
import { BROWSER_PHONE_PERMISSION, SIP_DOMAIN, type BrowserPhoneService } from './service.js';

const tags = ['browser-phone'];
/** Where the browser opens its SIP WebSocket, relative to the application's origin. */
export const SIP_WEBSOCKET_PATH = '/api/v1/sip';

const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

const connection = {
  websocketPath: z
    .string()
    .describe('Open the SIP WebSocket here (subprotocol sip), with ?token=<the session token>'),
  iceServers: z
    .array(iceServerSchema)
    .describe('STUN / TURN servers for the browser (RTCIceServer)'),
};

const terminalSummary = z
  .object({
    id: z.number().int(),
    sipUser: z.string(),
    name: z.string(),
    registered: z.boolean(),
  })
  .describe('The WebRTC terminal the browser phone registers as');

export const browserPhoneRoutes: FastifyPluginAsyncZod<{
  browserPhone: BrowserPhoneService;
  terminals: TerminalsService;
}> = async (app, { browserPhone, terminals }) => {
  app.get('/me/browser-phone', {
    config: { permission: BROWSER_PHONE_PERMISSION, sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'My browser phone (ブラウザフォン): the WebRTC terminal it registers as, if any',
      response: {
        200: z.object({
          terminal: terminalSummary.nullable().describe('null: no WebRTC terminal is mine'),
          sipUri: z.string().nullable(),
          active: z.boolean().describe('A credential issued to this session is in force'),
          ...connection,
        }),
        ...errorResponses(401, 403),
      },
    },
    handler: async (request) => {
      const me = agentOf(request);
      const terminal = browserPhone.terminalOf(me.id);
      return {
        terminal:
          terminal === undefined
            ? null
            : {
                id: terminal.id,
                sipUser: terminal.sipUser,
                name: terminal.name,
                registered: terminals.isRegistered(terminal.sipUser),
              },
        sipUri: terminal === undefined ? null : `sip:${terminal.sipUser}@${SIP_DOMAIN}`,
        active: browserPhone.active(me),
        websocketPath: SIP_WEBSOCKET_PATH,
        iceServers: browserPhone.iceServers(),
      };
    },
  });

  app.post('/me/browser-phone/credential', {
    config: { permission: BROWSER_PHONE_PERMISSION, sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'Switch my browser phone on: a fresh SIP password for my WebRTC terminal',
      description:
        'The password is random, made for this session and held in memory only; Asterisk takes ' +
        'it for the terminal instead of its own secret until the phone is switched off, a newer ' +
        'one is issued, the session ends (logout, forced logout, expiry, a role without ' +
        'phone.browser_phone) or the server restarts. It is shown in this response only.',
      response: {
        201: z.object({
          terminalId: z.number().int(),
          sipUser: z.string(),
          sipUri: z.string(),
          password: z.string().describe('Register with this (digest); shown once'),
          provisioning: provisioningSchema,
          ...connection,
        }),
        ...errorResponses(401, 403, 404, 422),
      },
    },
    handler: async (request, reply) => {
      const me = agentOf(request);
      const credential = await browserPhone.issue(me, bearerToken(request) ?? '');
      return reply.status(201).send({
        terminalId: credential.terminal.id,
        sipUser: credential.terminal.sipUser,
        sipUri: credential.sipUri,
        password: credential.password,
        provisioning: toProvisioning(credential.provisioning),
        websocketPath: SIP_WEBSOCKET_PATH,
        iceServers: browserPhone.iceServers(),
      });
    },
  });

  app.delete('/me/browser-phone/credential', {
    config: { permission: BROWSER_PHONE_PERMISSION, sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'Switch my browser phone off: its SIP password stops working',
      response: { 204: z.undefined(), ...errorResponses(401, 403) },
    },
    handler: async (request, reply) => {
      await browserPhone.withdraw(agentOf(request));
      return reply.status(204).send();
    },
  });
};
