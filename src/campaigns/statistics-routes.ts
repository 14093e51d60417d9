/**
 * /stats/campaigns: the campaign statistics of §10-3 (キャンペーン統計) — a campaign's entries by
 * final result, by date, hour or agent, as counts or %, with the total — and its CSV download
 * (ダウンロード). Days and hours are TIMEZONE's unless `tz` says otherwise.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DAY_MS,
  dateKeyOfDayNumber,
  dayNumberOfKey,
  isTimeZone,
  startOfDateKey,
} from '../platform/calendar.js';
import { csvLine, sendCsv } from '../platform/csv-export.js';
import type { Db } from '../platform/db/client.js';
import { errorResponses, notFound, unprocessable } from '../platform/http/errors.js';
import { id, security } from '../platform/http/schemas.js';
import {
  campaignStatisticsReport,
  type CampaignStatisticsReport,
  type LabelledCampaignStatsRow,
} from './statistics-query.js';
import {
  CAMPAIGN_STATS_BREAKDOWNS,
  CAMPAIGN_STATS_DISPLAYS,
  type CampaignStatsBreakdown,
} from './statistics.js';

const tags = ['stats'];
const MAX_REPORT_DAYS = 366;

/** `YYYY-MM-DD`, a calendar day in the report's time zone. */
const day = z.iso.date();

const BREAKDOWN_HEADERS: Readonly<Record<CampaignStatsBreakdown, string>> = {
  date: '日付',
  hour: '時間',
  agent: 'エージェント',
};

const rowSchema = z.object({
  key: z.string().describe('YYYY-MM-DD, 00…23, an agent id or `none`; `total` for 合計'),
  label: z.string().describe('As shown: the day, HH:00, (内線)名前 or なし, 合計'),
  entries: z.number().int().describe('件数: entries whose last dial is in the row'),
  calls: z.number().int().describe('コール数: the dial attempts of those entries'),
  results: z
    .record(z.string(), z.number().nullable())
    .describe('By column `result`: a count, or % of 件数 (2 decimals; null when 件数 is 0)'),
});

const reportSchema = z
  .object({
    campaign: z.object({ id: z.number().int(), name: z.string() }),
    columns: z
      .array(
        z.object({
          result: z.string().describe('The stored result: a result number or a system key'),
          label: z.string(),
          kind: z.enum(['campaign', 'system']),
        }),
      )
      .describe('The campaign’s results in their order, then the system results'),
    rows: z.array(rowSchema),
    total: rowSchema,
  })
  .describe('CampaignStatistics');

export interface CampaignStatisticsRoutesOptions {
  db: Db;
  timeZone: string;
}

/** [from, to] as calendar days in a zone: from's first instant to the first after `to`. */
function range(from: string, to: string, timeZone: string): { from: Date; to: Date } {
  const start = startOfDateKey(from, timeZone);
  const stop = startOfDateKey(dateKeyOfDayNumber(dayNumberOfKey(to) + 1), timeZone);
  if (!(start < stop)) throw unprocessable('invalid_range', '`from` must not be after `to`');
  if (stop.getTime() - start.getTime() > MAX_REPORT_DAYS * DAY_MS)
    throw unprocessable('range_too_long', `At most ${MAX_REPORT_DAYS} days per report`);
  return { from: start, to: stop };
}

function* csvLines(report: CampaignStatisticsReport, by: CampaignStatsBreakdown, percent: boolean) {
  yield csvLine([BREAKDOWN_HEADERS[by], '件数', 'コール数', ...report.columns.map((c) => c.label)]);
  const cell = (v: number | null | undefined) =>
    v === null || v === undefined ? '-' : percent ? `${v.toFixed(2)}%` : v;
  const line = (r: LabelledCampaignStatsRow) =>
    csvLine([r.label, r.entries, r.calls, ...report.columns.map((c) => cell(r.results[c.result]))]);
  for (const r of report.rows) yield line(r);
  yield line(report.total);
}

export const campaignStatisticsRoutes: FastifyPluginAsyncZod<
  CampaignStatisticsRoutesOptions
> = async (app, options) => {
  const { db } = options;
  const query = z.object({
    campaignId: id(),
    by: z
      .enum(CAMPAIGN_STATS_BREAKDOWNS)
      .default('date')
      .describe('区分: 日付 / 時間 / エージェント'),
    display: z.enum(CAMPAIGN_STATS_DISPLAYS).default('count').describe('表示: 個数 / %'),
    from: day,
    to: day.describe('Inclusive'),
    tz: z
      .string()
      .refine(isTimeZone, { error: 'must be an IANA time zone, e.g. Asia/Tokyo' })
      .default(options.timeZone)
      .describe('Time zone of the days and hours'),
  });
  const description =
    'Each entry counts once, by its final result, in the row of its last dial (発信日時) — its ' +
    'day or hour — or of its last agent; entries last dialled outside the range, or never, are ' +
    'in no row. 件数 is the sum of the result columns; コール数 counts the ledger’s attempts of ' +
    'those entries. Rows: every day of the range, the 24 hours, or the agents by id then `none`.';

  const report = (q: z.infer<typeof query>): CampaignStatisticsReport => {
    const found = campaignStatisticsReport(db, {
      campaignId: q.campaignId,
      breakdown: q.by,
      display: q.display,
      timeZone: q.tz,
      ...range(q.from, q.to, q.tz),
    });
    if (found === undefined) throw notFound('Campaign');
    return found;
  };

  app.get('/stats/campaigns', {
    config: { permission: 'campaign_stats.view' },
    schema: {
      tags,
      security,
      summary: 'Campaign statistics (§10-3 キャンペーン統計) by date, hour or agent, with a total',
      description,
      querystring: query,
      response: { 200: reportSchema, ...errorResponses(400, 401, 403, 404, 422) },
    },
    handler: async (request) => report(request.query),
  });

  app.get('/stats/campaigns/export', {
    config: { permission: 'campaign_stats.download' },
    schema: {
      tags,
      security,
      summary: 'Download the campaign statistics as CSV (ダウンロード)',
      description: `The table of GET /stats/campaigns, 合計 last. ${description}`,
      querystring: query.extend({ encoding: z.enum(['utf8', 'shift_jis']).default('utf8') }),
      response: {
        200: {
          content: {
            'text/csv': { schema: z.string().describe('CSV (UTF-8 with BOM, or Shift_JIS)') },
          },
        },
        ...errorResponses(400, 401, 403, 404, 422),
      },
    },
    handler: async (request, reply) => {
      const q = request.query;
      const table = report(q);
      return sendCsv(
        reply,
        `campaign-statistics-${table.campaign.id}.csv`,
        q.encoding,
        csvLines(table, q.by, q.display === 'percent'),
      );
    },
  });
};
