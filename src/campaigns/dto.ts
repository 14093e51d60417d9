/**
 * Campaigns over the wire (§10-8): request and response shapes, with the manual's terms and
 * defaults in the descriptions, and the bounds of each setting.
 */
import { z } from 'zod';
import { audioFileId } from '../audio/sounds.js';
import { TIME_OF_DAY } from '../ivr/schedule.js';
import {
  auditFields,
  instant,
  isoOf,
  multiLine,
  singleLine,
  withAudit,
} from '../platform/http/schemas.js';
import type { CampaignMemberView, MyCampaign } from './members.js';
import { formatResultLines, MAX_RESULT_NUMBER, MAX_RESULTS } from './result-lines.js';
import { AGENT_MODES, CAMPAIGN_TYPES } from './results.js';
import type { CampaignSummary, CampaignView } from './service.js';

/** Bounds of the settings: wide enough for any real campaign, narrow enough to catch typos. */
export const LIMITS = {
  maxDialRatio: 10,
  maxChannels: 1000,
  maxDialTimeoutSeconds: 600,
  maxAgentRingSeconds: 600,
  maxAcwSeconds: 86_400,
  maxPredictiveMinAgents: 1000,
} as const;

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour like #ff0000' })
  .transform((c) => c.toLowerCase());
const time = z
  .string()
  .regex(TIME_OF_DAY, { error: 'must be HH:MM on a 24-hour clock, 00:00 to 23:59' });
const rowId = z.number().int().positive();

const settingsIn = {
  enabled: z.boolean().describe('ステータス ON / OFF (default OFF): run or stop the campaign'),
  phoneNumberId: rowId
    .nullable()
    .describe('発信者番号 (default 未設定): a registered phone number; required while ON'),
  withholdCallerId: z
    .boolean()
    .describe('プレフィックス: 184発信 (default off), withhold the caller ID from the customer'),
  type: z
    .enum(CAMPAIGN_TYPES)
    .describe(
      '区分 (default preview): preview プレビューコール (the agent first, then the customer) or ' +
        'progressive プログレッシブコール (the customer first, then an agent)',
    ),
  predictive: z
    .boolean()
    .describe(
      'プレディクティブコール (default OFF): the pacer sets how many lines to dial; progressive only',
    ),
  agentMode: z
    .enum(AGENT_MODES)
    .describe(
      'エージェントモード (default ringing): ringing リンギング (each call rings a free member) or ' +
        'login ログイン (members on an open line by dialling 990; progressive only)',
    ),
  serviceLevelPercent: z
    .number()
    .int()
    .min(1)
    .max(100)
    .describe('サービスレベル % (default 100): answered customers who must reach an agent'),
  dialRatio: z
    .number()
    .min(1)
    .max(LIMITS.maxDialRatio)
    .describe(`発信速度倍率 (default 1, 1–${LIMITS.maxDialRatio}): lines per free agent`),
  maxChannels: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.maxChannels)
    .describe('最大チャンネル (default 1): lines the campaign may use at once'),
  dialTimeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.maxDialTimeoutSeconds)
    .describe('タイムアウト (default 180 s): the customer’s ring time before 制限時間'),
  agentRingSeconds: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.maxAgentRingSeconds)
    .describe('待ち呼タイムアウト (default 20 s): an agent’s ring time for a call'),
  holdAudioFileId: audioFileId
    .nullable()
    .describe(
      '呼中音声(顧客) (default 未設定): what an answered customer hears while an agent is rung',
    ),
  abandonAudioFileId: audioFileId
    .nullable()
    .describe(
      'The message an abandoned customer hears (no agent in time) before the line is hung up',
    ),
  abandonTargetPercent: z
    .number()
    .min(0)
    .max(100)
    .describe(
      'The abandon-rate ceiling % of live-answered calls (default 3) the pacer keeps under',
    ),
  predictiveMinAgents: z
    .number()
    .int()
    .min(1)
    .max(LIMITS.maxPredictiveMinAgents)
    .describe(
      'Below this many members taking part (default 6), a predictive campaign dials progressively',
    ),
  detectMachines: z
    .boolean()
    .describe('Answering-machine detection (default off); its time counts against the 2 s rule'),
  acwStatusId: rowId
    .nullable()
    .describe('ACWステータス (default OFF = null): the agent status after a campaign call'),
  acwSeconds: z
    .number()
    .int()
    .min(0)
    .max(LIMITS.maxAcwSeconds)
    .describe('ACW時間 (default 0): seconds until that status clears; 0 = until changed'),
  dtmfResults: z
    .boolean()
    .describe(
      '結果をコマンドで入力 (default OFF): the agent keys the result (番号#) after the call',
    ),
  windowFrom: time.describe(
    '予約 From (default 00:00): the daily window’s start, HH:MM in TIMEZONE',
  ),
  windowTo: time.describe('予約 To (default 23:59): the daily window’s end, HH:MM in TIMEZONE'),
  textColor: color.describe('色 (default #000000): the status tag’s text colour'),
  backgroundColor: color.describe('色 (default #ffffff): the status tag’s background colour'),
};

const resultIn = z.object({
  number: z.number().int().min(0).max(MAX_RESULT_NUMBER).describe('結果番号: 1 or more'),
  text: z.string().max(200).describe('結果テキスト'),
});

const resultsIn = {
  results: z
    .array(resultIn)
    .max(MAX_RESULTS)
    .describe('結果: the campaign’s own results, in order (or give resultsText)'),
  resultsText: multiLine(20_000).describe(
    '結果 as the manual’s textarea: one `結果番号,結果テキスト` per line (or give results)',
  ),
};

const memberIdsIn = z
  .array(rowId)
  .max(1000)
  .describe('The agent checklist: the members’ agent ids (名称 / 内線)');

const refusals =
  '400 for a field out of its bounds. 409 `name_taken`. 422: `caller_id_required` (ON without ' +
  'a 発信者番号), `unknown_phone_number`, `unknown_audio_file`, `unknown_status` (ACWステータス), ' +
  '`unknown_agent` / `duplicate_member`, `predictive_needs_progressive`, `login_needs_progressive`, `invalid_results` ' +
  '(the message names each bad line, `line N: …`, or item, `results.N: …`; `details` lists them ' +
  'as `{where, message}`): a number must be a positive whole number, once; `0` is reserved ' +
  '(keyed alone it starts a recall by DTMF).';

export const createDescription = `Unset fields take the manual’s defaults. ${refusals}`;
export const updateDescription =
  `Only the fields given change; results and memberIds replace the whole list. ${refusals} ` +
  '409 `result_in_use` when a result removed is still the result of entries (`details`: ' +
  '`{number, text, entries}`).';

const oneResultsForm = (b: { results?: unknown; resultsText?: unknown }) =>
  b.results === undefined || b.resultsText === undefined;

export const campaignCreateSchema = z
  .object({
    name: singleLine(64).describe('名称 (Japanese allowed)'),
    ...z.object(settingsIn).partial().shape,
    ...z.object(resultsIn).partial().shape,
    memberIds: memberIdsIn.optional(),
  })
  .refine(oneResultsForm, { error: 'give results or resultsText, not both' });

export const campaignUpdateSchema = z
  .object({
    name: singleLine(64).describe('名称'),
    ...settingsIn,
    ...resultsIn,
    memberIds: memberIdsIn,
  })
  .partial()
  .refine(oneResultsForm, { error: 'give results or resultsText, not both' })
  .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' });

export const campaignStatusBody = z.object({
  enabled: z.boolean().describe('ステータス: true = ON (run), false = OFF (stop)'),
});

export const campaignMembersBody = z.object({ agentIds: memberIdsIn });

export const pauseBody = z.object({
  paused: z.boolean().describe('停止 for this campaign only (true) or taking part again (false)'),
  statusId: rowId
    .nullable()
    .optional()
    .describe('The custom agent status paused in (e.g. 休憩); ignored when resuming'),
});

const settingsOut = {
  enabled: z.boolean().describe('ステータス ON / OFF'),
  phoneNumberId: z.number().int().nullable().describe('発信者番号 (null: 未設定)'),
  withholdCallerId: z.boolean().describe('プレフィックス 184'),
  type: z.enum(CAMPAIGN_TYPES).describe('区分'),
  predictive: z.boolean().describe('プレディクティブコール'),
  agentMode: z.enum(AGENT_MODES).describe('エージェントモード'),
  serviceLevelPercent: z.number().int().describe('サービスレベル %'),
  dialRatio: z.number().describe('発信速度倍率'),
  maxChannels: z.number().int().describe('最大チャンネル'),
  dialTimeoutSeconds: z.number().int().describe('タイムアウト'),
  agentRingSeconds: z.number().int().describe('待ち呼タイムアウト'),
  holdAudioFileId: z.number().int().nullable().describe('呼中音声(顧客)'),
  abandonAudioFileId: z.number().int().nullable().describe('The abandon message'),
  abandonTargetPercent: z.number().describe('Abandon-rate ceiling %'),
  predictiveMinAgents: z.number().int(),
  detectMachines: z.boolean(),
  acwStatusId: z.number().int().nullable().describe('ACWステータス (null: OFF)'),
  acwSeconds: z.number().int().describe('ACW時間'),
  dtmfResults: z.boolean().describe('結果をコマンドで入力'),
  windowFrom: z.string().describe('予約 From'),
  windowTo: z.string().describe('予約 To'),
  textColor: z.string().describe('色 (text)'),
  backgroundColor: z.string().describe('色 (background)'),
};

export const memberSchema = z
  .object({
    agentId: z.number().int(),
    name: z.string().describe('名称'),
    extension: z.string().nullable().describe('内線'),
    paused: z.boolean().describe('Paused (停止) for this campaign only'),
    pausedStatusId: z.number().int().nullable(),
    addedAt: instant,
  })
  .describe('CampaignMember');

export const summarySchema = z
  .object({
    id: z.number().int().describe('ID'),
    name: z.string().describe('名称'),
    ...settingsOut,
    memberCount: z.number().int(),
    resultCount: z.number().int(),
    ...auditFields,
  })
  .describe('CampaignSummary');

export const campaignSchema = z
  .object({
    id: z.number().int().describe('ID'),
    name: z.string().describe('名称'),
    ...settingsOut,
    results: z
      .array(z.object({ number: z.number().int(), text: z.string() }))
      .describe('結果: the campaign’s own results, in order (the system results come beside them)'),
    resultsText: z.string().describe('The same as the manual’s textarea, `番号,テキスト` lines'),
    members: z.array(memberSchema).describe('The agent checklist'),
    ...auditFields,
  })
  .describe('Campaign');

export const myCampaignSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    enabled: z.boolean().describe('ステータス ON / OFF'),
    textColor: z.string(),
    backgroundColor: z.string(),
    paused: z.boolean().describe('I am paused (停止) for this campaign only'),
    pausedStatusId: z.number().int().nullable(),
  })
  .describe('MyCampaign');

export const toMember = (m: CampaignMemberView) => ({ ...m, addedAt: isoOf(m.addedAt) });

export const toCampaign = (c: CampaignView) => ({
  ...withAudit(c),
  resultsText: formatResultLines(c.results),
  members: c.members.map(toMember),
});

export const toSummary = (c: CampaignSummary) => withAudit(c);

export const toMyCampaign = (c: MyCampaign) => c;
