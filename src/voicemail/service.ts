/**
 * Voicemail messages (留守電履歴, §9-3): kept as they are left (recorder.ts), searched by date,
 * caller and audio file, streamed, deleted in bulk; each mailed — recording attached — to its
 * audio file's address when the file's notification mail is on, through the mail queue, whose
 * outcome becomes the message's mail status. The `voicemails` topic tells supervisors.
 */
import { and, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm';
import type { AudioFilesService } from '../audio/service.js';
import type { CallHistoryService } from '../calls/history-service.js';
import { farEnd } from '../calls/model.js';
import { instantsOfDateKey } from '../platform/calendar.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { contains, countRows } from '../platform/db/query.js';
import { notFound } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import { createVoicemailNotifier } from './notifier.js';
import type { RecordedMessage } from './recorder.js';
import {
  voicemailAudio,
  voicemails,
  type VoicemailMailStatus,
  type VoicemailRow,
} from './schema.js';

/** The mail queue, as voicemail uses it. */
export interface VoicemailMail {
  /** Whether an SMTP server is configured: without one, mail waits in the queue for one. */
  configured: boolean;
  enqueue(mail: {
    to: string;
    subject: string;
    text: string;
    attachments: { filename: string; contentType: string; content: Buffer }[];
  }): number;
  onSettled(listener: (mailId: number, outcome: 'sent' | 'failed') => void): void;
}

export interface VoicemailFilter extends PageQuery {
  /** `YYYY-MM-DD` in TIMEZONE, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  /** Part of the caller's number. */
  caller?: string | undefined;
  audioFileId?: number | undefined;
}

export interface VoicemailsService {
  list(filter: VoicemailFilter): Page<VoicemailRow>;
  get(id: number): VoicemailRow;
  audio(id: number): Buffer;
  /** Deletes these messages; the ids that were there. */
  remove(ids: readonly number[]): number[];
  /** Keeps a message just left, mails it if its file says so, and tells supervisors. */
  keep(message: RecordedMessage): VoicemailRow;
}

export interface VoicemailsDeps {
  db: Db;
  clock: Clock;
  hub: Hub;
  log: Logger;
  timeZone: string;
  audioFiles: Pick<AudioFilesService, 'find'>;
  history: Pick<CallHistoryService, 'leftVoicemail'>;
  mail: VoicemailMail;
}

function mailOf(row: VoicemailRow, audio: Buffer) {
  const from = row.fromName === '' ? row.fromNumber : `${row.fromName} <${row.fromNumber}>`;
  return {
    subject: `留守電: ${from || '非通知'} (${Math.round(row.seconds)}秒) — ${row.audioFileName}`,
    text: [
      `留守電メッセージを受信しました。 / A voicemail message was left.`,
      '',
      `日時 / Received: ${row.receivedAt.toISOString()}`,
      `発信者 / Caller: ${from || '非通知'}`,
      `着信番号 / Called: ${row.toNumber}`,
      `音声ファイル / Audio file: ${row.audioFileName}`,
      `秒数 / Seconds: ${row.seconds}`,
    ].join('\n'),
    attachments: [
      { filename: `voicemail-${row.id}.wav`, contentType: 'audio/wav', content: audio },
    ],
  };
}

export function createVoicemailsService(deps: VoicemailsDeps): VoicemailsService {
  const { db, clock, log, mail } = deps;

  function get(id: number): VoicemailRow {
    const row = db.select().from(voicemails).where(eq(voicemails.id, id)).get();
    if (row === undefined) throw notFound('Voicemail');
    return row;
  }

  const recent = () =>
    db.select().from(voicemails).orderBy(desc(voicemails.receivedAt)).limit(20).all();
  const notifier = createVoicemailNotifier(deps.hub, recent);

  function setMailStatus(mailId: number, status: VoicemailMailStatus): void {
    const row = db
      .update(voicemails)
      .set({ mailStatus: status })
      .where(eq(voicemails.mailId, mailId))
      .returning()
      .all()[0];
    if (row !== undefined) notifier.mailStatus(row);
  }
  mail.onSettled((mailId, outcome) => setMailStatus(mailId, outcome));

  return {
    list: (filter) => {
      const where: SQL[] = [];
      if (filter.from !== undefined)
        where.push(gte(voicemails.receivedAt, instantsOfDateKey(filter.from, deps.timeZone).from));
      if (filter.to !== undefined)
        where.push(lt(voicemails.receivedAt, instantsOfDateKey(filter.to, deps.timeZone).to));
      if (filter.caller !== undefined) where.push(contains(voicemails.fromNumber, filter.caller));
      if (filter.audioFileId !== undefined)
        where.push(eq(voicemails.audioFileId, filter.audioFileId));
      const condition = where.length === 0 ? undefined : and(...where);
      return {
        items: db
          .select()
          .from(voicemails)
          .where(condition)
          .orderBy(desc(voicemails.receivedAt), desc(voicemails.id))
          .limit(filter.limit)
          .offset(filter.offset)
          .all(),
        total: countRows(db, voicemails, condition),
      };
    },
    get,
    audio: (id) => {
      get(id);
      const row = db
        .select({ wav: voicemailAudio.wav })
        .from(voicemailAudio)
        .where(eq(voicemailAudio.voicemailId, id))
        .get();
      if (row === undefined) throw notFound('Voicemail audio');
      return row.wav;
    },
    remove: (ids) => {
      if (ids.length === 0) return [];
      const removed = db
        .delete(voicemails)
        .where(inArray(voicemails.id, [...ids]))
        .returning({ id: voicemails.id })
        .all()
        .map((r) => r.id);
      if (removed.length > 0) notifier.deleted(removed);
      return removed;
    },
    keep: ({ call, audioFile, wav, seconds }) => {
      const file = deps.audioFiles.find(audioFile.id);
      const caller = farEnd(call);
      const mailTo =
        file !== undefined && file.notifyByEmail && file.notifyAddress !== null
          ? file.notifyAddress
          : null;
      const row = db.transaction((tx) => {
        const inserted = tx
          .insert(voicemails)
          .values({
            callId: call.id,
            receivedAt: clock.now(),
            fromNumber: caller.number,
            fromName: caller.name,
            toNumber: call.to,
            audioFileId: file === undefined ? null : file.id,
            audioFileName: file?.name ?? audioFile.name,
            seconds,
            mailStatus: mailTo === null ? 'none' : mail.configured ? 'pending' : 'not_configured',
            mailTo,
          })
          .returning()
          .get();
        tx.insert(voicemailAudio).values({ voicemailId: inserted.id, wav }).run();
        if (mailTo === null) return inserted;
        // Queued in the same transaction: a message kept is a mail that will be sent — once an
        // SMTP server is configured, if none is yet (the queue keeps it until then).
        const mailId = mail.enqueue({ to: mailTo, ...mailOf(inserted, wav) });
        return tx
          .update(voicemails)
          .set({ mailId })
          .where(eq(voicemails.id, inserted.id))
          .returning()
          .get();
      });
      if (mailTo !== null && !mail.configured)
        log.warn(
          { voicemailId: row.id, audioFile: row.audioFileName },
          'voicemail mail kept unsent: SMTP is not configured (SMTP_HOST)',
        );
      deps.history.leftVoicemail(call.id, row.id);
      log.info({ voicemailId: row.id, callId: call.id, seconds }, 'voicemail message kept');
      notifier.received(row);
      return row;
    },
  };
}
