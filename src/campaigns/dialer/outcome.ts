/**
 * What a failed dial of a customer means for the campaign (§10-9's system results): the call
 * engine says why the carrier leg did not answer; the ledger keeps the attempt's outcome. Pure.
 */
import type { EndReason } from '../../calls/outcomes.js';
import type { AttemptOutcome } from '../results.js';

export function outcomeOfDialFailure(reason: EndReason | 'channel_limit'): AttemptOutcome {
  switch (reason) {
    case 'busy':
      return 'busy'; // ビジー: 486
    case 'no_answer':
      return 'no_answer'; // 制限時間: rang through the dial timeout
    case 'rejected':
    case 'cancelled':
    case 'forbidden':
      return 'cancelled'; // キャンセル: refused, declined, or given up
    case 'restricted':
      return 'restricted'; // 発信規制
    case 'channel_limit':
      return 'channel_limit'; // チャンネル制限
    case 'completed':
    case 'unregistered':
    case 'unknown_number':
    case 'blocked':
    case 'failed':
    case 'media_timeout':
    case 'ended_while_away':
      return 'error'; // エラー: the number does not exist, the carrier or the system failed
  }
}
