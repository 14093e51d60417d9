/**
 * /phone-numbers (電話番号, §11-5), the numbers each agent may call out with (§11-1), and the
 * agent's own caller-ID choice (発信通知番号設定, §5-2).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agentOf, principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { destinationSchema } from '../destinations/destination.js';
import { phoneDigits } from './digits.js';
import type { PhoneNumbersService, PhoneNumberView } from './phone-numbers-service.js';
import { NUMBER_DISPLAYS } from './schema.js';
import {
  auditFields,
  auditOf,
  idParams,
  isVisibleText,
  multiLine,
  security,
  singleLine,
} from '../platform/http/schemas.js';

const tags = ['phone-numbers'];

const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine(isVisibleText, { error: 'must not contain control or invisible characters' });

const phoneNumberSchema = z
  .object({
    id: z.number().int(),
    number: z.string(),
    name: z.string(),
    prefix: z.string().nullable(),
    route: destinationSchema.nullable(),
    maxChannels: z.number().int(),
    incomingPopupUrl: z.string().nullable(),
    answerPopupUrl: z.string().nullable(),
    display: z.enum(NUMBER_DISPLAYS),
    label: z.string().describe('How the number shows in a caller-ID list, per `display`'),
    incomingMessage: z.string().nullable(),
    outgoingMessage: z.string().nullable(),
    trunkId: z.number().int().nullable(),
    language: z.enum(['ja', 'en']).describe('The language of the system prompts its callers hear'),
    agentIds: z.array(z.number().int()).describe('Agents who may call out with this number'),
    ...auditFields,
  })
  .describe('PhoneNumber');

const fields = {
  name: singleLine(64),
  prefix: z
    .string()
    .regex(/^[0-9]{1,6}$/, { error: 'must be 1-6 digits' })
    .nullable()
    .optional()
    .describe('プレフィックス: dial it before a number to call out with this number'),
  route: destinationSchema.nullable().optional(),
  maxChannels: z
    .number()
    .int()
    .min(0)
    .max(10_000)
    .optional()
    .describe('最大チャンネル; 0 = no limit'),
  incomingPopupUrl: url
    .nullable()
    .optional()
    .describe('着信ポップアップ; @@@@ becomes the caller’s number'),
  answerPopupUrl: url
    .nullable()
    .optional()
    .describe('応答ポップアップ; @@@@ becomes the caller’s number'),
  display: z.enum(NUMBER_DISPLAYS).optional(),
  incomingMessage: multiLine(200).nullable().optional(),
  outgoingMessage: multiLine(200).nullable().optional(),
  trunkId: z.number().int().positive().nullable().optional(),
  language: z.enum(['ja', 'en']).optional().describe('Of the system prompts its callers hear'),
  agentIds: z.array(z.number().int().positive()).max(10_000).optional(),
};

export interface PhoneNumbersRoutesOptions {
  numbers: PhoneNumbersService;
  /** Throws 404 for an agent that does not exist. */
  assertAgent: (agentId: number) => void;
}

export const phoneNumbersRoutes: FastifyPluginAsyncZod<PhoneNumbersRoutesOptions> = async (
  app,
  { numbers, assertAgent },
) => {
  const toWire = (n: PhoneNumberView) => ({
    id: n.id,
    number: n.number,
    name: n.name,
    prefix: n.prefix,
    route: n.route,
    maxChannels: n.maxChannels,
    incomingPopupUrl: n.incomingPopupUrl,
    answerPopupUrl: n.answerPopupUrl,
    display: n.display,
    label: numbers.label(n),
    incomingMessage: n.incomingMessage,
    outgoingMessage: n.outgoingMessage,
    trunkId: n.trunkId,
    language: n.language,
    agentIds: n.agentIds,
    ...auditOf(n),
  });

  app.get('/phone-numbers', {
    config: { permission: 'phone_numbers.view' },
    schema: {
      tags,
      security,
      summary: 'List the DIDs',
      querystring: pageQuery.extend({
        number: z.string().min(1).max(20).optional(),
        name: z.string().min(1).max(64).optional(),
        prefix: z.string().min(1).max(6).optional(),
      }),
      response: { 200: pageOf(phoneNumberSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = numbers.list(request.query);
      return { items: page.items.map(toWire), total: page.total };
    },
  });

  app.post('/phone-numbers', {
    config: { permission: 'phone_numbers.update' },
    schema: {
      tags,
      security,
      summary: 'Add a DID',
      body: z.object({ number: phoneDigits, ...fields }),
      response: { 201: phoneNumberSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(toWire(numbers.create(request.body, principalOf(request).actor))),
  });

  app.get('/phone-numbers/:id', {
    config: { permission: 'phone_numbers.view' },
    schema: {
      tags,
      security,
      summary: 'One DID',
      params: idParams,
      response: { 200: phoneNumberSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toWire(numbers.get(request.params.id)),
  });

  app.patch('/phone-numbers/:id', {
    config: { permission: 'phone_numbers.update' },
    schema: {
      tags,
      security,
      summary: 'Change a DID (the number itself cannot change)',
      params: idParams,
      body: z
        .object({ ...fields, name: fields.name.optional() })
        .strict()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: phoneNumberSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toWire(numbers.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/phone-numbers/:id', {
    config: { permission: 'phone_numbers.update' },
    schema: {
      tags,
      security,
      summary: 'Remove a DID',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      numbers.remove(request.params.id);
      return reply.status(204).send();
    },
  });

  // The numbers an agent may use, and which one they call out with.
  const callerIdSchema = z.object({
    current: phoneNumberSchema.nullable().describe('null = 外線発信禁止 (no outbound calls)'),
    options: z.array(phoneNumberSchema),
  });
  const callerIdOf = (agentId: number) => {
    const current = numbers.callerIdOf(agentId);
    return {
      current: current === undefined ? null : toWire(current),
      options: numbers.numbersOfAgent(agentId).map(toWire),
    };
  };

  app.get('/agents/:id/phone-numbers', {
    config: { permission: 'agents.view' },
    schema: {
      tags,
      security,
      summary: 'The numbers an agent may call out with, and the chosen one',
      params: idParams,
      response: { 200: callerIdSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => {
      assertAgent(request.params.id);
      return callerIdOf(request.params.id);
    },
  });

  app.put('/agents/:id/phone-numbers', {
    config: { permission: 'agents.update' },
    schema: {
      tags,
      security,
      summary: 'Set the numbers an agent may call out with (and, optionally, the chosen one)',
      params: idParams,
      body: z.object({
        phoneNumberIds: z.array(z.number().int().positive()).max(10_000),
        callerId: z
          .number()
          .int()
          .positive()
          .nullable()
          .optional()
          .describe('発信者番号; null = 外線発信禁止'),
      }),
      response: { 200: callerIdSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) => {
      assertAgent(request.params.id);
      numbers.setNumbersOfAgent(request.params.id, request.body.phoneNumberIds);
      if (request.body.callerId !== undefined)
        numbers.chooseCallerId(request.params.id, request.body.callerId);
      return callerIdOf(request.params.id);
    },
  });

  app.get('/me/caller-id', {
    config: { permission: 'authenticated', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'My caller ID and the numbers I may choose from',
      response: { 200: callerIdSchema, ...errorResponses(401, 403) },
    },
    handler: async (request) => callerIdOf(agentOf(request).id),
  });

  app.put('/me/caller-id', {
    config: { permission: 'phone.change_caller_id', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'Choose my caller ID (発信通知番号設定); null forbids my outbound calls',
      body: z.object({ phoneNumberId: z.number().int().positive().nullable() }),
      response: { 200: callerIdSchema, ...errorResponses(400, 401, 403, 422) },
    },
    handler: async (request) => {
      const me = agentOf(request);
      numbers.chooseCallerId(me.id, request.body.phoneNumberId);
      return callerIdOf(me.id);
    },
  });
};
