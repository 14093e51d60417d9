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
import { DAY_MS } from '../platform/calendar.js';
import { customers } from '../crm/customers/schema.js';
import type { Db } from '../platform/db/client.js';
import { resultOfOutcome, type AttemptOutcome, type DialMode, type EntryPhase } from './results.js';
import { campaignAttempts, campaignEntries, campaignMembers, campaigns } from './schema.js';

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
          result: sql`CASE WHEN ${campaignEntries.result} = 'waiting' THEN ${resultOfOutcome(outcome)} ELSE ${campaignEntries.result} END`,
          ...(reserveAt !== null && { reservedAt: reserveAt }),
          updatedAt: at,
          updatedBy: ACTOR,
        })
        .where(eq(campaignEntries.id, ticket.entryId))
        .run();
    });
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

    /** The campaigns switched ON. */
    running: (): CampaignRow[] =>
      db.select().from(campaigns).where(eq(campaigns.enabled, true)).all(),

    /** The members of a campaign not paused for it (the agent checklist, §10-8). */
    membersTakingPart: (campaignId: number): number[] =>
      db
        .select({ agentId: campaignMembers.agentId })
        .from(campaignMembers)
        .where(and(eq(campaignMembers.campaignId, campaignId), eq(campaignMembers.paused, false)))
        .all()
        .map((m) => m.agentId),

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
          return due.map((entry) => {
            const callId = callIdFor(entry.id);
            tx.update(campaignEntries)
              .set({
                phase: 'dialing',
                callId,
                callCount: sql`${campaignEntries.callCount} + 1`,
                lastDialedAt: now,
                // A reservation is used up by the attempt it was for.
                reservedAt: null,
                updatedAt: now,
                updatedBy: ACTOR,
              })
              .where(eq(campaignEntries.id, entry.id))
              .run();
            const attempt = tx
              .insert(campaignAttempts)
              .values({
                campaignId,
                entryId: entry.id,
                callId,
                mode,
                phone: entry.phone,
                startedAt: now,
              })
              .returning({ id: campaignAttempts.id })
              .get();
            return { ...entry, entryId: entry.id, campaignId, attemptId: attempt.id, callId };
          });
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
     * The entry was taken but never dialled (its number is restricted, the DID has no channel
     * free): the attempt is withdrawn — no call was made — and the entry keeps the result why.
     */
    notDialled(
      ticket: DialTicket,
      result: 'restricted' | 'channel_limit' | 'error',
      at: Date,
    ): void {
      db.transaction((tx) => {
        tx.delete(campaignAttempts).where(eq(campaignAttempts.id, ticket.attemptId)).run();
        tx.update(campaignEntries)
          .set({
            phase: 'idle',
            callId: null,
            result,
            callCount: sql`max(${campaignEntries.callCount} - 1, 0)`,
            updatedAt: at,
            updatedBy: ACTOR,
          })
          .where(eq(campaignEntries.id, ticket.entryId))
          .run();
      });
    },

    /**
     * A preview the agent skipped or did not answer: the attempt is withdrawn, the entry keeps
     * its result and goes behind the others (it was offered now).
     */
    handedBack(ticket: DialTicket, at: Date): void {
      db.transaction((tx) => {
        tx.delete(campaignAttempts).where(eq(campaignAttempts.id, ticket.attemptId)).run();
        tx.update(campaignEntries)
          .set({
            phase: 'idle',
            callId: null,
            callCount: sql`max(${campaignEntries.callCount} - 1, 0)`,
            updatedAt: at,
            updatedBy: ACTOR,
          })
          .where(eq(campaignEntries.id, ticket.entryId))
          .run();
      });
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

    /** Abandoned ÷ live-answered (connected + abandoned) over the last 24 h and 30 days, in %. */
    abandonRates(campaignId: number, now: Date): { rate24h: number; rate30d: number } {
      const rate = (sinceMs: number) => {
        const row = db
          .select({
            abandoned: sql<number>`coalesce(sum(${campaignAttempts.outcome} = 'abandoned'), 0)`,
            live: sql<number>`coalesce(sum(${campaignAttempts.outcome} IN ('abandoned', 'connected')), 0)`,
          })
          .from(campaignAttempts)
          .where(
            and(
              eq(campaignAttempts.campaignId, campaignId),
              gte(campaignAttempts.startedAt, new Date(now.getTime() - sinceMs)),
            ),
          )
          .get();
        return row === undefined || row.live === 0 ? 0 : (100 * row.abandoned) / row.live;
      };
      return { rate24h: rate(DAY_MS), rate30d: rate(30 * DAY_MS) };
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
