/**
 * GET /me/recalls (再コール一覧 §7): the caller's entries waiting to be dialled by them (担当 = me,
 * 結果 = 発信待機中), by reservation with the unscheduled last. The badge's count follows on the
 * `me` topic as `recalls_changed` (recalls-notifier.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FormatScope } from '../crm/customers/visibility.js';
import { agentOf, type Principal } from '../platform/http/auth.js';
import { security } from '../platform/http/schemas.js';
import { entrySchema, toEntry } from './entries-schemas.js';
import type { CampaignEntriesService } from './entries-service.js';

export const recallsRoutes: FastifyPluginAsyncZod<{
  entries: CampaignEntriesService;
  scopeOf: (principal: Principal) => FormatScope;
}> = async (app, { entries, scopeOf }) => {
  app.get('/me/recalls', {
    config: { permission: 'recall_gadget.view', sessionOnly: true },
    schema: {
      tags: ['reservations'],
      security,
      summary: 'My recall list (再コール一覧): 担当 = me, 結果 = 発信待機中',
      description:
        'Soonest reservation first; entries with no reservation (エージェントのみ) last. ' +
        '`count` is the badge.',
      response: {
        200: z.object({ items: z.array(entrySchema), count: z.number().int() }).describe('Recalls'),
      },
    },
    handler: async (request) => {
      const agent = agentOf(request);
      const items = entries.recallsOf(agent.id, scopeOf(agent)).map(toEntry);
      return { items, count: items.length };
    },
  });
};
