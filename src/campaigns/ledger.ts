/**
 * The dialer's book-keeping in SQLite: which entry is dialled next, that it is being dialled,
 * and how each attempt went (campaign_attempts). The entry's `phase` and `call_id` are written
 * before the first INVITE, so a restart knows what was in flight and never dials it again.
 *
 * The next entries are read and marked in one IMMEDIATE transaction: no two dialers (nor a recall
 * by hand racing the campaign) can take the same entry.
 */
import {
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  inArray,
  isNotNull,
  isNull,
  lte,
  ne,
  or,
  sql,
} from 'drizzle-orm';
import { customers } from '../crm/customers/schema.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { ABANDON_WINDOWS, countsOf, type RollingAbandonRates } from './abandon-rate.js';
import type { PacerAttempt } from './pacer.js';
import {
  resultOfOutcome,
  SYSTEM_RESULT_LABELS,
  type AttemptOutcome,
  type DialMode,
  type EntryPhase,
  type StoredResult,
} from './results.js';
import { campaignAttempts, campaignEntries, campaignResults, campaigns } from './schema.js';

export type CampaignRow = typeof campaigns.$inferSelect;

/** An entry taken for dialling, and the attempt opened for it. */
export interface DialTicket {
  entryId: number;
  campaignId: number;
  customerId: number | null;
  phone: string;
  attemptId: number;
  callId: string;
}

/** An entry still marked in flight: its call, and its open attempt if any. */
export interface InFlight {
  entryId: number;
  campaignId: number;
  phase: EntryPhase;
  callId: string | null;
  attemptId: number | null;
  answered: boolean;
  connected: boolean;
}

const ACTOR = 'dialer';

export function createLedger(db: Db) {
  function campaign(id: number): CampaignRow | undefined {
    return db.select().from(campaigns).where(eq(campaigns.id, id)).get();
  }

  function attemptOfCall(callId: string) {
    return db.select().from(campaignAttempts).where(eq(campaignAttempts.callId, callId)).get();
  }

  /**
   * The attempt is over: its outcome written, the entry idle again with the result the outcome
   * gives — unless someone entered a result while the call was on (the agent on the web), which
   * stands. `reserveAt` sets a reservation (an abandoned customer is called again later).
   */
  function finished(
    ticket: Pick<DialTicket, 'attemptId' | 'entryId'>,
    outcome: AttemptOutcome,
    at: Date,
    reserveAt: Date | null = null,
    entered: { result: StoredResult; reservedAt: Date | null } | null = null,
  ): void {
    db.transaction((tx) => {
      tx.update(campaignAttempts)
        .set({ outcome, endedAt: at })
        .where(and(eq(campaignAttempts.id, ticket.attemptId), isNull(campaignAttempts.outcome)))
        .run();
      tx.update(campaignEntries)
        .set({
          phase: 'idle',
          callId: null,
          result:
            entered !== null
              ? entered.result
              : sql`CASE WHEN ${campaignEntries.result} = 'waiting' THEN ${resultOfOutcome(outcome)} ELSE ${campaignEntries.result} END`,
          ...(reserveAt !== null && { reservedAt: reserveAt }),
          ...(entered !== null && { reservedAt: entered.reservedAt }),
          updatedAt: at,
          updatedBy: ACTOR,
        })
        .where(eq(campaignEntries.id, ticket.entryId))
        .run();
    });
  }

  /**
   * Marks an entry as being dialled by `callId` (one more call; its reservation used up) and
   * opens the attempt for it: the ticket the dialer works with.
   */
  function startAttempt(
    tx: DbOrTx,
    entry: { id: number; campaignId: number; customerId: number | null; phone: string },
    callId: string,
    mode: DialMode,
    now: Date,
    agentId: number | null,
  ): DialTicket {
    tx.update(campaignEntries)
      .set({
        phase: 'dialing',
        callId,
        callCount: sql`${campaignEntries.callCount} + 1`,
        lastDialedAt: now,
        reservedAt: null,
        updatedAt: now,
        updatedBy: ACTOR,
      })
      .where(eq(campaignEntries.id, entry.id))
      .run();
    const attempt = tx
      .insert(campaignAttempts)
      .values({
        campaignId: entry.campaignId,
        entryId: entry.id,
        callId,
        mode,
        phone: entry.phone,
        startedAt: now,
        agentId,
      })
      .returning({ id: campaignAttempts.id })
      .get();
    return {
      entryId: entry.id,
      campaignId: entry.campaignId,
      customerId: entry.customerId,
      phone: entry.phone,
      attemptId: attempt.id,
      callId,
    };
  }

  return {
    campaign,
    /** The CRM customer's name, for the preview card ('' for a bare number). */
    customerName: (customerId: number | null): string =>
      customerId === null
        ? ''
        : (db
            .select({ name: customers.name })
            .from(customers)
            .where(eq(customers.id, customerId))
            .get()?.name ?? ''),

    /** The campaign's own result numbers (what DTMF may enter). */
    resultNumbers: (campaignId: number): number[] =>
      db
        .select({ number: campaignResults.number })
        .from(campaignResults)
        .where(eq(campaignResults.campaignId, campaignId))
        .all()
        .map((r) => r.number),

    /** The choices of a result entry: the campaign's results in order, then a recall or 停止. */
    resultChoices: (campaignId: number): { result: string; label: string }[] => [
      ...db
        .select({ number: campaignResults.number, text: campaignResults.text })
        .from(campaignResults)
        .where(eq(campaignResults.campaignId, campaignId))
        .orderBy(asc(campaignResults.position))
        .all()
        .map((r) => ({ result: `${r.number}`, label: r.text })),
      { result: 'waiting', label: SYSTEM_RESULT_LABELS.waiting },
      { result: 'stopped', label: SYSTEM_RESULT_LABELS.stopped },
    ],

    /** The attempt a call was, if it was a campaign's. */
    attemptOfCall,

    /** The campaigns switched ON. */
    running: (): CampaignRow[] =>
      db.select().from(campaigns).where(eq(campaigns.enabled, true)).all(),

    /**
     * Takes up to `count` entries due now — 発信待機中, not in flight, not an agent's own recall,
     * reservation passed — reserved ones first (their time came), then the least-called, oldest —
     * and opens an attempt for each with the call id the dialer will use.
     */
    take(
      campaignId: number,
      count: number,
      now: Date,
      mode: DialMode,
      callIdFor: (entryId: number) => string,
    ): DialTicket[] {
      if (count <= 0) return [];
      return db.transaction(
        (tx) => {
          const due = tx
            .select({
              id: campaignEntries.id,
              customerId: campaignEntries.customerId,
              phone: campaignEntries.phone,
            })
            .from(campaignEntries)
            .where(
              and(
                eq(campaignEntries.campaignId, campaignId),
                eq(campaignEntries.result, 'waiting'),
                eq(campaignEntries.phase, 'idle'),
                isNull(campaignEntries.assigneeId),
                or(isNull(campaignEntries.reservedAt), lte(campaignEntries.reservedAt, now)),
              ),
            )
            .orderBy(
              sql`${campaignEntries.reservedAt} IS NULL`,
              asc(campaignEntries.reservedAt),
              asc(campaignEntries.callCount),
              sql`${campaignEntries.lastDialedAt} IS NOT NULL`,
              asc(campaignEntries.lastDialedAt),
              asc(campaignEntries.id),
            )
            .limit(count)
            .all();
          return due.map((entry) =>
            startAttempt(tx, { ...entry, campaignId }, callIdFor(entry.id), mode, now, null),
          );
        },
        { behavior: 'immediate' },
      );
    },

    /** The customer answered. */
    answered(attemptId: number, at: Date): void {
      db.update(campaignAttempts)
        .set({ answeredAt: at })
        .where(eq(campaignAttempts.id, attemptId))
        .run();
    },

    /** An agent is talking to the customer. */
    connected(ticket: DialTicket, agentId: number, at: Date): void {
      db.transaction((tx) => {
        tx.update(campaignAttempts)
          .set({ connectedAt: at, agentId })
          .where(eq(campaignAttempts.id, ticket.attemptId))
          .run();
        tx.update(campaignEntries)
          .set({ phase: 'in_call', lastAgentId: agentId, updatedAt: at, updatedBy: ACTOR })
          .where(eq(campaignEntries.id, ticket.entryId))
          .run();
      });
    },

    finished,

    /**
     * The entry was taken but no call reached the customer: the attempt is withdrawn and the
     * call count given back. Never dialled (restricted number, full DID): the entry keeps the
     * result why. A preview skipped or not answered: it keeps its result, goes behind the others
     * (it was offered now) and takes the reservation the agent chose, if any.
     */
    withdraw(
      ticket: DialTicket,
      at: Date,
      change: { result: 'restricted' | 'channel_limit' | 'error' } | { reserveAt: Date | null },
    ): void {
      db.transaction((tx) => {
        tx.delete(campaignAttempts).where(eq(campaignAttempts.id, ticket.attemptId)).run();
        tx.update(campaignEntries)
          .set({
            phase: 'idle',
            callId: null,
            callCount: sql`max(${campaignEntries.callCount} - 1, 0)`,
            ...('result' in change && { result: change.result }),
            ...('reserveAt' in change &&
              change.reserveAt !== null && { reservedAt: change.reserveAt }),
            updatedAt: at,
            updatedBy: ACTOR,
          })
          .where(eq(campaignEntries.id, ticket.entryId))
          .run();
      });
    },

    /**
     * Takes one entry for its agent's recall (§7 発信): it must be theirs (担当), 発信待機中 and
     * not in flight — else why not.
     */
    takeRecall(
      entryId: number,
      agentId: number,
      now: Date,
      callId: string,
    ): DialTicket | 'not_found' | 'not_yours' | 'not_waiting' | 'in_flight' {
      return db.transaction(
        (tx) => {
          const entry = tx
            .select()
            .from(campaignEntries)
            .where(eq(campaignEntries.id, entryId))
            .get();
          if (entry === undefined) return 'not_found';
          if (entry.assigneeId !== agentId) return 'not_yours';
          if (entry.phase !== 'idle') return 'in_flight';
          if (entry.result !== 'waiting') return 'not_waiting';
          return startAttempt(tx, entry, callId, 'recall', now, agentId);
        },
        { behavior: 'immediate' },
      );
    },

    /** Entries marked in flight (after a restart: what the dead process was doing). */
    inFlight(): InFlight[] {
      const rows = db
        .select({
          entryId: campaignEntries.id,
          campaignId: campaignEntries.campaignId,
          phase: campaignEntries.phase,
          callId: campaignEntries.callId,
        })
        .from(campaignEntries)
        .where(ne(campaignEntries.phase, 'idle'))
        .all();
      return rows.map((row) => {
        const attempt = row.callId === null ? undefined : attemptOfCall(row.callId);
        return {
          ...row,
          attemptId: attempt?.id ?? null,
          answered: attempt?.answeredAt != null,
          connected: attempt?.connectedAt != null,
        };
      });
    },

    /** Attempts never closed whose entry is gone or was closed otherwise: closed as errors. */
    closeStrayAttempts(liveCallIds: ReadonlySet<string>, at: Date): number {
      const open = db
        .select({ id: campaignAttempts.id, callId: campaignAttempts.callId })
        .from(campaignAttempts)
        .where(and(isNull(campaignAttempts.outcome), isNotNull(campaignAttempts.startedAt)))
        .all()
        .filter((a) => !liveCallIds.has(a.callId));
      if (open.length === 0) return 0;
      db.update(campaignAttempts)
        .set({ outcome: 'error', endedAt: at })
        .where(
          inArray(
            campaignAttempts.id,
            open.map((a) => a.id),
          ),
        )
        .run();
      return open.length;
    },

    /**
     * Closes an entry found in flight after a restart: its attempt (if it had one) with the
     * outcome known, the entry idle with the result that outcome gives.
     */
    close(
      ticket: { attemptId: number | null; entryId: number },
      outcome: AttemptOutcome,
      at: Date,
    ): void {
      if (ticket.attemptId !== null) {
        finished({ attemptId: ticket.attemptId, entryId: ticket.entryId }, outcome, at);
        return;
      }
      db.update(campaignEntries)
        .set({ phase: 'idle', callId: null, updatedAt: at, updatedBy: ACTOR })
        .where(eq(campaignEntries.id, ticket.entryId))
        .run();
    },

    /** Entries due now: 発信待機中, idle, not an agent's recall, reservation passed. */
    dueCount(campaignId: number, now: Date): number {
      return (
        db
          .select({ n: count() })
          .from(campaignEntries)
          .where(
            and(
              eq(campaignEntries.campaignId, campaignId),
              eq(campaignEntries.result, 'waiting'),
              eq(campaignEntries.phase, 'idle'),
              isNull(campaignEntries.assigneeId),
              or(isNull(campaignEntries.reservedAt), lte(campaignEntries.reservedAt, now)),
            ),
          )
          .get()?.n ?? 0
      );
    },

    /**
     * The abandon counts over 24 h and 30 days (abandon-rate.ts's definition: an attempt counts
     * at its answer, else its start, in (now − window, now]), summed by SQLite.
     */
    abandonRates(campaignId: number, now: Date): RollingAbandonRates {
      const counts = (windowMs: number) => {
        const at = sql`coalesce(${campaignAttempts.answeredAt}, ${campaignAttempts.startedAt})`;
        const row = db
          .select({
            abandoned: sql<number>`coalesce(sum(${campaignAttempts.outcome} = 'abandoned'), 0)`,
            connected: sql<number>`coalesce(sum(${campaignAttempts.outcome} = 'connected'), 0)`,
            machines: sql<number>`coalesce(sum(${campaignAttempts.outcome} = 'machine'), 0)`,
          })
          .from(campaignAttempts)
          .where(
            and(
              eq(campaignAttempts.campaignId, campaignId),
              sql`${at} > ${now.getTime() - windowMs} AND ${at} <= ${now.getTime()}`,
            ),
          )
          .get();
        return countsOf(row?.abandoned ?? 0, row?.connected ?? 0, row?.machines ?? 0);
      };
      return { day: counts(ABANDON_WINDOWS.day), month: counts(ABANDON_WINDOWS.month) };
    },

    /** The pacer's history: the campaign's attempts since `from`, newest first, at most `limit`. */
    recentAttempts(campaignId: number, from: Date, limit: number): PacerAttempt[] {
      return db
        .select({
          startedAt: campaignAttempts.startedAt,
          answeredAt: campaignAttempts.answeredAt,
          connectedAt: campaignAttempts.connectedAt,
          endedAt: campaignAttempts.endedAt,
          outcome: campaignAttempts.outcome,
        })
        .from(campaignAttempts)
        .where(
          and(eq(campaignAttempts.campaignId, campaignId), gte(campaignAttempts.startedAt, from)),
        )
        .orderBy(desc(campaignAttempts.startedAt))
        .limit(limit)
        .all()
        .map((a) => ({
          startedAt: a.startedAt.getTime(),
          answeredAt: a.answeredAt?.getTime() ?? null,
          connectedAt: a.connectedAt?.getTime() ?? null,
          endedAt: a.endedAt?.getTime() ?? null,
          outcome: a.outcome,
          // The ledger does not keep the agent's after-call work: the pacer's prior stands in.
          wrapUpSeconds: null,
        }));
    },

    /** Entries of a campaign in flight now (the live view, and the stop). */
    inFlightOf(campaignId: number): number {
      return db
        .select({ id: campaignEntries.id })
        .from(campaignEntries)
        .where(and(eq(campaignEntries.campaignId, campaignId), ne(campaignEntries.phase, 'idle')))
        .all().length;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
