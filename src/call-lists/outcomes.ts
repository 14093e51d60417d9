/**
 * A call-list customer's results (A.10.3): what the operator records per call — 結果
 * (not_called 未架電 / no_answer 不応答 / answered 応答), 見込み (prospect) and 再架電 (recall) — and
 * what follows from it: the final status (最終ステータス, by 再架電 > 見込み > 結果) and whether the
 * call counts as 架電済 under the setting 架電済対象. Pure.
 */

export const CALL_RESULTS = ['not_called', 'no_answer', 'answered'] as const;
export type CallResult = (typeof CALL_RESULTS)[number];

export const FINAL_STATUSES = [
  'not_called',
  'no_answer',
  'answered',
  'recall',
  'prospect',
] as const;
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** 架電済対象: every dialled call, or answered ones only (the default). */
export const CALLED_COUNTS = ['all_calls', 'answered_only'] as const;
export type CalledCounts = (typeof CALLED_COUNTS)[number];

export const RESULT_LABELS: Readonly<Record<FinalStatus, string>> = {
  not_called: '未架電',
  no_answer: '不応答',
  answered: '応答',
  recall: '再架電',
  prospect: '見込み',
};

export interface CallOutcome {
  result: CallResult;
  prospect: boolean;
  recall: boolean;
}

/** 再架電 > 見込み > 結果: a recall shows as recall even when answered and a prospect. */
export function finalStatusOf(outcome: CallOutcome): FinalStatus {
  if (outcome.recall) return 'recall';
  if (outcome.prospect) return 'prospect';
  return outcome.result;
}

/**
 * 架電結果 of a history row: 架電済 or not. A call never dialled is never 架電済; a no-answer is
 * only under `all_calls`. An answering machine that picked up was answered (A.18).
 */
export function countsAsCalled(result: CallResult, counts: CalledCounts): boolean {
  if (result === 'not_called') return false;
  return counts === 'all_calls' || result === 'answered';
}
