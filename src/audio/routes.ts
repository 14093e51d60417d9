/**
 * /audio-files (音声ファイル, §11-6): upload (multipart), settings, download and delete
 * (audio_files.view / .update / .delete); and /media/audio-files/{name}.wav, where Asterisk
 * fetches a file to play it (public: the name carries a signed tag, media-urls.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { badRequest, errorResponses, notFound, unprocessable } from '../platform/http/errors.js';
import { acceptMultipart, readUpload, type Upload } from '../platform/http/multipart.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import {
  auditFields,
  idParams,
  security,
  singleLine,
  withAudit,
} from '../platform/http/schemas.js';
import { MEDIA_PATH } from './media-urls.js';
import type { AudioFilesService, AudioFileView } from './service.js';

const tags = ['audio-files'];

const notifyAddress = z.email().max(254).describe('通知メールアドレス');

export const audioFileSchema = z
  .object({
    id: z.number().int(),
    name: z.string().describe('名称'),
    seconds: z.number().describe('Length of the stored audio'),
    bytes: z.number().int().describe('Size of the stored WAV'),
    source: z.string().describe('What was uploaded, e.g. `WAV 44100 Hz stereo 16-bit`, `MP3`'),
    converted: z.boolean().describe('Whether the upload was converted to WAV 8000 Hz mono 16-bit'),
    changes: z.array(z.string()).describe('What the conversion changed, e.g. `44100 Hz → 8000 Hz`'),
    voicemail: z.boolean().describe('留守電: after the file, the caller may leave a message'),
    notifyByEmail: z.boolean().describe('通知メール: each message is mailed with its recording'),
    notifyAddress: z.string().nullable(),
    ...auditFields,
  })
  .describe('AudioFile');

const toWire = (file: AudioFileView) => ({
  ...withAudit(file),
  converted: file.changes.length > 0,
});

const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The form's text fields: what JSON would carry, as multipart text. */
const formFields = z.object({
  name: singleLine(64),
  voicemail: flag.optional(),
  notifyByEmail: flag.optional(),
  notifyAddress: z
    .union([z.literal(''), notifyAddress])
    .transform((v) => (v === '' ? null : v))
    .optional(),
});

const uploadRules =
  'multipart/form-data with the audio in the `file` part. WAV 8000 Hz mono 16-bit (the manual’s ' +
  'format) is stored as it is; another WAV (any rate, channels, depth) or an MP3 is converted ' +
  'to it, and `converted` / `changes` say how. 422 with the reason as the code, nothing stored: ' +
  '`empty`, `not_audio`, `too_large` (AUDIO_MAX_BYTES), `too_long` (AUDIO_MAX_SECONDS).';

function fileOf(upload: Upload): Buffer {
  if (upload.file === null)
    throw badRequest('file_required', 'Send the audio in the `file` part of the form');
  return upload.file.bytes;
}

function parseFields<T extends z.ZodType>(schema: T, fields: Record<string, string>): z.output<T> {
  const parsed = schema.safeParse(fields);
  if (!parsed.success)
    throw badRequest(
      'validation_failed',
      'The form has invalid fields',
      parsed.error.issues.map((i) => ({ in: 'body', path: i.path.join('.'), message: i.message })),
    );
  return parsed.data;
}

/** Mail notification needs somewhere to go. */
function assertNotifiable(settings: { notifyByEmail: boolean; notifyAddress: string | null }) {
  if (settings.notifyByEmail && settings.notifyAddress === null)
    throw unprocessable(
      'notify_address_required',
      'Give a notification address (notifyAddress) to mail voicemail messages',
    );
}

export const audioFilesRoutes: FastifyPluginAsyncZod<{
  audioFiles: AudioFilesService;
  maxBytes: number;
}> = async (app, { audioFiles, maxBytes }) => {
  await acceptMultipart(app);
  const readForm = (request: Parameters<typeof readUpload>[0]) =>
    readUpload(request, { fileField: 'file', maxBytes });

  app.get('/audio-files', {
    config: { permission: 'audio_files.view' },
    schema: {
      tags,
      security,
      summary: 'List audio files (音声ファイル一覧)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(64).optional().describe('Part of the name'),
        voicemail: flag.optional().describe('Only files with (true) or without voicemail'),
      }),
      response: { 200: pageOf(audioFileSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = audioFiles.list(request.query);
      return { items: page.items.map(toWire), total: page.total };
    },
  });

  app.post('/audio-files', {
    config: { permission: 'audio_files.update' },
    schema: {
      tags,
      security,
      summary: 'Upload an audio file',
      description:
        `${uploadRules} Fields: \`name\` (required), \`voicemail\`, \`notifyByEmail\` ` +
        '(`true` / `false`), `notifyAddress`. 409 `name_taken`; 415 `multipart_required`.',
      response: { 201: audioFileSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 422, 503) },
    },
    handler: async (request, reply) => {
      const upload = await readForm(request);
      const fields = parseFields(formFields, upload.fields);
      assertNotifiable({
        notifyByEmail: fields.notifyByEmail ?? false,
        notifyAddress: fields.notifyAddress ?? null,
      });
      const result = await audioFiles.create(fields, fileOf(upload), principalOf(request).actor);
      return reply.status(201).send(toWire(result.file));
    },
  });

  app.get('/audio-files/:id', {
    config: { permission: 'audio_files.view' },
    schema: {
      tags,
      security,
      summary: 'One audio file',
      params: idParams,
      response: { 200: audioFileSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toWire(audioFiles.get(request.params.id)),
  });

  app.patch('/audio-files/:id', {
    config: { permission: 'audio_files.update' },
    schema: {
      tags,
      security,
      summary: 'Rename an audio file or change its voicemail and mail settings',
      description: '409 `name_taken`; 422 `notify_address_required` (mail on, no address).',
      params: idParams,
      body: z
        .object({
          name: singleLine(64),
          voicemail: z.boolean(),
          notifyByEmail: z.boolean(),
          notifyAddress: notifyAddress.nullable(),
        })
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: audioFileSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => {
      const current = audioFiles.get(request.params.id);
      assertNotifiable({
        notifyByEmail: request.body.notifyByEmail ?? current.notifyByEmail,
        notifyAddress:
          request.body.notifyAddress !== undefined
            ? request.body.notifyAddress
            : current.notifyAddress,
      });
      return toWire(audioFiles.update(request.params.id, request.body, principalOf(request).actor));
    },
  });

  app.put('/audio-files/:id/audio', {
    config: { permission: 'audio_files.update' },
    schema: {
      tags,
      security,
      summary: 'Replace the audio of a file (its settings stay)',
      description: `${uploadRules} 415 \`multipart_required\`.`,
      params: idParams,
      response: { 200: audioFileSchema, ...errorResponses(400, 401, 403, 404, 413, 415, 422, 503) },
    },
    handler: async (request) => {
      audioFiles.get(request.params.id);
      const upload = await readForm(request);
      const result = await audioFiles.replaceAudio(
        request.params.id,
        fileOf(upload),
        principalOf(request).actor,
      );
      return toWire(result.file);
    },
  });

  app.get('/audio-files/:id/audio', {
    config: { permission: 'audio_files.view' },
    schema: {
      tags,
      security,
      summary: 'Download the stored audio (WAV 8000 Hz mono 16-bit)',
      params: idParams,
      response: { 200: z.any().describe('audio/wav'), ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request, reply) => {
      const file = audioFiles.get(request.params.id);
      const { wav } = audioFiles.audio(file.id);
      const filename = encodeURIComponent(`${file.name}.wav`);
      return reply
        .type('audio/wav')
        .header('content-disposition', `attachment; filename*=UTF-8''${filename}`)
        .send(wav);
    },
  });

  app.delete('/audio-files/:id', {
    config: { permission: 'audio_files.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete an audio file',
      description:
        '409 `audio_file_in_use` when a group, IVR, DID, system prompt or campaign plays it: ' +
        '`details` lists them (`{kind, id, name, field}`).',
      params: idParams,
      response: { 204: z.null(), ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request, reply) => {
      audioFiles.remove(request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.get(`${MEDIA_PATH}/:name`, {
    config: { permission: 'public' },
    schema: {
      tags: ['media'],
      summary: 'An audio file as Asterisk fetches it (res_http_media_cache)',
      description:
        'The name is `{id}-{version}-{tag}.wav` from a media URI the server gave Asterisk; the ' +
        'version is the content’s hash, so a response may be cached for a year. An unknown, ' +
        'forged or superseded name is 404. HEAD and If-None-Match (304) are answered.',
      params: z.object({ name: z.string().max(80) }),
      response: { 200: z.any().describe('audio/wav'), 304: z.null(), ...errorResponses(404) },
    },
    handler: async (request, reply) => {
      const named = audioFiles.media.parse(request.params.name);
      const file = named === null ? undefined : audioFiles.find(named.id);
      if (
        named === null ||
        file === undefined ||
        !audioFiles.media.isVersion(file.sha256, named.version)
      )
        throw notFound('Audio');
      const etag = `"${file.sha256}"`;
      reply.header('etag', etag).header('cache-control', 'public, max-age=31536000, immutable');
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      return reply.type('audio/wav').send(audioFiles.audio(file.id).wav);
    },
  });
};
