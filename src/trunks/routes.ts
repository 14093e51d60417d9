/** CRUD /trunks: carrier connections. Secrets are write-only. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { CODECS, DTMF_MODES } from '../terminals/schema.js';
import { isIP } from 'node:net';
import { provisioningSchema, toProvisioning } from '../terminals/dto.js';
import {
  REGISTRATION_STATES,
  type RegistrationState,
  type TrunkView,
  type TrunksService,
} from './service.js';
import { auditFields, auditOf, idParams, security } from '../platform/http/schemas.js';

const tags = ['trunks'];

const trunkSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    username: z.string().nullable(),
    hasSecret: z.boolean(),
    register: z.boolean(),
    registration: z
      .enum(REGISTRATION_STATES)
      .describe('Registration to the carrier now (off = the trunk does not register)'),
    fromUser: z.string().nullable(),
    fromDomain: z.string().nullable(),
    matchAddresses: z.array(z.string()),
    codecs: z.array(z.string()),
    dtmfMode: z.enum(DTMF_MODES),
    maxChannels: z.number().int(),
    priority: z.number().int(),
    enabled: z.boolean(),
    provisioning: provisioningSchema,
    ...auditFields,
  })
  .describe('Trunk');

const toTrunk = (
  { secretSealed, provisioning, ...t }: TrunkView,
  registration: RegistrationState,
) => ({
  ...t,
  hasSecret: secretSealed !== null,
  registration,
  provisioning: toProvisioning(provisioning),
  ...auditOf(t),
});

/** A DNS name (RFC 1123 labels), or an IPv4 address — never digits and dots that are neither. */
function isHostName(text: string): boolean {
  if (text.length > 253) return false;
  const labels = text.split('.');
  if (labels.every((l) => /^\d+$/.test(l))) return isIP(text) === 4;
  return labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** An IPv4 or IPv6 address with an optional prefix length (/8, /64), or a host name. */
function isMatchAddress(text: string): boolean {
  const [address = '', prefix, extra] = text.split('/');
  if (extra !== undefined) return false;
  const family = isIP(address);
  if (family === 0) return prefix === undefined && isHostName(address);
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const hostname = z.string().refine(isHostName, { error: 'must be a host name or an IPv4 address' });
const address = z.string().refine(isMatchAddress, {
  error: 'must be an IPv4 or IPv6 address, optionally with a prefix length (/24), or a host name',
});
const sipToken = z
  .string()
  .regex(/^[A-Za-z0-9._+-]{1,64}$/, { error: 'letters, digits and . _ + - only' });

const trunkFields = {
  host: hostname,
  port: z.number().int().min(1).max(65535).optional(),
  username: sipToken.nullable().optional(),
  secret: z
    .string()
    .regex(/^[\x20-\x7e]{1,128}$/, { error: 'must be 1-128 half-width printable characters' })
    .nullable()
    .optional()
    .describe('Write-only'),
  register: z.boolean().optional(),
  fromUser: sipToken.nullable().optional(),
  fromDomain: hostname.nullable().optional(),
  matchAddresses: z
    .array(address)
    .max(32)
    .optional()
    .describe(
      'Source addresses of the carrier (a host name is resolved by Asterisk when pushed); ' +
        'default: the host if an IP',
    ),
  codecs: z.array(z.enum(CODECS)).min(1).optional(),
  dtmfMode: z.enum(DTMF_MODES).optional(),
  maxChannels: z.number().int().min(0).max(10_000).optional().describe('0 = no limit'),
  priority: z.number().int().min(0).max(1000).optional(),
  enabled: z.boolean().optional(),
};

export const trunksRoutes: FastifyPluginAsyncZod<{ trunks: TrunksService }> = async (
  app,
  { trunks },
) => {
  const withRegistration = async (rows: TrunkView[]) => {
    const states = await trunks.registrationStates(rows);
    return rows.map((row) => toTrunk(row, states.get(row.id) ?? 'unknown'));
  };
  const one = async (row: TrunkView) =>
    toTrunk(row, (await trunks.registrationStates([row])).get(row.id) ?? 'unknown');

  // Trunks are telephony infrastructure: the permissions of terminals (端末) apply.
  app.get('/trunks', {
    config: { permission: 'terminals.view' },
    schema: {
      tags,
      security,
      summary: 'List trunks',
      querystring: pageQuery,
      response: { 200: pageOf(trunkSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = trunks.list(request.query);
      return { items: await withRegistration(page.items), total: page.total };
    },
  });
  app.post('/trunks', {
    config: { permission: 'terminals.update' },
    schema: {
      tags,
      security,
      summary: 'Create a trunk; provisioned into Asterisk at once',
      body: z.object({
        name: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, { error: 'lower-case letters, digits and -' }),
        ...trunkFields,
      }),
      response: { 201: trunkSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) =>
      reply
        .status(201)
        .send(await one(await trunks.create(request.body, principalOf(request).actor))),
  });
  app.get('/trunks/:id', {
    config: { permission: 'terminals.view' },
    schema: {
      tags,
      security,
      summary: 'One trunk',
      params: idParams,
      response: { 200: trunkSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => one(trunks.get(request.params.id)),
  });
  app.patch('/trunks/:id', {
    config: { permission: 'terminals.update' },
    schema: {
      tags,
      security,
      summary: 'Change a trunk',
      params: idParams,
      body: z
        .object({ ...trunkFields, host: hostname.optional() })
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: trunkSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      one(await trunks.update(request.params.id, request.body, principalOf(request).actor)),
  });
  app.delete('/trunks/:id', {
    config: { permission: 'terminals.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a trunk',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      await trunks.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
