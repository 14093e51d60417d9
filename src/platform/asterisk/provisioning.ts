/**
 * SIP endpoints live in SQLite; Asterisk holds a copy in its sorcery memory wizards, pushed over
 * ARI dynamic configuration (design §1). This is the one place that pushes them.
 *
 * Domains (terminals, trunks) register a source that lists the endpoints they want. Changes are
 * pushed as they happen; on every ARI (re)connect everything is pushed again and any PJSIP
 * endpoint Asterisk holds that no source wants is deleted, so an Asterisk restart or a missed
 * change heals itself.
 *
 * Every object is pushed with all of its fields (empty where unset): a PUT on an existing object
 * merges, so a field left out would keep its old value.
 *
 * An AOR is never PUT over an existing one: the merge copies the contacts phones registered into
 * the AOR's static `contact`, and the phone would then look registered forever. An AOR is created
 * when missing, left alone when unchanged, and deleted and created again when it changed (which
 * drops its registrations; phones register again at their next refresh).
 */
import type { Logger } from '../logger.js';
import { AriError, type AriPort } from './ari.js';

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

export interface Provisioner {
  addSource(source: ProvisioningSource): void;
  /** Pushes (creates or replaces) an endpoint now; when Asterisk is away, the next resync will. */
  push(endpoint: EndpointObjects): Promise<void>;
  /** Deletes an endpoint and every object it may have. */
  remove(id: string): Promise<void>;
  /** Pushes every wanted endpoint and deletes the unwanted ones. */
  resync(): Promise<{ pushed: number; removed: number }>;
}

const truthy = new Set(['yes', 'true', 'on', '1']);
const falsy = new Set(['no', 'false', 'off', '0']);

/** Whether Asterisk's copy of an object has every field we want (Asterisk writes yes as true). */
export function sameFields(
  current: Record<string, string>,
  wanted: Record<string, string>,
): boolean {
  return Object.entries(wanted).every(([name, value]) => {
    const have = current[name] ?? '';
    if (have === value) return true;
    const boolean = (v: string) => (truthy.has(v) ? 'true' : falsy.has(v) ? 'false' : v);
    return !/^\d+$/.test(value) && boolean(have) === boolean(value);
  });
}

export function createProvisioner(ari: AriPort, log: Logger): Provisioner {
  const sources: ProvisioningSource[] = [];
  let resyncing: Promise<{ pushed: number; removed: number }> | undefined;

  async function pushObjects(endpoint: EndpointObjects): Promise<void> {
    // Objects that must go are deleted first (in reverse dependency order), then the rest pushed.
    for (const type of [...PJSIP_TYPES].reverse()) {
      if (endpoint.objects[type] === null) await deleteQuietly(type, endpoint.id);
    }
    for (const type of PJSIP_TYPES) {
      const fields = endpoint.objects[type];
      if (fields === undefined || fields === null) continue;
      if (type === 'aor') {
        const current = await ari.asterisk.getObject('res_pjsip', 'aor', endpoint.id);
        if (current !== undefined && sameFields(current, fields)) continue;
        if (current !== undefined) await deleteQuietly('aor', endpoint.id);
      }
      await ari.asterisk.putObject('res_pjsip', type, endpoint.id, fields);
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

  async function runResync(): Promise<{ pushed: number; removed: number }> {
    const wanted = sources.flatMap((s) => s.desired());
    const wantedIds = new Set(wanted.map((e) => e.id));
    for (const endpoint of wanted) await pushObjects(endpoint);
    const present = await ari.endpoints.list('PJSIP');
    const stale = present.map((e) => e.resource).filter((id) => !wantedIds.has(id));
    for (const id of stale) await removeAll(id);
    log.info({ pushed: wanted.length, removed: stale.length }, 'PJSIP endpoints synchronised');
    return { pushed: wanted.length, removed: stale.length };
  }

  ari.onStateChange((state) => {
    if (state !== 'connected') return;
    resync().catch((err: unknown) => log.error({ err }, 'PJSIP resync after connect failed'));
  });

  function resync(): Promise<{ pushed: number; removed: number }> {
    // Two reconnects in a row share one pass instead of racing each other.
    resyncing ??= runResync().finally(() => {
      resyncing = undefined;
    });
    return resyncing;
  }

  return {
    addSource(source) {
      sources.push(source);
    },
    async push(endpoint) {
      if (ari.state() !== 'connected') return;
      await pushObjects(endpoint);
    },
    async remove(id) {
      if (ari.state() !== 'connected') return;
      await removeAll(id);
    },
    resync,
  };
}
