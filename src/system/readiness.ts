/**
 * Whether the server can do its job: the database answers, both links to Asterisk are up and, in
 * managed mode, its Asterisk has finished starting (ARI may answer a restarted Asterisk a moment
 * before the supervisor of the process has seen it: not ready until both agree).
 * /readyz reports it; load balancers and the test harness wait on it.
 */
import type { AsteriskStatus } from '../platform/asterisk/gateway.js';

export interface Readiness {
  ready: boolean;
  checks: {
    database: { ok: boolean; problem?: string };
    ari: { ok: boolean; state: string };
    ami: { ok: boolean; state: string };
  };
  asterisk: AsteriskStatus;
  /** Why the server is not ready, in one line. */
  reason?: string;
}

export function readiness(
  databaseProblem: string | undefined,
  asterisk: AsteriskStatus,
): Readiness {
  const checks: Readiness['checks'] = {
    database:
      databaseProblem === undefined ? { ok: true } : { ok: false, problem: databaseProblem },
    ari: { ok: asterisk.ari === 'connected', state: asterisk.ari },
    ami: { ok: asterisk.ami === 'connected', state: asterisk.ami },
  };
  const failing = [
    !checks.database.ok && `database: ${databaseProblem ?? ''}`,
    !checks.ari.ok && `ARI ${asterisk.ari}`,
    !checks.ami.ok && `AMI ${asterisk.ami}`,
    asterisk.process !== undefined &&
      asterisk.process !== 'running' &&
      `Asterisk process ${asterisk.process}`,
  ].filter((x): x is string => typeof x === 'string');
  const ready = failing.length === 0;
  const detail = asterisk.reason === undefined ? '' : ` (last: ${asterisk.reason})`;
  return ready
    ? { ready, checks, asterisk }
    : { ready, checks, asterisk, reason: failing.join('; ') + detail };
}
