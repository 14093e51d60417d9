/**
 * What an agent keys after a campaign call when the campaign enters results by DTMF (§10-8
 * 結果をコマンドで入力): a campaign result's number then `#`; or `0`, which asks for the recall
 * time, then `分#` (minutes), `分*時#` (minutes*hours) or `分*時*日#` (minutes*hours*days) — a redial
 * reserved after that interval. The system results cannot be keyed: only the campaign's own
 * numbers are accepted (they are positive, so a result never starts with 0).
 *
 * The call hands the keys over one at a time as they come, so this is a reader that answers
 * after each key: more keys wanted, or the finished entry, or why it is refused. The manual sets
 * no limits on the recall time; ours are 999 minutes, 99 hours and 365 days per field. Waiting for
 * keys (未入力 when none come in time) is the call's business, not this reader's. Pure.
 */
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../platform/calendar.js';

/** The recall interval as keyed: each field as entered (0 when not entered). */
export interface RecallDelay {
  minutes: number;
  hours: number;
  days: number;
}

export const RECALL_DELAY_LIMITS: Readonly<RecallDelay> = { minutes: 999, hours: 99, days: 365 };

export const RESULT_ENTRY_ERRORS = [
  'empty', // `#` with nothing before it (or `0#`: a recall without a time)
  'unknown_result', // a number that is not one of the campaign's results
  'bad_form', // a key out of place: `*` in a result, an empty or fourth recall field, not a DTMF key
  'zero_delay', // a recall time of zero
  'too_long', // a result longer than any of the campaign's, or a recall field over its limit
] as const;
export type ResultEntryError = (typeof RESULT_ENTRY_ERRORS)[number];

export type ResultEntryStep =
  | { kind: 'more' }
  | { kind: 'result'; number: number }
  | { kind: 'recall'; delay: RecallDelay; delayMs: number }
  | { kind: 'error'; reason: ResultEntryError };

/** A finished entry: whatever `more` is not. */
export type ResultEntry = Exclude<ResultEntryStep, { kind: 'more' }>;

/** The fields of a recall time in the order they are keyed. */
const RECALL_FIELDS = ['minutes', 'hours', 'days'] as const;

/** Beyond this many keys the entry is refused, whatever they are (zeros do not end a field). */
const MAX_KEYS = 16;

export interface ResultEntryReader {
  /**
   * One key (`0`–`9`, `*`, `#`). Once the entry has finished, every later key gets the same
   * answer: start a new reader for a new entry.
   */
  feed(key: string): ResultEntryStep;
  /** The keys taken so far. */
  readonly keys: string;
}

export function delayMsOf(delay: RecallDelay): number {
  return delay.minutes * MINUTE_MS + delay.hours * HOUR_MS + delay.days * DAY_MS;
}

/** A reader for one entry, given the campaign's result numbers. */
export function resultEntryReader(resultNumbers: Iterable<number>): ResultEntryReader {
  const known = new Set(resultNumbers);
  const longest = Math.max(0, ...[...known].map((n) => String(n).length));
  let keys = '';
  let finished: ResultEntry | undefined;
  // The recall's fields so far (after the leading 0), each a string of digits.
  let recall: string[] | undefined;
  let resultDigits = '';

  const finish = (step: ResultEntry): ResultEntry => (finished = step);
  const error = (reason: ResultEntryError): ResultEntry => finish({ kind: 'error', reason });

  function recallKey(fields: string[], key: string): ResultEntryStep {
    const index = fields.length - 1;
    const current = fields[index] ?? '';
    if (key === '#') {
      if (fields.length === 1 && current === '') return error('empty');
      if (current === '') return error('bad_form');
      const delay: RecallDelay = { minutes: 0, hours: 0, days: 0 };
      for (const [i, field] of RECALL_FIELDS.entries()) delay[field] = Number(fields[i] ?? 0);
      const delayMs = delayMsOf(delay);
      if (delayMs === 0) return error('zero_delay');
      return finish({ kind: 'recall', delay, delayMs });
    }
    if (key === '*') {
      if (current === '' || fields.length === RECALL_FIELDS.length) return error('bad_form');
      fields.push('');
      return { kind: 'more' };
    }
    const field = RECALL_FIELDS[index] ?? 'days';
    const digits = current + key;
    if (Number(digits) > RECALL_DELAY_LIMITS[field]) return error('too_long');
    fields[index] = digits;
    return { kind: 'more' };
  }

  function resultKey(key: string): ResultEntryStep {
    if (key === '#') {
      if (resultDigits === '') return error('empty');
      const number = Number(resultDigits);
      return known.has(number) ? finish({ kind: 'result', number }) : error('unknown_result');
    }
    if (key === '*') return error('bad_form');
    if (resultDigits === '' && key === '0') {
      recall = [''];
      return { kind: 'more' };
    }
    resultDigits += key;
    if (resultDigits.length > longest) return error(longest === 0 ? 'unknown_result' : 'too_long');
    return { kind: 'more' };
  }

  return {
    get keys() {
      return keys;
    },
    feed(key) {
      if (finished !== undefined) return finished;
      keys += key;
      if (!/^[0-9*#]$/.test(key)) return error('bad_form');
      if (keys.length > MAX_KEYS) return error('too_long');
      return recall === undefined ? resultKey(key) : recallKey(recall, key);
    },
  };
}

/**
 * A whole entry at once (the web, tests): each key fed in turn. `more` when the keys stop before
 * the entry is finished (no `#` yet); keys after the finishing `#` make it `bad_form`.
 */
export function parseResultEntry(keys: string, resultNumbers: Iterable<number>): ResultEntryStep {
  const reader = resultEntryReader(resultNumbers);
  // DTMF keys are ASCII: a string's code units are its keys (anything else is bad_form anyway).
  for (let index = 0; index < keys.length; index++) {
    const step = reader.feed(keys.charAt(index));
    if (step.kind === 'more') continue;
    return index === keys.length - 1 || step.kind === 'error'
      ? step
      : { kind: 'error', reason: 'bad_form' };
  }
  return { kind: 'more' };
}
