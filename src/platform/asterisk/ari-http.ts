/**
 * ARI failures as HTTP answers, in one place: a route that drives Asterisk just lets the
 * AriError through, and the error handler answers with what it means for the client.
 * - Asterisk unreachable or too slow to answer: 503, try again later.
 * - The channel or bridge is gone, or no longer in our application: the call changed under the
 *   request (the party hung up meanwhile) — 409, as for any call in the wrong state.
 * Anything else (Asterisk refusing what we asked) is a fault of ours and stays a 500.
 */
import { HttpError, conflict } from '../http/errors.js';
import { AriError } from './ari.js';

export function httpErrorOfAri(err: unknown): HttpError | undefined {
  if (!(err instanceof AriError)) return undefined;
  switch (err.kind) {
    case 'unavailable':
    case 'timeout':
      return new HttpError(
        503,
        'asterisk_unavailable',
        'Asterisk is not reachable at the moment; try again shortly',
      );
    case 'not_found':
    case 'not_in_stasis':
      return conflict('call_changed', 'The call changed meanwhile: a party of it is gone');
    case 'conflict':
      return conflict('call_changed', 'Asterisk refused: the call is not in a state for this');
    case 'invalid':
    case 'failed':
      return undefined;
  }
}
