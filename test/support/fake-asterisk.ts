/**
 * A fake Asterisk behind the real ARI and AMI ports' interfaces, for the race conditions SIPp
 * cannot produce on demand (two hang-ups in the same instant, a cancel racing an answer, a party
 * gone before the API's request reaches Asterisk). The whole server runs on it — every service
 * from the one composition root — with a fake clock driving the phones.
 *
 * It keeps channels, bridges and playbacks as Asterisk 22 reports them: an originated channel
 * reports its ringing and its end (the cause on ChannelDestroyed) and enters the application
 * (StasisStart) when answered, a channel hung up leaves its bridge,
 * then the application, then is destroyed with its cause; an operation on a channel that is gone
 * fails `not_found`. Events are delivered asynchronously, in order, as over the WebSocket.
 * Observable telephony behaviour is still proven against the real Asterisk, with SIPp.
 */
import { AriError, type AriPort, type LinkState } from '../../src/platform/asterisk/ari.js';
import type { AriBridge, AriChannel, AriEvent } from '../../src/platform/asterisk/ari-types.js';
import type { AmiPort } from '../../src/platform/asterisk/ami.js';
import type { AsteriskGateway, AsteriskStatus } from '../../src/platform/asterisk/gateway.js';
import type { FakeClock } from './fake-clock.js';
import { fakeAriConfig } from './fake-ari-config.js';

/** How a phone (an endpoint we dial) behaves when rung. */
export type PhoneBehaviour =
  | { answerAfterMs: number }
  /**
   * Answers so fast that the channel is in the application (StasisStart delivered) before the
   * originate's response is back, as a loaded machine can order them.
   */
  | { answerBeforeResponse: true }
  | { busy: true }
  /** Rings until hung up or the dial's timeout (then NOANSWER, cause 19). */
  | { ring: true };

interface Channel {
  id: string;
  name: string;
  endpoint: string;
  state: AriChannel['state'];
  caller: { number: string; name: string };
  vars: Record<string, string>;
  inStasis: boolean;
  bridgeId: string | null;
  moh: boolean;
  timers: { id: unknown }[];
}

export interface FakeAsterisk {
  gateway: AsteriskGateway;
  ari: AriPort;
  /** What the application asked Asterisk, in order: `dial PJSIP/desk201`, `hangup <id> busy` … */
  log: string[];
  phone(endpoint: string, behaviour: PhoneBehaviour): void;
  /** A phone places a call: its channel enters the application with these args. */
  call(endpoint: string, args: string[], caller?: { number: string; name: string }): string;
  /** A phone registers (its contact becomes reachable, as ARI reports it). */
  register(sipUser: string): void;
  /** A channel disappears without Asterisk telling yet (its events are still to come). */
  vanish(channelId: string): void;
  /** A party hangs up (Q.850 cause, 16 normal clearing). */
  hangUp(channelId: string, cause?: number): void;
  /** A phone keys digits, one ChannelDtmfReceived each (as ARI reports them). */
  dtmf(channelId: string, digits: string): void;
  /**
   * The phone on `channelId` sends a REFER to `destination` (the Refer-To user), with Replaces
   * of the phone's other channel `replaces`: ChannelTransfer, twice (once for the application,
   * once for its endpoint subscription), as Asterisk 22 raises it with ari-only.
   */
  refer(channelId: string, destination: string, replaces?: string): void;
  channel(channelId: string): AriChannel | undefined;
  channels(): AriChannel[];
  bridges(): AriBridge[];
  /** Delivers every event due and lets the server react, until nothing is left to do. */
  settle(): Promise<void>;
}

const VARS = ['CC_CALL_ID', 'CC_LEG', 'CC_AGENT_ID', 'CC_QUEUE'];

export function fakeAsterisk(clock: FakeClock): FakeAsterisk {
  const config = fakeAriConfig();
  const channels = new Map<string, Channel>();
  const bridges = new Map<string, { id: string; type: string; channels: Set<string> }>();
  const phones = new Map<string, PhoneBehaviour>();
  const eventListeners = new Set<(event: AriEvent) => void>();
  const stateListeners = new Set<(state: LinkState) => void>();
  const log: string[] = [];
  const pending: AriEvent[] = [];
  let state: LinkState = 'disconnected';
  let sequence = 0;
  let delivering = false;

  const now = () => clock.now().toISOString();

  function view(c: Channel): AriChannel {
    return {
      id: c.id,
      name: c.name,
      state: c.state,
      caller: c.caller,
      connected: { number: '', name: '' },
      accountcode: '',
      dialplan: { context: 'from-phones', exten: 's', priority: 1 },
      creationtime: now(),
      language: 'en',
      channelvars: Object.fromEntries(VARS.map((v) => [v, c.vars[v] ?? ''])),
    };
  }
  function bridgeView(b: { id: string; type: string; channels: Set<string> }): AriBridge {
    return {
      id: b.id,
      technology: 'simple_bridge',
      bridge_type: b.type.includes('holding') ? 'holding' : 'mixing',
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: '',
      channels: [...b.channels],
    };
  }

  function emit(event: Record<string, unknown> & { type: AriEvent['type'] }): void {
    pending.push({ application: 'callcenter', timestamp: now(), ...event } as AriEvent);
    if (!delivering) {
      delivering = true;
      setImmediate(deliver);
    }
  }
  function deliver(): void {
    delivering = false;
    while (pending.length > 0) {
      const event = pending.shift() as AriEvent;
      for (const listener of eventListeners) listener(event);
    }
  }

  function live(operation: string, channelId: string): Channel {
    guard(operation);
    const channel = channels.get(channelId);
    if (channel === undefined) throw new AriError('not_found', operation, 'Channel not found');
    return channel;
  }
  function guard(operation: string): void {
    if (state !== 'connected') throw new AriError('unavailable', operation, 'not connected');
  }

  function setState(c: Channel, next: AriChannel['state']): void {
    c.state = next;
    emit({ type: 'ChannelStateChange', channel: view(c) });
  }

  function destroy(c: Channel, cause: number): void {
    if (!channels.has(c.id)) return;
    for (const timer of c.timers) clock.clearTimeout(timer);
    if (c.bridgeId !== null) {
      const bridge = bridges.get(c.bridgeId);
      bridge?.channels.delete(c.id);
      if (bridge !== undefined)
        emit({ type: 'ChannelLeftBridge', channel: view(c), bridge: bridgeView(bridge) });
      c.bridgeId = null;
    }
    channels.delete(c.id);
    if (c.inStasis) emit({ type: 'StasisEnd', channel: view(c) });
    emit({ type: 'ChannelDestroyed', channel: view(c), cause, cause_txt: String(cause) });
  }

  function newChannel(endpoint: string, id?: string): Channel {
    sequence += 1;
    const c: Channel = {
      id: id ?? `fake-${sequence}`,
      name: `${endpoint}-${sequence.toString(16).padStart(8, '0')}`,
      endpoint,
      state: 'Down',
      caller: { number: '', name: '' },
      vars: {},
      inStasis: false,
      bridgeId: null,
      moh: false,
      timers: [],
    };
    channels.set(c.id, c);
    return c;
  }

  const ari: AriPort = {
    app: 'callcenter',
    state: () => state,
    asteriskVersion: () => '22.10.1',
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    start() {
      state = 'connected';
      config.setState('connected');
      for (const listener of stateListeners) listener('connected');
    },
    async stop() {
      state = 'stopped';
    },
    asterisk: config.port.asterisk,
    applications: { subscribe: async () => undefined },
    endpoints: config.port.endpoints,
    channels: {
      list: async () => [...channels.values()].map(view),
      get: async (id) => view(live('channels.get', id)),
      async originate(params) {
        guard('channels.originate');
        const c = newChannel(params.endpoint.replace(/@.*/, ''), params.channelId);
        c.vars = { ...(params.variables ?? {}) };
        log.push(`dial ${c.endpoint}`);
        const args = (params.appArgs ?? '').split(',');
        const behaviour = phones.get(c.endpoint) ?? { ring: true };
        if ('busy' in behaviour) {
          c.timers.push(
            clock.setTimeout(() => {
              emit({ type: 'Dial', peer: view(c), dialstatus: 'BUSY' });
              destroy(c, 17);
            }, 10),
          );
          return view(c);
        }
        setState(c, 'Ringing');
        if ('answerBeforeResponse' in behaviour) {
          setState(c, 'Up');
          emit({ type: 'Dial', peer: view(c), dialstatus: 'ANSWER' });
          c.inStasis = true;
          emit({ type: 'StasisStart', channel: view(c), args });
          // The events are delivered (and handled) before this request resolves.
          await new Promise<void>((resolve) => setImmediate(resolve));
          await new Promise<void>((resolve) => setImmediate(resolve));
          return view(c);
        }
        if ('answerAfterMs' in behaviour) {
          c.timers.push(
            clock.setTimeout(() => {
              setState(c, 'Up');
              emit({ type: 'Dial', peer: view(c), dialstatus: 'ANSWER' });
              c.inStasis = true;
              emit({ type: 'StasisStart', channel: view(c), args });
            }, behaviour.answerAfterMs),
          );
        }
        const timeout = params.timeout ?? 30;
        if (timeout > 0) {
          c.timers.push(
            clock.setTimeout(() => {
              if (c.state !== 'Up') destroy(c, 19);
            }, timeout * 1000),
          );
        }
        return view(c);
      },
      hold: async (id) => void live('channels.hold', id),
      unhold: async (id) => void live('channels.unhold', id),
      async startMoh(id) {
        live('channels.startMoh', id).moh = true;
      },
      async stopMoh(id) {
        live('channels.stopMoh', id).moh = false;
      },
      async sendDtmf(id, dtmf) {
        live('channels.sendDTMF', id);
        log.push(`dtmf ${id} ${dtmf}`);
      },
      async answer(id) {
        const c = live('channels.answer', id);
        if (c.state !== 'Up') setState(c, 'Up');
      },
      async ring(id) {
        live('channels.ring', id);
      },
      async hangup(id, reason) {
        const c = live('channels.hangup', id);
        log.push(`hangup ${c.endpoint} ${String(reason ?? 'normal')}`);
        destroy(c, typeof reason === 'number' ? reason : reason === 'busy' ? 17 : 16);
      },
      async mute(id, direction) {
        live('channels.mute', id);
        log.push(`mute ${id} ${direction}`);
      },
      async unmute(id, direction) {
        live('channels.unmute', id);
        log.push(`unmute ${id} ${direction}`);
      },
      snoop: () => Promise.reject(new Error('not faked')),
      async play(id, media, playbackId) {
        live('channels.play', id);
        const playback = {
          id: playbackId ?? `playback-${(sequence += 1)}`,
          media_uri: String(media),
          target_uri: `channel:${id}`,
          state: 'playing' as const,
        };
        emit({ type: 'PlaybackStarted', playback });
        clock.setTimeout(
          () => emit({ type: 'PlaybackFinished', playback: { ...playback, state: 'done' } }),
          1000,
        );
        return playback;
      },
      record: () => Promise.reject(new Error('not faked')),
      async setVariable(id, variable, value) {
        live('channels.setChannelVar', id).vars[variable] = value;
      },
      getVariable: async (id, variable) => live('channels.getChannelVar', id).vars[variable] ?? '',
      async transferProgress(id, state) {
        live('channels.transfer_progress', id);
        log.push(`transfer_progress ${id} ${state}`);
      },
    },
    bridges: {
      list: async () => [...bridges.values()].map(bridgeView),
      async create({ type, bridgeId }) {
        guard('bridges.create');
        const bridge = {
          id: bridgeId ?? `bridge-${(sequence += 1)}`,
          type,
          channels: new Set<string>(),
        };
        bridges.set(bridge.id, bridge);
        return bridgeView(bridge);
      },
      async addChannel(bridgeId, channelIds) {
        const bridge = bridges.get(bridgeId);
        if (bridge === undefined)
          throw new AriError('not_found', 'bridges.addChannel', 'Bridge not found');
        for (const id of channelIds) {
          const c = live('bridges.addChannel', id);
          c.bridgeId = bridgeId;
          bridge.channels.add(id);
          emit({ type: 'ChannelEnteredBridge', channel: view(c), bridge: bridgeView(bridge) });
        }
      },
      async removeChannel(bridgeId, channelIds) {
        const bridge = bridges.get(bridgeId);
        if (bridge === undefined)
          throw new AriError('not_found', 'bridges.removeChannel', 'Bridge not found');
        for (const id of channelIds) {
          const c = live('bridges.removeChannel', id);
          c.bridgeId = null;
          bridge.channels.delete(id);
          emit({ type: 'ChannelLeftBridge', channel: view(c), bridge: bridgeView(bridge) });
        }
      },
      async destroy(bridgeId) {
        const bridge = bridges.get(bridgeId);
        if (bridge === undefined)
          throw new AriError('not_found', 'bridges.destroy', 'Bridge not found');
        for (const id of bridge.channels) {
          const c = channels.get(id);
          if (c !== undefined) c.bridgeId = null;
        }
        bridges.delete(bridgeId);
      },
      async startMoh(bridgeId) {
        if (!bridges.has(bridgeId))
          throw new AriError('not_found', 'bridges.startMoh', 'Bridge not found');
      },
      record: () => Promise.reject(new Error('not faked')),
      async play(bridgeId, media, playbackId) {
        if (!bridges.has(bridgeId))
          throw new AriError('not_found', 'bridges.play', 'Bridge not found');
        return {
          id: playbackId ?? `playback-${(sequence += 1)}`,
          media_uri: media,
          target_uri: `bridge:${bridgeId}`,
          state: 'playing' as const,
        };
      },
    },
    playbacks: {
      async stop(playbackId) {
        emit({
          type: 'PlaybackFinished',
          playback: { id: playbackId, media_uri: '', target_uri: '', state: 'done' },
        });
      },
    },
    recordings: {
      storedFile: () => Promise.reject(new Error('not faked')),
      deleteStored: () => Promise.reject(new Error('not faked')),
    },
  };

  const ami: AmiPort = {
    state: () => state,
    onEvent: () => () => undefined,
    onStateChange: () => () => undefined,
    start: () => undefined,
    stop: async () => undefined,
    async action(fields) {
      log.push(`ami ${fields.Action ?? ''}`);
      return { response: { response: 'Success' }, events: [] };
    },
  };

  const status = (): AsteriskStatus => ({ mode: 'external', ari: state, ami: state });
  const gateway: AsteriskGateway = {
    ari,
    ami,
    managed: undefined,
    status,
    onStatusChange: () => () => undefined,
    start: () => ari.start(),
    stop: () => ari.stop(),
  };

  return {
    gateway,
    ari,
    log,
    phone(endpoint, behaviour) {
      phones.set(endpoint, behaviour);
    },
    call(endpoint, args, caller = { number: '', name: '' }) {
      const c = newChannel(endpoint);
      c.caller = caller;
      c.state = 'Ring';
      c.inStasis = true;
      emit({ type: 'StasisStart', channel: view(c), args });
      return c.id;
    },
    register(sipUser) {
      emit({
        type: 'ContactStatusChange',
        endpoint: { technology: 'PJSIP', resource: sipUser, state: 'online', channel_ids: [] },
        contact_info: {
          uri: `sip:${sipUser}@127.0.0.1:5999`,
          contact_status: 'Reachable',
          aor: sipUser,
        },
      });
    },
    vanish(channelId) {
      channels.delete(channelId);
    },
    hangUp(channelId, cause = 16) {
      const c = channels.get(channelId);
      if (c !== undefined) destroy(c, cause);
    },
    dtmf(channelId, digits) {
      const c = channels.get(channelId);
      if (c === undefined) return;
      for (const digit of digits)
        emit({ type: 'ChannelDtmfReceived', channel: view(c), digit, duration_ms: 100 });
    },
    refer(channelId, destination, replaces) {
      const source = channels.get(channelId);
      if (source === undefined) return;
      const replaced = replaces === undefined ? undefined : channels.get(replaces);
      const event = {
        type: 'ChannelTransfer' as const,
        refer_to: {
          requested_destination: { destination },
          ...(replaced !== undefined && { destination_channel: view(replaced) }),
        },
        referred_by: { source_channel: view(source) },
      };
      emit(event);
      emit(event);
    },
    channel: (id) => {
      const c = channels.get(id);
      return c === undefined ? undefined : view(c);
    },
    channels: () => [...channels.values()].map(view),
    bridges: () => [...bridges.values()].map(bridgeView),
    async settle() {
      for (let i = 0; i < 20; i += 1) await new Promise<void>((r) => setImmediate(r));
    },
  };
}
