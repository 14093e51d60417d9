/**
 * /ivrs (IVR, §11-3): list, create, read, change and delete IVRs (ivrs.view / .update /
 * .delete). A change gives only what changes; rules, keys and specified dates given replace
 * what was there as a whole.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audioFileId } from '../audio/sounds.js';
import { destinationSchema } from '../destinations/destination.js';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { auditFields, auditOf, idParams, security, singleLine } from '../platform/http/schemas.js';
import { dateList, MAX_DATES } from './dates.js';
import { MENU_KEYS, type MenuKey } from './menu.js';
import { TIME_OF_DAY, WEEKDAYS } from './schedule.js';
import type { IvrsService, IvrSummary, IvrView } from './service.js';

const tags = ['ivrs'];

const MAX_RULES = 100;

const time = z
  .string()
  .regex(TIME_OF_DAY, { error: 'must be HH:MM on a 24-hour clock, 00:00 to 23:59' })
  .describe('HH:MM');

const ruleFields = {
  from: time.describe('HH:MM, the start (in the range)'),
  to: time.describe(
    'HH:MM, the end (not in the range); before `from`: across midnight; equal: the whole day',
  ),
  weekdays: z
    .array(z.enum(WEEKDAYS))
    .max(WEEKDAYS.length)
    .describe('曜日: the ticked boxes 月 … 日'),
  specifiedDates: z
    .boolean()
    .describe('★: the rule applies on specified dates (on those, only rules with ★ apply)'),
  destination: destinationSchema,
};

const ruleIn = z.object({
  ...ruleFields,
  specifiedDates: ruleFields.specifiedDates.default(false),
});

/** One optional field per menu key, each a `value`. */
function perKey<T extends z.ZodType>(value: T) {
  return Object.fromEntries(MENU_KEYS.map((key) => [key, value.optional()])) as Record<
    MenuKey,
    z.ZodOptional<T>
  >;
}

const keysDescription =
  'ボタン: the destination of each key (1–9, and 0 * #); a key left out is invalid';

const scheduleFields = {
  enabled: z.boolean().describe('予約 ON / OFF'),
  rules: z
    .array(ruleIn)
    .max(MAX_RULES)
    .describe('1番, 2番 …: tried in this order, the first that covers now wins'),
  specifiedDates: dateList.describe(
    `指定日: up to ${MAX_DATES} dates, YYYY-MM-DD (real ones only); stored sorted, each once`,
  ),
  holidayCalendarId: z
    .number()
    .int()
    .positive()
    .nullable()
    .describe('A holiday calendar whose dates are specified dates too'),
};

const buttonsFields = {
  enabled: z.boolean().describe('ボタンルーティング ON / OFF; ON needs menuAudioFileId'),
  menuAudioFileId: audioFileId.nullable().describe('音声ファイル: the menu prompt'),
  keys: z.object(perKey(destinationSchema)).strict().describe(keysDescription),
  noInputSeconds: z
    .number()
    .int()
    .min(1)
    .max(60)
    .describe('Seconds to wait for a key once the prompt has ended (default 5)'),
  attempts: z
    .number()
    .int()
    .min(1)
    .max(10)
    .describe(
      'How many times the menu is heard (after an invalid key or none) before the default ' +
        'routing (default 3)',
    ),
};

const ivrFields = {
  name: singleLine(64).describe('名称'),
  defaultRoute: destinationSchema
    .nullable()
    .describe('標準ルーティング: where calls go when no rule and no key sends them elsewhere'),
  schedule: z.object(scheduleFields).partial(),
  buttons: z.object(buttonsFields).partial(),
};

const ivrSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    defaultRoute: destinationSchema.nullable(),
    schedule: z.object({
      enabled: z.boolean(),
      rules: z.array(z.object(ruleFields)),
      specifiedDates: z.array(z.string()),
      holidayCalendarId: z.number().int().nullable(),
    }),
    buttons: z.object({
      enabled: z.boolean(),
      menuAudioFileId: z.number().int().nullable(),
      keys: z.object(perKey(destinationSchema)).describe(keysDescription),
      noInputSeconds: z.number().int(),
      attempts: z.number().int(),
    }),
    ...auditFields,
  })
  .describe('Ivr');

const summarySchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('名称'),
    scheduleEnabled: z.boolean().describe('予約 ON / OFF'),
    buttonsEnabled: z.boolean().describe('ボタン ON / OFF'),
    ...auditFields,
  })
  .describe('IvrSummary');

const toWire = (ivr: IvrView) => ({
  id: ivr.id,
  name: ivr.name,
  defaultRoute: ivr.defaultRoute,
  schedule: ivr.schedule,
  buttons: ivr.buttons,
  ...auditOf(ivr),
});

const summaryToWire = (ivr: IvrSummary) => ({ ...ivr, ...auditOf(ivr) });

const refusals =
  '409 `name_taken`. 422: `unknown_route_target` (a destination that does not exist), ' +
  '`unknown_audio_file`, `unknown_holiday_calendar`, `empty_rule` (a rule that ticks no weekday ' +
  'and not ★; `details.rule` is its number), `menu_prompt_required` (buttons ON without a ' +
  'prompt). Nothing is changed.';

export const ivrsRoutes: FastifyPluginAsyncZod<{ ivrs: IvrsService }> = async (app, { ivrs }) => {
  app.get('/ivrs', {
    config: { permission: 'ivrs.view' },
    schema: {
      tags,
      security,
      summary: 'List IVRs (IVR一覧: 名称, 予約, ボタン, 更新)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
      }),
      response: { 200: pageOf(summarySchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = ivrs.list(request.query);
      return { items: page.items.map(summaryToWire), total: page.total };
    },
  });

  app.post('/ivrs', {
    config: { permission: 'ivrs.update' },
    schema: {
      tags,
      security,
      summary: 'Create an IVR',
      description: `Left out: no default routing, schedule and buttons OFF. ${refusals}`,
      body: z.object({
        ...ivrFields,
        defaultRoute: ivrFields.defaultRoute.optional(),
        schedule: ivrFields.schedule.optional(),
        buttons: ivrFields.buttons.optional(),
      }),
      response: { 201: ivrSchema, ...errorResponses(400, 401, 403, 409, 422) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(toWire(ivrs.create(request.body, principalOf(request).actor))),
  });

  app.get('/ivrs/:id', {
    config: { permission: 'ivrs.view' },
    schema: {
      tags,
      security,
      summary: 'One IVR with its schedule and its buttons',
      params: idParams,
      response: { 200: ivrSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toWire(ivrs.get(request.params.id)),
  });

  app.patch('/ivrs/:id', {
    config: { permission: 'ivrs.update' },
    schema: {
      tags,
      security,
      summary: 'Change an IVR',
      description:
        'Only what is given changes; `schedule.rules`, `schedule.specifiedDates` and ' +
        '`buttons.keys` replace what was there as a whole. 422 `route_loop` when the IVR as ' +
        'saved would let calls come back round to it (through IVRs or groups’ overflow and ' +
        'timeout): `details` is the cycle, `[{kind, id, name}]` from this IVR back to it. ' +
        refusals,
      params: idParams,
      body: z
        .object(ivrFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: ivrSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toWire(ivrs.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/ivrs/:id', {
    config: { permission: 'ivrs.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete an IVR',
      description:
        '409 `ivr_in_use` when a DID, a group (overflow, timeout) or another IVR (default, ' +
        'rule, key) sends calls to it: `details` lists them (`{kind, id, name, field}`, kind ' +
        '`phone_number`, `group` or `ivr`).',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      ivrs.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
