/**
 * Autodial campaigns (キャンペーン §10-8, 自動発信 §10-9, 発信予約 §9-2).
 *
 * - campaigns: the campaign's settings, with the manual's defaults.
 * - campaign_results: its own results (結果, `番号,テキスト` lines), beside the system results.
 * - campaign_members: the agents it rings (the agent checklist), each with a status for this
 *   campaign alone (paused, as a group member may be).
 * - campaign_entries: whom it calls — a CRM customer or a bare number — with the result, count,
 *   reservation (予約) and assignee (担当). `phase` says whether a call for it is live, so a
 *   restart knows what was in flight and never dials an entry twice.
 * - campaign_attempts: the ledger, one row per dial attempt: what happened and when. The pacer's
 *   history, the abandon rate and the campaign statistics are read from it.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { agents } from '../accounts/schema.js';
import { customStatuses } from '../agents/schema.js';
import { audioFiles } from '../audio/schema.js';
import { customers } from '../crm/customers/schema.js';
import { phoneNumbers } from '../numbers/schema.js';
import { auditColumns, instant } from '../platform/db/columns.js';
import {
  AGENT_MODES,
  ATTEMPT_OUTCOMES,
  CAMPAIGN_TYPES,
  DIAL_MODES,
  ENTRY_PHASES,
} from './results.js';

export const campaigns = sqliteTable('campaigns', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** 名称. */
  name: text('name').notNull().unique(),
  /** ステータス ON / OFF: running or stopped. */
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
  /** 発信者番号: the registered number presented to the customer (未設定 = none: cannot run). */
  phoneNumberId: integer('phone_number_id').references(() => phoneNumbers.id, {
    onDelete: 'set null',
  }),
  /** プレフィックス 184: withhold the caller ID from the customer. */
  withholdCallerId: integer('withhold_caller_id', { mode: 'boolean' }).notNull().default(false),
  /** 区分: プレビューコール or プログレッシブコール. */
  type: text('type', { enum: CAMPAIGN_TYPES }).notNull().default('preview'),
  /** プレディクティブコール: the pacer sets the number of lines (progressive only). */
  predictive: integer('predictive', { mode: 'boolean' }).notNull().default(false),
  /** エージェントモード: リンギング (rung per call) or ログイン (on an open line via 990). */
  agentMode: text('agent_mode', { enum: AGENT_MODES }).notNull().default('ringing'),
  /** サービスレベル (%): the share of answered customers who must reach an agent. */
  serviceLevelPercent: integer('service_level_percent').notNull().default(100),
  /** 発信速度倍率: lines per free agent (progressive). */
  dialRatio: real('dial_ratio').notNull().default(1),
  /** 最大チャンネル: lines the campaign may use at once. */
  maxChannels: integer('max_channels').notNull().default(1),
  /** タイムアウト: seconds the customer's phone rings before 制限時間. */
  dialTimeoutSeconds: integer('dial_timeout_seconds').notNull().default(180),
  /** 待ち呼タイムアウト: seconds an agent's phone rings for a call. */
  agentRingSeconds: integer('agent_ring_seconds').notNull().default(20),
  /** 呼中音声(顧客): what an answered customer hears while an agent is rung. */
  holdAudioFileId: integer('hold_audio_file_id').references(() => audioFiles.id, {
    onDelete: 'set null',
  }),
  /** The message an abandoned customer hears before we hang up (who called, that we call again). */
  abandonAudioFileId: integer('abandon_audio_file_id').references(() => audioFiles.id, {
    onDelete: 'set null',
  }),
  /** The abandon-rate ceiling (% of live-answered calls) the predictive pacer keeps under. */
  abandonTargetPercent: real('abandon_target_percent').notNull().default(3),
  /** Below this many agents taking part, a predictive campaign dials progressively. */
  predictiveMinAgents: integer('predictive_min_agents').notNull().default(6),
  /** Answering-machine detection (its verdict time counts against the 2-second rule). */
  detectMachines: integer('detect_machines', { mode: 'boolean' }).notNull().default(false),
  /** ACWステータス: the status an agent is put in after a campaign call (none = OFF). */
  acwStatusId: integer('acw_status_id').references(() => customStatuses.id, {
    onDelete: 'set null',
  }),
  /** ACW時間: seconds after which that status clears by itself; 0 = until the agent changes it. */
  acwSeconds: integer('acw_seconds').notNull().default(0),
  /** 結果をコマンドで入力: the agent enters the result by DTMF after the customer hangs up. */
  dtmfResults: integer('dtmf_results', { mode: 'boolean' }).notNull().default(false),
  /** 予約 From / To: the daily window (HH:MM in TIMEZONE) the campaign dials in. */
  windowFrom: text('window_from').notNull().default('00:00'),
  windowTo: text('window_to').notNull().default('23:59'),
  /** 色: the campaign status tag's text and background colours. */
  textColor: text('text_color').notNull().default('#000000'),
  backgroundColor: text('background_color').notNull().default('#ffffff'),
  ...auditColumns(),
});

export const campaignResults = sqliteTable(
  'campaign_results',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** 結果番号: what the agent keys before `#`. */
    number: integer('number').notNull(),
    /** 結果テキスト. */
    text: text('text').notNull(),
    /** The place of the line in the campaign's list (statistics columns follow it). */
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.number] })],
);

export const campaignMembers = sqliteTable(
  'campaign_members',
  {
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    /** Not taking this campaign's calls for now (the campaign status tag, like a group's). */
    paused: integer('paused', { mode: 'boolean' }).notNull().default(false),
    pausedStatusId: integer('paused_status_id').references(() => customStatuses.id, {
      onDelete: 'set null',
    }),
    addedAt: instant('added_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.agentId] }),
    index('campaign_members_agent_idx').on(t.agentId),
  ],
);

export const campaignEntries = sqliteTable(
  'campaign_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    /** The CRM customer called, or none for a bare number. */
    customerId: integer('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    /** 電話番号: digits only. */
    phone: text('phone').notNull(),
    /** 結果: a system result's key or a campaign result's number (results.ts). */
    result: text('result').notNull().default('waiting'),
    /** コール数: attempts so far. */
    callCount: integer('call_count').notNull().default(0),
    /** 発信日時: when it was last dialled. */
    lastDialedAt: instant('last_dialed_at'),
    /** エージェント: who talked to the customer last. */
    lastAgentId: integer('last_agent_id').references(() => agents.id, { onDelete: 'set null' }),
    /** 予約: not dialled before this instant. */
    reservedAt: instant('reserved_at'),
    /** 担当: the agent whose recall list holds it; only they dial it (§7 new spec). */
    assigneeId: integer('assignee_id').references(() => agents.id, { onDelete: 'set null' }),
    /** 備考. */
    remarks: text('remarks').notNull().default(''),
    /** Whether a call for it is live (results.ts ENTRY_PHASES), and which. */
    phase: text('phase', { enum: ENTRY_PHASES }).notNull().default('idle'),
    callId: text('call_id'),
    ...auditColumns(),
  },
  (t) => [
    index('campaign_entries_due_idx').on(t.campaignId, t.result, t.phase, t.reservedAt),
    index('campaign_entries_customer_idx').on(t.customerId),
    index('campaign_entries_assignee_idx')
      .on(t.assigneeId, t.reservedAt)
      .where(sql`${t.assigneeId} IS NOT NULL`),
  ],
);

export const campaignAttempts = sqliteTable(
  'campaign_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    entryId: integer('entry_id').references(() => campaignEntries.id, { onDelete: 'set null' }),
    /** The call engine's call id (call history's too). */
    callId: text('call_id').notNull(),
    mode: text('mode', { enum: DIAL_MODES }).notNull(),
    phone: text('phone').notNull(),
    startedAt: instant('started_at').notNull(),
    /** When the customer answered (none: never). */
    answeredAt: instant('answered_at'),
    /** When an agent was connected to the customer (none: never). */
    connectedAt: instant('connected_at'),
    endedAt: instant('ended_at'),
    /** None while it is live. */
    outcome: text('outcome', { enum: ATTEMPT_OUTCOMES }),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('campaign_attempts_campaign_idx').on(t.campaignId, t.startedAt),
    index('campaign_attempts_entry_idx').on(t.entryId),
  ],
);
