/**
 * GET /customers/{id}/dial-lists: the customer detail's 自動発信 tab (§8-1) — the outbound lists
 * the customer is on: MOT call lists (A.8) with its 配布 and 最終ステータス, and MiiTel target
 * lists (B.3) with its 発信対象 flag. The lists are the outbound domains'; they hand their
 * memberships in, so the CRM does not depend on them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, type Principal } from '../../platform/http/auth.js';
import { errorResponses } from '../../platform/http/errors.js';
import { idParams, security } from '../../platform/http/schemas.js';
import type { CustomersService } from './service.js';
import type { FormatScope } from './visibility.js';

const dialListsSchema = z
  .object({
    callLists: z.array(
      z.object({
        listId: z.number().int(),
        name: z.string().describe('リスト名'),
        distributed: z.boolean().describe('配布済'),
        finalStatus: z.string().nullable().describe('最終ステータス; null until a result'),
      }),
    ),
    targetLists: z.array(
      z.object({
        listId: z.number().int(),
        name: z.string().describe('リスト名'),
        excluded: z.boolean().describe('発信対象外 in this list'),
      }),
    ),
  })
  .describe('CustomerDialLists');

export type CustomerDialLists = z.infer<typeof dialListsSchema>;

export const customerDialListsRoutes: FastifyPluginAsyncZod<{
  customers: CustomersService;
  scopeOf: (principal: Principal) => FormatScope;
  dialListsOf: (customerId: number) => CustomerDialLists;
}> = async (app, { customers, scopeOf, dialListsOf }) => {
  app.get('/customers/:id/dial-lists', {
    config: { permission: 'customer_autodial.view' },
    schema: {
      tags: ['customers'],
      security,
      summary: 'The outbound lists the customer is on (自動発信 tab)',
      description: 'Live MOT call lists and MiiTel target lists, oldest first.',
      params: idParams,
      response: { 200: dialListsSchema, ...errorResponses(404) },
    },
    handler: async (request) => {
      customers.get(request.params.id, scopeOf(principalOf(request)));
      return dialListsOf(request.params.id);
    },
  });
};
