/**
 * What a setting that plays something names: an uploaded audio file, or one of Asterisk's own
 * sounds by name (`queue-thankyou`, `custom/welcome`) as before audio files existed. A setting
 * that has both plays the file. Shared by groups, IVRs, DIDs and the system prompts.
 */
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../platform/db/client.js';
import { unprocessable } from '../platform/http/errors.js';
import { audioFiles } from './schema.js';

/** An Asterisk sound name: letters, digits, _ - and / between names. */
export const soundName = z
  .string()
  .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, {
    error: 'must be a sound name like queue-thankyou or custom/welcome',
  })
  .max(100);

export const audioFileId = z.number().int().positive();

/** An audio file or a sound name, either or both missing. */
export interface SoundChoice {
  audioFileId: number | null;
  sound: string | null;
}

/** Refuses (422 unknown_audio_file) ids that name no audio file. */
export function assertAudioFiles(db: DbOrTx, ids: readonly (number | null | undefined)[]): void {
  const wanted = [...new Set(ids.filter((id): id is number => typeof id === 'number'))];
  if (wanted.length === 0) return;
  const found = new Set(
    db
      .select({ id: audioFiles.id })
      .from(audioFiles)
      .where(inArray(audioFiles.id, wanted))
      .all()
      .map((r) => r.id),
  );
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw unprocessable('unknown_audio_file', `There is no audio file ${missing.join(', ')}`, {
      audioFileIds: missing,
    });
}
