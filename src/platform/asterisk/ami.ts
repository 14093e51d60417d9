/**
 * The AMI port: Asterisk Manager Interface, for what ARI has no answer to (MixMonitor, PJSIP
 * contact state as a second source, CoreShowChannels for reconciliation).
 *
 * It wraps asterisk-manager and defends against its known defects (design §2 rule 2):
 * - ActionIDs come from Date.now() there and collide under load: this port always passes its own
 *   (`<prefix>-<counter>`).
 * - List actions (EventList) return only their first response there: this port collects the
 *   events carrying the action's ID up to the `…Complete` event.
 * - Its reconnect starts at 10 s and grows to 60 s, logging with console.log, and actions sent
 *   while disconnected are held forever: this port reconnects itself with backoff, fails actions
 *   at once while disconnected, and times every action out.
 * - A silently dead TCP connection is found by a periodic Ping.
 */
import { randomBytes } from 'node:crypto';
import AsteriskManager, { type AmiMessage, type Manager } from 'asterisk-manager';
import { RECONNECT_BACKOFF, backoffDelay } from '../backoff.js';
import type { Logger } from '../logger.js';
import type { LinkState, LinkStateListener } from './ari.js';

/** An AMI message with lower-cased keys, as asterisk-manager parses them. */
export type AmiFields = AmiMessage;

/** A field of an AMI message (name lower-cased), or undefined when absent or empty. */
export function amiField(message: AmiFields, name: string): string | undefined {
  const value = message[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export class AmiError extends Error {
  constructor(
    readonly kind: 'unavailable' | 'timeout' | 'rejected',
    readonly action: string,
    message: string,
    readonly response?: AmiFields,
  ) {
    super(`AMI ${action}: ${message}`);
    this.name = 'AmiError';
  }
}

export interface AmiResponse {
  response: AmiFields;
  /** The events of an EventList action, without its closing `…Complete` event. */
  events: AmiFields[];
}

export interface AmiConnectionSettings {
  host: string;
  port: number;
  user: string;
  secret: string;
}

export type AmiEventListener = (event: AmiFields) => void;

export interface AmiPort {
  state(): LinkState;
  onEvent(listener: AmiEventListener): () => void;
  onStateChange(listener: LinkStateListener): () => void;
  start(): void;
  stop(): Promise<void>;
  /** Sends an action; `eventList` waits for and returns the events of a list action. */
  action(
    fields: Record<string, string>,
    options?: { eventList?: boolean; timeoutMs?: number },
  ): Promise<AmiResponse>;
}

const ACTION_TIMEOUT_MS = 10_000;
const LOGIN_TIMEOUT_MS = 10_000;
const PING_INTERVAL_MS = 15_000;

interface PendingList {
  events: AmiFields[];
  response?: AmiFields;
  resolve(value: AmiResponse): void;
}

export function createAmiConnection(settings: AmiConnectionSettings, log: Logger): AmiPort {
  const eventListeners = new Set<AmiEventListener>();
  const stateListeners = new Set<LinkStateListener>();
  const lists = new Map<string, PendingList>();
  const idPrefix = `cc${process.pid.toString(36)}${randomBytes(3).toString('hex')}`;
  let counter = 0;
  let state: LinkState = 'disconnected';
  let manager: Manager | undefined;
  let stopped = true;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;

  function setState(next: LinkState, reason?: string): void {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) {
      try {
        listener(next, reason);
      } catch (err) {
        log.error({ err }, 'AMI state listener failed');
      }
    }
  }

  function onManagerEvent(event: AmiFields): void {
    const actionId = typeof event.actionid === 'string' ? event.actionid : undefined;
    const list = actionId === undefined ? undefined : lists.get(actionId);
    if (list !== undefined && actionId !== undefined) {
      if (event.eventlist === 'Complete') {
        lists.delete(actionId);
        list.resolve({ response: list.response ?? {}, events: list.events });
      } else {
        list.events.push(event);
      }
      return;
    }
    for (const listener of eventListeners) {
      try {
        listener(event);
      } catch (err) {
        log.error({ err, event: event.event }, 'AMI event handler failed');
      }
    }
  }

  function drop(current: Manager, reason: string): void {
    if (manager !== current) return;
    manager = undefined;
    if (pingTimer !== undefined) clearInterval(pingTimer);
    pingTimer = undefined;
    current.removeAllListeners();
    current.on('error', () => undefined);
    current.disconnect();
    for (const [id, list] of lists) {
      lists.delete(id);
      list.resolve({ response: list.response ?? {}, events: list.events });
    }
    if (stopped) return;
    const delay = backoffDelay(attempt, RECONNECT_BACKOFF);
    attempt += 1;
    if (state === 'connected') log.warn({ reason }, 'AMI connection lost');
    log.warn({ reason, retryInMs: delay, attempt }, 'AMI unavailable; reconnecting');
    setState('disconnected', reason);
    retryTimer = setTimeout(connect, delay);
  }

  function connect(): void {
    retryTimer = undefined;
    if (stopped) return;
    setState('connecting');
    // Port 0 keeps the library from connecting on its own; we connect and log in explicitly.
    const current = AsteriskManager(0, settings.host, settings.user, settings.secret, true);
    manager = current;
    current.on('error', (err: Error) => log.debug({ err }, 'AMI socket error'));
    current.on('close', () => drop(current, 'connection closed'));
    current.on('managerevent', onManagerEvent);
    const loginTimer = setTimeout(() => drop(current, 'login timed out'), LOGIN_TIMEOUT_MS);
    current.connect(settings.port, settings.host, () => {
      current.login((err) => {
        clearTimeout(loginTimer);
        if (err !== undefined) {
          const message = typeof err.message === 'string' ? err.message : 'login refused';
          drop(current, `login failed: ${message}`);
          return;
        }
        attempt = 0;
        startPinging(current);
        log.info({ host: settings.host, port: settings.port }, 'AMI connected');
        setState('connected');
      });
    });
  }

  function startPinging(current: Manager): void {
    pingTimer = setInterval(() => {
      send({ Action: 'Ping' }, {}).catch((err: unknown) => {
        drop(current, `no answer to Ping: ${err instanceof Error ? err.message : String(err)}`);
      });
    }, PING_INTERVAL_MS);
  }

  function send(
    fields: Record<string, string>,
    options: { eventList?: boolean; timeoutMs?: number },
  ): Promise<AmiResponse> {
    const name = fields.Action ?? fields.action ?? 'action';
    const current = manager;
    if (current === undefined || state !== 'connected') {
      return Promise.reject(new AmiError('unavailable', name, 'not connected to Asterisk'));
    }
    counter += 1;
    const actionId = `${idPrefix}-${counter}`;
    const timeoutMs = options.timeoutMs ?? ACTION_TIMEOUT_MS;

    return new Promise<AmiResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        lists.delete(actionId);
        current.removeAllListeners(actionId);
        reject(new AmiError('timeout', name, `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (value: AmiResponse): void => {
        clearTimeout(timer);
        resolve(value);
      };
      if (options.eventList === true) lists.set(actionId, { events: [], resolve: done });

      current.action({ ...fields, actionid: actionId }, (err, response) => {
        if (err !== undefined) {
          clearTimeout(timer);
          lists.delete(actionId);
          const message = typeof err.message === 'string' ? err.message : 'error';
          // List actions answer an empty list with an error ("No Contacts found"): it is a list.
          if (options.eventList === true && /^No .+ found/i.test(message)) {
            resolve({ response: err, events: [] });
            return;
          }
          reject(new AmiError('rejected', name, message, err));
          return;
        }
        const list = lists.get(actionId);
        if (list === undefined) {
          done({ response, events: [] });
        } else {
          list.response = response;
        }
      });
    });
  }

  return {
    state: () => state,
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    start() {
      if (!stopped) return;
      stopped = false;
      attempt = 0;
      connect();
    },
    async stop() {
      stopped = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      if (manager !== undefined) drop(manager, 'stopped');
      setState('stopped');
    },
    action: (fields, options = {}) => send(fields, options),
  };
}
