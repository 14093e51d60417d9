/**
 * /postal-codes/{code} (§11-8 郵便番号の自動入力): the addresses of a postal code, for a
 * format's postal-code field to fill its prefecture / city / street fields. Read by whoever may
 * see customers, since that is where the code is typed.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../platform/http/errors.js';
import { security } from '../../platform/http/schemas.js';
import type { PostalLookup } from './lookup.js';
import { normalisePostalCode } from './postal-code.js';

const tags = ['postal-codes'];

export const postalAddressSchema = z
  .object({
    postalCode: z.string().describe('郵便番号, 7 digits'),
    prefecture: z.string().describe('都道府県'),
    city: z.string().describe('市区町村'),
    street: z.string().describe("町域; '' where Japan Post lists none (以下に掲載がない場合)"),
  })
  .describe('PostalAddress');

const params = z.object({
  code: z
    .string()
    .max(16)
    .refine((code) => normalisePostalCode(code) !== null, 'is not a postal code (7 digits)')
    .describe('7 digits; a hyphen, 〒, spaces and full-width digits are accepted'),
});

export const postalRoutes: FastifyPluginAsyncZod<{ postalLookup: PostalLookup }> = async (
  app,
  { postalLookup },
) => {
  app.get('/postal-codes/:code', {
    config: { permission: 'customers.view' },
    schema: {
      tags,
      security,
      summary: 'Addresses of a postal code',
      description:
        "From Japan Post's data shipped with the server (no web API). One code can cover " +
        'several addresses: all are returned; an unknown code gives `items: []`.',
      params,
      response: {
        200: z.object({ items: z.array(postalAddressSchema) }),
        ...errorResponses(400, 401, 403),
      },
    },
    handler: async (request) => ({ items: postalLookup.find(request.params.code) }),
  });
};
