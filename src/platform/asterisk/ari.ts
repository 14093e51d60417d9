/**
 * The ARI port: one connection to Asterisk's REST Interface for the whole process.
 *
 * It wraps ari-client and defends against its known defects (design §2 rule 2):
 * - ari-client gives up reconnecting after 10 tries; this port never gives up — when ari-client's
 *   own retries run out, it builds a fresh client, with backoff, forever, logging why.
 * - ari-client keeps per-instance listeners (`channel.on`) forever; this port never uses them:
 *   events arrive through one global handler and are dispatched by id by their consumers.
 * - ari-client rejects with bare Errors that lose the HTTP status; this port turns them into
 *   `AriError`s with a kind (not_found, not_in_stasis, …) and bounds every call with a timeout.
 * - A half-open WebSocket is detected with pings.
 * After every (re)connect, `onStateChange('connected')` fires so consumers resync from
 * `GET /channels` and `GET /bridges`: Asterisk does not replay events missed while away.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import ariClient, { type Client } from 'ari-client';
import { RECONNECT_BACKOFF, backoffDelay } from '../backoff.js';
import type { Logger } from '../logger.js';
import { AriError, classifyAriError } from './ari-errors.js';
import { createAriRest, type QueryValue } from './ari-rest.js';
import {
  ARI_EVENT_TYPES,
  type AriBridge,
  type AriChannel,
  type AriEndpoint,
  type AriEvent,
  type AriLiveRecording,
  type AriPlayback,
  type AsteriskInfo,
  type TransferProgressState,
} from './ari-types.js';

export type LinkState = 'connecting' | 'connected' | 'disconnected' | 'stopped';

export { AriError, classifyAriError, type AriErrorKind } from './ari-errors.js';

export interface OriginateParams {
  endpoint: string;
  /** The application the channel enters when answered (and reports to from the start)… */
  app?: string;
  appArgs?: string;
  /**
   * …or, without `app`, where in the dialplan it goes when answered. Such a channel reports to
   * no application until it enters one (or the application subscribes to it).
   */
  context?: string;
  extension?: string;
  priority?: number;
  callerId?: string;
  timeout?: number;
  channelId?: string;
  otherChannelId?: string;
  originator?: string;
  variables?: Record<string, string>;
}

export type MuteDirection = 'in' | 'out' | 'both';
export type SnoopDirection = 'none' | 'in' | 'out' | 'both';

export interface SnoopParams {
  channelId: string;
  spy: SnoopDirection;
  whisper: SnoopDirection;
  app: string;
  appArgs?: string;
  snoopId?: string;
}

export interface AriConnectionSettings {
  /** Base URL, e.g. http://127.0.0.1:8088 (a trailing /ari is tolerated). */
  url: string;
  user: string;
  password: string;
  app: string;
}

export type AriEventListener = (event: AriEvent) => void;

/** The part of ari-client's event socket (a `ws` WebSocket) that takeEvents uses. */
interface EventSocket {
  removeAllListeners(event: 'message'): unknown;
  on(event: 'message', listener: (data: unknown) => void): unknown;
}
export type LinkStateListener = (state: LinkState, reason?: string) => void;

export interface AriPort {
  readonly app: string;
  state(): LinkState;
  /**
   * The version the connected Asterisk reports (`22.10.1`), read on every connect before the
   * link counts as connected; undefined before, or when Asterisk did not say.
   */
  asteriskVersion(): string | undefined;
  onEvent(listener: AriEventListener): () => void;
  onStateChange(listener: LinkStateListener): () => void;
  start(): void;
  stop(): Promise<void>;

  asterisk: {
    info(): Promise<AsteriskInfo>;
    /**
     * The fields of a dynamic configuration object as Asterisk prints them (a list field's
     * entries joined with `,`), or undefined when it does not exist.
     */
    getObject(
      configClass: string,
      objectType: string,
      id: string,
    ): Promise<Record<string, string> | undefined>;
    /** PUT /asterisk/config/dynamic/{class}/{type}/{id} (sorcery memory wizards). */
    putObject(
      configClass: string,
      objectType: string,
      id: string,
      fields: Record<string, string>,
    ): Promise<void>;
    deleteObject(configClass: string, objectType: string, id: string): Promise<void>;
  };
  applications: {
    /** Subscribes the application to an event source, e.g. `endpoint:PJSIP`. */
    subscribe(eventSource: string): Promise<void>;
  };
  endpoints: {
    list(tech: string): Promise<AriEndpoint[]>;
    get(tech: string, resource: string): Promise<AriEndpoint>;
  };
  channels: {
    list(): Promise<AriChannel[]>;
    get(channelId: string): Promise<AriChannel>;
    /**
     * Rings an endpoint into our application (POST /channels): the channel reports to the
     * application from the start and enters it when answered; `timeout` is the ring time (s).
     * With a dialplan place instead of `app`, the answered channel runs that dialplan.
     */
    originate(params: OriginateParams): Promise<AriChannel>;
    hold(channelId: string): Promise<void>;
    unhold(channelId: string): Promise<void>;
    startMoh(channelId: string, mohClass?: string): Promise<void>;
    stopMoh(channelId: string): Promise<void>;
    sendDtmf(channelId: string, dtmf: string): Promise<void>;
    answer(channelId: string): Promise<void>;
    ring(channelId: string): Promise<void>;
    /**
     * Hangs a channel up: `reason` is ARI's word (busy, rejected …), or a Q.850 cause number that
     * the channel driver turns into the SIP response (Asterisk 22: `reason_code`).
     */
    hangup(channelId: string, reason?: string | number): Promise<void>;
    play(channelId: string, media: string | string[], playbackId?: string): Promise<AriPlayback>;
    record(channelId: string, params: RecordParams): Promise<AriLiveRecording>;
    /**
     * Tells the phone that asked for a transfer on this channel (ChannelTransfer's
     * `referred_by.source_channel`) how it goes: one NOTIFY sipfrag per state. Asterisk answers
     * 204 for any channel in Stasis, but only the REFER's own channel gets a NOTIFY.
     */
    transferProgress(channelId: string, state: TransferProgressState): Promise<void>;
    setVariable(channelId: string, variable: string, value: string): Promise<void>;
    getVariable(channelId: string, variable: string): Promise<string>;
    /** Mutes a channel: `in` = what the party says goes nowhere, `out` = they hear nothing. */
    mute(channelId: string, direction: MuteDirection): Promise<void>;
    unmute(channelId: string, direction: MuteDirection): Promise<void>;
    /**
     * A snoop channel on `channelId` (POST /channels/{id}/snoop), entering our application:
     * `spy` = which of the channel's audio the snoop hears, `whisper` = where what the snoop
     * says is heard (`out`: by the snooped party only).
     */
    snoop(params: SnoopParams): Promise<AriChannel>;
  };
  bridges: {
    list(): Promise<AriBridge[]>;
    create(params: { type: string; bridgeId?: string; name?: string }): Promise<AriBridge>;
    /**
     * Adds channels to a bridge; `absorbDtmf`: their digits are reported to us
     * (ChannelDtmfReceived, on a `dtmf_events` bridge) but not passed to the other members.
     */
    addChannel(
      bridgeId: string,
      channelIds: string[],
      options?: { absorbDtmf?: boolean },
    ): Promise<void>;
    removeChannel(bridgeId: string, channelIds: string[]): Promise<void>;
    destroy(bridgeId: string): Promise<void>;
    /** Music on hold to the bridge's members (a holding bridge's parked party). */
    startMoh(bridgeId: string, mohClass?: string): Promise<void>;
    /** Plays to every member of the bridge (a conference room's entry and exit tones). */
    play(bridgeId: string, media: string, playbackId?: string): Promise<AriPlayback>;
    /** Records the bridge's mixed audio into a stored recording (spool/recording/<name>). */
    record(bridgeId: string, params: RecordParams): Promise<AriLiveRecording>;
  };
  playbacks: {
    stop(playbackId: string): Promise<void>;
  };
  recordings: {
    /**
     * The audio of a stored recording (GET /recordings/stored/{name}/file), streamed — through
     * ARI, so a remote Asterisk serves recordings as well as a managed one.
     */
    storedFile(
      name: string,
    ): Promise<{ stream: Readable; contentType: string; size: number | null }>;
    /** Deletes a stored recording (DELETE /recordings/stored/{name}). */
    deleteStored(name: string): Promise<void>;
  };
}

export interface RecordParams {
  name: string;
  format: string;
  maxDurationSeconds?: number;
  /** Ends the recording after this much silence (0 = never). */
  maxSilenceSeconds?: number;
  ifExists?: 'fail' | 'overwrite' | 'append';
  beep?: boolean;
  terminateOn?: 'none' | 'any' | '*' | '#';
}

/**
 * swagger-client, inside ari-client, console.logs "This API is using a deprecated version of
 * Swagger!" on every connect (Asterisk serves Swagger 1.2). Drop that one line, nothing else.
 */
function silenceSwaggerNotice(): void {
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    const first: unknown = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (
      typeof first === 'string' &&
      first.startsWith('This API is using a deprecated version of Swagger')
    ) {
      return;
    }
    log(...args);
  };
}
silenceSwaggerNotice();

const CALL_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 15_000;
const PING_INTERVAL_MS = 10_000;

export function createAriConnection(settings: AriConnectionSettings, log: Logger): AriPort {
  const baseUrl = settings.url.replace(/\/+$/, '').replace(/\/ari$/, '');
  const eventListeners = new Set<AriEventListener>();
  const stateListeners = new Set<LinkStateListener>();
  let state: LinkState = 'disconnected';
  let client: Client | undefined;
  let stopped = true;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;
  let awaitingPong = false;
  /** The event socket is open (ari-client's own reconnects close and reopen it). */
  let socketUp = false;
  let version: string | undefined;

  const isStopped = (): boolean => stopped;
  const isSocketUp = (): boolean => socketUp;

  function setState(next: LinkState, reason?: string): void {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) {
      try {
        listener(next, reason);
      } catch (err) {
        log.error({ err }, 'ARI state listener failed');
      }
    }
  }

  // An application subscribed to an endpoint gets the events of that endpoint's channels, and
  // also gets them as the application owning the channels: the same event twice. The copies are
  // identical, so the last few hundred events are remembered by what identifies them (type,
  // instant, object, and the state it reports) and repeats dropped.
  const recent = new Set<string>();
  function isRepeat(event: AriEvent): boolean {
    const key = eventKey(event);
    if (recent.has(key)) return true;
    recent.add(key);
    if (recent.size > 512) recent.delete(recent.values().next().value as string);
    return false;
  }

  function dispatch(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const type = (raw as { type?: unknown }).type;
    if (typeof type !== 'string' || !ARI_EVENT_TYPES.has(type)) return;
    const event = raw as AriEvent;
    if (isRepeat(event)) return;
    for (const listener of eventListeners) {
      try {
        listener(event);
      } catch (err) {
        log.error({ err, type }, 'ARI event handler failed');
      }
    }
  }

  /**
   * Reads the events off ari-client's socket ourselves, each time it opens one (it opens a new
   * one on every reconnection). Its own reader makes a resource object of each event, through a
   * search of the API's models, for listeners we do not use; in the ACD benchmark that was
   * 0.15 ms between a caller's StasisStart arriving and our handler starting. Without the socket
   * (an ari-client that keeps it elsewhere), its reader stays and hands us the events as before.
   */
  function takeEvents(current: Client): void {
    const socket = (current as unknown as { _ws?: EventSocket })._ws;
    if (socket === undefined) return;
    socket.removeAllListeners('message');
    socket.on('message', (data: unknown) => {
      let event: unknown;
      try {
        event = JSON.parse(String(data));
      } catch {
        log.warn('an ARI event that is not JSON');
        return;
      }
      dispatch(event);
    });
  }

  function dispose(current: Client): void {
    current.removeAllListeners();
    // Late socket errors must not crash the process, and a retry ari-client had already scheduled
    // must not leave a second socket registered for our application: close it if it opens.
    current.on('error', () => undefined);
    current.on('WebSocketConnected', () => current.stop());
    try {
      current.stop();
    } catch {
      /* the socket was never opened */
    }
    if (client === current) client = undefined;
    if (pingTimer !== undefined) clearInterval(pingTimer);
    pingTimer = undefined;
  }

  function scheduleReconnect(reason: string): void {
    if (stopped) return;
    const delay = backoffDelay(attempt, RECONNECT_BACKOFF);
    attempt += 1;
    log.warn({ reason, retryInMs: delay, attempt }, 'ARI unavailable; reconnecting');
    setState('disconnected', reason);
    retryTimer = setTimeout(() => void connect(), delay);
  }

  /**
   * One client's life: load the API, open the event socket, and let ari-client's own retries
   * handle short outages (it reconnects the socket up to 10 times, for about 40 s). Only when
   * those are exhausted — and no retry of its own is pending any more — is a fresh client built.
   */
  async function connect(): Promise<void> {
    retryTimer = undefined;
    if (stopped) return;
    setState('connecting');
    let fresh: Client;
    try {
      // While Asterisk starts, its HTTP server answers before res_ari is loaded; swagger-client
      // then throws "Can't read swagger JSON" from a response callback, out of every promise,
      // and the process dies. The API description is served only once ARI is up: ask first.
      await rest.send('connect', 'GET', '/api-docs/resources.json');
      fresh = await withTimeout(
        ariClient.connect(baseUrl, settings.user, settings.password),
        CONNECT_TIMEOUT_MS,
        'connect',
      );
    } catch (err) {
      scheduleReconnect(err instanceof Error ? err.message : String(err));
      return;
    }
    // stop() may have been called while the API was loading.
    if (isStopped()) {
      dispose(fresh);
      return;
    }
    const current = fresh;
    client = current;
    current.on('*', dispatch);
    current.on('pong', () => {
      awaitingPong = false;
    });
    current.on('WebSocketReconnecting', (err?: Error) => {
      socketUp = false;
      if (state === 'connected') log.warn({ reason: err?.message }, 'ARI event socket lost');
      setState('disconnected', err?.message ?? 'event socket closed');
    });
    current.on('WebSocketConnected', () => {
      takeEvents(current);
      attempt = 0;
      awaitingPong = false;
      socketUp = true;
      void (async () => {
        // Which Asterisk this is decides what is pushed to it (a phone's REFER handling): it is
        // known before anyone is told that the link is up.
        const info = await invoke<AsteriskInfo>(current, 'asterisk', 'getInfo', {}).catch(
          (err: unknown) => {
            log.warn({ err }, 'Asterisk did not say its version');
            return undefined;
          },
        );
        if (client !== current || !isSocketUp() || isStopped()) return;
        version = info?.system?.version;
        if (state !== 'connected')
          log.info({ url: baseUrl, app: settings.app, version }, 'ARI connected');
        setState('connected');
        // Asterisk sends only the event types this port hands on: every other event would cost
        // Asterisk the JSON and us the parsing, for nothing (ChannelVarset alone is one per tag).
        call('applications', 'filter', {
          applicationName: settings.app,
          filter: { allowed: [...ARI_EVENT_TYPES].map((type) => ({ type })) },
        }).catch((err: unknown) =>
          log.warn({ err }, 'ARI event filter not set; all events arrive'),
        );
      })();
    });
    current.on('WebSocketMaxRetries', (err?: Error) => {
      dispose(current);
      scheduleReconnect(err?.message ?? 'event socket retries exhausted');
    });
    startPinging(current);
    try {
      await current.start(settings.app);
    } catch {
      // Already handled: start() rejects after WebSocketMaxRetries.
    }
  }

  function startPinging(current: Client): void {
    awaitingPong = false;
    pingTimer = setInterval(() => {
      if (state !== 'connected') return;
      if (awaitingPong) {
        // No answer to the last ping: the socket is half-open. Dropping it hands over to
        // ari-client's reconnect, exactly as if Asterisk had closed it.
        log.warn('ARI event socket does not answer pings; reconnecting');
        (current as unknown as { _ws?: { terminate(): void } })._ws?.terminate();
        return;
      }
      awaitingPong = true;
      current.ping();
    }, PING_INTERVAL_MS);
  }

  async function call<T>(
    resource: string,
    operation: string,
    params: Record<string, unknown>,
  ): Promise<T> {
    const current = client;
    if (current === undefined || state !== 'connected') {
      throw new AriError('unavailable', `${resource}.${operation}`, 'not connected to Asterisk');
    }
    return invoke(current, resource, operation, params);
  }

  /** One operation on one client, bounded by the timeout, its failure classified. */
  async function invoke<T>(
    current: Client,
    resource: string,
    operation: string,
    params: Record<string, unknown>,
  ): Promise<T> {
    const name = `${resource}.${operation}`;
    const ops = current[resource] as
      Record<string, (p: Record<string, unknown>) => Promise<unknown>> | undefined;
    const op = ops?.[operation];
    if (op === undefined)
      throw new AriError('invalid', name, 'operation not offered by this Asterisk');
    try {
      return toPlain(await withTimeout(op(params), CALL_TIMEOUT_MS, name)) as T;
    } catch (err) {
      throw classifyAriError(name, err);
    }
  }

  const rest = createAriRest({
    baseUrl,
    user: settings.user,
    password: settings.password,
    timeoutMs: CALL_TIMEOUT_MS,
  });
  const id = encodeURIComponent;

  /** A request of the lean REST client, refused at once while the link is down. */
  function send<T = undefined>(
    operation: string,
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query?: Record<string, QueryValue>,
    body?: unknown,
  ): Promise<T> {
    if (client === undefined || state !== 'connected')
      return Promise.reject(new AriError('unavailable', operation, 'not connected to Asterisk'));
    return rest.send<T>(operation, method, path, query, body);
  }

  return {
    app: settings.app,
    state: () => state,
    asteriskVersion: () => version,
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
      void connect();
    },
    async stop() {
      stopped = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      if (client !== undefined) dispose(client);
      rest.close();
      setState('stopped');
    },

    asterisk: {
      info: () => call('asterisk', 'getInfo', {}),
      getObject: async (configClass, objectType, id) => {
        try {
          const fields = await call<{ attribute: string; value: string }[]>(
            'asterisk',
            'getObject',
            { configClass, objectType, id },
          );
          // A list field (identify `match`, AOR `contact`) comes as one attribute per entry.
          const object: Record<string, string> = {};
          for (const { attribute, value } of fields) {
            const before = object[attribute];
            object[attribute] = before === undefined ? value : `${before},${value}`;
          }
          return object;
        } catch (err) {
          if (err instanceof AriError && err.kind === 'not_found') return undefined;
          throw err;
        }
      },
      putObject: async (configClass, objectType, id, fields) => {
        await call('asterisk', 'updateObject', {
          configClass,
          objectType,
          id,
          fields: Object.entries(fields).map(([attribute, value]) => ({ attribute, value })),
        });
      },
      deleteObject: async (configClass, objectType, id) => {
        await call('asterisk', 'deleteObject', { configClass, objectType, id });
      },
    },
    applications: {
      subscribe: async (eventSource) => {
        await call('applications', 'subscribe', { applicationName: settings.app, eventSource });
      },
    },
    endpoints: {
      list: async (tech) => {
        try {
          return await call<AriEndpoint[]>('endpoints', 'listByTech', { tech });
        } catch (err) {
          // Asterisk answers "No Endpoints found - invalid tech" for a technology with none yet.
          if (err instanceof AriError && /No Endpoints found/i.test(err.message)) return [];
          throw err;
        }
      },
      get: (tech, resource) => call('endpoints', 'get', { tech, resource }),
    },
    // The requests of every call go over the lean REST client (ari-rest.ts).
    channels: {
      list: () => send('channels.list', 'GET', '/channels'),
      get: (channelId) => send('channels.get', 'GET', `/channels/${id(channelId)}`),
      originate: ({ variables, ...params }) =>
        send(
          'channels.originate',
          'POST',
          '/channels',
          params,
          variables === undefined ? undefined : { variables },
        ),
      hold: (channelId) => send('channels.hold', 'POST', `/channels/${id(channelId)}/hold`),
      unhold: (channelId) => send('channels.unhold', 'DELETE', `/channels/${id(channelId)}/hold`),
      startMoh: (channelId, mohClass) =>
        send('channels.startMoh', 'POST', `/channels/${id(channelId)}/moh`, { mohClass }),
      stopMoh: (channelId) => send('channels.stopMoh', 'DELETE', `/channels/${id(channelId)}/moh`),
      sendDtmf: (channelId, dtmf) =>
        send('channels.sendDTMF', 'POST', `/channels/${id(channelId)}/dtmf`, { dtmf }),
      answer: (channelId) => send('channels.answer', 'POST', `/channels/${id(channelId)}/answer`),
      ring: (channelId) => send('channels.ring', 'POST', `/channels/${id(channelId)}/ring`),
      hangup: (channelId, reason) =>
        send(
          'channels.hangup',
          'DELETE',
          `/channels/${id(channelId)}`,
          typeof reason === 'number' ? { reason_code: reason } : { reason },
        ),
      play: (channelId, media, playbackId) =>
        send(
          'channels.play',
          'POST',
          `/channels/${id(channelId)}/play${playbackId === undefined ? '' : `/${id(playbackId)}`}`,
          { media: Array.isArray(media) ? media.join(',') : media },
        ),
      record: (channelId, params) =>
        send('channels.record', 'POST', `/channels/${id(channelId)}/record`, { ...params }),
      transferProgress: (channelId, state) =>
        send('channels.transfer_progress', 'POST', `/channels/${id(channelId)}/transfer_progress`, {
          states: state,
        }),
      setVariable: (channelId, variable, value) =>
        send('channels.setChannelVar', 'POST', `/channels/${id(channelId)}/variable`, {
          variable,
          value,
        }),
      getVariable: async (channelId, variable) =>
        (
          await send<{ value: string }>(
            'channels.getChannelVar',
            'GET',
            `/channels/${id(channelId)}/variable`,
            { variable },
          )
        ).value,
      mute: (channelId, direction) =>
        send('channels.mute', 'POST', `/channels/${id(channelId)}/mute`, { direction }),
      unmute: (channelId, direction) =>
        send('channels.unmute', 'DELETE', `/channels/${id(channelId)}/mute`, { direction }),
      snoop: ({ channelId, snoopId, ...params }) =>
        send(
          'channels.snoopChannel',
          'POST',
          `/channels/${id(channelId)}/snoop${snoopId === undefined ? '' : `/${id(snoopId)}`}`,
          { ...params },
        ),
    },
    bridges: {
      list: () => send('bridges.list', 'GET', '/bridges'),
      create: ({ type, bridgeId, name }) =>
        send(
          'bridges.create',
          'POST',
          bridgeId === undefined ? '/bridges' : `/bridges/${id(bridgeId)}`,
          {
            type,
            name,
          },
        ),
      addChannel: (bridgeId, channelIds, options = {}) =>
        send('bridges.addChannel', 'POST', `/bridges/${id(bridgeId)}/addChannel`, {
          channel: channelIds.join(','),
          absorbDTMF: options.absorbDtmf === true ? true : undefined,
        }),
      removeChannel: (bridgeId, channelIds) =>
        send('bridges.removeChannel', 'POST', `/bridges/${id(bridgeId)}/removeChannel`, {
          channel: channelIds.join(','),
        }),
      destroy: (bridgeId) => send('bridges.destroy', 'DELETE', `/bridges/${id(bridgeId)}`),
      startMoh: (bridgeId, mohClass) =>
        send('bridges.startMoh', 'POST', `/bridges/${id(bridgeId)}/moh`, { mohClass }),
      record: (bridgeId, params) =>
        send('bridges.record', 'POST', `/bridges/${id(bridgeId)}/record`, { ...params }),
      play: (bridgeId, media, playbackId) =>
        send(
          'bridges.play',
          'POST',
          `/bridges/${id(bridgeId)}/play${playbackId === undefined ? '' : `/${id(playbackId)}`}`,
          { media },
        ),
    },
    playbacks: {
      stop: (playbackId) => send('playbacks.stop', 'DELETE', `/playbacks/${id(playbackId)}`),
    },
    recordings: {
      deleteStored: (name) =>
        send('recordings.deleteStored', 'DELETE', `/recordings/stored/${id(name)}`),
      async storedFile(name) {
        // Binary bodies are beyond ari-client's swagger layer: this one request goes direct.
        const operation = 'recordings.getStoredFile';
        if (state !== 'connected') {
          throw new AriError('unavailable', operation, 'not connected to Asterisk');
        }
        const auth = Buffer.from(`${settings.user}:${settings.password}`).toString('base64');
        // The timeout bounds the wait for an answer, not the download of a long recording.
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), CALL_TIMEOUT_MS);
        let response: Response;
        try {
          response = await fetch(
            `${baseUrl}/ari/recordings/stored/${encodeURIComponent(name)}/file`,
            {
              headers: { authorization: `Basic ${auth}` },
              signal: controller.signal,
            },
          );
        } catch (err) {
          // fetch fails with "fetch failed" (the reason is in `cause`) or an AbortError.
          throw controller.signal.aborted
            ? new AriError('timeout', operation, `no answer within ${CALL_TIMEOUT_MS} ms`)
            : new AriError('unavailable', operation, String((err as Error).cause ?? err));
        } finally {
          clearTimeout(timer);
        }
        if (response.status === 404)
          throw new AriError('not_found', operation, 'Recording not found');
        if (!response.ok || response.body === null) {
          throw new AriError('failed', operation, `HTTP ${response.status}`);
        }
        const length = response.headers.get('content-length');
        return {
          stream: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
          contentType: response.headers.get('content-type') ?? 'audio/wav',
          size: length === null ? null : Number(length),
        };
      },
    },
  };
}

/** What tells one event from another: two deliveries of the same event share it. */
function eventKey(event: AriEvent): string {
  const e = event as AriEvent & {
    channel?: { id: string; state: string };
    peer?: { id: string };
    bridge?: { id: string };
    playback?: { id: string; state: string };
    recording?: { name: string; state: string };
    endpoint?: { resource: string; state?: string };
    contact_info?: { uri: string; contact_status: string };
    dialstatus?: string;
    digit?: string;
    /** ChannelTransfer: no `channel` of its own; the REFER's channel, and the progress state. */
    referred_by?: { source_channel?: { id: string } };
    state?: string;
  };
  return [
    e.type,
    e.timestamp,
    e.channel?.id,
    e.channel?.state,
    e.peer?.id,
    e.dialstatus,
    e.bridge?.id,
    e.playback?.id,
    e.playback?.state,
    e.recording?.name,
    e.recording?.state,
    e.endpoint?.resource,
    e.endpoint?.state,
    e.contact_info?.uri,
    e.contact_info?.contact_status,
    e.digit,
    e.referred_by?.source_channel?.id,
    e.state,
  ].join('|');
}

/** ari-client returns resource objects with methods and a client reference; we hand out data. */
function toPlain(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  if (Buffer.isBuffer(value)) return value;
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => (key === '_client' ? undefined : v)),
  );
}

function withTimeout<T>(promise: PromiseLike<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new AriError('timeout', what, `no answer within ${ms} ms`)),
      ms,
    );
    Promise.resolve(promise).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
