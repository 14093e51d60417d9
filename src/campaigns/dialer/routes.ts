/**
 * The agent's side of a preview (§10-8 プレビューコール): the preview card's 発信 (dial) and
 * スキップ (skip) buttons, for the preview the dialer offered them (`preview_offered` on the
 * `campaigns` topic). The same choice can be keyed on the phone: 1 dials, 3 skips.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../platform/http/auth.js';
import { conflict, errorResponses, forbidden } from '../../platform/http/errors.js';
import { security } from '../../platform/http/schemas.js';
import type { Dialer } from './dialer.js';

export const previewRoutes: FastifyPluginAsyncZod<{ dialer: Dialer }> = async (app, { dialer }) => {
  app.post('/campaigns/previews/:callId/:choice', {
    config: { permission: 'customer_autodial.update' },
    schema: {
      tags: ['campaigns'],
      security,
      summary: 'Dial or skip the preview offered to me (プレビューコール: 発信 / スキップ)',
      description:
        'Only the agent the preview was offered to, once they answered it. `dial` rings the ' +
        'customer with the campaign’s number; `skip` hands the entry back untouched.',
      params: z.object({ callId: z.uuid(), choice: z.enum(['dial', 'skip']) }),
      response: { 204: z.null(), ...errorResponses(400, 401, 403, 409) },
    },
    handler: async (request, reply) => {
      const principal = principalOf(request);
      if (principal.kind !== 'agent')
        throw forbidden('agent_required', 'A preview is chosen by the agent it was offered to');
      const { callId, choice } = request.params;
      if (!dialer.choosePreview(callId, principal.id, choice))
        throw conflict('no_preview', 'No preview of yours waits for a choice on this call');
      return reply.status(204).send(null);
    },
  });
};
