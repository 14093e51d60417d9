/**
 * The system prompts (catalogue.ts) as the center plays them: each prompt's media in a language
 * — its replacement audio file for that language when an administrator set one, else its
 * default Asterisk sounds — and the replacements' administration.
 */
import { and, eq } from 'drizzle-orm';
import type { AudioFilesService, AudioFileUser } from '../audio/service.js';
import { assertAudioFiles } from '../audio/sounds.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created } from '../platform/db/columns.js';
import { notFound } from '../platform/http/errors.js';
import {
  isPromptName,
  PROMPT_LANGUAGES,
  PROMPT_NAMES,
  SYSTEM_PROMPTS,
  type PromptLanguage,
  type PromptName,
} from './catalogue.js';
import { systemPrompts, type SystemPromptRow } from './schema.js';

export interface PromptReplacement {
  audioFileId: number;
  audioFileName: string;
  updatedAt: Date;
  updatedBy: string;
}

export interface SystemPromptView {
  name: PromptName;
  purpose: string;
  text: Record<PromptLanguage, string>;
  defaultSounds: readonly string[];
  replacements: Record<PromptLanguage, PromptReplacement | null>;
}

export interface SystemPromptsService {
  list(): SystemPromptView[];
  get(name: string): SystemPromptView;
  /** The prompt says `audioFileId` in `language` from now on. */
  replace(
    name: string,
    language: PromptLanguage,
    audioFileId: number,
    actor: string,
  ): SystemPromptView;
  /** Back to the default sounds in `language`. */
  restore(name: string, language: PromptLanguage): SystemPromptView;
  /** What to play for the prompt in `language`, as media URIs in order. */
  media(name: PromptName, language: PromptLanguage): string[];
  /** The prompts an audio file replaces, for a 409 on its delete. */
  usersOf(audioFileId: number): AudioFileUser[];
}

export function createSystemPromptsService(deps: {
  db: Db;
  clock: Clock;
  audioFiles: Pick<AudioFilesService, 'find' | 'mediaUri'>;
}): SystemPromptsService {
  const { db, clock, audioFiles } = deps;
  const key = (name: string, language: PromptLanguage) => `${name}:${language}`;
  let rows: Map<string, SystemPromptRow> | null = null;

  function kept(): Map<string, SystemPromptRow> {
    rows ??= new Map(
      db
        .select()
        .from(systemPrompts)
        .all()
        .map((r) => [key(r.name, r.language), r]),
    );
    return rows;
  }

  function nameOf(name: string): PromptName {
    if (!isPromptName(name)) throw notFound('System prompt');
    return name;
  }

  function view(name: PromptName): SystemPromptView {
    const entry = SYSTEM_PROMPTS[name];
    const replacements = Object.fromEntries(
      PROMPT_LANGUAGES.map((language) => {
        const row = kept().get(key(name, language));
        const file = row === undefined ? undefined : audioFiles.find(row.audioFileId);
        return [
          language,
          row === undefined || file === undefined
            ? null
            : {
                audioFileId: row.audioFileId,
                audioFileName: file.name,
                updatedAt: row.updatedAt,
                updatedBy: row.updatedBy,
              },
        ];
      }),
    ) as Record<PromptLanguage, PromptReplacement | null>;
    return {
      name,
      purpose: entry.purpose,
      text: entry.text,
      defaultSounds: entry.sounds,
      replacements,
    };
  }

  return {
    list: () => PROMPT_NAMES.map(view),
    get: (name) => view(nameOf(name)),
    replace: (name, language, audioFileId, actor) => {
      const prompt = nameOf(name);
      assertAudioFiles(db, [audioFileId]);
      const values = { name: prompt, language, audioFileId, ...created(actor, clock.now()) };
      db.insert(systemPrompts)
        .values(values)
        .onConflictDoUpdate({
          target: [systemPrompts.name, systemPrompts.language],
          set: { audioFileId, updatedAt: values.updatedAt, updatedBy: actor },
        })
        .run();
      rows = null;
      return view(prompt);
    },
    restore: (name, language) => {
      const prompt = nameOf(name);
      db.delete(systemPrompts)
        .where(and(eq(systemPrompts.name, prompt), eq(systemPrompts.language, language)))
        .run();
      rows = null;
      return view(prompt);
    },
    media: (name, language) => {
      const row = kept().get(key(name, language));
      const file = row === undefined ? undefined : audioFiles.find(row.audioFileId);
      if (file !== undefined) return [audioFiles.mediaUri(file)];
      return SYSTEM_PROMPTS[name].sounds.map((sound) => `sound:${sound}`);
    },
    usersOf: (audioFileId) =>
      [...kept().values()]
        .filter((r) => r.audioFileId === audioFileId)
        .map((r) => ({
          kind: 'system_prompt',
          id: `${r.name}:${r.language}`,
          name: r.name,
          field: r.language,
        })),
  };
}
