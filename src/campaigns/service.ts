/**
 * Campaigns (キャンペーン, §10-8): their settings with the manual's defaults, their own results
 * (`番号,テキスト` lines), their members (the agent checklist) with a status for this campaign
 * alone, and ON / OFF. What the dialer needs is here too: who takes part now
 * (`membersTakingPart`), a word after every change (`onChanged`), and a say in deletes
 * (`setBusyCheck`: a campaign with live calls is not deleted).
 *
 * Rules kept on every write, with nothing changed when one is broken:
 * - a campaign that is ON has a caller ID (発信者番号), a registered number;
 * - プレディクティブコール is for プログレッシブコール only (the pacer sets the lines it dials);
 * - the audio files, the ACW status and the members exist;
 * - a result entries still hold is not removed (409 with the count).
 */
import { and, asc, count, eq, exists, inArray, or, sql, type SQL } from 'drizzle-orm';
import { customStatuses } from '../agents/schema.js';
import { assertAudioFiles } from '../audio/sounds.js';
import type { AudioFileUser } from '../audio/service.js';
import { phoneNumbers } from '../numbers/schema.js';
import type { Clock } from '../platform/clock.js';
import type { Db, DbOrTx } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { contains, countRows } from '../platform/db/query.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import type { Logger } from '../platform/logger.js';
import {
  assertAgents,
  campaignsOfAgent,
  clearPauses,
  memberOf,
  membersOf,
  replaceMembers,
  setPause,
  takingPart,
  type CampaignMemberView,
  type MyCampaign,
} from './members.js';
import {
  describeIssues,
  parseResultLines,
  resultIssues,
  type CampaignResult,
  type ResultIssue,
} from './result-lines.js';
import { campaignEntries, campaignMembers, campaignResults, campaigns } from './schema.js';

export type CampaignRow = typeof campaigns.$inferSelect;

/** Every setting of §10-8 (the row without its id and audit columns). */
export type CampaignSettings = Omit<
  CampaignRow,
  'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'
>;

/** A campaign's results, as an array or as the manual's textarea (not both). */
export interface ResultsInput {
  results?: CampaignResult[] | undefined;
  resultsText?: string | undefined;
}

export type CampaignInput = Partial<CampaignSettings> &
  ResultsInput & { name: string; memberIds?: number[] | undefined };

export type CampaignPatch = Partial<CampaignInput>;

/** A campaign as its list shows it (ID, 名称, ステータス, 色, 更新), with its counts. */
export interface CampaignSummary extends CampaignRow {
  memberCount: number;
  resultCount: number;
}

export interface CampaignView extends CampaignRow {
  results: CampaignResult[];
  members: CampaignMemberView[];
}

export interface CampaignFilter extends PageQuery {
  /** Part of the name (名称). */
  name?: string | undefined;
  /** Campaigns this agent is a member of (エージェント). */
  agentId?: number | undefined;
  enabled?: boolean | undefined;
}

export interface MemberPause {
  paused: boolean;
  /** The custom status the agent is paused in (none: plain 停止). */
  statusId: number | null;
}

export interface CampaignsService {
  list(filter: CampaignFilter): Page<CampaignSummary>;
  get(id: number): CampaignView;
  find(id: number): CampaignView | undefined;
  create(input: CampaignInput, actor: string): CampaignView;
  update(id: number, patch: CampaignPatch, actor: string): CampaignView;
  /** ステータス ON / OFF alone. */
  setEnabled(id: number, enabled: boolean, actor: string): CampaignView;
  /** Makes the members exactly these agents (the checklist). */
  setMembers(id: number, agentIds: number[], actor: string): CampaignMemberView[];
  /** 409 while the busy check says the campaign has live calls. */
  remove(id: number): void;
  members(id: number): CampaignMemberView[];
  /** The campaigns the agent is a member of, with their colours and the agent's status. */
  campaignsOf(agentId: number): MyCampaign[];
  /** Pauses or resumes the agent in this campaign only. */
  setMemberPause(campaignId: number, agentId: number, pause: MemberPause): CampaignMemberView;
  /** Ends every per-campaign pause of the agent (the white tag: one status for all). */
  clearMemberPauses(agentId: number): void;
  /** The members not paused: the agents the campaign's calls may ring, by id. */
  membersTakingPart(campaignId: number): number[];
  /** The campaigns that play an audio file, for a 409 on its delete. */
  playing(audioFileId: number): AudioFileUser[];
  /**
   * Told the campaign's id after a change has committed: created, changed (settings, results,
   * members, ON / OFF), a member paused or resumed, deleted. Returns the unsubscribe.
   */
  onChanged(listener: (campaignId: number) => void): () => void;
  /** The dialer says whether a campaign has live calls (default: never). */
  setBusyCheck(check: (campaignId: number) => boolean): void;
}

export interface CampaignsDeps {
  db: Db;
  clock: Clock;
  log: Logger;
}

function refuseResults(issues: ResultIssue[]): never {
  throw unprocessable('invalid_results', describeIssues(issues), issues);
}

/** The list given, read from the textarea or checked as an array; undefined when neither. */
function resultsOf(input: ResultsInput): CampaignResult[] | undefined {
  if (input.results !== undefined && input.resultsText !== undefined)
    throw unprocessable('invalid_results', 'Give results or resultsText, not both');
  if (input.resultsText !== undefined) {
    const parsed = parseResultLines(input.resultsText);
    if (!parsed.ok) refuseResults(parsed.issues);
    return parsed.results;
  }
  if (input.results !== undefined) {
    const issues = resultIssues(input.results);
    if (issues.length > 0) refuseResults(issues);
    return input.results.map((r) => ({ number: r.number, text: r.text.trim() }));
  }
  return undefined;
}

/** The settings an input gives (without its results and members, and keys left unset). */
function settingsOf(input: CampaignPatch): Partial<CampaignSettings> {
  const { results: _results, resultsText: _text, memberIds: _members, ...settings } = input;
  // A key given as undefined would otherwise hide the stored value when spread over it.
  const given: [string, unknown][] = Object.entries(settings);
  return Object.fromEntries(given.filter(([, value]) => value !== undefined));
}

export function createCampaignsService(deps: CampaignsDeps): CampaignsService {
  const { db, clock, log } = deps;
  const listeners = new Set<(campaignId: number) => void>();
  let busy: (campaignId: number) => boolean = () => false;

  function changed(campaignId: number): void {
    for (const listener of listeners) {
      try {
        listener(campaignId);
      } catch (err) {
        // The change has committed: a listener's failure is its own, not the request's.
        log.error({ err, campaignId }, 'a campaign listener failed');
      }
    }
  }

  function findRow(id: number): CampaignRow | undefined {
    return db.select().from(campaigns).where(eq(campaigns.id, id)).get();
  }

  function getRow(id: number): CampaignRow {
    const row = findRow(id);
    if (row === undefined) throw notFound('Campaign');
    return row;
  }

  function resultsOfCampaign(tx: DbOrTx, campaignId: number): CampaignResult[] {
    return tx
      .select({ number: campaignResults.number, text: campaignResults.text })
      .from(campaignResults)
      .where(eq(campaignResults.campaignId, campaignId))
      .orderBy(asc(campaignResults.position))
      .all();
  }

  function view(row: CampaignRow): CampaignView {
    return { ...row, results: resultsOfCampaign(db, row.id), members: membersOf(db, row.id) };
  }

  function assertNameFree(name: string, except?: number): void {
    const holder = db
      .select({ id: campaigns.id })
      .from(campaigns)
      .where(eq(campaigns.name, name))
      .get();
    if (holder !== undefined && holder.id !== except)
      throw conflict('name_taken', `A campaign is already named ${name}`);
  }

  /** The rows the settings name exist. */
  function assertReferences(settings: Partial<CampaignSettings>): void {
    const { phoneNumberId, acwStatusId } = settings;
    if (phoneNumberId !== undefined && phoneNumberId !== null) {
      const number = db
        .select({ id: phoneNumbers.id })
        .from(phoneNumbers)
        .where(eq(phoneNumbers.id, phoneNumberId))
        .get();
      if (number === undefined)
        throw unprocessable(
          'unknown_phone_number',
          `発信者番号: there is no registered phone number ${phoneNumberId}`,
        );
    }
    assertAudioFiles(db, [settings.holdAudioFileId, settings.abandonAudioFileId]);
    if (acwStatusId !== undefined && acwStatusId !== null) assertStatus(acwStatusId);
  }

  function assertStatus(statusId: number): void {
    const status = db
      .select({ id: customStatuses.id })
      .from(customStatuses)
      .where(eq(customStatuses.id, statusId))
      .get();
    if (status === undefined)
      throw unprocessable('unknown_status', `There is no agent status ${statusId}`);
  }

  /** The rules between settings, on the campaign as it would be. */
  function assertCoherent(campaign: {
    enabled: boolean;
    phoneNumberId: number | null;
    type: CampaignRow['type'];
    predictive: boolean;
    agentMode: CampaignRow['agentMode'];
  }): void {
    if (campaign.enabled && campaign.phoneNumberId === null)
      throw unprocessable(
        'caller_id_required',
        'A campaign that is ON needs a caller ID (発信者番号): choose a registered number first',
      );
    if (campaign.predictive && campaign.type !== 'progressive')
      throw unprocessable(
        'predictive_needs_progressive',
        'プレディクティブコール is for プログレッシブコール campaigns only',
      );
    // A preview rings the agent with the entry to choose from: there is no line to be on.
    if (campaign.agentMode === 'login' && campaign.type !== 'progressive')
      throw unprocessable(
        'login_needs_progressive',
        'エージェントモード ログイン is for プログレッシブコール campaigns only',
      );
  }

  /** Refuses (409) dropping results that entries hold, with how many hold each. */
  function assertResultsFree(
    tx: DbOrTx,
    campaignId: number,
    before: CampaignResult[],
    after: CampaignResult[],
  ): void {
    const kept = new Set(after.map((r) => r.number));
    const dropped = before.filter((r) => !kept.has(r.number));
    if (dropped.length === 0) return;
    const held = tx
      .select({ result: campaignEntries.result, entries: count() })
      .from(campaignEntries)
      .where(
        and(
          eq(campaignEntries.campaignId, campaignId),
          inArray(
            campaignEntries.result,
            dropped.map((r) => String(r.number)),
          ),
        ),
      )
      .groupBy(campaignEntries.result)
      .all();
    if (held.length === 0) return;
    const details = dropped.flatMap((r) => {
      const entries = held.find((h) => h.result === String(r.number))?.entries;
      return entries === undefined ? [] : [{ number: r.number, text: r.text, entries }];
    });
    const total = details.reduce((sum, d) => sum + d.entries, 0);
    throw conflict(
      'result_in_use',
      `${details.map((d) => `結果 ${d.number},${d.text}`).join(', ')} ` +
        `${details.length === 1 ? 'is' : 'are'} held by ${total} ` +
        `${total === 1 ? 'entry' : 'entries'}: give them another result first`,
      details,
    );
  }

  function writeResults(tx: DbOrTx, campaignId: number, results: CampaignResult[]): void {
    tx.delete(campaignResults).where(eq(campaignResults.campaignId, campaignId)).run();
    if (results.length === 0) return;
    tx.insert(campaignResults)
      .values(results.map((r, position) => ({ campaignId, ...r, position })))
      .run();
  }

  function counts(ids: number[]): Map<number, { members: number; results: number }> {
    const byId = new Map<number, { members: number; results: number }>();
    if (ids.length === 0) return byId;
    for (const id of ids) byId.set(id, { members: 0, results: 0 });
    const memberCounts = db
      .select({ id: campaignMembers.campaignId, n: count() })
      .from(campaignMembers)
      .where(inArray(campaignMembers.campaignId, ids))
      .groupBy(campaignMembers.campaignId)
      .all();
    const resultCounts = db
      .select({ id: campaignResults.campaignId, n: count() })
      .from(campaignResults)
      .where(inArray(campaignResults.campaignId, ids))
      .groupBy(campaignResults.campaignId)
      .all();
    for (const m of memberCounts) {
      const c = byId.get(m.id);
      if (c !== undefined) c.members = m.n;
    }
    for (const r of resultCounts) {
      const c = byId.get(r.id);
      if (c !== undefined) c.results = r.n;
    }
    return byId;
  }

  return {
    list({ limit, offset, name, agentId, enabled }) {
      const conditions: (SQL | undefined)[] = [
        name === undefined ? undefined : contains(campaigns.name, name),
        enabled === undefined ? undefined : eq(campaigns.enabled, enabled),
        agentId === undefined
          ? undefined
          : exists(
              db
                .select({ one: sql`1` })
                .from(campaignMembers)
                .where(
                  and(
                    eq(campaignMembers.campaignId, campaigns.id),
                    eq(campaignMembers.agentId, agentId),
                  ),
                ),
            ),
      ];
      const where = and(...conditions);
      const rows = db
        .select()
        .from(campaigns)
        .where(where)
        .orderBy(asc(campaigns.id))
        .limit(limit)
        .offset(offset)
        .all();
      const byId = counts(rows.map((r) => r.id));
      return {
        items: rows.map((row) => ({
          ...row,
          memberCount: byId.get(row.id)?.members ?? 0,
          resultCount: byId.get(row.id)?.results ?? 0,
        })),
        total: countRows(db, campaigns, where),
      };
    },

    get: (id) => view(getRow(id)),

    find(id) {
      const row = findRow(id);
      return row === undefined ? undefined : view(row);
    },

    create(input, actor) {
      const settings = settingsOf(input);
      assertNameFree(input.name);
      const results = resultsOf(input) ?? [];
      assertReferences(settings);
      assertCoherent({
        enabled: settings.enabled ?? false,
        phoneNumberId: settings.phoneNumberId ?? null,
        type: settings.type ?? 'preview',
        predictive: settings.predictive ?? false,
        agentMode: settings.agentMode ?? 'ringing',
      });
      const memberIds = input.memberIds ?? [];
      assertAgents(db, memberIds);
      const now = clock.now();
      const row = db.transaction((tx) => {
        const campaign = tx
          .insert(campaigns)
          .values({ ...settings, name: input.name, ...created(actor, now) })
          .returning()
          .get();
        writeResults(tx, campaign.id, results);
        replaceMembers(tx, campaign.id, memberIds, now);
        return campaign;
      });
      const result = view(row);
      changed(row.id);
      return result;
    },

    update(id, patch, actor) {
      const before = getRow(id);
      const settings = settingsOf(patch);
      if (patch.name !== undefined) assertNameFree(patch.name, id);
      const results = resultsOf(patch);
      assertReferences(settings);
      assertCoherent({ ...before, ...settings });
      if (patch.memberIds !== undefined) assertAgents(db, patch.memberIds);
      const now = clock.now();
      const row = db.transaction((tx) => {
        if (results !== undefined) {
          assertResultsFree(tx, id, resultsOfCampaign(tx, id), results);
          writeResults(tx, id, results);
        }
        if (patch.memberIds !== undefined) replaceMembers(tx, id, patch.memberIds, now);
        return tx
          .update(campaigns)
          .set({ ...settings, ...updated(actor, now) })
          .where(eq(campaigns.id, id))
          .returning()
          .get();
      });
      const result = view(row);
      changed(id);
      return result;
    },

    setEnabled(id, enabled, actor) {
      const before = getRow(id);
      assertCoherent({ ...before, enabled });
      const row = db
        .update(campaigns)
        .set({ enabled, ...updated(actor, clock.now()) })
        .where(eq(campaigns.id, id))
        .returning()
        .get();
      const result = view(row);
      changed(id);
      return result;
    },

    setMembers(id, agentIds, actor) {
      getRow(id);
      assertAgents(db, agentIds);
      const now = clock.now();
      db.transaction((tx) => {
        replaceMembers(tx, id, agentIds, now);
        tx.update(campaigns).set(updated(actor, now)).where(eq(campaigns.id, id)).run();
      });
      changed(id);
      return membersOf(db, id);
    },

    remove(id) {
      const row = getRow(id);
      if (busy(id))
        throw conflict(
          'campaign_busy',
          `${row.name} has calls in progress: stop it (OFF) and wait for them to end`,
        );
      db.delete(campaigns).where(eq(campaigns.id, id)).run();
      changed(id);
    },

    members(id) {
      getRow(id);
      return membersOf(db, id);
    },

    campaignsOf: (agentId) => campaignsOfAgent(db, agentId),

    setMemberPause(campaignId, agentId, pause) {
      getRow(campaignId);
      if (memberOf(db, campaignId, agentId) === undefined) throw notFound('Campaign member');
      if (pause.paused && pause.statusId !== null) assertStatus(pause.statusId);
      setPause(db, campaignId, agentId, pause);
      const member = memberOf(db, campaignId, agentId);
      if (member === undefined) throw notFound('Campaign member');
      changed(campaignId);
      return member;
    },

    clearMemberPauses(agentId) {
      for (const campaignId of clearPauses(db, agentId)) changed(campaignId);
    },

    membersTakingPart: (campaignId) => takingPart(db, campaignId),

    playing(audioFileId) {
      return db
        .select({
          id: campaigns.id,
          name: campaigns.name,
          hold: campaigns.holdAudioFileId,
          abandon: campaigns.abandonAudioFileId,
        })
        .from(campaigns)
        .where(
          or(
            eq(campaigns.holdAudioFileId, audioFileId),
            eq(campaigns.abandonAudioFileId, audioFileId),
          ),
        )
        .orderBy(asc(campaigns.id))
        .all()
        .flatMap((c) => [
          ...(c.hold === audioFileId
            ? [{ kind: 'campaign', id: c.id, name: c.name, field: 'holdAudio' }]
            : []),
          ...(c.abandon === audioFileId
            ? [{ kind: 'campaign', id: c.id, name: c.name, field: 'abandonAudio' }]
            : []),
        ]);
    },

    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    setBusyCheck(check) {
      busy = check;
    },
  };
}
