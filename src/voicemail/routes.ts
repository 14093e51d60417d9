/**
 * /voicemails (留守電履歴, §9-3): search by date, caller and audio file; each message's date,
 * caller, seconds, audio file and mail status; its audio streamed (voicemails.view); bulk delete
 * (voicemails.bulk_delete).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import { id, idParams, instant, security } from '../platform/http/schemas.js';
import { toVoicemailWire } from './notifier.js';
import { VOICEMAIL_MAIL_STATUSES } from './schema.js';
import type { VoicemailsService } from './service.js';

const tags = ['voicemails'];

export const voicemailSchema = z
  .object({
    id: z.number().int(),
    callId: z.string().describe('The call it was left on (its history row has `voicemailId`)'),
    receivedAt: instant.describe('日時'),
    fromNumber: z.string().describe('発信者番号'),
    fromName: z.string(),
    toNumber: z.string().describe('The number the caller called'),
    audioFileId: z.number().int().nullable().describe('音声ファイル; null once it is deleted'),
    audioFileName: z.string(),
    seconds: z.number().describe('秒数'),
    mailStatus: z
      .enum(VOICEMAIL_MAIL_STATUSES)
      .describe(
        'none: the file’s mail is off; pending: queued or being retried; sent; failed: given ' +
          'up; not_configured: mail is on but no SMTP server is set (SMTP_HOST)',
      ),
    mailTo: z.string().nullable(),
  })
  .describe('Voicemail');

export const voicemailsRoutes: FastifyPluginAsyncZod<{ voicemails: VoicemailsService }> = async (
  app,
  { voicemails },
) => {
  app.get('/voicemails', {
    config: { permission: 'voicemails.view' },
    schema: {
      tags,
      security,
      summary: 'Search voicemail messages (留守電履歴), newest first',
      querystring: pageQuery.extend({
        from: z.iso.date().optional().describe('From this date (YYYY-MM-DD, TIMEZONE)'),
        to: z.iso.date().optional().describe('To this date, inclusive'),
        caller: z
          .string()
          .regex(/^[0-9+*#]{1,32}$/)
          .optional()
          .describe('Part of the caller’s number'),
        audioFileId: id().optional().describe('Left after this audio file'),
      }),
      response: { 200: pageOf(voicemailSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = voicemails.list(request.query);
      return { items: page.items.map(toVoicemailWire), total: page.total };
    },
  });

  app.get('/voicemails/:id', {
    config: { permission: 'voicemails.view' },
    schema: {
      tags,
      security,
      summary: 'One voicemail message',
      params: idParams,
      response: { 200: voicemailSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toVoicemailWire(voicemails.get(request.params.id)),
  });

  app.get('/voicemails/:id/audio', {
    config: { permission: 'voicemails.view' },
    schema: {
      tags,
      security,
      summary: 'The message’s audio (WAV 8000 Hz mono 16-bit)',
      params: idParams,
      response: { 200: z.any().describe('audio/wav'), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) =>
      reply
        .type('audio/wav')
        .header('content-disposition', `inline; filename="voicemail-${request.params.id}.wav"`)
        .send(voicemails.audio(request.params.id)),
  });

  app.post('/voicemails/bulk-delete', {
    config: { permission: 'voicemails.bulk_delete' },
    schema: {
      tags,
      security,
      summary: 'Delete several messages at once (一括削除)',
      body: z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) }),
      response: {
        200: z.object({ deleted: z.array(z.number().int()).describe('The ids that were there') }),
        ...errorResponses(400, 401, 403),
      },
    },
    handler: async (request) => ({ deleted: voicemails.remove(request.body.ids) }),
  });
};
