/** ARI failures with a kind the rest of the server can act on (a channel gone, Asterisk away …). */

export type AriErrorKind =
  'not_found' | 'not_in_stasis' | 'conflict' | 'invalid' | 'unavailable' | 'timeout' | 'failed';

export class AriError extends Error {
  constructor(
    readonly kind: AriErrorKind,
    readonly operation: string,
    message: string,
  ) {
    super(`ARI ${operation}: ${message}`);
    this.name = 'AriError';
  }
}

/** ARI answers errors as {"message": "..."}; ari-client passes only that text on. */
export function classifyAriError(operation: string, err: unknown): AriError {
  if (err instanceof AriError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  let message = raw;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed) {
      message = String(parsed.message);
    }
  } catch {
    /* not JSON: keep the text */
  }
  const kind: AriErrorKind = /not in stasis/i.test(message)
    ? 'not_in_stasis'
    : /not found|does not exist|unknown/i.test(message)
      ? 'not_found'
      : /already exists|in use|conflict|not (up|ringing|in a bridge)/i.test(message)
        ? 'conflict'
        : /invalid|required|must|bad request|unprocessable/i.test(message)
          ? 'invalid'
          : /ECONNREFUSED|ECONNRESET|socket hang up|ETIMEDOUT/i.test(message)
            ? 'unavailable'
            : 'failed';
  return new AriError(kind, operation, message);
}
