/**
 * A campaign's members (the agent checklist of §10-8, 名称 / 内線) and each one's status for
 * this campaign alone: paused here, still rung by the other campaigns and groups (the campaign
 * status tag at the top of agents' screens, like a group's, §4-2). Reads and writes on the
 * table; the service checks and announces.
 */
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import type { DbOrTx } from '../platform/db/client.js';
import { unprocessable } from '../platform/http/errors.js';
import { campaignMembers, campaigns } from './schema.js';

/** A member as the checklist and the status tag show them. */
export interface CampaignMemberView {
  agentId: number;
  /** 名称. */
  name: string;
  /** 内線. */
  extension: string | null;
  paused: boolean;
  pausedStatusId: number | null;
  addedAt: Date;
}

/** A campaign the agent belongs to, as their status tag shows it. */
export interface MyCampaign {
  id: number;
  name: string;
  enabled: boolean;
  textColor: string;
  backgroundColor: string;
  paused: boolean;
  pausedStatusId: number | null;
}

const memberColumns = {
  agentId: campaignMembers.agentId,
  name: agents.name,
  extension: agents.extension,
  paused: campaignMembers.paused,
  pausedStatusId: campaignMembers.pausedStatusId,
  addedAt: campaignMembers.addedAt,
};

export function membersOf(db: DbOrTx, campaignId: number): CampaignMemberView[] {
  return db
    .select(memberColumns)
    .from(campaignMembers)
    .innerJoin(agents, eq(agents.id, campaignMembers.agentId))
    .where(eq(campaignMembers.campaignId, campaignId))
    .orderBy(asc(campaignMembers.agentId))
    .all();
}

export function memberOf(
  db: DbOrTx,
  campaignId: number,
  agentId: number,
): CampaignMemberView | undefined {
  return db
    .select(memberColumns)
    .from(campaignMembers)
    .innerJoin(agents, eq(agents.id, campaignMembers.agentId))
    .where(and(eq(campaignMembers.campaignId, campaignId), eq(campaignMembers.agentId, agentId)))
    .get();
}

/** Refuses (422) a list naming an agent twice or an agent that does not exist. */
export function assertAgents(db: DbOrTx, agentIds: readonly number[]): void {
  if (new Set(agentIds).size !== agentIds.length)
    throw unprocessable('duplicate_member', 'An agent is listed twice');
  if (agentIds.length === 0) return;
  const known = new Set(
    db
      .select({ id: agents.id })
      .from(agents)
      .where(inArray(agents.id, [...agentIds]))
      .all()
      .map((a) => a.id),
  );
  const missing = agentIds.filter((id) => !known.has(id));
  if (missing.length > 0)
    throw unprocessable('unknown_agent', `There is no agent ${missing.join(', ')}`, {
      agentIds: missing,
    });
}

/**
 * Makes the members exactly these agents. Those who stay keep their status and when they were
 * added; those who come are added now, taking part.
 */
export function replaceMembers(
  tx: DbOrTx,
  campaignId: number,
  agentIds: readonly number[],
  now: Date,
): void {
  tx.delete(campaignMembers)
    .where(
      and(
        eq(campaignMembers.campaignId, campaignId),
        agentIds.length === 0 ? undefined : notInArray(campaignMembers.agentId, [...agentIds]),
      ),
    )
    .run();
  if (agentIds.length === 0) return;
  tx.insert(campaignMembers)
    .values(agentIds.map((agentId) => ({ campaignId, agentId, addedAt: now })))
    .onConflictDoNothing()
    .run();
}

export function setPause(
  tx: DbOrTx,
  campaignId: number,
  agentId: number,
  pause: { paused: boolean; statusId: number | null },
): void {
  tx.update(campaignMembers)
    .set({ paused: pause.paused, pausedStatusId: pause.paused ? pause.statusId : null })
    .where(and(eq(campaignMembers.campaignId, campaignId), eq(campaignMembers.agentId, agentId)))
    .run();
}

/** Ends the agent's pauses in every campaign; returns the campaigns where one ended. */
export function clearPauses(tx: DbOrTx, agentId: number): number[] {
  return tx
    .update(campaignMembers)
    .set({ paused: false, pausedStatusId: null })
    .where(and(eq(campaignMembers.agentId, agentId), eq(campaignMembers.paused, true)))
    .returning({ campaignId: campaignMembers.campaignId })
    .all()
    .map((r) => r.campaignId);
}

/** The members not paused in the campaign: those its calls may ring. */
export function takingPart(db: DbOrTx, campaignId: number): number[] {
  return db
    .select({ agentId: campaignMembers.agentId })
    .from(campaignMembers)
    .where(and(eq(campaignMembers.campaignId, campaignId), eq(campaignMembers.paused, false)))
    .orderBy(asc(campaignMembers.agentId))
    .all()
    .map((r) => r.agentId);
}

export function campaignsOfAgent(db: DbOrTx, agentId: number): MyCampaign[] {
  return db
    .select({
      id: campaigns.id,
      name: campaigns.name,
      enabled: campaigns.enabled,
      textColor: campaigns.textColor,
      backgroundColor: campaigns.backgroundColor,
      paused: campaignMembers.paused,
      pausedStatusId: campaignMembers.pausedStatusId,
    })
    .from(campaignMembers)
    .innerJoin(campaigns, eq(campaigns.id, campaignMembers.campaignId))
    .where(eq(campaignMembers.agentId, agentId))
    .orderBy(asc(campaigns.id))
    .all();
}
