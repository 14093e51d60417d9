/**
 * /seat-layouts (座席レイアウト, §10-7): the layouts (seat_layouts.view / .update / .delete) and
 * their items, replaced as a whole by PUT /seat-layouts/{id}/items.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import {
  auditFields,
  id,
  idParams,
  security,
  singleLine,
  withAudit,
} from '../platform/http/schemas.js';
import type { SeatLayoutsService, SeatLayoutView } from './service.js';

const tags = ['seat-layouts'];

/** The largest canvas side, and how far off it an item may be written (then refused: 422). */
const MAX_SIDE = 10_000;
const MAX_COORDINATE = 100_000;
const MAX_ITEMS = 1_000;

const side = z.number().int().min(1).max(MAX_SIDE);
const coordinate = z.number().int().min(-MAX_COORDINATE).max(MAX_COORDINATE);

const geometryIn = {
  x: coordinate.describe('Left edge before rotation'),
  y: coordinate.describe('Top edge before rotation'),
  width: side,
  height: side,
  rotation: z
    .number()
    .int()
    .min(0)
    .max(359)
    .default(0)
    .describe('Degrees clockwise about the centre'),
};

const itemIn = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('seat'),
      terminalId: z.number().int().positive().describe('端末: the terminal at this seat'),
      ...geometryIn,
    }),
    z.object({ kind: z.literal('wall'), ...geometryIn }),
    z.object({ kind: z.literal('pillar'), ...geometryIn }),
    z.object({ kind: z.literal('desk'), ...geometryIn }),
    z.object({ kind: z.literal('label'), label: singleLine(64), ...geometryIn }),
  ])
  .describe(
    'A seat (端末: a terminal) or an object (オブジェクト: wall, pillar, desk, label), ' +
      'within the canvas once rotated; items may overlap',
  );

const itemsIn = z.array(itemIn).max(MAX_ITEMS);

const geometryOut = {
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  rotation: z.number().int(),
};

const itemOut = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('seat'),
      terminalId: z.number().int(),
      terminal: z.object({
        id: z.number().int(),
        sipUser: z.string(),
        name: z.string(),
        registered: z.boolean(),
      }),
      agent: z
        .object({
          id: z.number().int(),
          name: z.string(),
          nickname: z.string(),
          extension: z.string().nullable(),
        })
        .nullable()
        .describe(
          'The agent on the phone now: hot-desked on it, else linked to it. Their live status ' +
            'is on the `agents` topic',
        ),
      ...geometryOut,
    }),
    z.object({ kind: z.enum(['wall', 'pillar', 'desk']), ...geometryOut }),
    z.object({ kind: z.literal('label'), label: z.string(), ...geometryOut }),
  ])
  .describe('SeatLayoutItem');

const summaryFields = {
  id: z.number().int(),
  name: z.string(),
  width: z.number().int().describe('Canvas width'),
  height: z.number().int().describe('Canvas height'),
  groupId: z.number().int().nullable().describe('The group whose floor this is'),
  terminalCount: z.number().int().describe('端末数'),
  objectCount: z.number().int().describe('オブジェクト数'),
  ...auditFields,
};
const summarySchema = z.object(summaryFields).describe('SeatLayoutSummary');
const layoutSchema = z.object({ ...summaryFields, items: z.array(itemOut) }).describe('SeatLayout');

const layoutFields = {
  name: singleLine(64),
  width: side.describe('Canvas width'),
  height: side.describe('Canvas height'),
  groupId: z.number().int().positive().nullable().optional(),
};

const itemsRefused =
  '422 `invalid_items` lists in `details` every item that cannot be placed — ' +
  '`{index, code, message, terminalId?}` with code `out_of_canvas`, `unknown_terminal` or ' +
  '`terminal_placed_twice` — and nothing is changed.';

const toWire = (layout: SeatLayoutView) => withAudit(layout);

export const seatLayoutsRoutes: FastifyPluginAsyncZod<{ layouts: SeatLayoutsService }> = async (
  app,
  { layouts },
) => {
  app.get('/seat-layouts', {
    config: { permission: 'seat_layouts.view' },
    schema: {
      tags,
      security,
      summary: 'List seat layouts (座席レイアウト一覧)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
        groupId: id().optional().describe('Of this group'),
      }),
      response: { 200: pageOf(summarySchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = layouts.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });

  app.post('/seat-layouts', {
    config: { permission: 'seat_layouts.update' },
    schema: {
      tags,
      security,
      summary: 'Create a seat layout, with its items if given',
      description: `409 \`name_taken\`, 422 \`unknown_group\`. ${itemsRefused}`,
      body: z.object({ ...layoutFields, items: itemsIn.optional() }),
      response: { 201: layoutSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(toWire(layouts.create(request.body, principalOf(request).actor))),
  });

  app.get('/seat-layouts/:id', {
    config: { permission: 'seat_layouts.view' },
    schema: {
      tags,
      security,
      summary: 'One seat layout with its seats (terminal, agent on it) and objects',
      params: idParams,
      response: { 200: layoutSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toWire(layouts.get(request.params.id)),
  });

  app.patch('/seat-layouts/:id', {
    config: { permission: 'seat_layouts.update' },
    schema: {
      tags,
      security,
      summary: 'Rename or resize a seat layout, or change its group',
      description:
        '409 `name_taken`, 422 `unknown_group`; a canvas too small for the items placed: ' +
        itemsRefused,
      params: idParams,
      body: z
        .object(layoutFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: layoutSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toWire(layouts.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.put('/seat-layouts/:id/items', {
    config: { permission: 'seat_layouts.update' },
    schema: {
      tags,
      security,
      summary: 'Replace every item of a seat layout at once',
      description:
        'The items in drawing order. A request that breaks the schema is 400 with every bad ' +
        `field in \`details\` (\`items.3.x\`). ${itemsRefused}`,
      params: idParams,
      body: z.object({ items: itemsIn }),
      response: { 200: layoutSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toWire(
        layouts.replaceItems(request.params.id, request.body.items, principalOf(request).actor),
      ),
  });

  app.delete('/seat-layouts/:id', {
    config: { permission: 'seat_layouts.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a seat layout',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      layouts.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
