/**
 * Supervision sessions (モニタリング / ウィスパリング / barge, §6-1, §13). A supervisor dials
 * `995` / `994` / `996` + an agent's extension, or asks over REST (`POST /calls/{id}/monitor`:
 * the supervisor's phones ring first). The session is the supervisor's own call, in a bridge of
 * ours (`supervise-<id>`) with a snoop channel on the agent's leg: the agent's call is not
 * touched — its bridge, its legs and its feed events stay as they are, so the agent and the
 * customer are told nothing. The snoop's directions make the mode (modes.ts); a mode change
 * (keys 4 / 5 / 6 during the session, or REST) starts a new snoop, waits for it to enter the
 * application, and only then swaps it for the old one, so the supervisor hears no gap.
 *
 * The session ends with the supervisor's call, with the agent's call, or when the snoop goes
 * (the agent left the call). A server restart ends it: the supervisor's call is not re-adopted.
 */
import { randomUUID } from 'node:crypto';
import type { CallEngine } from '../calls/engine.js';
import { callStart, type CallHistoryService } from '../calls/history-service.js';
import { isUp, liveLegs, type Call, type Leg } from '../calls/model.js';
import type { EndReason } from '../calls/outcomes.js';
import { TAG } from '../calls/tags.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import { quietlyWith } from '../platform/asterisk/best-effort.js';
import type { Clock, Timer } from '../platform/clock.js';
import { conflict, forbidden, notFound, unprocessable } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import { createTurns, type Turns } from '../platform/turns.js';
import type { Hub } from '../platform/realtime/hub.js';
import {
  MODE_KEYS,
  mayUse,
  permissionsFor,
  snoopFor,
  supervisionDialled,
  type SupervisionCodes,
  type SupervisionMode,
} from './modes.js';
import { createSupervisionNotifier, type SessionEndReason, type SessionWire } from './notifier.js';

interface Session {
  id: string;
  mode: SupervisionMode;
  status: 'ringing' | 'active';
  supervisorAgentId: number | null;
  supervisorCall: Call;
  supervisorLeg: Leg | null;
  agentId: number;
  call: Call;
  agentLeg: Leg;
  bridgeId: string;
  /** The snoop channel in the session's bridge now. */
  snoopId: string | null;
  startedAt: Date;
  stopDigits: (() => void) | null;
  /** Mode changes take turns: a second key waits for the first swap. */
  turns: Turns;
  ended: boolean;
}

export interface SupervisionDeps {
  ari: AriPort;
  clock: Clock;
  hub: Hub;
  log: Logger;
  engine: CallEngine;
  history: Pick<CallHistoryService, 'open'>;
  codes: SupervisionCodes;
  ringSeconds: number;
  /** The permissions of the agent's role. */
  permissionsOf(agentId: number): ReadonlySet<string>;
  agentByExtension(extension: string): number | undefined;
  agentIdentity(agentId: number): { number: string; name: string };
  /** Refuses a call our phone made, with the announcement and SIP response for `reason`. */
  refuse(call: Call, caller: Leg, reason: EndReason): Promise<void>;
}

/** Whether the session ended meanwhile (read after an await: narrowing does not survive it). */
const isOver = (s: Session): boolean => s.ended;

/** How long a snoop channel may take to enter the application (normally a few ms). */
const SNOOP_START_MS = 5000;

export function createSupervision(deps: SupervisionDeps) {
  const { ari, clock, log, engine, codes } = deps;
  const quietly = quietlyWith(log);
  const sessions = new Map<string, Session>();
  /** Snoop channels asked for, waiting for their StasisStart. */
  const starting = new Map<string, { started: () => void; timer: Timer }>();
  const notifier = createSupervisionNotifier(deps.hub, () => [...sessions.values()].map(wire));

  function wire(s: Session): SessionWire {
    return {
      id: s.id,
      mode: s.mode,
      status: s.status,
      supervisorAgentId: s.supervisorAgentId,
      supervisorCallId: s.supervisorCall.id,
      agentId: s.agentId,
      callId: s.call.id,
      startedAt: s.startedAt.toISOString(),
    };
  }

  /** The agent's leg in an answered call, if they are on one. */
  function onCall(agentId: number): { call: Call; leg: Leg } | undefined {
    for (const call of engine.list()) {
      if (!isUp(call)) continue;
      const leg = liveLegs(call).find((l) => l.agentId === agentId && l.state === 'up');
      if (leg !== undefined) return { call, leg };
    }
    return undefined;
  }

  /** A snoop on the agent's leg for `mode`, in the application once this resolves. */
  async function snoop(s: Session, mode: SupervisionMode): Promise<string> {
    const snoopId = `snoop-${s.id}-${randomUUID().slice(0, 8)}`;
    const entered = new Promise<void>((resolve, reject) => {
      starting.set(snoopId, {
        started: resolve,
        timer: clock.setTimeout(() => {
          starting.delete(snoopId);
          reject(new Error('the snoop channel did not enter the application'));
        }, SNOOP_START_MS),
      });
    });
    try {
      await ari.channels.snoop({
        channelId: s.agentLeg.channelId,
        ...snoopFor(mode),
        app: ari.app,
        appArgs: 'snoop',
        snoopId,
      });
      await entered;
    } catch (err) {
      const waiting = starting.get(snoopId);
      if (waiting !== undefined) clock.clearTimeout(waiting.timer);
      starting.delete(snoopId);
      throw err;
    }
    // Tagged as the supervisor's call's: after a restart it is hung up with that call.
    void quietly(() => ari.channels.setVariable(snoopId, TAG.callId, s.supervisorCall.id));
    return snoopId;
  }

  function hangUp(channelId: string | null): void {
    if (channelId !== null) void quietly(() => ari.channels.hangup(channelId));
  }

  /** The supervisor answered: their leg and a snoop go into the session's bridge. */
  async function begin(s: Session, supervisorLeg: Leg): Promise<void> {
    s.supervisorLeg = supervisorLeg;
    await ari.bridges.create({
      type: 'mixing,dtmf_events',
      bridgeId: s.bridgeId,
      name: `supervise-${s.id}`,
    });
    await engine.enter(s.supervisorCall, supervisorLeg, s.bridgeId);
    if (s.ended || !isUp(s.supervisorCall)) return;
    const snoopId = await snoop(s, s.mode);
    if (isOver(s)) return hangUp(snoopId);
    await ari.bridges.addChannel(s.bridgeId, [snoopId]);
    s.snoopId = snoopId;
    s.status = 'active';
    s.stopDigits = engine.listenDigits(s.supervisorCall, supervisorLeg, (digit) => {
      const mode = MODE_KEYS[digit];
      if (mode !== undefined) void keyed(s, mode);
    });
    notifier.publish('monitoring_started', wire(s));
  }

  /** A key pressed during the session: the mode changes if the supervisor may use it. */
  async function keyed(s: Session, mode: SupervisionMode): Promise<void> {
    const permissions =
      s.supervisorAgentId === null ? new Set<string>() : deps.permissionsOf(s.supervisorAgentId);
    if (!mayUse(permissions, mode)) {
      const leg = s.supervisorLeg;
      if (leg !== null) void quietly(() => ari.channels.play(leg.channelId, 'sound:beeperr'));
      return;
    }
    await change(s, mode).catch((err: unknown) =>
      log.warn({ err, session: s.id }, 'supervision mode not changed'),
    );
  }

  /** Replaces the snoop with one for `mode` (make before break). */
  function change(s: Session, mode: SupervisionMode): Promise<void> {
    return s.turns(async () => {
      if (s.ended || s.status !== 'active' || s.mode === mode) return;
      const previousMode = s.mode;
      const fresh = await snoop(s, mode);
      if (isOver(s)) return hangUp(fresh);
      const old = s.snoopId;
      s.snoopId = fresh;
      if (old !== null) {
        await quietly(() => ari.bridges.removeChannel(s.bridgeId, [old]));
        hangUp(old);
      }
      await ari.bridges.addChannel(s.bridgeId, [fresh]);
      s.mode = mode;
      notifier.publish('monitoring_mode_changed', { ...wire(s), previousMode });
    });
  }

  function end(s: Session, reason: SessionEndReason): void {
    if (s.ended) return;
    s.ended = true;
    sessions.delete(s.id);
    s.stopDigits?.();
    const snoopId = s.snoopId;
    s.snoopId = null;
    hangUp(snoopId);
    void quietly(() => ari.bridges.destroy(s.bridgeId));
    if (s.supervisorCall.state !== 'ended') engine.finish(s.supervisorCall, 'completed', null);
    if (s.status === 'active' || reason !== 'not_answered')
      notifier.publish('monitoring_ended', { ...wire(s), reason });
  }

  function session(
    mode: SupervisionMode,
    supervisorAgentId: number | null,
    supervisorCall: Call,
    target: { agentId: number; call: Call; leg: Leg },
  ): Session {
    const id = randomUUID();
    const s: Session = {
      id,
      mode,
      status: 'ringing',
      supervisorAgentId,
      supervisorCall,
      supervisorLeg: null,
      agentId: target.agentId,
      call: target.call,
      agentLeg: target.leg,
      bridgeId: `supervise-${id}`,
      snoopId: null,
      startedAt: clock.now(),
      stopDigits: null,
      turns: createTurns(),
      ended: false,
    };
    sessions.set(id, s);
    return s;
  }

  function writeDown(call: Call, supervisorAgentId: number | null): void {
    // Not the supervised agent's: their history does not show who listened.
    deps.history.open(callStart(call, { agentId: supervisorAgentId, calleeAgentId: null }));
  }

  /** Why an agent cannot be supervised now, or their leg. */
  function targetOf(
    agentId: number,
    supervisorAgentId: number | null,
  ):
    | { refused: 'self' | 'not_on_a_call'; message: string }
    | { agentId: number; call: Call; leg: Leg } {
    if (agentId === supervisorAgentId)
      return { refused: 'self' as const, message: 'Supervising oneself' };
    const found = onCall(agentId);
    if (found === undefined)
      return { refused: 'not_on_a_call' as const, message: 'The agent is on no answered call' };
    return { agentId, ...found };
  }

  // The snoop channels entering and leaving the application.
  ari.onEvent((event) => {
    if (event.type === 'StasisStart') {
      const waiting = starting.get(event.channel.id);
      if (waiting === undefined) return;
      starting.delete(event.channel.id);
      clock.clearTimeout(waiting.timer);
      waiting.started();
    } else if (event.type === 'StasisEnd') {
      for (const s of sessions.values()) if (s.snoopId === event.channel.id) end(s, 'call_ended');
    }
  });

  engine.onEnded((call) => {
    for (const s of sessions.values()) {
      if (s.supervisorCall.id === call.id)
        end(s, s.status === 'ringing' ? 'not_answered' : 'supervisor_left');
      else if (s.call.id === call.id) end(s, 'call_ended');
    }
  });

  return {
    list: (): SessionWire[] => [...sessions.values()].map(wire),
    get(id: string): SessionWire {
      const s = sessions.get(id);
      if (s === undefined) throw notFound('Monitoring session');
      return wire(s);
    },
    /** Whether a number a phone dialled is a supervision code. */
    isCode: (dialled: string): boolean => supervisionDialled(codes, dialled) !== undefined,
    /** A phone dialled 995 / 994 / 996 + an extension. */
    async byDial(call: Call, caller: Leg, dialled: string): Promise<void> {
      const asked = supervisionDialled(codes, dialled);
      writeDown(call, caller.agentId);
      if (asked === undefined) return deps.refuse(call, caller, 'unknown_number');
      // The role of the agent on the dialling phone decides (§11-13 通話機能).
      const permissions =
        caller.agentId === null ? new Set<string>() : deps.permissionsOf(caller.agentId);
      if (!mayUse(permissions, asked.mode)) return deps.refuse(call, caller, 'forbidden');
      const agentId = deps.agentByExtension(asked.extension);
      if (agentId === undefined) return deps.refuse(call, caller, 'unknown_number');
      const target = targetOf(agentId, caller.agentId);
      if ('refused' in target) return deps.refuse(call, caller, 'unregistered');
      const s = session(asked.mode, caller.agentId, call, target);
      await begin(s, caller).catch((err: unknown) => {
        log.warn({ err, session: s.id }, 'supervision did not start');
        end(s, 'failed');
      });
    },
    /**
     * Over REST: the supervisor's phones ring (showing the agent), and on the answer the session
     * begins. `agentId`: which agent of the call (needed only when it has several).
     */
    request(
      callId: string,
      mode: SupervisionMode,
      supervisorAgentId: number,
      permissions: ReadonlySet<string>,
      agentId?: number,
    ): SessionWire {
      if (!mayUse(permissions, mode))
        throw forbidden('permission_denied', `Supervising in ${mode} mode`, {
          required: permissionsFor(mode),
        });
      const call = engine.get(callId);
      if (call === undefined) throw notFound('Call');
      if (!isUp(call)) throw conflict('call_not_up', 'The call is not answered');
      const agents = [
        ...new Set(liveLegs(call).flatMap((l) => (l.agentId === null ? [] : [l.agentId]))),
      ].filter((a) => a !== supervisorAgentId);
      const chosen = agentId ?? (agents.length === 1 ? agents[0] : undefined);
      if (chosen === undefined)
        throw unprocessable(
          agents.length === 0 ? 'no_agent' : 'agent_required',
          agents.length === 0 ? 'The call has no agent to supervise' : 'Say which agent (agentId)',
        );
      const target = targetOf(chosen, supervisorAgentId);
      if ('refused' in target) throw unprocessable(target.refused, target.message);
      if (target.call.id !== call.id)
        throw unprocessable('not_on_this_call', 'The agent is not on this call');
      const shown = deps.agentIdentity(chosen);
      const phones = engine.agentTargets(supervisorAgentId, {
        number: shown.number,
        name: `Monitor ${shown.name}`,
      });
      if (phones.length === 0)
        throw conflict('agent_unreachable', 'None of the supervisor’s terminals is registered');
      const supervisorCall = engine.newCall({
        direction: 'internal',
        from: shown,
        to: `${codes[mode]}${shown.number}`,
      });
      writeDown(supervisorCall, supervisorAgentId);
      const s = session(mode, supervisorAgentId, supervisorCall, target);
      void (async () => {
        const result = await engine.fork(supervisorCall, phones, deps.ringSeconds, null);
        if (!('answered' in result)) {
          engine.finish(supervisorCall, result.failed, result.cause);
          return;
        }
        if (s.ended) return;
        await begin(s, result.answered);
      })().catch((err: unknown) => {
        log.warn({ err, session: s.id }, 'supervision did not start');
        end(s, 'failed');
      });
      return wire(s);
    },
    /** A mode change over REST (the supervisor's keys do the same). */
    async change(id: string, mode: SupervisionMode, permissions: ReadonlySet<string>) {
      const s = sessions.get(id);
      if (s === undefined) throw notFound('Monitoring session');
      if (!mayUse(permissions, mode))
        throw forbidden('permission_denied', `Supervising in ${mode} mode`, {
          required: permissionsFor(mode),
        });
      if (s.status !== 'active') throw conflict('session_not_active', 'The session is not active');
      await change(s, mode);
      return wire(s);
    },
    stop(id: string): void {
      const s = sessions.get(id);
      if (s === undefined) throw notFound('Monitoring session');
      end(s, 'supervisor_left');
    },
    /** The supervisor of a session, for the routes' permission checks. */
    supervisorOf: (id: string): number | null | undefined => sessions.get(id)?.supervisorAgentId,
  };
}

export type Supervision = ReturnType<typeof createSupervision>;
