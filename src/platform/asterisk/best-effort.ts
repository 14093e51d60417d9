/**
 * Call-control steps that may find their channel or bridge gone: the party hung up meanwhile,
 * which is how calls end, not a fault. Such a step is done "quietly": a channel or bridge that is
 * not there any more is silent, any other failure is logged as a warning — and nothing is thrown,
 * so the feature goes on with what is left of the call. One helper for every feature, so that
 * a real failure (Asterisk refusing a request) is never swallowed without a trace.
 */
import type { Logger } from '../logger.js';
import { AriError } from './ari-errors.js';

export type Quietly = (action: () => Promise<unknown>) => Promise<void>;

export function quietlyWith(log: Logger, what = 'call control step failed'): Quietly {
  return async (action) => {
    try {
      await action();
    } catch (err) {
      if (!(err instanceof AriError && (err.kind === 'not_found' || err.kind === 'not_in_stasis')))
        log.warn({ err }, what);
    }
  };
}
