/**
 * The call engine: our Stasis application.
 *
 * Every call enters it (asterisk-config/extensions.conf). The engine keeps each call's legs — the
 * caller's channel and the channels it creates to reach the callee — writes the call's history
 * row as it goes, tells the agents' status which agents are ringing, talking or holding, and
 * publishes the `calls` realtime topic.
 *
 * Primitives: `fork` rings a set of targets (channels created and dialed in our application) and
 * resolves when one answers or all have failed; `connect` bridges the caller with the answering
 * leg (the bridge's id is the call's id) and starts the recording; `refuse` and `finish` end a
 * call and complete its history row. The routing decisions are in calls/routing.ts.
 *
 * Every leg carries the channel variables CC_CALL_ID, CC_LEG (caller/callee) and CC_AGENT_ID,
 * which ARI includes in channel objects (ari.conf channelvars): after a server restart,
 * `reconcile` rebuilds the calls still bridged from them and closes the rows of those that ended
 * meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { AgentStatusService } from '../agents/status-service.js';
import { NO_CALLS, type CallCounts } from '../agents/status.js';
import type { AriChannel, AriEvent } from '../platform/asterisk/ari-types.js';
import type { AmiPort } from '../platform/asterisk/ami.js';
import { AriError, type AriPort } from '../platform/asterisk/ari.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Principal } from '../platform/http/auth.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { TerminalsService } from '../terminals/service.js';
import type { TrunksService } from '../trunks/service.js';
import type { CallHistoryService } from './history-service.js';
import type { CallHistoryRow } from './schema.js';
import { agentsOf, liveLegs, toWire, type Call, type Leg, type LegRole } from './model.js';
import {
  forkFailure,
  legEndReason,
  refusalOf,
  type Direction,
  type EndReason,
  type TargetFailure,
} from './outcomes.js';

/** Who or what to ring. */
export interface Target {
  endpoint: string;
  kind: 'phone' | 'trunk';
  terminal: string | null;
  agentId: number | null;
  /** What the callee's phone (or the carrier) is shown as the caller. */
  callerId: { number: string; name: string };
  /** 184: the caller ID is withheld from the called party. */
  withhold?: boolean;
}

/** How ringing ended: a leg answered, or none did (why, and the far end's Q.850 cause). */
export type ForkResult = { answered: Leg } | { failed: EndReason; cause: number | null };

export interface CallEngineDeps {
  ari: AriPort;
  ami: AmiPort;
  clock: Clock;
  hub: Hub;
  log: Logger;
  history: CallHistoryService;
  terminals: TerminalsService;
  trunks: TrunksService;
  agentStatus: AgentStatusService;
  recording: boolean;
  /** Handle calls entering Stasis (off only where a test plays the application itself). */
  handleIncoming: boolean;
}

/** What a new call needs to know about itself. */
export interface CallOrigin {
  direction: Direction;
  from: { number: string; name: string };
  to: string;
  ourNumber?: string | null;
  phoneNumberId?: number | null;
  popup?: Call['popup'];
}

const SUPERVISOR_VIEW = 'realtime.view';
/** How long a leg that left the application waits for its channel's destruction (normally ms). */
const LEAVE_WAIT_MS = 500;
const NO_POPUP: Call['popup'] = { incomingUrl: null, answerUrl: null, message: null };

interface PendingFork {
  targets: Set<string>;
  failures: TargetFailure[];
  settle(result: ForkResult): void;
}

export function createCallEngine(deps: CallEngineDeps) {
  const { ari, ami, clock, hub, log, history, terminals, trunks, agentStatus } = deps;
  const calls = new Map<string, Call>();
  const legs = new Map<string, { call: Call; leg: Leg }>();
  const forks = new Map<string, PendingFork>();
  const lastCounts = new Map<number, CallCounts>();
  /** Legs that left the application, waiting for their channel's destruction (and its cause). */
  const leaving = new Map<string, Timer>();
  /** Created channels whose StasisStart has not arrived yet: they cannot be dialled before it. */
  const entering = new Map<string, () => void>();
  const endedListeners = new Set<(call: Call) => void>();
  /** Who takes back calls found in Asterisk after a restart (the ACD: its queue calls). */
  const adopters = new Set<{
    /** An answered call was adopted. */
    answered?: (call: Call) => void;
    /** A caller waiting in a queue (CC_QUEUE tag); true if taken back. */
    waiting?: (call: Call, caller: Leg, queueTag: string) => boolean;
  }>();
  const incomingHandlers: ((
    call: Call,
    caller: Leg,
    args: string[],
    channel: AriChannel,
  ) => Promise<void>)[] = [];

  // --- bookkeeping -----------------------------------------------------------------------------

  const visibleTo = (call: Call) => (p: Principal) =>
    p.permissions.has(SUPERVISOR_VIEW) || (p.kind === 'agent' && agentsOf(call).includes(p.id));

  function publish(call: Call, name: string): void {
    const data = toWire(call);
    hub.publish('calls', name, data, visibleTo(call));
    for (const agentId of agentsOf(call)) {
      hub.publish('me', name, data, (p) => p.kind === 'agent' && p.id === agentId);
    }
  }

  /** Tells the agents' status how many of their calls ring, talk and hold. */
  function updateAgents(agentIds: Iterable<number>): void {
    for (const agentId of agentIds) {
      const counts = { ...NO_CALLS };
      for (const call of calls.values()) {
        if (call.state === 'ended') continue;
        for (const leg of call.legs.values()) {
          if (leg.agentId !== agentId || leg.state === 'gone') continue;
          // Placing a call keeps an agent busy from the first digit, answered or not.
          if (leg.state === 'up' || leg.role === 'caller') counts.up += 1;
          else counts.ringing += 1;
          if (leg.held) counts.held += 1;
        }
      }
      const last = lastCounts.get(agentId) ?? NO_CALLS;
      if (last.up !== counts.up || last.ringing !== counts.ringing || last.held !== counts.held) {
        lastCounts.set(agentId, counts);
        agentStatus.setCalls(agentId, counts);
      }
    }
  }

  function newCall(origin: CallOrigin, id: string = randomUUID()): Call {
    const call: Call = {
      id,
      direction: origin.direction,
      state: 'ringing',
      from: origin.from,
      to: origin.to,
      ourNumber: origin.ourNumber ?? null,
      phoneNumberId: origin.phoneNumberId ?? null,
      legs: new Map(),
      bridgeId: null,
      startedAt: clock.now(),
      answeredAt: null,
      endReason: null,
      popup: origin.popup ?? NO_POPUP,
      groupId: null,
      afterCall: null,
      endedBy: null,
    };
    calls.set(id, call);
    return call;
  }

  function addLeg(call: Call, leg: Leg): Leg {
    call.legs.set(leg.channelId, leg);
    legs.set(leg.channelId, { call, leg });
    return leg;
  }

  async function tag(
    channelId: string,
    call: Call,
    role: LegRole,
    agentId: number | null,
  ): Promise<void> {
    await ari.channels.setVariable(channelId, 'CC_CALL_ID', call.id);
    await ari.channels.setVariable(channelId, 'CC_LEG', role);
    if (agentId !== null) await ari.channels.setVariable(channelId, 'CC_AGENT_ID', String(agentId));
  }

  /** A leg of ours as Asterisk names it: which terminal or trunk, and so which agent. */
  function describeChannel(channel: AriChannel): Pick<Leg, 'kind' | 'terminal' | 'agentId'> {
    const endpoint = /^PJSIP\/(.+)-[0-9a-f]+$/.exec(channel.name)?.[1] ?? '';
    if (trunks.byEndpoint(endpoint) !== undefined)
      return { kind: 'trunk', terminal: null, agentId: null };
    const terminal = terminals.bySipUser(endpoint);
    return {
      kind: 'phone',
      terminal: terminal?.sipUser ?? (endpoint || null),
      agentId: terminal?.agentId ?? null,
    };
  }

  async function quietly(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (err) {
      // A channel that hung up meanwhile is not an error; anything else is worth a line.
      if (!(err instanceof AriError && err.kind === 'not_found'))
        log.warn({ err }, 'call control step failed');
    }
  }

  /**
   * Plays `media` to a channel and resolves when it has finished, the channel is gone or
   * `limitMs` passed; stopping the playback by its id (playbacks.stop) also ends it.
   */
  function playToEnd(
    channelId: string,
    media: string,
    playbackId: string,
    limitMs = 30_000,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const stop = ari.onEvent((event: AriEvent) => {
        if (event.type === 'PlaybackFinished' && event.playback.id === playbackId) done();
        if (event.type === 'ChannelDestroyed' && event.channel.id === channelId) done();
      });
      const timer = setTimeout(done, limitMs);
      function done(): void {
        clearTimeout(timer);
        stop();
        resolve();
      }
      ari.channels.play(channelId, media, playbackId).catch((err: unknown) => {
        clearTimeout(timer);
        stop();
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  // --- primitives --------------------------------------------------------------------------------

  /** Rings every target at once; the first to answer wins, the others are hung up. */
  function fork(
    call: Call,
    targets: Target[],
    timeoutSeconds: number,
    callerChannelId: string | null,
  ): Promise<ForkResult> {
    if (targets.length === 0) return Promise.resolve({ failed: 'unregistered', cause: null });
    return new Promise<ForkResult>((resolve) => {
      const pending: PendingFork = {
        targets: new Set(),
        failures: [],
        settle: (result) => {
          if (forks.get(call.id) !== pending) return;
          forks.delete(call.id);
          const winner = 'answered' in result ? result.answered.channelId : null;
          for (const channelId of pending.targets) {
            if (channelId !== winner)
              void quietly(() => ari.channels.hangup(channelId, 'answered_elsewhere'));
          }
          resolve(result);
        },
      };
      forks.set(call.id, pending);
      targets.forEach((target, index) => {
        const channelId = `${call.id}-${call.legs.size + index + 1}`;
        pending.targets.add(channelId);
        addLeg(call, {
          channelId,
          channelName: '',
          role: 'callee',
          kind: target.kind,
          terminal: target.terminal,
          agentId: target.agentId,
          state: 'ringing',
          held: false,
        });
        void dialTarget(call, channelId, target, timeoutSeconds, callerChannelId);
      });
      updateAgents(agentsOf(call));
      publish(call, 'call_ringing');
    });
  }

  async function dialTarget(
    call: Call,
    channelId: string,
    target: Target,
    timeoutSeconds: number,
    callerChannelId: string | null,
  ): Promise<void> {
    // What the callee is shown comes from the new channel's connected line (the From header and
    // P-Asserted-Identity); `,i` sets it without sending an update to anyone.
    const variables: Record<string, string> = {
      CC_CALL_ID: call.id,
      CC_LEG: 'callee',
      'CONNECTEDLINE(num,i)': target.callerId.number,
      'CONNECTEDLINE(name,i)': target.callerId.name,
      ...(target.agentId !== null && { CC_AGENT_ID: String(target.agentId) }),
      ...(target.withhold === true && { 'CONNECTEDLINE(pres,i)': 'prohib' }),
    };
    try {
      // A created channel can be dialled only once it is in our application (StasisStart).
      const entered = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          entering.delete(channelId);
          reject(new Error('the created channel did not enter the application'));
        }, 5000);
        entering.set(channelId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      const channel = await ari.channels.create({
        endpoint: target.endpoint,
        app: ari.app,
        appArgs: `leg,${call.id}`,
        channelId,
        ...(callerChannelId !== null && { originator: callerChannelId }),
        variables,
      });
      const entry = legs.get(channelId);
      if (entry !== undefined) entry.leg.channelName = channel.name;
      await entered;
      if (call.state === 'ended' || forks.get(call.id)?.targets.has(channelId) !== true) {
        await quietly(() => ari.channels.hangup(channelId));
        return;
      }
      await ari.channels.dial(channelId, { timeout: timeoutSeconds });
    } catch (err) {
      entering.delete(channelId);
      log.info({ err, endpoint: target.endpoint }, 'could not ring a target');
      targetFailed(call, channelId, 'unavailable', null);
      void quietly(() => ari.channels.hangup(channelId));
    }
  }

  function targetFailed(
    call: Call,
    channelId: string,
    result: TargetFailure['result'],
    cause: number | null,
  ): void {
    const leg = call.legs.get(channelId);
    if (leg !== undefined) leg.state = 'gone';
    const pending = forks.get(call.id);
    if (pending === undefined || !pending.targets.has(channelId)) return;
    pending.targets.delete(channelId);
    pending.failures.push({ kind: leg?.kind ?? 'phone', result, cause });
    updateAgents(agentsOf(call));
    if (pending.targets.size === 0) {
      const { reason, cause: farEnd } = forkFailure(pending.failures);
      pending.settle({ failed: reason, cause: farEnd });
    }
  }

  function targetAnswered(call: Call, channelId: string): void {
    const leg = call.legs.get(channelId);
    const pending = forks.get(call.id);
    if (leg === undefined || leg.state === 'gone') return;
    leg.state = 'up';
    if (pending?.targets.has(channelId) === true) {
      pending.targets.delete(channelId);
      pending.settle({ answered: leg });
    }
  }

  /** Bridges the caller with the leg that answered and starts recording. */
  async function connect(call: Call, caller: Leg, callee: Leg): Promise<void> {
    if (call.state !== 'ringing') return;
    if (caller.state !== 'up') {
      await ari.channels.answer(caller.channelId);
      caller.state = 'up';
    }
    const bridge = await ari.bridges.create({
      type: 'mixing',
      bridgeId: call.id,
      name: `call-${call.id}`,
    });
    call.bridgeId = bridge.id;
    await ari.bridges.addChannel(bridge.id, [caller.channelId, callee.channelId]);
    call.state = 'up';
    call.answeredAt = clock.now();
    const recordingName = deps.recording ? await startRecording(call) : null;
    history.answered(call.id, recordingName);
    history.assign(call.id, {
      ...(call.direction === 'internal' ? { calleeAgentId: callee.agentId } : {}),
      ...(call.direction === 'inbound' && callee.agentId !== null
        ? { agentId: callee.agentId }
        : {}),
    });
    updateAgents(agentsOf(call));
    publish(call, 'call_answered');
  }

  /**
   * Records the call with MixMonitor on the customer's channel (the trunk leg; for internal calls
   * the caller's): it follows that channel through every bridge it will be in (hold, transfer,
   * conference), where a bridge recording would not. The file goes into the spool's recording
   * directory — reached from MixMonitor's own monitor directory, so no path of the Asterisk's is
   * needed — where ARI serves it as the stored recording `call-<id>`.
   */
  async function startRecording(call: Call): Promise<string | null> {
    const name = `call-${call.id}`;
    const customer =
      liveLegs(call).find((l) => l.kind === 'trunk') ??
      liveLegs(call).find((l) => l.role === 'caller');
    if (customer === undefined || customer.channelName === '') return null;
    try {
      await ami.action({
        Action: 'MixMonitor',
        Channel: customer.channelName,
        File: `../recording/${name}.wav`,
      });
      return name;
    } catch (err) {
      log.error({ err, callId: call.id }, 'recording did not start');
      return null;
    }
  }

  /**
   * Refuses a call that was not answered: the caller gets the SIP response for `reason` — or the
   * far end's own, when `cause` (its Q.850 cause) has one.
   */
  function refuse(
    call: Call,
    _caller: Leg,
    reason: EndReason,
    cause: number | null = null,
  ): Promise<void> {
    finish(call, reason, cause);
    return Promise.resolve();
  }

  /**
   * Ends a call: every leg still there is hung up — an unanswered caller with the response its
   * `reason` calls for (486, 480, 404 …) — the history row completed, everyone told. The call is
   * marked ended first, so the hang-up events that follow find nothing left to do.
   */
  function finish(call: Call, reason: EndReason, cause: number | null): void {
    if (call.state === 'ended') return;
    const wasAnswered = call.state === 'up';
    call.state = 'ended';
    call.endReason = reason;
    forks
      .get(call.id)
      ?.settle({ failed: reason === 'completed' ? 'cancelled' : reason, cause: null });
    for (const leg of liveLegs(call)) {
      const refused = !wasAnswered && leg.role === 'caller' && leg.state !== 'up';
      leg.state = 'gone';
      void quietly(() =>
        ari.channels.hangup(leg.channelId, refused ? refusalOf(reason, cause) : 'normal'),
      );
    }
    if (call.bridgeId !== null) {
      const bridgeId = call.bridgeId;
      void quietly(() => ari.bridges.destroy(bridgeId));
    }
    history.ended(call.id, reason, cause);
    const agents = agentsOf(call);
    // The after-call status is chosen while the call still counts, so the agent goes from on the
    // call straight to 後処理, never through a moment of `available` in which a call could reach them.
    if (wasAnswered) {
      for (const agentId of agents)
        agentStatus.callEnded(agentId, call.direction !== 'internal', call.afterCall ?? undefined);
    }
    updateAgents(agents);
    publish(call, 'call_ended');
    calls.delete(call.id);
    for (const leg of call.legs.values()) legs.delete(leg.channelId);
    for (const listener of endedListeners) listener(call);
  }

  /** Stops ringing the call's targets without ending the call (e.g. it leaves a queue). */
  function cancelFork(call: Call): void {
    forks.get(call.id)?.settle({ failed: 'cancelled', cause: null });
  }

  /** Every registered phone of an agent, as targets showing `callerId`. */
  function agentTargets(
    agentId: number,
    callerId: Target['callerId'],
    exceptTerminal?: string | null,
  ): Target[] {
    return terminals
      .registeredOfAgent(agentId)
      .filter((t) => t.sipUser !== exceptTerminal)
      .map((t) => ({
        endpoint: `PJSIP/${t.sipUser}`,
        kind: 'phone' as const,
        terminal: t.sipUser,
        agentId,
        callerId,
      }));
  }

  /**
   * A leg is gone (hung up, or left our application), with the Q.850 cause and the SIP code its
   * channel ended with when they are known.
   */
  function legGone(call: Call, leg: Leg, cause: number | null, sipCode: number | null): void {
    if (leg.state === 'gone' && call.state === 'ended') return;
    const wasUp = leg.state === 'up';
    if (forks.get(call.id)?.targets.has(leg.channelId) === true) {
      targetFailed(
        call,
        leg.channelId,
        cause === 17 ? 'busy' : cause === 19 || cause === 18 ? 'no_answer' : 'unavailable',
        cause,
      );
      return;
    }
    leg.state = 'gone';
    call.endedBy ??= leg.role;
    if (call.state === 'up' && (wasUp || leg.role === 'caller')) {
      finish(call, wasUp ? legEndReason(cause, sipCode) : 'completed', cause);
    } else if (call.state === 'ringing' && leg.role === 'caller') {
      finish(call, 'cancelled', cause);
    }
  }

  // --- events ------------------------------------------------------------------------------------

  function onEvent(event: AriEvent): void {
    switch (event.type) {
      case 'StasisStart': {
        const waiting = entering.get(event.channel.id);
        if (waiting !== undefined) {
          entering.delete(event.channel.id);
          waiting();
        }
        if (legs.has(event.channel.id)) return; // a leg we created entering the application
        const [origin] = event.args;
        if (deps.handleIncoming && (origin === 'internal' || origin === 'inbound'))
          void incoming(event.channel, event.args);
        return;
      }
      case 'Dial': {
        const entry = legs.get(event.peer.id);
        if (entry === undefined) return;
        const status = event.dialstatus;
        if (status === 'ANSWER') targetAnswered(entry.call, entry.leg.channelId);
        else if (status === 'BUSY') targetFailed(entry.call, entry.leg.channelId, 'busy', 17);
        else if (status === 'NOANSWER')
          targetFailed(entry.call, entry.leg.channelId, 'no_answer', 19);
        else if (status === 'CHANUNAVAIL' || status === 'CONGESTION')
          targetFailed(entry.call, entry.leg.channelId, 'unavailable', null);
        return;
      }
      case 'ChannelStateChange': {
        const entry = legs.get(event.channel.id);
        if (entry !== undefined && event.channel.state === 'Up' && entry.leg.role === 'callee') {
          targetAnswered(entry.call, entry.leg.channelId);
        }
        return;
      }
      case 'ChannelDestroyed': {
        const waiting = leaving.get(event.channel.id);
        if (waiting !== undefined) clock.clearTimeout(waiting);
        leaving.delete(event.channel.id);
        const entry = legs.get(event.channel.id);
        if (entry !== undefined)
          legGone(entry.call, entry.leg, event.cause, event.tech_cause ?? null);
        return;
      }
      case 'StasisEnd': {
        // A ringing target's outcome (busy, no answer) comes with Dial / ChannelDestroyed.
        const entry = legs.get(event.channel.id);
        if (
          entry !== undefined &&
          forks.get(entry.call.id)?.targets.has(event.channel.id) !== true &&
          !leaving.has(event.channel.id)
        ) {
          // A hang-up leaves the application just before the channel is destroyed, and only the
          // destruction says why (the cause): wait for it, briefly, so that the call's end is
          // written with it. A channel that left without hanging up is handled when the wait
          // runs out.
          const channelId = event.channel.id;
          leaving.set(
            channelId,
            clock.setTimeout(() => {
              leaving.delete(channelId);
              const still = legs.get(channelId);
              if (still !== undefined) legGone(still.call, still.leg, null, null);
            }, LEAVE_WAIT_MS),
          );
        }
        return;
      }
      case 'ChannelHold':
      case 'ChannelUnhold': {
        const entry = legs.get(event.channel.id);
        if (entry !== undefined) void setHeld(entry.call, entry.leg, event.type === 'ChannelHold');
        return;
      }
      default:
        return;
    }
  }

  async function incoming(channel: AriChannel, args: string[]): Promise<void> {
    const origin = args[0] === 'inbound' ? 'inbound' : 'internal';
    const described = describeChannel(channel);
    const call = newCall({
      direction: origin === 'inbound' ? 'inbound' : 'internal',
      from: { number: channel.caller.number, name: channel.caller.name },
      to: args[1] ?? '',
    });
    const caller = addLeg(call, {
      channelId: channel.id,
      channelName: channel.name,
      role: 'caller',
      ...described,
      state: channel.state === 'Up' ? 'up' : 'ringing',
      held: false,
    });
    try {
      await tag(channel.id, call, 'caller', caller.agentId);
      for (const handler of incomingHandlers) await handler(call, caller, args, channel);
    } catch (err) {
      log.error({ err, callId: call.id }, 'call handling failed');
      if (call.state !== 'ended') await refuse(call, caller, 'failed');
    }
  }

  // --- hold ---------------------------------------------------------------------------------------

  /**
   * The party on `leg` holds (or resumes), from their phone (ChannelHold) or over REST. The other
   * parties leave the call's bridge and hear music on hold on their own channel; on resume they
   * come back. Asterisk's own hold music covers only two-party native bridges, and music started
   * on a channel still in a bridge mixes with the call's audio, so this is done the same way for
   * every call.
   */
  async function setHeld(call: Call, leg: Leg, held: boolean): Promise<void> {
    if (leg.held === held || call.state !== 'up' || call.bridgeId === null) return;
    const bridgeId = call.bridgeId;
    leg.held = held;
    const others = liveLegs(call).filter((l) => l !== leg);
    for (const other of others) {
      if (held) {
        await quietly(() => ari.bridges.removeChannel(bridgeId, [other.channelId]));
        await quietly(() => ari.channels.startMoh(other.channelId));
      } else if (!others.some((l) => l.held)) {
        await quietly(() => ari.channels.stopMoh(other.channelId));
        await quietly(() => ari.bridges.addChannel(bridgeId, [other.channelId]));
      }
    }
    updateAgents(agentsOf(call));
    publish(call, held ? 'call_held' : 'call_resumed');
  }

  // --- restart ------------------------------------------------------------------------------------

  /**
   * After (re)connecting: calls still bridged in Asterisk are adopted; rows of calls that ended
   * while we were away are closed; channels of calls we no longer know are hung up.
   */
  /** A call as its open history row describes it (for re-adoption after a restart). */
  function callFromRow(row: CallHistoryRow): Call {
    const call = newCall(
      {
        direction: row.direction,
        from: { number: row.fromNumber, name: row.fromName },
        to: row.toNumber,
        ourNumber: row.ourNumber,
        phoneNumberId: row.phoneNumberId,
      },
      row.callId,
    );
    call.startedAt = row.startedAt;
    call.answeredAt = row.answeredAt;
    call.groupId = row.groupId;
    return call;
  }

  /** The caller's channel of a call waiting in a queue (tagged CC_QUEUE), if it is there. */
  function waitingCaller(own: AriChannel[]): AriChannel | undefined {
    return own.find(
      (c) => c.channelvars?.CC_LEG === 'caller' && (c.channelvars.CC_QUEUE ?? '') !== '',
    );
  }

  async function reconcile(): Promise<{ adopted: number; closed: number }> {
    const channels = await ari.channels.list();
    const bridges = await ari.bridges.list();
    const present = new Set(channels.map((c) => c.id));
    let adopted = 0;
    let closed = 0;

    // Calls we hold in memory whose channels vanished while the link was down (Asterisk
    // restarted, or they hung up unseen): when exactly they ended, nobody can tell.
    for (const call of [...calls.values()]) {
      if (liveLegs(call).some((leg) => !present.has(leg.channelId)))
        finish(call, 'ended_while_away', null);
    }

    for (const row of history.openRows()) {
      if (calls.has(row.callId)) continue;
      const own = channels.filter((c) => c.channelvars?.CC_CALL_ID === row.callId);
      const bridge = bridges.find((b) => b.id === row.callId);
      const bridged = own.filter((c) => bridge?.channels.includes(c.id) === true);
      const queued = row.answeredAt === null ? waitingCaller(own) : undefined;
      if (row.answeredAt !== null && bridge !== undefined && bridged.length >= 2) {
        const call = callFromRow(row);
        call.state = 'up';
        call.bridgeId = bridge.id;
        for (const channel of bridged) {
          const agentVar = channel.channelvars?.CC_AGENT_ID;
          addLeg(call, {
            channelId: channel.id,
            channelName: channel.name,
            role: channel.channelvars?.CC_LEG === 'callee' ? 'callee' : 'caller',
            ...describeChannel(channel),
            ...(agentVar !== undefined && agentVar !== '' && { agentId: Number(agentVar) }),
            state: 'up',
            held: false,
          });
        }
        updateAgents(agentsOf(call));
        adopted += 1;
        log.info(
          { callId: call.id, legs: bridged.length },
          're-adopted a call still up in Asterisk',
        );
        for (const adopter of adopters) adopter.answered?.(call);
      } else if (queued !== undefined && [...adopters].some((a) => a.waiting !== undefined)) {
        // A caller still waiting in a queue: its queue takes it back where it was.
        const channel = queued;
        for (const other of own)
          if (other.id !== channel.id) await quietly(() => ari.channels.hangup(other.id));
        const call = callFromRow(row);
        const caller = addLeg(call, {
          channelId: channel.id,
          channelName: channel.name,
          role: 'caller',
          ...describeChannel(channel),
          state: channel.state === 'Up' ? 'up' : 'ringing',
          held: false,
        });
        const tag = channel.channelvars?.CC_QUEUE ?? '';
        const taken = [...adopters].some((a) => a.waiting?.(call, caller, tag) === true);
        if (taken) {
          adopted += 1;
          log.info({ callId: call.id }, 're-adopted a caller waiting in a queue');
        } else {
          finish(call, 'ended_while_away', null);
          closed += 1;
        }
      } else {
        log.info(
          {
            callId: row.callId,
            channels: own.length,
            bridge: bridge?.channels ?? null,
            answered: row.answeredAt !== null,
          },
          'closing a call that did not survive',
        );
        for (const channel of own) await quietly(() => ari.channels.hangup(channel.id));
        history.ended(row.callId, 'ended_while_away', null);
        closed += 1;
      }
    }
    // Channels of calls that are neither ours now nor in the history: nobody controls them.
    for (const channel of channels) {
      const callId = channel.channelvars?.CC_CALL_ID;
      if (callId !== undefined && callId !== '' && !calls.has(callId)) {
        await quietly(() => ari.channels.hangup(channel.id));
      }
    }
    if (adopted + closed > 0) log.info({ adopted, closed }, 'calls reconciled with Asterisk');
    return { adopted, closed };
  }

  ari.onEvent(onEvent);
  ari.onStateChange((state) => {
    if (state === 'connected') {
      reconcile().catch((err: unknown) => log.error({ err }, 'call reconciliation failed'));
    }
  });

  hub.defineTopic('calls', {
    canSubscribe: () => true,
    snapshot: (p) => ({
      calls: [...calls.values()].filter((c) => visibleTo(c)(p)).map(toWire),
    }),
  });

  return {
    /** Routing registers here what to do with a new incoming call. */
    onIncoming(
      handler: (call: Call, caller: Leg, args: string[], channel: AriChannel) => Promise<void>,
    ): void {
      incomingHandlers.push(handler);
    },
    /** Told after every call that ends, once it is written down. */
    onEnded(listener: (call: Call) => void): () => void {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },
    /** Takes back, after a server restart, the calls of a domain (the ACD's queue calls). */
    onAdopt(adopter: {
      answered?: (call: Call) => void;
      waiting?: (call: Call, caller: Leg, queueTag: string) => boolean;
    }): void {
      adopters.add(adopter);
    },
    newCall,
    addLeg,
    tag,
    fork,
    cancelFork,
    agentTargets,
    playToEnd,
    connect,
    refuse,
    finish,
    setHeld,
    reconcile,
    publish,
    updateAgents,
    describeChannel,
    list: (): Call[] => [...calls.values()],
    get: (callId: string): Call | undefined => calls.get(callId),
    visibleTo,
  };
}

export type CallEngine = ReturnType<typeof createCallEngine>;
