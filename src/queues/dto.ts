/** Groups over the wire: request and response shapes, with the seed's terms in descriptions. */
import { z } from 'zod';
import { audioFileId, soundName as sound } from '../audio/sounds.js';
import { extensionDigits } from '../numbers/digits.js';
import { destinationSchema } from '../destinations/destination.js';
import type { GroupMemberRow } from './schema.js';
import type { GroupView } from './groups-service.js';
import { MAX_SKILL_LEVEL, MIN_SKILL_LEVEL, RING_STRATEGIES } from './model.js';
import type { WaitingView } from './acd.js';
import { auditFields, instant, singleLine, withAudit } from '../platform/http/schemas.js';

const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: 'must be a colour like #ff0000' });
const seconds = (max: number) => z.number().int().min(0).max(max);

export const skillLevel = z
  .number()
  .int()
  .min(MIN_SKILL_LEVEL)
  .max(MAX_SKILL_LEVEL)
  .describe(`スキルレベル: ${MIN_SKILL_LEVEL} is rung first`);

export const memberInput = z.object({
  agentId: z.number().int().positive(),
  skillLevel: skillLevel.default(1),
});

const strategy = z
  .enum(RING_STRATEGIES)
  .describe(
    '鳴動方式: ring_all 全て呼び出し, least_recent 終話順, shortest_talk_time 通話時間が短い順, ' +
      'random ランダム, round_robin 順番に呼び出し, skill_weighted レベルにより分配, ' +
      'fewest_calls (fewest calls today), linear (always from the top of the list)',
  );

const settings = {
  extension: extensionDigits.nullable().describe('内線 (800-899 by default)'),
  strategy,
  maxAnswered: z.number().int().min(1).max(999).describe('最大同時応答数'),
  maxWaiting: z
    .number()
    .int()
    .min(0)
    .max(999)
    .describe('最大待ち呼数; 0 = only as many as there are free agents'),
  overflow: destinationSchema.nullable().describe('迂回(あふれ呼); null = busy'),
  timeoutSeconds: seconds(86_400).describe('タイムアウト; 0 = never'),
  timeout: destinationSchema.nullable().describe('迂回(タイムアウト); null = busy'),
  ringSeconds: z.number().int().min(1).max(600).describe('呼出時間: one agent attempt'),
  retrySeconds: seconds(600).describe('Pause before an agent who did not answer is rung again'),
  ringBeforeQueueSeconds: seconds(600).describe('待ち呼開始時間: ringing before music'),
  autoPause: z.boolean().describe('無応答自動停止'),
  autoPauseSeconds: seconds(86_400).describe('無応答自動停止時間; 0 = until changed'),
  acwStatusId: z.number().int().positive().nullable().describe('ACWステータス'),
  acwSeconds: seconds(86_400).describe('ACW時間; 0 = until changed'),
  greeting: sound.nullable().describe('応答音声: an Asterisk sound (when no audio file is set)'),
  greetingAudioFileId: audioFileId
    .nullable()
    .describe('応答音声: an audio file (wins over greeting)'),
  announcement: sound
    .nullable()
    .describe('呼中音声: an Asterisk sound (when no audio file is set)'),
  announcementAudioFileId: audioFileId
    .nullable()
    .describe('呼中音声: an audio file (wins over announcement)'),
  announcementSeconds: z.number().int().min(5).max(3600),
  musicOnHold: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/)
    .describe('保留音: a music-on-hold class'),
  whisper: sound.nullable().describe('着信判別音声: played to the agent only (an Asterisk sound)'),
  whisperAudioFileId: audioFileId
    .nullable()
    .describe('着信判別音声: an audio file (wins over whisper)'),
  displayName: singleLine(40, 0).nullable().describe('端末表示名'),
  levelRelaxationSeconds: seconds(3600).describe(
    'A waiting call accepts the next skill level every N s; 0 = never (the seed’s rule)',
  ),
  serviceLevelSeconds: z.number().int().min(1).max(3600),
  fontColor: color,
  backgroundColor: color,
  sortOrder: z.number().int().min(0).max(100_000),
};

export const groupCreateSchema = z
  .object({
    name: singleLine(64).describe('名称'),
    ...settings,
    members: z.array(memberInput).max(1000).describe('Members in ring order'),
  })
  .partial()
  .required({ name: true });

export const groupUpdateSchema = groupCreateSchema.partial();

export const memberSchema = z
  .object({
    agentId: z.number().int(),
    skillLevel: z.number().int(),
    position: z.number().int(),
    paused: z.boolean().describe('Paused for this group only'),
    pausedStatusId: z.number().int().nullable(),
    addedAt: instant,
  })
  .describe('GroupMember');

export const toMember = (m: GroupMemberRow) => ({
  agentId: m.agentId,
  skillLevel: m.skillLevel,
  position: m.position,
  paused: m.paused,
  pausedStatusId: m.pausedStatusId,
  addedAt: m.addedAt.toISOString(),
});

export const groupSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    ...settings,
    ...auditFields,
  })
  .describe('Group');

export const toGroup = (g: GroupView) => withAudit(g);

export const waitingCallSchema = z
  .object({
    callId: z.string(),
    groupId: z.number().int(),
    from: z.object({ number: z.string(), name: z.string() }),
    enteredAt: instant,
    arrivedAt: instant.describe(
      'Its place in the line: when the customer first called (a transferred call: its start)',
    ),
    position: z.number().int(),
    waitedSeconds: z.number().int(),
    estimatedWaitSeconds: z.number().int().nullable(),
    ringingAgentIds: z.array(z.number().int()),
    consultation: z
      .boolean()
      .describe(
        'An agent consulting the group for an attended transfer (the customer on hold), not a ' +
          'customer waiting: the first member to answer talks with the agent',
      ),
  })
  .describe('WaitingCall');

export const toWaitingCall = (w: WaitingView) => ({
  ...w,
  enteredAt: w.enteredAt.toISOString(),
  arrivedAt: w.arrivedAt.toISOString(),
});
