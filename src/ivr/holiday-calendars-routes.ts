/**
 * /holiday-calendars (beyond the manual, §11-3): shared lists of dates that count as specified
 * dates for the IVRs that use them. The IVRs' permissions (ivrs.view / .update / .delete) cover
 * them: a calendar is part of the IVRs' schedules.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import {
  auditFields,
  idParams,
  security,
  singleLine,
  withAudit,
} from '../platform/http/schemas.js';
import { dateList, MAX_DATES } from './dates.js';
import type { HolidayCalendarsService } from './holiday-calendars-service.js';

const tags = ['holiday-calendars'];

export const holidayCalendarSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('名称'),
    dates: z.array(z.string()).describe('YYYY-MM-DD, sorted, each once'),
    ...auditFields,
  })
  .describe('HolidayCalendar');

const fields = {
  name: singleLine(64),
  dates: dateList.describe(
    `Up to ${MAX_DATES} dates, YYYY-MM-DD, real ones only (2026-02-30 is refused); ` +
      'stored sorted, each once',
  ),
};

export const holidayCalendarsRoutes: FastifyPluginAsyncZod<{
  calendars: HolidayCalendarsService;
}> = async (app, { calendars }) => {
  app.get('/holiday-calendars', {
    config: { permission: 'ivrs.view' },
    schema: {
      tags,
      security,
      summary: 'List holiday calendars',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
      }),
      response: { 200: pageOf(holidayCalendarSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = calendars.list(request.query);
      return { items: page.items.map(withAudit), total: page.total };
    },
  });

  app.post('/holiday-calendars', {
    config: { permission: 'ivrs.update' },
    schema: {
      tags,
      security,
      summary: 'Create a holiday calendar',
      description: '409 `name_taken`.',
      body: z.object({ ...fields, dates: fields.dates.optional() }),
      response: { 201: holidayCalendarSchema, ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) =>
      reply.status(201).send(withAudit(calendars.create(request.body, principalOf(request).actor))),
  });

  app.get('/holiday-calendars/:id', {
    config: { permission: 'ivrs.view' },
    schema: {
      tags,
      security,
      summary: 'One holiday calendar',
      params: idParams,
      response: { 200: holidayCalendarSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => withAudit(calendars.get(request.params.id)),
  });

  app.patch('/holiday-calendars/:id', {
    config: { permission: 'ivrs.update' },
    schema: {
      tags,
      security,
      summary: 'Rename a holiday calendar or replace its dates',
      description: 'Given dates replace the list as a whole. 409 `name_taken`.',
      params: idParams,
      body: z
        .object(fields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: holidayCalendarSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) =>
      withAudit(calendars.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/holiday-calendars/:id', {
    config: { permission: 'ivrs.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a holiday calendar',
      description:
        '409 `holiday_calendar_in_use` when IVRs use it: `details` lists them ' +
        '(`{kind, id, name, field}`).',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      calendars.remove(request.params.id);
      return reply.status(204).send();
    },
  });
};
