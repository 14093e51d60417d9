/**
 * SIP endpoints live in SQLite; Asterisk holds a copy in its sorcery memory wizards, pushed over
 * ARI dynamic configuration (design §1). This is the one place that pushes them.
 *
 * Domains (terminals, trunks) register a source that lists the endpoints they want. Changes are
 * applied as they happen; on every ARI (re)connect everything is pushed again and any PJSIP
 * endpoint Asterisk holds that no source wants is deleted, so an Asterisk restart, a takeover of
 * a running Asterisk or a missed change heals itself.
 *
 * An object is never PUT over an existing one. Asterisk updates an object by re-applying its
 * printed form and then the new fields, which corrupts it: a trunk's empty caller ID becomes the
 * number `unknown` (every inbound call then shows it), an identify's match addresses double, an
 * AOR's registered contacts turn permanent. So each object is read first, left alone when it is
 * what we want (pjsip-compare.ts), and otherwise deleted and created again — exactly the object a
 * fresh start creates. (A call up on an endpoint survives its re-creation; an AOR re-created
 * loses its registrations, which phones renew at their next refresh, so it is re-created only
 * when it changed.)
 *
 * Writes are atomic with the rows behind them: `apply` pushes before the caller stores, and when
 * Asterisk refuses an object it restores what was there and throws 422, so nothing is stored that
 * Asterisk would not hold. When Asterisk cannot be reached the change is `pending`: the caller
 * stores it, and it is pushed on reconnect (or retried after a timeout); `state` tells which.
 */
import type { Clock, Timer } from '../clock.js';
import { unprocessable } from '../http/errors.js';
import type { Logger } from '../logger.js';
import { AriError, type AriPort } from './ari.js';
import { sameObject } from './pjsip-compare.js';

/** PJSIP object types in the order they depend on each other. */
export const PJSIP_TYPES = ['auth', 'aor', 'endpoint', 'identify', 'registration'] as const;
export type PjsipType = (typeof PJSIP_TYPES)[number];

/**
 * One endpoint and the objects that come with it, all under the endpoint's id. A type set to
 * null must not exist (e.g. the registration of a trunk that no longer registers); a type not
 * mentioned is left alone.
 */
export interface EndpointObjects {
  id: string;
  objects: Partial<Record<PjsipType, Record<string, string> | null>>;
}

export interface ProvisioningSource {
  name: string;
  desired(): EndpointObjects[];
}

/** Where an endpoint stands with Asterisk. */
export type ProvisioningState =
  | { state: 'synced' }
  /** Stored here, not yet in Asterisk (unreachable, or it did not answer in time). */
  | { state: 'pending'; since: Date }
  /** Asterisk refused it when it was pushed again (e.g. a host name that no longer resolves). */
  | { state: 'failed'; error: string };

export interface Provisioner {
  addSource(source: ProvisioningSource): void;
  /**
   * Creates or replaces an endpoint in Asterisk before its row is stored. Asterisk refusing an
   * object: `previous` (what was there) is restored, or the new objects removed, and a 422
   * HttpError thrown. Asterisk unreachable: the endpoint is pending and pushed later.
   */
  apply(endpoint: EndpointObjects, previous?: EndpointObjects): Promise<ProvisioningState>;
  /** Deletes an endpoint and every object it may have (later, on reconnect, if unreachable). */
  remove(id: string): Promise<void>;
  /** Pushes every wanted endpoint and deletes the unwanted ones. */
  resync(): Promise<{ pushed: number; removed: number; failed: number }>;
  state(id: string): ProvisioningState;
}

const SYNCED: ProvisioningState = { state: 'synced' };
/** A push that timed out is tried again this much later. */
const RETRY_MS = 5000;

/** Asterisk refused an object of ours: which, and why. */
class Refused extends Error {
  constructor(
    readonly type: PjsipType,
    readonly reason: string,
  ) {
    super(`Asterisk refused the ${type}: ${reason}`);
  }
}

const unreachable = (err: unknown) =>
  err instanceof AriError && (err.kind === 'unavailable' || err.kind === 'timeout');

export function createProvisioner(ari: AriPort, clock: Clock, log: Logger): Provisioner {
  const sources: ProvisioningSource[] = [];
  const states = new Map<string, ProvisioningState>();
  let resyncing: Promise<{ pushed: number; removed: number; failed: number }> | undefined;
  let retryTimer: Timer | null = null;

  async function pushObjects(endpoint: EndpointObjects): Promise<void> {
    // Objects that must go are deleted first (in reverse dependency order), then the rest pushed.
    for (const type of [...PJSIP_TYPES].reverse()) {
      if (endpoint.objects[type] === null) await deleteQuietly(type, endpoint.id);
    }
    for (const type of PJSIP_TYPES) {
      const fields = endpoint.objects[type];
      if (fields === undefined || fields === null) continue;
      const current = await ari.asterisk.getObject('res_pjsip', type, endpoint.id);
      if (current !== undefined && sameObject(current, fields)) continue;
      if (current !== undefined) await deleteQuietly(type, endpoint.id);
      try {
        await ari.asterisk.putObject('res_pjsip', type, endpoint.id, fields);
      } catch (err) {
        if (err instanceof AriError && (err.kind === 'invalid' || err.kind === 'failed'))
          throw new Refused(type, err.message.replace(/^ARI [^:]+: /, ''));
        throw err;
      }
    }
  }

  async function deleteQuietly(type: PjsipType, id: string): Promise<void> {
    try {
      await ari.asterisk.deleteObject('res_pjsip', type, id);
    } catch (err) {
      if (!(err instanceof AriError && err.kind === 'not_found')) throw err;
    }
  }

  async function removeAll(id: string): Promise<void> {
    for (const type of [...PJSIP_TYPES].reverse()) await deleteQuietly(type, id);
  }

  function pending(id: string): ProvisioningState {
    const state: ProvisioningState = { state: 'pending', since: clock.now() };
    states.set(id, state);
    return state;
  }

  /** A push that timed out while connected: try the pending ones again shortly. */
  function scheduleRetry(): void {
    if (retryTimer !== null) return;
    retryTimer = clock.setTimeout(() => {
      retryTimer = null;
      if (ari.state() === 'connected') void resync();
    }, RETRY_MS);
  }

  async function runResync(): Promise<{ pushed: number; removed: number; failed: number }> {
    const wanted = sources.flatMap((s) => s.desired());
    const wantedIds = new Set(wanted.map((e) => e.id));
    let failed = 0;
    for (const endpoint of wanted) {
      try {
        await pushObjects(endpoint);
        states.delete(endpoint.id);
      } catch (err) {
        if (err instanceof Refused) {
          failed += 1;
          states.set(endpoint.id, { state: 'failed', error: err.message });
          log.error({ endpoint: endpoint.id, reason: err.reason }, 'Asterisk refused an endpoint');
          continue;
        }
        if (unreachable(err)) {
          for (const e of wanted) if (states.get(e.id)?.state !== 'failed') pending(e.id);
          scheduleRetry();
        }
        throw err;
      }
    }
    for (const id of states.keys()) if (!wantedIds.has(id)) states.delete(id);
    const present = await ari.endpoints.list('PJSIP');
    const stale = present.map((e) => e.resource).filter((id) => !wantedIds.has(id));
    for (const id of stale) await removeAll(id);
    log.info(
      { pushed: wanted.length, removed: stale.length, failed },
      'PJSIP endpoints synchronised',
    );
    return { pushed: wanted.length, removed: stale.length, failed };
  }

  function resync(): Promise<{ pushed: number; removed: number; failed: number }> {
    // Two reconnects in a row share one pass instead of racing each other.
    resyncing ??= runResync().finally(() => {
      resyncing = undefined;
    });
    return resyncing;
  }

  ari.onStateChange((state) => {
    if (state !== 'connected') return;
    resync().catch((err: unknown) => log.error({ err }, 'PJSIP resync after connect failed'));
  });

  return {
    addSource(source) {
      sources.push(source);
    },

    async apply(endpoint, previous) {
      if (ari.state() !== 'connected') return pending(endpoint.id);
      try {
        await pushObjects(endpoint);
        states.delete(endpoint.id);
        return SYNCED;
      } catch (err) {
        if (err instanceof Refused) {
          // Put back what was there, so that Asterisk holds what the database still says.
          try {
            if (previous === undefined) await removeAll(endpoint.id);
            else await pushObjects(previous);
          } catch (restoreErr) {
            log.error({ err: restoreErr, endpoint: endpoint.id }, 'could not restore an endpoint');
          }
          throw unprocessable('asterisk_refused', err.message, {
            object: err.type,
            reason: err.reason,
          });
        }
        if (unreachable(err)) {
          scheduleRetry();
          return pending(endpoint.id);
        }
        throw err;
      }
    },

    async remove(id) {
      states.delete(id);
      if (ari.state() !== 'connected') return;
      try {
        await removeAll(id);
      } catch (err) {
        // The next resync removes what no source wants.
        if (!unreachable(err)) throw err;
      }
    },

    resync,
    state: (id) => states.get(id) ?? SYNCED,
  };
}
