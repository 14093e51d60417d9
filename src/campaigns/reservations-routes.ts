/**
 * /reservations (発信予約 §9-2): the autodial entries with a reservation, soonest first — search
 * by campaign, call count and results — and their bulk edit (一括編集), all or none.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FormatScope } from '../crm/customers/visibility.js';
import { principalOf, type Principal } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { security } from '../platform/http/schemas.js';
import { bulkBody, entryFilterFields, entrySchema, patchOf, toEntry } from './entries-schemas.js';
import type { CampaignEntriesService } from './entries-service.js';

const tags = ['reservations'];

const { campaignId, callCount, callCountMin, callCountMax, results } = entryFilterFields;

export const reservationsRoutes: FastifyPluginAsyncZod<{
  entries: CampaignEntriesService;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { entries, scopeOf }) => {
  app.get('/reservations', {
    config: { permission: 'reservations.view' },
    schema: {
      tags,
      security,
      summary: 'Entries with a reservation (発信予約), soonest first',
      querystring: pageQuery.extend({ campaignId, callCount, callCountMin, callCountMax, results }),
      response: { 200: pageOf(entrySchema) },
    },
    handler: async (request) => {
      const page = entries.reservations(request.query, scopeOf(principalOf(request)));
      return { items: page.items.map(toEntry), total: page.total };
    },
  });

  app.post('/reservations/bulk', {
    config: { permission: 'reservations.bulk_edit' },
    schema: {
      tags,
      security,
      summary: 'Change ticked reservations at once (一括編集): all of them, or none',
      description:
        '`set`: result, reservation (null clears), assignee (null clears, "me"), remarks. ' +
        '422 `bulk_edit_refused`: `details` lists each entry that cannot be changed ' +
        '(`{id, code, message}`) and none was changed; 422 `unknown_agent`.',
      body: bulkBody,
      response: { 200: z.object({ updated: z.number().int() }), ...errorResponses(422) },
    },
    handler: async (request) => {
      const principal = principalOf(request);
      return entries.bulkEdit(
        request.body.ids,
        patchOf(request.body.set, principal),
        principal.actor,
      );
    },
  });
};
