/**
 * /system-prompts: the system's own prompts (catalogue.ts) with their replacement audio files
 * per language; seen with audio_files.view, replaced and restored with audio_files.update.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../platform/http/auth.js';
import { errorResponses } from '../platform/http/errors.js';
import { instant, security } from '../platform/http/schemas.js';
import { PROMPT_LANGUAGES } from './catalogue.js';
import type { SystemPromptsService, SystemPromptView } from './service.js';

const tags = ['system-prompts'];

const replacementSchema = z
  .object({
    audioFileId: z.number().int(),
    audioFileName: z.string(),
    updatedAt: instant,
    updatedBy: z.string(),
  })
  .nullable()
  .describe('The audio file that replaces the default sounds; null = the default');

export const systemPromptSchema = z
  .object({
    name: z.string().describe('The prompt’s name, e.g. voicemail_instructions'),
    purpose: z.string().describe('Who hears it, and when'),
    text: z.object({ ja: z.string(), en: z.string() }).describe('What it says'),
    defaultSounds: z
      .array(z.string())
      .describe('The Asterisk core sounds (English) played when no file replaces it'),
    replacements: z.object({ ja: replacementSchema, en: replacementSchema }),
  })
  .describe('SystemPrompt');

const toWire = (p: SystemPromptView) => ({
  ...p,
  defaultSounds: [...p.defaultSounds],
  replacements: {
    ja: p.replacements.ja && {
      ...p.replacements.ja,
      updatedAt: p.replacements.ja.updatedAt.toISOString(),
    },
    en: p.replacements.en && {
      ...p.replacements.en,
      updatedAt: p.replacements.en.updatedAt.toISOString(),
    },
  },
});

const promptParams = z.object({
  name: z.string().regex(/^[a-z_]{1,64}$/),
  language: z.enum(PROMPT_LANGUAGES).describe('ja: callers of a Japanese DID and Japanese agents'),
});

export const systemPromptsRoutes: FastifyPluginAsyncZod<{ prompts: SystemPromptsService }> = async (
  app,
  { prompts },
) => {
  app.get('/system-prompts', {
    config: { permission: 'audio_files.view' },
    schema: {
      tags,
      security,
      summary: 'The system’s own prompts, with their replacements per language',
      description:
        'Voicemail instructions and thanks, IVR invalid / no input, hot-desk PIN prompts, ' +
        'refusal announcements. A caller hears the DID’s language (PHONE NUMBER `language`), ' +
        'an agent their own.',
      response: {
        200: z.object({ items: z.array(systemPromptSchema) }),
        ...errorResponses(401, 403),
      },
    },
    handler: async () => ({ items: prompts.list().map(toWire) }),
  });

  app.put('/system-prompts/:name/:language', {
    config: { permission: 'audio_files.update' },
    schema: {
      tags,
      security,
      summary: 'Replace a prompt in one language with an audio file',
      description: '404 for a prompt that does not exist; 422 `unknown_audio_file`.',
      params: promptParams,
      body: z.object({ audioFileId: z.number().int().positive() }),
      response: { 200: systemPromptSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) =>
      toWire(
        prompts.replace(
          request.params.name,
          request.params.language,
          request.body.audioFileId,
          principalOf(request).actor,
        ),
      ),
  });

  app.delete('/system-prompts/:name/:language', {
    config: { permission: 'audio_files.update' },
    schema: {
      tags,
      security,
      summary: 'Back to the default sounds in one language',
      params: promptParams,
      response: { 200: systemPromptSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) =>
      toWire(prompts.restore(request.params.name, request.params.language)),
  });
};
