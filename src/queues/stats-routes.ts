/**
 * /stats: the realtime view of the groups (§10-1) with a group's detail, the group statistics
 * report (§10-2 統計) and the agent status statistics (§10-5 ステータス統計), as JSON or CSV, and
 * the calendar (time zone, today) their search screens start from.
 *
 * Reports are computed from the queue event log and the agent status log as they are now, so
 * recent calls are included at once (the seed's hourly batch made them wait up to an hour).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AgentsService } from '../accounts/agents-service.js';
import type { AgentStatusService } from '../agents/status-service.js';
import {
  DAY_MS,
  dateKeyOf,
  isTimeZone,
  startOfDateKey,
  startOfDay,
  wallClock,
} from '../platform/calendar.js';
import type { Clock } from '../platform/clock.js';
import { writeCsv } from '../platform/csv.js';
import type { ReadPool } from '../platform/db/read-pool.js';
import { principalOf, requirePermission } from '../platform/http/auth.js';
import { errorResponses, unprocessable } from '../platform/http/errors.js';
import {
  decimalInteger,
  id,
  idParams,
  instant,
  jsonOrText,
  security,
} from '../platform/http/schemas.js';
import type { AppReadPrograms } from '../read-programs.js';
import type { Acd } from './acd.js';
import { CHART_HOURS, answerRateBuckets } from './answer-rate.js';
import { toWaitingCall, waitingCallSchema } from './dto.js';
import type { ReportRow } from './group-report.js';
import type { GroupsService } from './groups-service.js';
import type { QueueLog } from './queue-log.js';
import { toWire, type RealtimeStats } from './realtime.js';

const tags = ['stats'];
const MAX_REPORT_DAYS = 366;

const rate = z.number().nullable().describe('%, 2 decimals; null when there were no calls');
const columns = {
  calls: z.number().int().describe('コール数 = answered + abandoned + overflow + timed out'),
  answered: z.number().int().describe('応答呼'),
  abandoned: z.number().int().describe('破棄呼 (放棄呼)'),
  overflow: z.number().int().describe('あふれ'),
  timedOut: z.number().int().describe('制限時間'),
  answerRate: rate.describe('応答率 = answered ÷ calls'),
  serviceLevel: rate.describe('Answered within the group’s service-level time ÷ calls'),
  averageAnswerSeconds: z.number().describe('平均応答時間'),
  maxAnswerSeconds: z.number().nullable().describe('最大応答時間'),
  averageAbandonSeconds: z.number().describe('平均放棄時間'),
  maxAbandonSeconds: z.number().nullable().describe('最大放棄時間'),
};

const groupStatsSchema = z
  .object({
    groupId: z.number().int().nullable().describe('null for the "All" row'),
    name: z.string(),
    extension: z.string().nullable(),
    ...columns,
    online: z.number().int().describe('エージェント: online …'),
    total: z.number().int().describe('… of all members'),
    onCall: z.number().int().describe('通話中 (ringing counts)'),
    available: z.number().int().describe('待機'),
    paused: z.number().int().describe('停止 (custom statuses included)'),
    waiting: z.number().int().describe('待ち呼'),
    longestWaitSeconds: z.number().int(),
    since: instant.describe('The counters cover today since this midnight'),
  })
  .describe('QueueStats');

const reportRowSchema = z.object({ key: z.string(), ...columns });

/** `YYYY-MM-DD`, a calendar day in the report's time zone. */
const day = z.iso.date();

/** [from, to] as calendar days in a zone: from's midnight to the midnight after `to`. */
function range(from: string, to: string, timeZone: string): { from: Date; to: Date } {
  const start = startOfDateKey(from, timeZone);
  const dayAfter = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  const stop = startOfDateKey(dayAfter, timeZone);
  if (!(start < stop)) throw unprocessable('invalid_range', '`from` must not be after `to`');
  if (stop.getTime() - start.getTime() > MAX_REPORT_DAYS * DAY_MS)
    throw unprocessable('range_too_long', `At most ${MAX_REPORT_DAYS} days per report`);
  return { from: start, to: stop };
}

export interface StatsRoutesOptions {
  groups: GroupsService;
  reads: ReadPool<AppReadPrograms>;
  clock: Clock;
  acd: Acd;
  queueLog: QueueLog;
  realtime: RealtimeStats;
  agentStatus: AgentStatusService;
  agents: AgentsService;
  timeZone: string;
}

export const statsRoutes: FastifyPluginAsyncZod<StatsRoutesOptions> = async (app, options) => {
  const { groups, acd, queueLog, realtime, agentStatus, agents, reads, clock } = options;
  const tz = z
    .string()
    .refine(isTimeZone, { error: 'must be an IANA time zone, e.g. Asia/Tokyo' })
    .default(options.timeZone)
    .describe('Time zone of the days and hours');

  const agentName = (agentId: number): { name: string; extension: string | null } => {
    try {
      const a = agents.get(agentId);
      return { name: a.nickname, extension: a.extension };
    } catch {
      return { name: `#${agentId}`, extension: null }; // deleted since
    }
  };

  app.get('/stats/calendar', {
    config: { permission: 'authenticated' },
    schema: {
      tags,
      security,
      summary: 'The reports’ calendar: the server’s time zone (TIMEZONE), today and the hour in it',
      description:
        'The days and hours of /stats/groups and /stats/agent-statuses are this zone’s unless ' +
        'a report is given `tz`; a search screen starts from `today`.',
      response: {
        200: z.object({
          timeZone: z.string(),
          today: day,
          hour: z.number().int().min(0).max(23),
        }),
        ...errorResponses(401),
      },
    },
    handler: async () => {
      const now = clock.now();
      return {
        timeZone: options.timeZone,
        today: dateKeyOf(now, options.timeZone),
        hour: wallClock(now, options.timeZone).hour,
      };
    },
  });

  app.get('/stats/realtime', {
    config: { permission: 'realtime.view' },
    schema: {
      tags,
      security,
      summary: 'Realtime queue statistics: one row per group and the "All" row (§10-1)',
      description: 'The same numbers the `groups` topic of the feed pushes as `queue_stats`.',
      response: {
        200: z.object({ groups: z.array(groupStatsSchema), all: groupStatsSchema }),
        ...errorResponses(401, 403),
      },
    },
    handler: async () => {
      const s = realtime.snapshot();
      return { groups: s.groups.map(toWire), all: toWire(s.all) };
    },
  });

  app.get('/stats/realtime/groups/:id', {
    config: { permission: 'realtime.view' },
    schema: {
      tags,
      security,
      summary: 'A group’s detail: waiting calls, agents with status and skill, answer-rate chart',
      params: idParams,
      querystring: z.object({
        hours: decimalInteger()
          .refine((h) => (CHART_HOURS as readonly number[]).includes(h), {
            error: `one of ${CHART_HOURS.join(', ')}`,
          })
          .default(3)
          .describe('Chart window in hours (3 / 6 / 9 / 12 / 24), 5-minute buckets'),
      }),
      response: {
        200: z.object({
          stats: groupStatsSchema,
          waitingCalls: z.array(waitingCallSchema),
          agents: z.array(
            z.object({
              agentId: z.number().int(),
              name: z.string(),
              extension: z.string().nullable(),
              status: z.string(),
              customStatusId: z.number().int().nullable(),
              skillLevel: z.number().int(),
              pausedInGroup: z.boolean(),
              lastCallAt: instant.nullable().describe('直近の通話: when the last call began'),
              lastTalkSeconds: z.number().int().nullable(),
              callsToday: z.number().int().describe('今日の通話数'),
            }),
          ),
          chart: z.array(
            z.object({
              start: instant,
              calls: z.number().int(),
              answered: z.number().int(),
              abandoned: z.number().int(),
              answerRate: z.number().nullable(),
            }),
          ),
        }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: async (request) => {
      const group = groups.get(request.params.id);
      const now = clock.now();
      const hours = request.query.hours as (typeof CHART_HOURS)[number];
      const since = new Date(
        Math.min(now.getTime() - hours * 3_600_000, startOfDay(now, options.timeZone).getTime()),
      );
      const events = queueLog.between(since, new Date(now.getTime() + 1), [group.id]);
      const today = startOfDay(now, options.timeZone);
      const stats = realtime.snapshot().groups.find((g) => g.groupId === group.id);
      if (stats === undefined) throw unprocessable('no_stats', 'The group has no statistics');
      return {
        stats: toWire(stats),
        waitingCalls: acd.waiting(group.id).map(toWaitingCall),
        agents: groups.members(group.id).map((m) => {
          const status = agentStatus.get(m.agentId);
          const mine = events.filter((e) => e.agentId === m.agentId);
          const lastConnect = mine.filter((e) => e.event === 'CONNECT').at(-1);
          const lastComplete = mine
            .filter((e) => e.event === 'COMPLETECALLER' || e.event === 'COMPLETEAGENT')
            .at(-1);
          return {
            agentId: m.agentId,
            ...agentName(m.agentId),
            status: status.status,
            customStatusId: status.customStatusId,
            skillLevel: m.skillLevel,
            pausedInGroup: m.paused,
            lastCallAt: lastConnect?.at.toISOString() ?? null,
            lastTalkSeconds: lastComplete === undefined ? null : Number(lastComplete.data[1] ?? 0),
            callsToday: mine.filter((e) => e.event === 'CONNECT' && e.at >= today).length,
          };
        }),
        chart: answerRateBuckets(events, { now, hours }).map((b) => ({
          ...b,
          start: b.start.toISOString(),
        })),
      };
    },
  });

  app.get('/stats/groups', {
    config: { permission: 'stats.view' },
    schema: {
      tags,
      security,
      summary: 'Group statistics (§10-2 統計) by date, hour, agent or talk duration, with a total',
      description:
        'Each call counts once, at its outcome: answered (CONNECT), abandoned, overflow or ' +
        'timed out. `format=csv` (needs stats.download) gives the table as the seed downloads it.',
      querystring: z.object({
        groupId: id().optional().describe('Omitted: all groups'),
        breakdown: z
          .enum(['date', 'hour', 'agent', 'talk_duration'])
          .default('date')
          .describe('区分: 日付 / 時間 / エージェント / 通話時間'),
        from: day,
        to: day.describe('Inclusive'),
        tz,
        format: z.enum(['json', 'csv']).default('json'),
      }),
      response: {
        200: jsonOrText(
          z.object({ rows: z.array(reportRowSchema), total: reportRowSchema }),
          'text/csv',
        ),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    },
    handler: async (request, reply) => {
      const q = request.query;
      if (q.format === 'csv') requirePermission(principalOf(request), 'stats.download');
      const group = q.groupId === undefined ? undefined : groups.get(q.groupId);
      const window = range(q.from, q.to, q.tz);
      const report = await reads.run('groupStats', {
        groupIds: group === undefined ? undefined : [group.id],
        breakdown: q.breakdown,
        ...window,
        timeZone: q.tz,
        thresholdSeconds: group?.serviceLevelSeconds,
      });
      if (q.breakdown === 'agent') {
        report.rows = report.rows.map((r) =>
          r.key === 'none' ? r : { ...r, key: agentLabel(Number(r.key)) },
        );
      }
      if (q.format === 'json') return report;
      const csv = await writeCsv(
        [
          q.breakdown,
          'コール数',
          '応答呼',
          '破棄呼',
          'あふれ',
          '制限時間',
          '応答率',
          '平均応答時間',
          '最大応答時間',
          '平均放棄時間',
          '最大放棄時間',
        ],
        [...report.rows, { ...report.total, key: '合計' }].map(csvRow),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="group-statistics.csv"')
        .send(csv);
    },
  });

  function agentLabel(agentId: number): string {
    const { name, extension } = agentName(agentId);
    return extension === null ? name : `(${extension})${name}`;
  }

  app.get('/stats/agent-statuses', {
    config: { permission: 'status_stats.view' },
    schema: {
      tags,
      security,
      summary: 'Agent status statistics (§10-5 ステータス統計): time, count, share, average',
      description:
        'Per agent (or per agent and hour of day) and status — built-in statuses by name, custom ' +
        'ones as `custom:<id>`. The window is `from` (an instant) plus `hours`, cut at now. ' +
        '`format=csv` needs status_stats.download.',
      querystring: z.object({
        from: z.iso.datetime({ offset: true }),
        hours: decimalInteger({ min: 1, max: 744 }).default(1).describe('範囲'),
        breakdown: z.enum(['agent', 'hour']).default('agent').describe('区分'),
        groupId: id().optional(),
        agent: z.string().max(64).optional().describe('Part of the name or extension'),
        tz,
        format: z.enum(['json', 'csv']).default('json'),
      }),
      response: {
        200: jsonOrText(
          z.object({
            rows: z.array(
              z.object({
                agentId: z.number().int(),
                agent: z.string(),
                hour: z.string().nullable(),
                observedSeconds: z.number(),
                statuses: z.record(
                  z.string(),
                  z.object({
                    seconds: z.number(),
                    count: z.number().int(),
                    share: z.number(),
                    averageSeconds: z.number(),
                  }),
                ),
              }),
            ),
          }),
          'text/csv',
        ),
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: async (request, reply) => {
      const q = request.query;
      if (q.format === 'csv') requirePermission(principalOf(request), 'status_stats.download');
      if (q.groupId !== undefined) groups.get(q.groupId);
      const from = new Date(q.from);
      const rows = await reads.run('statusStatistics', {
        from,
        to: new Date(from.getTime() + q.hours * 3_600_000),
        now: clock.now(),
        breakdown: q.breakdown,
        timeZone: q.tz,
        groupId: q.groupId,
        agent: q.agent,
      });
      if (q.format === 'json') return { rows };
      const keys = [...new Set(rows.flatMap((r) => Object.keys(r.statuses)))].sort();
      const csv = await writeCsv(
        ['agent', 'hour', ...keys.flatMap((k) => [`${k} s`, `${k} count`, `${k} %`, `${k} avg`])],
        rows.map((r) => [
          r.agent,
          r.hour,
          ...keys.flatMap((k) => {
            const c = r.statuses[k];
            return c === undefined ? [0, 0, 0, 0] : [c.seconds, c.count, c.share, c.averageSeconds];
          }),
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="status-statistics.csv"')
        .send(csv);
    },
  });
};

function csvRow(r: ReportRow): (string | number | null)[] {
  const pct = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)}%`);
  const secs = (v: number | null) => (v === null ? '-' : `${v}s`);
  return [
    r.key,
    r.calls,
    r.answered,
    r.abandoned,
    r.overflow,
    r.timedOut,
    pct(r.answerRate),
    secs(r.averageAnswerSeconds),
    secs(r.maxAnswerSeconds),
    secs(r.averageAbandonSeconds),
    secs(r.maxAbandonSeconds),
  ];
}
