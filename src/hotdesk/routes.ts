/** DELETE /terminals/{id}/hot-desk: an administrator ends a hot-desk login (フリーデスク). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { idParams, security } from '../platform/http/schemas.js';
import type { HotDesk } from './service.js';

export const hotDeskRoutes: FastifyPluginAsyncZod<{ hotDesk: HotDesk }> = async (
  app,
  { hotDesk },
) => {
  app.delete('/terminals/:id/hot-desk', {
    config: { permission: 'terminals.update' },
    schema: {
      tags: ['terminals'],
      security,
      summary: 'End the hot-desk login on a terminal (as 997 from the phone would)',
      description:
        'The agent logged in on the phone by 998 + extension + PIN is logged off it: calls to ' +
        'them no longer ring it. 404 when the terminal does not exist or no one is logged in on it.',
      params: idParams,
      response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      hotDesk.endOn(request.params.id, principalOf(request).actor);
      return reply.status(204).send();
    },
  });
};
