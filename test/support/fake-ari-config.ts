/**
 * An ARI port that only holds dynamic PJSIP configuration, the way Asterisk 22 does (for unit
 * tests of provisioning): a PUT over an existing object merges into its printed form — an empty
 * caller ID turns into `unknown`, match addresses are appended — and a match Asterisk cannot
 * resolve is refused with 400. Every call can be made to fail as if Asterisk were away or slow.
 */
import type { AriPort, LinkState, LinkStateListener } from '../../src/platform/asterisk/ari.js';
import { AriError } from '../../src/platform/asterisk/ari.js';

export interface FakeAriConfig {
  port: AriPort;
  /** Objects as Asterisk would print them, by `type/id`. */
  objects: Map<string, Record<string, string>>;
  /** Every write, in order: `PUT aor/x`, `DELETE endpoint/x`. */
  writes: string[];
  setState(state: LinkState): void;
  /** The next calls fail this way (until cleared with undefined). */
  failWith(kind: 'unavailable' | 'timeout' | undefined): void;
}

/** How Asterisk prints a field it was given (see pjsip-compare.ts for the forms). */
function printed(field: string, value: string): string {
  if (field === 'callerid' && (value === '' || value === '"" <>')) return '<unknown>';
  if (field === 'match')
    return value
      .split(',')
      .map((v) => (v.includes('/') ? v : `${v}/255.255.255.255`))
      .join(',');
  if (value === 'yes') return 'true';
  if (value === 'no') return 'false';
  return value;
}

export function fakeAriConfig(): FakeAriConfig {
  const objects = new Map<string, Record<string, string>>();
  const writes: string[] = [];
  const listeners = new Set<LinkStateListener>();
  let state: LinkState = 'connected';
  let failure: 'unavailable' | 'timeout' | undefined;

  const guard = (operation: string) => {
    if (failure !== undefined) throw new AriError(failure, operation, 'as told');
    if (state !== 'connected') throw new AriError('unavailable', operation, 'not connected');
  };

  const config: Pick<AriPort, 'asterisk' | 'endpoints'> = {
    asterisk: {
      info: () => Promise.reject(new Error('not faked')),
      async getObject(_class, type, id) {
        guard('asterisk.getObject');
        const object = objects.get(`${type}/${id}`);
        return object === undefined ? undefined : { ...object };
      },
      async putObject(_class, type, id, fields) {
        guard('asterisk.updateObject');
        const match = fields.match ?? '';
        if (match.split(',').some((m) => m.endsWith('.invalid') || m === '1.2.3.999')) {
          throw new AriError(
            'invalid',
            'asterisk.updateObject',
            `Creation of object '${id}' failed field value validation`,
          );
        }
        writes.push(`PUT ${type}/${id}`);
        const key = `${type}/${id}`;
        const existing = objects.get(key);
        const next: Record<string, string> = { ...(existing ?? {}) };
        for (const [field, value] of Object.entries(fields)) {
          if (field === 'disallow') continue;
          // An endpoint's set_var is printed as an attribute named after its variable.
          if (field === 'set_var') {
            const at = value.indexOf('=');
            next[value.slice(0, at)] = value.slice(at + 1);
            continue;
          }
          // An update re-reads the printed form: `<unknown>` becomes the number `unknown`,
          // and a list field gets the new entries appended.
          if (existing !== undefined && field === 'match') {
            next.match = [existing.match, printed(field, value)].filter(Boolean).join(',');
          } else next[field] = printed(field, value);
        }
        if (existing !== undefined && next.callerid === '<unknown>') next.callerid = 'unknown';
        objects.set(key, next);
      },
      async deleteObject(_class, type, id) {
        guard('asterisk.deleteObject');
        if (!objects.delete(`${type}/${id}`))
          throw new AriError('not_found', 'asterisk.deleteObject', 'Object not found');
        writes.push(`DELETE ${type}/${id}`);
      },
    },
    endpoints: {
      async list() {
        guard('endpoints.listByTech');
        return [...objects.keys()]
          .filter((k) => k.startsWith('endpoint/'))
          .map((k) => ({
            technology: 'PJSIP',
            resource: k.slice('endpoint/'.length),
            state: 'online',
            channel_ids: [],
          }));
      },
      get: () => Promise.reject(new Error('not faked')),
    },
  };
  const port = new Proxy(config, {
    get(target, property: string) {
      if (property === 'state') return () => state;
      if (property === 'onStateChange')
        return (listener: LinkStateListener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        };
      if (property in target) return target[property as keyof typeof target];
      throw new Error(`the fake ARI port has no ${property}`);
    },
  }) as unknown as AriPort;

  return {
    port,
    objects,
    writes,
    setState(next) {
      state = next;
      for (const listener of listeners) listener(next);
    },
    failWith(kind) {
      failure = kind;
    },
  };
}
