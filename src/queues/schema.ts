/**
 * Groups (グループ, a.k.a. queues, §11-2), their members with a skill level per group, and the
 * queue event log every queue statistic is computed from.
 */
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents } from '../accounts/schema.js';
import { customStatuses } from '../agents/schema.js';
import { audioFiles } from '../audio/schema.js';
import { DESTINATION_TYPES } from '../destinations/destination.js';
import { auditColumns, instant } from '../platform/db/columns.js';
import { QUEUE_EVENTS, RING_STRATEGIES } from './model.js';

export const groups = sqliteTable('groups', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** 内線: dialling it from a phone (or routing a DID to it) queues the call here. */
  extension: text('extension').unique(),
  strategy: text('strategy', { enum: RING_STRATEGIES }).notNull().default('ring_all'),
  /** 最大同時応答数: calls answered at once. */
  maxAnswered: integer('max_answered').notNull().default(99),
  /** 最大待ち呼数: calls waiting; 0 = only as many as there are free agents. */
  maxWaiting: integer('max_waiting').notNull().default(99),
  /** 迂回(あふれ呼): where a call goes when the group is full; none = busy. */
  overflowRouteType: text('overflow_route_type', { enum: DESTINATION_TYPES }),
  overflowRouteTarget: text('overflow_route_target'),
  /** タイムアウト: seconds from arrival after which a waiting call leaves; 0 = never. */
  timeoutSeconds: integer('timeout_seconds').notNull().default(300),
  /** 迂回(タイムアウト): where a timed-out call goes; none = busy. */
  timeoutRouteType: text('timeout_route_type', { enum: DESTINATION_TYPES }),
  timeoutRouteTarget: text('timeout_route_target'),
  /** 呼出時間: how long one agent attempt rings. */
  ringSeconds: integer('ring_seconds').notNull().default(20),
  /** Seconds before an agent who did not answer a call is rung for it again (app_queue retry). */
  retrySeconds: integer('retry_seconds').notNull().default(5),
  /** 待ち呼開始時間: the caller hears ringing this long before music and announcements. */
  ringBeforeQueueSeconds: integer('ring_before_queue_seconds').notNull().default(0),
  /** 無応答自動停止: an agent who does not answer is paused (for N s; 0 = until changed). */
  autoPause: integer('auto_pause', { mode: 'boolean' }).notNull().default(false),
  autoPauseSeconds: integer('auto_pause_seconds').notNull().default(0),
  /** ACWステータス / ACW時間: the agent's status after a call of this group (0 s = until changed). */
  acwStatusId: integer('acw_status_id').references(() => customStatuses.id, {
    onDelete: 'set null',
  }),
  acwSeconds: integer('acw_seconds').notNull().default(0),
  /** 応答音声: played first — an audio file, else an Asterisk sound name. */
  greeting: text('greeting'),
  greetingAudioFileId: integer('greeting_audio_file_id').references(() => audioFiles.id),
  /** 呼中音声: played to each waiting caller every `announcementSeconds`. */
  announcement: text('announcement'),
  announcementAudioFileId: integer('announcement_audio_file_id').references(() => audioFiles.id),
  announcementSeconds: integer('announcement_seconds').notNull().default(30),
  /** 保留音: the music-on-hold class waiting callers hear. */
  musicOnHold: text('music_on_hold').notNull().default('default'),
  /** 着信判別音声: played only to the agent who answers, before the caller is connected. */
  whisper: text('whisper'),
  whisperAudioFileId: integer('whisper_audio_file_id').references(() => audioFiles.id),
  /** 端末表示名: shown on the agent's phone as the caller's name. */
  displayName: text('display_name'),
  /** Beyond the seed: a waiting call accepts the next skill level every N s (0 = never). */
  levelRelaxationSeconds: integer('level_relaxation_seconds').notNull().default(0),
  /** Service level: calls answered within this many seconds count as on time. */
  serviceLevelSeconds: integer('service_level_seconds').notNull().default(20),
  fontColor: text('font_color').notNull().default('#ffffff'),
  backgroundColor: text('background_color').notNull().default('#777777'),
  /** The row's place in the realtime table (rows are reordered by dragging, §10-1). */
  sortOrder: integer('sort_order').notNull().default(0),
  ...auditColumns(),
});

export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    /** スキルレベル: 1 is rung first. */
    skillLevel: integer('skill_level').notNull().default(1),
    /** The member's place in the list (round_robin and linear follow it). */
    position: integer('position').notNull().default(0),
    /** Paused for this group only (§4-2: one status tag per group). */
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    pausedStatusId: integer('paused_status_id').references(() => customStatuses.id, {
      onDelete: 'set null',
    }),
    addedAt: instant('added_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.agentId] }),
    index('group_members_agent_idx').on(t.agentId),
  ],
);

/** The queue event log: append-only, in the spirit of Asterisk's queue_log (see model.ts). */
export const queueLog = sqliteTable(
  'queue_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: instant('at').notNull(),
    callId: text('call_id').notNull(),
    /** No foreign key: the log outlives the groups and agents it mentions. */
    groupId: integer('group_id'),
    agentId: integer('agent_id'),
    event: text('event', { enum: QUEUE_EVENTS }).notNull(),
    /** The event's data fields, joined with `|` as queue_log writes them. */
    data: text('data').notNull().default(''),
  },
  (t) => [
    index('queue_log_at_idx').on(t.at),
    index('queue_log_group_idx').on(t.groupId, t.at),
    index('queue_log_call_idx').on(t.callId),
  ],
);

export type GroupRow = typeof groups.$inferSelect;
export type GroupMemberRow = typeof groupMembers.$inferSelect;
export type QueueLogRow = typeof queueLog.$inferSelect;

/**
 * The counters of a set of calls (queues/counters.ts QueueCounters), as columns: every rollup
 * table below holds them, so that reports add rows up the way the realtime view adds events.
 */
const counterColumns = () => ({
  calls: integer('calls').notNull().default(0),
  answered: integer('answered').notNull().default(0),
  abandoned: integer('abandoned').notNull().default(0),
  overflow: integer('overflow').notNull().default(0),
  timedOut: integer('timed_out').notNull().default(0),
  answeredWithin: integer('answered_within').notNull().default(0),
  answerWaitTotal: real('answer_wait_total').notNull().default(0),
  answerWaitMax: real('answer_wait_max').notNull().default(0),
  abandonWaitTotal: real('abandon_wait_total').notNull().default(0),
  abandonWaitMax: real('abandon_wait_max').notNull().default(0),
});

/**
 * Rollups of the queue event log, kept up to date as each event is logged (queues/rollup.ts):
 * what the reports read instead of the log itself. A slot is 15 minutes of UTC (every UTC offset
 * in use is a multiple of 15 minutes, so local days and hours are whole slots).
 *
 * Per group and slot: every call, counted at its outcome.
 */
export const queueStatsSlots = sqliteTable(
  'queue_stats_slots',
  {
    groupId: integer('group_id').notNull(),
    slot: integer('slot').notNull(),
    ...counterColumns(),
  },
  // By slot too, for the reports over every group.
  (t) => [
    primaryKey({ columns: [t.groupId, t.slot] }),
    index('queue_stats_slots_slot_idx').on(t.slot),
  ],
);

/** Per group, slot and answering agent (0 = none): the answered calls (the エージェント rows). */
export const queueStatsAgents = sqliteTable(
  'queue_stats_agents',
  {
    groupId: integer('group_id').notNull(),
    slot: integer('slot').notNull(),
    agentId: integer('agent_id').notNull(),
    ...counterColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.slot, t.agentId] }),
    index('queue_stats_agents_slot_idx').on(t.slot),
  ],
);

/**
 * Per group, slot of the answer and talk-time band (group-report.ts TALK_BANDS, by index): the
 * answered calls whose talk has ended, added when it ends (the 通話時間 rows).
 */
export const queueStatsTalk = sqliteTable(
  'queue_stats_talk',
  {
    groupId: integer('group_id').notNull(),
    slot: integer('slot').notNull(),
    band: integer('band').notNull(),
    ...counterColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.slot, t.band] }),
    index('queue_stats_talk_slot_idx').on(t.slot),
  ],
);

/** Answered calls whose talk has not ended yet (no COMPLETE event): the 'in_progress' row. */
export const queueOpenAnswers = sqliteTable(
  'queue_open_answers',
  {
    /** The CONNECT event's row in the queue log. */
    logId: integer('log_id').primaryKey(),
    callId: text('call_id').notNull(),
    groupId: integer('group_id').notNull(),
    slot: integer('slot').notNull(),
    at: instant('at').notNull(),
    wait: real('wait').notNull(),
    within: integer('within', { mode: 'boolean' }).notNull(),
  },
  (t) => [
    index('queue_open_answers_call_idx').on(t.callId),
    index('queue_open_answers_slot_idx').on(t.groupId, t.slot),
  ],
);

/** How far the rollups have folded the log: the id of the last queue_log row counted. */
export const queueRollupState = sqliteTable('queue_rollup_state', {
  id: integer('id').primaryKey(),
  lastLogId: integer('last_log_id').notNull(),
});
