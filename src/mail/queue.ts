/**
 * The outgoing mail queue: mails are stored first (schema.ts) and sent afterwards, one at a time,
 * so that an SMTP outage or a restart loses nothing. The voicemail feature queues a recording's
 * mail here and shows the mail's status.
 *
 * Interface (all a caller needs):
 *
 *   const mail = createMailQueue({ db, clock, log, transport });  // transport null = no SMTP
 *   mail.start();
 *   const id = mail.enqueue({ to, subject, text }, [{ filename, contentType, content }]);
 *   mail.status(id);            // { status: 'pending' | 'sent' | 'failed', attempts, lastError, … }
 *   mail.onSettled((id, status) => …);   // told once per mail, when it is sent or given up
 *   mail.configured;            // false when SMTP is not configured
 *   await mail.stop();          // at shutdown
 *
 * - `enqueue` is synchronous and may be called inside the caller's own `db.transaction(…)`: the
 *   mail then commits or rolls back with the caller's rows (one connection; the queue's insert
 *   becomes a savepoint of the open transaction). The worker is woken on the next turn, after
 *   the commit.
 * - A failed attempt is retried as retry.ts decides (30 s doubling to 1 h, for up to 3 days); a
 *   permanent refusal (5xx) fails the mail at once. `lastError` says why (never a secret).
 * - When a mail is sent or has finally failed its attachments are deleted; the mail's row stays
 *   as its status record.
 * - Delivery is at least once: a mail whose send was cut short by a crash is sent again after the
 *   restart, since the server may or may not have taken it.
 * - SMTP not configured (transport null): mails are stored as `pending` and kept — a restart
 *   with SMTP configured sends them (those older than the retry age get a single attempt). The
 *   start logs once that mails are kept, not sent; every enqueue logs a warning. `configured`
 *   tells a status display why a mail stays pending.
 * - `stop()` clears the timers, waits for a send in flight (its outcome is recorded) and closes
 *   the transport. A stopped queue is not started again; a new queue over the same database
 *   resumes the pending mails.
 */
import { and, asc, count, eq, lte } from 'drizzle-orm';
import type { Clock, Timer } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import type { Logger } from '../platform/logger.js';
import { afterFailure, MAIL_RETRY, type RetryPolicy } from './retry.js';
import { mailAttachments, mailOutbox, type MailOutboxRow, type MailStatus } from './schema.js';
import {
  MailSendError,
  type MailAttachment,
  type MailMessage,
  type MailTransport,
} from './transport.js';

export type { MailAttachment, MailMessage } from './transport.js';
export type { MailStatus } from './schema.js';

/** A mail as its status shows it. */
export interface MailState {
  id: number;
  to: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  /** When the next attempt is due; null once sent or failed. */
  nextAttemptAt: Date | null;
  /** Why the last attempt failed; null before any failure and once sent. */
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

export type SettledStatus = Exclude<MailStatus, 'pending'>;
export type SettledListener = (id: number, status: SettledStatus) => void;

export interface MailQueue {
  /** Whether mails are sent at all (false: SMTP is not configured, mails stay pending). */
  readonly configured: boolean;
  /** Stores a mail (and its attachments, in order) for sending; returns its id. */
  enqueue: (message: MailMessage, attachments?: readonly MailAttachment[]) => number;
  /** The mail's status; undefined for an id that was never queued (or was deleted). */
  status: (id: number) => MailState | undefined;
  /** Called once per mail when it is sent or given up, after the row says so. */
  onSettled: (listener: SettledListener) => void;
  /** Starts sending (the pending mails of an earlier run first, as they fall due). */
  start: () => void;
  /** Stops sending: timers cleared, a send in flight awaited, the transport closed. */
  stop: () => Promise<void>;
}

export interface MailQueueDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  /** Where mails go; null = SMTP is not configured. The queue owns it (stop() closes it). */
  transport: MailTransport | null;
  /** When failed mails are tried again (tests shorten it). */
  retry?: RetryPolicy;
  /** Jitter for the retry delays, in [0, 1). */
  random?: () => number;
}

/** A timer never waits longer than this: the due times are read again when it fires. */
const MAX_WAIT_MS = 3_600_000;

export function createMailQueue(deps: MailQueueDeps): MailQueue {
  const { db, clock, log, transport } = deps;
  const policy = deps.retry ?? MAIL_RETRY;
  const random = deps.random ?? Math.random;
  const listeners: SettledListener[] = [];
  let running = false;
  let stopped = false;
  let timer: Timer | null = null;
  let inFlight: Promise<void> | null = null;

  function clearTimer(): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  function wakeIn(ms: number): void {
    clearTimer();
    timer = clock.setTimeout(
      () => {
        timer = null;
        sendNextDue();
      },
      Math.min(Math.max(0, ms), MAX_WAIT_MS),
    );
  }

  function canSend(): boolean {
    return running && transport !== null && inFlight === null;
  }

  /** Sets the timer for the earliest pending mail (none: no timer). */
  function scheduleNext(): void {
    if (!canSend()) return;
    clearTimer();
    try {
      const next = db
        .select({ at: mailOutbox.nextAttemptAt })
        .from(mailOutbox)
        .where(eq(mailOutbox.status, 'pending'))
        .orderBy(asc(mailOutbox.nextAttemptAt))
        .limit(1)
        .get();
      if (next?.at != null) wakeIn(next.at.getTime() - clock.now().getTime());
    } catch (err) {
      log.error({ err }, 'could not read the mail queue');
      wakeIn(policy.initialMs);
    }
  }

  function sendNextDue(): void {
    if (transport === null || !canSend()) return;
    let due: MailOutboxRow | undefined;
    try {
      due = db
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, clock.now())))
        .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
        .limit(1)
        .get();
    } catch (err) {
      log.error({ err }, 'could not read the mail queue');
      wakeIn(policy.initialMs);
      return;
    }
    if (due === undefined) {
      scheduleNext();
      return;
    }
    const mail = due;
    inFlight = attempt(transport, mail)
      .catch((err: unknown) =>
        log.error({ err, mailId: mail.id }, 'recording a mail attempt failed'),
      )
      .finally(() => {
        inFlight = null;
        scheduleNext();
      });
  }

  async function attempt(via: MailTransport, mail: MailOutboxRow): Promise<void> {
    const attachments = db
      .select()
      .from(mailAttachments)
      .where(eq(mailAttachments.mailId, mail.id))
      .orderBy(asc(mailAttachments.position))
      .all();
    const attempts = mail.attempts + 1;
    try {
      await via.send({
        to: mail.to,
        subject: mail.subject,
        text: mail.body,
        attachments: attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
    } catch (err) {
      failed(mail, attempts, err);
      return;
    }
    settle(mail.id, 'sent', { attempts, sentAt: clock.now(), lastError: null });
    log.info({ mailId: mail.id, attempts }, 'mail sent');
  }

  function failed(mail: MailOutboxRow, attempts: number, err: unknown): void {
    const reason = err instanceof Error ? err.message : String(err);
    const decision = afterFailure(
      {
        attempts,
        failure: err instanceof MailSendError ? err.kind : 'transient',
        queuedAt: mail.createdAt,
        now: clock.now(),
        random: random(),
      },
      policy,
    );
    if (decision.kind === 'retry') {
      db.update(mailOutbox)
        .set({ attempts, nextAttemptAt: decision.at, lastError: reason })
        .where(eq(mailOutbox.id, mail.id))
        .run();
      log.warn(
        { mailId: mail.id, attempts, retryAt: decision.at.toISOString(), error: reason },
        'mail not sent; it will be tried again',
      );
      return;
    }
    settle(mail.id, 'failed', { attempts, sentAt: null, lastError: reason });
    log.error(
      { mailId: mail.id, attempts, why: decision.reason, error: reason },
      decision.reason === 'permanent'
        ? 'mail refused by the SMTP server; given up'
        : 'mail still not sent after the retry period; given up',
    );
  }

  function settle(
    id: number,
    status: SettledStatus,
    outcome: { attempts: number; sentAt: Date | null; lastError: string | null },
  ): void {
    db.transaction((tx) => {
      tx.update(mailOutbox)
        .set({ status, nextAttemptAt: null, ...outcome })
        .where(eq(mailOutbox.id, id))
        .run();
      tx.delete(mailAttachments).where(eq(mailAttachments.mailId, id)).run();
    });
    for (const listener of listeners) {
      try {
        listener(id, status);
      } catch (err) {
        log.error({ err, mailId: id }, 'a listener of mail statuses failed');
      }
    }
  }

  function pendingCount(): number {
    return (
      db.select({ n: count() }).from(mailOutbox).where(eq(mailOutbox.status, 'pending')).get()?.n ??
      0
    );
  }

  return {
    configured: transport !== null,
    enqueue: (message, attachments = []) => {
      if (message.to.trim() === '') throw new Error('a mail needs a recipient');
      const now = clock.now();
      const id = db.transaction((tx) => {
        const row = tx
          .insert(mailOutbox)
          .values({
            to: message.to,
            subject: message.subject,
            body: message.text,
            status: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            createdAt: now,
          })
          .returning({ id: mailOutbox.id })
          .get();
        if (attachments.length > 0)
          tx.insert(mailAttachments)
            .values(
              attachments.map((a, position) => ({
                mailId: row.id,
                position,
                filename: a.filename,
                contentType: a.contentType,
                content: a.content,
              })),
            )
            .run();
        return row.id;
      });
      if (transport === null)
        log.warn({ mailId: id }, 'SMTP is not configured: the mail is kept, not sent');
      // On the next turn: inside a caller's transaction the row is not committed yet.
      else if (canSend()) wakeIn(0);
      return id;
    },
    status: (id) => {
      const row = db.select().from(mailOutbox).where(eq(mailOutbox.id, id)).get();
      if (row === undefined) return undefined;
      return {
        id: row.id,
        to: row.to,
        subject: row.subject,
        status: row.status,
        attempts: row.attempts,
        nextAttemptAt: row.nextAttemptAt,
        lastError: row.lastError,
        createdAt: row.createdAt,
        sentAt: row.sentAt,
      };
    },
    onSettled: (listener) => {
      listeners.push(listener);
    },
    start: () => {
      if (running || stopped) return;
      running = true;
      const pending = pendingCount();
      if (transport === null) {
        log.info({ pending }, 'SMTP is not configured (SMTP_HOST unset): mails are kept, not sent');
        return;
      }
      log.info({ pending }, 'mail queue started');
      scheduleNext();
    },
    stop: async () => {
      const first = !stopped;
      stopped = true;
      running = false;
      clearTimer();
      if (inFlight !== null) await inFlight;
      if (first) transport?.close();
    },
  };
}
