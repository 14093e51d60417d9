/**
 * What a campaign entry's result (結果) can be (§10-8, §10-9): the nine system results the engine
 * sets from what really happened on the line, or one of the campaign's own results (`番号,テキスト`
 * lines), which agents enter by DTMF or on the web. An entry's status icon (ステータス) follows
 * from its result and whether a call for it is live. Pure.
 */

export const SYSTEM_RESULTS = [
  'waiting', // 発信待機中: dialled when its turn (or reservation) comes
  'busy', // ビジー: 486 from the called party
  'no_entry', // 未入力: answered, but no result was entered in time
  'cancelled', // キャンセル: refused, rejected, or the agent hung up while it rang
  'timeout', // 制限時間: no answer within the campaign's dial timeout
  'channel_limit', // チャンネル制限: the DID's (or campaign's) channel limit was reached
  'error', // エラー: the carrier or the system failed the call
  'restricted', // 発信規制: on the outbound-restriction list; never dialled
  'stopped', // 停止: set by hand to stop dialling the entry
] as const;
export type SystemResult = (typeof SYSTEM_RESULTS)[number];

export const SYSTEM_RESULT_LABELS: Readonly<Record<SystemResult, string>> = {
  waiting: '発信待機中',
  busy: 'ビジー',
  no_entry: '未入力',
  cancelled: 'キャンセル',
  timeout: '制限時間',
  channel_limit: 'チャンネル制限',
  error: 'エラー',
  restricted: '発信規制',
  stopped: '停止',
};

/**
 * An entry's result as stored: a system result's key, or a campaign result's number in decimal
 * (`'1'`, `'12'`). Custom result numbers are positive, so the two never collide.
 */
export type StoredResult = SystemResult | `${number}`;

export type EntryResult =
  { kind: 'system'; key: SystemResult } | { kind: 'campaign'; number: number };

export function isSystemResult(value: string): value is SystemResult {
  return (SYSTEM_RESULTS as readonly string[]).includes(value);
}

export function parseStoredResult(stored: string): EntryResult {
  if (isSystemResult(stored)) return { kind: 'system', key: stored };
  const number = Number(stored);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`not a result: ${stored}`);
  return { kind: 'campaign', number };
}

export function storedResult(result: EntryResult): StoredResult {
  return result.kind === 'system' ? result.key : `${result.number}`;
}

/** Where a call for an entry is (kept on the entry so a restart knows what was in flight). */
export const ENTRY_PHASES = ['idle', 'dialing', 'in_call'] as const;
export type EntryPhase = (typeof ENTRY_PHASES)[number];

/** The status icon of §10-9: 発信待機中 / 発信済み / 発信処理中 / 通話中 / 発信停止. */
export const ENTRY_STATUSES = ['waiting', 'dialled', 'dialing', 'in_call', 'stopped'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const ENTRY_STATUS_LABELS: Readonly<Record<EntryStatus, string>> = {
  waiting: '発信待機中',
  dialled: '発信済み',
  dialing: '発信処理中',
  in_call: '通話中',
  stopped: '発信停止',
};

export function entryStatusOf(phase: EntryPhase, result: StoredResult): EntryStatus {
  if (phase !== 'idle') return phase;
  if (result === 'waiting') return 'waiting';
  if (result === 'stopped') return 'stopped';
  return 'dialled';
}

/**
 * How one dial attempt ended, as the ledger keeps it (the pacer's history, the abandon rate and
 * the statistics all read it). `abandoned`: the customer answered and no agent was connected
 * within the abandon limit (2 s), so they heard the campaign's message and were hung up.
 */
export const ATTEMPT_OUTCOMES = [
  'connected', // answered and an agent talked to the customer
  'abandoned',
  'machine', // answered by a machine (AMD on)
  'busy',
  'no_answer',
  'cancelled',
  'restricted',
  'channel_limit',
  'error',
  'stopped', // the campaign was stopped while it rang
] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** The system result an attempt leaves on its entry, unless an agent enters another one. */
export function resultOfOutcome(outcome: AttemptOutcome): SystemResult {
  switch (outcome) {
    case 'connected':
    case 'machine':
      return 'no_entry';
    case 'abandoned':
      // The customer answered and was let down: they are called again (the engine reserves it).
      return 'waiting';
    case 'busy':
      return 'busy';
    case 'no_answer':
      return 'timeout';
    case 'cancelled':
      return 'cancelled';
    case 'restricted':
      return 'restricted';
    case 'channel_limit':
      return 'channel_limit';
    case 'error':
      return 'error';
    case 'stopped':
      return 'waiting';
  }
}

export const CAMPAIGN_TYPES = ['preview', 'progressive'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];

export const AGENT_MODES = ['ringing', 'login'] as const;
export type AgentMode = (typeof AGENT_MODES)[number];

export const DIAL_MODES = ['preview', 'progressive', 'predictive', 'recall'] as const;
/** How an attempt was dialled: the campaign's mode at the time, or an agent's recall. */
export type DialMode = (typeof DIAL_MODES)[number];
