/**
 * The campaign statistics of §10-3, read from the database: the campaign's results (its columns,
 * in their order), its entries last dialled in the range with their attempts counted from the
 * ledger, and the names of their agents; statistics.ts does the counting.
 */
import { and, asc, count, eq, gte, lt, sql } from 'drizzle-orm';
import { agents } from '../accounts/schema.js';
import type { Db } from '../platform/db/client.js';
import { campaignAttempts, campaignEntries, campaignResults, campaigns } from './schema.js';
import {
  NO_AGENT,
  campaignStatistics,
  type CampaignStats,
  type CampaignStatsOptions,
  type CampaignStatsRow,
} from './statistics.js';

export interface CampaignStatisticsQuery extends Omit<CampaignStatsOptions, 'results'> {
  campaignId: number;
}

export interface LabelledCampaignStatsRow extends CampaignStatsRow {
  /** What the row is called on screen and in the CSV: the day, `HH:00`, `(内線)名前`, 合計. */
  label: string;
}

export interface CampaignStatisticsReport extends Omit<CampaignStats, 'rows' | 'total'> {
  campaign: { id: number; name: string };
  rows: LabelledCampaignStatsRow[];
  total: LabelledCampaignStatsRow;
}

export const NO_AGENT_LABEL = 'なし';
export const TOTAL_LABEL = '合計';

/** The report, or undefined when there is no such campaign. */
export function campaignStatisticsReport(
  db: Db,
  query: CampaignStatisticsQuery,
): CampaignStatisticsReport | undefined {
  const campaign = db
    .select({ id: campaigns.id, name: campaigns.name })
    .from(campaigns)
    .where(eq(campaigns.id, query.campaignId))
    .get();
  if (campaign === undefined) return undefined;

  const results = db
    .select({ number: campaignResults.number, text: campaignResults.text })
    .from(campaignResults)
    .where(eq(campaignResults.campaignId, campaign.id))
    .orderBy(asc(campaignResults.position), asc(campaignResults.number))
    .all();

  const attempts = db
    .select({ entryId: campaignAttempts.entryId, calls: count().as('calls') })
    .from(campaignAttempts)
    .where(eq(campaignAttempts.campaignId, campaign.id))
    .groupBy(campaignAttempts.entryId)
    .as('attempts');
  const rows = db
    .select({
      result: campaignEntries.result,
      lastDialedAt: campaignEntries.lastDialedAt,
      lastAgentId: campaignEntries.lastAgentId,
      attempts: sql<number>`coalesce(${attempts.calls}, 0)`,
    })
    .from(campaignEntries)
    .leftJoin(attempts, eq(attempts.entryId, campaignEntries.id))
    .where(
      and(
        eq(campaignEntries.campaignId, campaign.id),
        gte(campaignEntries.lastDialedAt, query.from),
        lt(campaignEntries.lastDialedAt, query.to),
      ),
    )
    .all();
  const entries = rows.flatMap((r) =>
    r.lastDialedAt === null ? [] : [{ ...r, lastDialedAt: r.lastDialedAt }],
  );

  const stats = campaignStatistics(entries, { ...query, results });
  const labelOf = rowLabeller(db, query.breakdown);
  return {
    campaign,
    columns: stats.columns,
    rows: stats.rows.map((r) => ({ ...r, label: labelOf(r.key) })),
    total: { ...stats.total, label: TOTAL_LABEL },
  };
}

function rowLabeller(
  db: Db,
  breakdown: CampaignStatsOptions['breakdown'],
): (key: string) => string {
  switch (breakdown) {
    case 'date':
      return (key) => key;
    case 'hour':
      return (key) => `${key}:00`;
    case 'agent': {
      const names = new Map(
        db
          .select({ id: agents.id, nickname: agents.nickname, extension: agents.extension })
          .from(agents)
          .all()
          .map((a) => [
            String(a.id),
            a.extension === null ? a.nickname : `(${a.extension})${a.nickname}`,
          ]),
      );
      return (key) => (key === NO_AGENT ? NO_AGENT_LABEL : (names.get(key) ?? `#${key}`));
    }
  }
}
