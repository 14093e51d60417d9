/**
 * Audio files (音声ファイル, §11-6): CRUD of the files with their voicemail and mail settings,
 * their audio (uploaded, converted when it is not a telephone WAV, kept in SQLite), and the
 * media URI Asterisk plays each one with.
 *
 * Other domains point at audio files (a group's greeting, a system prompt, an IVR's menu …) and
 * register here who uses a file, so that deleting a used file is refused naming its users,
 * without this module knowing those domains.
 */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { AudioLimits } from './admission.js';
import type { AudioConverter } from './converter.js';
import type { MediaUrls } from './media-urls.js';
import { audioFileContents, audioFiles, type AudioFileRow } from './schema.js';
import type { SoundChoice } from './sounds.js';
import { prepareAudio } from './uploads.js';

export type AudioFileView = AudioFileRow;

export interface AudioFileSettings {
  voicemail?: boolean | undefined;
  notifyByEmail?: boolean | undefined;
  notifyAddress?: string | null | undefined;
}

export interface AudioFileInput extends AudioFileSettings {
  name: string;
}

export interface AudioFileFilter extends PageQuery {
  name?: string | undefined;
  voicemail?: boolean | undefined;
}

/** Something that plays an audio file, as a 409 names it. */
export interface AudioFileUser {
  kind: string;
  id: number | string;
  name: string;
  /** Which of its settings names the file (e.g. `greeting`). */
  field: string;
}

/** What an upload became: the file, and whether (and how) it was converted. */
export interface UploadResult {
  file: AudioFileView;
  converted: boolean;
  changes: string[];
}

export interface AudioFilesService {
  list(filter: AudioFileFilter): Page<AudioFileView>;
  get(id: number): AudioFileView;
  /** The file if it exists (for the places that play one). */
  find(id: number): AudioFileView | undefined;
  create(input: AudioFileInput, upload: Buffer, actor: string): Promise<UploadResult>;
  update(id: number, patch: Partial<AudioFileInput>, actor: string): AudioFileView;
  /** Replaces the audio; the settings stay. */
  replaceAudio(id: number, upload: Buffer, actor: string): Promise<UploadResult>;
  /** The stored WAV. */
  audio(id: number): { wav: Buffer; sha256: string };
  /** Deletes a file nothing uses; 409 `audio_file_in_use` naming the users otherwise. */
  remove(id: number): void;
  /** Who uses the file now. */
  usersOf(id: number): AudioFileUser[];
  /** A domain that points at audio files tells here which of its records use one. */
  registerUsers(find: (audioFileId: number) => AudioFileUser[]): void;
  /** The media URI that plays the file (Asterisk fetches it from this server). */
  mediaUri(file: Pick<AudioFileView, 'id' | 'sha256'>): string;
  /** What to play for a setting: its audio file if it has one, else its sound; null for none. */
  mediaOf(choice: SoundChoice): string | null;
  media: MediaUrls;
}

export interface AudioFilesDeps {
  db: Db;
  clock: Clock;
  limits: AudioLimits;
  converter: AudioConverter;
  media: MediaUrls;
}

export function createAudioFilesService(deps: AudioFilesDeps): AudioFilesService {
  const { db, clock, limits, converter, media } = deps;
  const userFinders: ((audioFileId: number) => AudioFileUser[])[] = [];

  function find(id: number): AudioFileView | undefined {
    return db.select().from(audioFiles).where(eq(audioFiles.id, id)).get();
  }

  function get(id: number): AudioFileView {
    const row = find(id);
    if (row === undefined) throw notFound('Audio file');
    return row;
  }

  function assertNameFree(name: string, except?: number): void {
    const holder = db
      .select({ id: audioFiles.id })
      .from(audioFiles)
      .where(eq(audioFiles.name, name))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `An audio file is already named ${name}`);
  }

  function settingsOf(input: AudioFileSettings) {
    return {
      ...(input.voicemail !== undefined && { voicemail: input.voicemail }),
      ...(input.notifyByEmail !== undefined && { notifyByEmail: input.notifyByEmail }),
      ...(input.notifyAddress !== undefined && { notifyAddress: input.notifyAddress }),
    };
  }

  function usersOf(id: number): AudioFileUser[] {
    return userFinders.flatMap((findUsers) => findUsers(id));
  }

  return {
    list: (filter) => {
      const where: SQL[] = [];
      if (filter.name !== undefined) where.push(contains(audioFiles.name, filter.name));
      if (filter.voicemail !== undefined) where.push(eq(audioFiles.voicemail, filter.voicemail));
      const condition = where.length === 0 ? undefined : and(...where);
      return {
        items: db
          .select()
          .from(audioFiles)
          .where(condition)
          .orderBy(asc(audioFiles.name), asc(audioFiles.id))
          .limit(filter.limit)
          .offset(filter.offset)
          .all(),
        total: countRows(db, audioFiles, condition),
      };
    },
    get,
    find,
    create: async (input, upload, actor) => {
      assertNameFree(input.name);
      const prepared = await prepareAudio(upload, limits, converter);
      // The name is checked again: another upload may have taken it during the conversion.
      const file = db.transaction((tx) => {
        assertNameFree(input.name);
        const row = tx
          .insert(audioFiles)
          .values({
            name: input.name,
            seconds: prepared.seconds,
            bytes: prepared.wav.length,
            sha256: prepared.sha256,
            source: prepared.source,
            changes: prepared.changes,
            ...settingsOf(input),
            ...created(actor, clock.now()),
          })
          .returning()
          .get();
        tx.insert(audioFileContents).values({ audioFileId: row.id, wav: prepared.wav }).run();
        return row;
      });
      return { file, converted: prepared.changes.length > 0, changes: prepared.changes };
    },
    update: (id, patch, actor) => {
      get(id);
      if (patch.name !== undefined) assertNameFree(patch.name, id);
      return db
        .update(audioFiles)
        .set({
          ...(patch.name !== undefined && { name: patch.name }),
          ...settingsOf(patch),
          ...updated(actor, clock.now()),
        })
        .where(eq(audioFiles.id, id))
        .returning()
        .get();
    },
    replaceAudio: async (id, upload, actor) => {
      get(id);
      const prepared = await prepareAudio(upload, limits, converter);
      const file = db.transaction((tx) => {
        const row = tx
          .update(audioFiles)
          .set({
            seconds: prepared.seconds,
            bytes: prepared.wav.length,
            sha256: prepared.sha256,
            source: prepared.source,
            changes: prepared.changes,
            ...updated(actor, clock.now()),
          })
          .where(eq(audioFiles.id, id))
          .returning()
          .all()[0];
        // Deleted during the conversion: nothing to replace.
        if (row === undefined) throw notFound('Audio file');
        tx.update(audioFileContents)
          .set({ wav: prepared.wav })
          .where(eq(audioFileContents.audioFileId, id))
          .run();
        return row;
      });
      return { file, converted: prepared.changes.length > 0, changes: prepared.changes };
    },
    audio: (id) => {
      const row = db
        .select({ wav: audioFileContents.wav, sha256: audioFiles.sha256 })
        .from(audioFiles)
        .innerJoin(audioFileContents, eq(audioFileContents.audioFileId, audioFiles.id))
        .where(eq(audioFiles.id, id))
        .get();
      if (row === undefined) throw notFound('Audio file');
      return row;
    },
    remove: (id) => {
      const file = get(id);
      const users = usersOf(id);
      if (users.length > 0)
        throw conflict(
          'audio_file_in_use',
          `${file.name} is used by ${users.map((u) => `${u.kind} ${u.name} (${u.field})`).join(', ')}`,
          users,
        );
      db.delete(audioFiles).where(eq(audioFiles.id, id)).run();
    },
    usersOf,
    registerUsers: (findUsers) => {
      userFinders.push(findUsers);
    },
    mediaUri: (file) => media.uri(file),
    mediaOf: (choice) => {
      const file = choice.audioFileId === null ? undefined : find(choice.audioFileId);
      if (file !== undefined) return media.uri(file);
      return choice.sound === null ? null : `sound:${choice.sound}`;
    },
    media,
  };
}
