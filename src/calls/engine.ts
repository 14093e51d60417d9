/**
 * The call engine: our Stasis application, and the only code that changes a call.
 *
 * Every call enters it (asterisk-config/extensions.conf). The engine is built from parts with
 * one job each:
 * - registry.ts — the live calls and legs (a leg can be detached and given to another call);
 * - ringing.ts — forks: targets rung at once, the first to answer wins;
 * - controller.ts — what a leg's event means in the call's state (pure, unit-tested);
 * - hold.ts, media.ts, recorder.ts — hold, playbacks, MixMonitor recording;
 * - notifier.ts, agent-load.ts — the `calls` feed and the agents' ringing/talking/holding counts;
 * - reconcile.ts — re-adoption after a restart, from the channels' tags (tags.ts).
 * This file wires them, turns ARI events into the controller's inputs (one handler per event
 * type) and offers routing and the ACD the primitives they decide with: `fork`, `connect`,
 * `refuse`, `finish`, and `describe` for what they learn about a call.
 *
 * Nothing between a caller's StasisStart and the first target's INVITE waits for the database
 * or for an ARI request that is not needed to ring: the caller's tags are set alongside.
 */
import type { AgentStatusService } from '../agents/status-service.js';
import type { AriChannel, AriEvent } from '../platform/asterisk/ari-types.js';
import { AriError, type AriPort } from '../platform/asterisk/ari.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { TerminalsService } from '../terminals/service.js';
import type { TrunksService } from '../trunks/service.js';
import { createAgentLoad } from './agent-load.js';
import { decide, type LegEvent } from './controller.js';
import type { CallHistoryService, HandledVia } from './history-service.js';
import { createHold } from './hold.js';
import type { FeatureCodeSettings } from './feature-codes.js';
import { createKeypad, keysFeatures, type FeatureHandler, type FeatureType } from './keypad.js';
import { createMedia } from './media.js';
import { agentsOf, liveLegs, type Call, type CallFacts, type Leg, type LegRole } from './model.js';
import { createCallCustomers, NO_CUSTOMERS, type CustomerDirectory } from './customers.js';
import { createCallNotifier, visibleTo, type CallEventName } from './notifier.js';
import { refusalOf, type EndReason } from './outcomes.js';
import { createParties } from './parties.js';
import { createReconciler, type CallAdopter } from './reconcile.js';
import type { Recorder } from './recorder.js';
import {
  createCallRegistry,
  type CallOrigin,
  type CallRecord,
  type LegRecord,
} from './registry.js';
import { createRinging, type Target } from './ringing.js';
import { TAG, type TagName } from './tags.js';

export type { CallOrigin } from './registry.js';
export type { ForkResult, Target } from './ringing.js';

export interface CallEngineDeps {
  ari: AriPort;
  clock: Clock;
  hub: Hub;
  log: Logger;
  history: CallHistoryService;
  terminals: Pick<TerminalsService, 'seatOf' | 'registeredNamesOfAgent'>;
  trunks: Pick<TrunksService, 'byEndpoint'>;
  agentStatus: Pick<AgentStatusService, 'setCalls' | 'callEnded'>;
  recorder: Recorder;
  /** The codes our phones key during a call (§13). */
  featureCodes: FeatureCodeSettings;
  /** Handle calls entering Stasis (off only where a test plays the application itself). */
  handleIncoming: boolean;
  /** The CRM's customers, for the far end of each call (CRM自動検索); none without a CRM. */
  customers?: CustomerDirectory;
}

export type IncomingHandler = (
  call: Call,
  caller: Leg,
  args: string[],
  channel: AriChannel,
) => Promise<void>;

/** How long a leg that left the application waits for its channel's destruction (normally ms). */
const LEAVE_WAIT_MS = 500;

export function createCallEngine(deps: CallEngineDeps) {
  const { ari, clock, hub, log, history, agentStatus } = deps;
  const registry = createCallRegistry(clock);
  const notifier = createCallNotifier(
    hub,
    () => registry.list(),
    createCallCustomers(deps.customers ?? NO_CUSTOMERS),
  );
  const agentLoad = createAgentLoad(agentStatus, () => registry.list());
  const media = createMedia(ari, clock, log);
  const parties = createParties(deps.terminals, deps.trunks);
  const ringing = createRinging({
    ari,
    log,
    registry,
    notifier,
    agentLoad,
    media,
    terminals: deps.terminals,
  });
  const hold = createHold({ ari, media, notifier, agentLoad });
  const keypad = createKeypad({ ari, clock, log, media, settings: deps.featureCodes });
  /** Legs that left the application, waiting for their channel's destruction (and its cause). */
  const leaving = new Map<string, Timer>();
  const endedListeners = new Set<(call: Call) => void>();
  const adoptedListeners = new Set<(call: Call) => void>();
  const reconciledListeners = new Set<() => void>();
  const incomingHandlers: IncomingHandler[] = [];
  /** Calls a feature has taken over for a while (a transfer): it decides what a leg leaving means. */
  const supervisors = new Map<string, (leg: Leg) => boolean>();
  /** Legs whose digits a feature reads itself (a prompt for a PIN): by channel. */
  const digitListeners = new Map<string, (digit: string) => void>();

  /** The engine's own record behind a call handed out; a call that is over has none. */
  function own(call: Call): CallRecord {
    const record = registry.record(call);
    if (record === undefined) throw new Error(`call ${call.id} is not live`);
    return record;
  }
  function ownLeg(call: Call, leg: Leg): LegRecord {
    const record = registry.legRecord(call, leg);
    if (record === undefined) throw new Error(`leg ${leg.channelId} is not in call ${call.id}`);
    return record;
  }

  // --- primitives --------------------------------------------------------------------------------

  /**
   * Bridges the caller with the leg that answered and starts recording. For a call answered
   * already (a parked call picked up, a transferred customer queued again) it is a hand-over.
   */
  async function connect(call: Call, caller: Leg, callee: Leg): Promise<void> {
    const c = own(call);
    if (c.state === 'up') return handOver(c, caller, callee, 'transfer');
    if (c.state !== 'ringing') return;
    await answer(c, caller);
    // DTMF events: our phones' digits are read for feature codes (keypad.ts), and absorbed so
    // that only what is not a code reaches the other party.
    const bridge = await ari.bridges.create({
      type: 'mixing,dtmf_events',
      bridgeId: c.id,
      name: `call-${c.id}`,
    });
    c.bridgeId = bridge.id;
    await bridgeLegs(bridge.id, [caller, callee]);
    await answered(c, caller, callee);
  }

  /**
   * The call is answered: up from now, recorded, written down with who answered it (`callee`;
   * none for a phone that dialled into a conference room) and who placed it.
   */
  async function answered(c: CallRecord, caller: Leg | null, callee: Leg | null): Promise<void> {
    c.state = 'up';
    c.answeredAt = clock.now();
    const recordingName = await record(c);
    history.answered(c.id, recordingName);
    if (callee !== null)
      history.assign(c.id, {
        ...(c.direction === 'internal' ? { calleeAgentId: callee.agentId } : {}),
        ...(c.direction === 'inbound' && callee.agentId !== null
          ? { agentId: callee.agentId }
          : {}),
      });
    // The first of the agents who have the customer (internal calls have no customer).
    if (c.direction === 'inbound' && callee !== null && callee.agentId !== null)
      history.handled(c.id, callee.agentId, 'answered');
    if (c.direction === 'outbound' && caller !== null && caller.agentId !== null)
      history.handled(c.id, caller.agentId, 'placed');
    agentLoad.update(agentsOf(c));
    notifier.publish(c, 'call_answered');
  }

  /**
   * The leg joins a bridge the engine does not own — a conference room — and the call is up with
   * it, answered now if it was not, with no bridge of its own (the one it had goes). The call's
   * other legs must have been released: the leg leaving the room ends the call, as a hang-up does.
   */
  async function enter(call: Call, leg: Leg, bridgeId: string): Promise<void> {
    const c = own(call);
    const record = ownLeg(c, leg);
    // A caller is answered here; a target rung for the call answered already.
    if (record.role === 'caller') await answer(c, record);
    else if (record.state === 'ringing') record.state = 'up';
    if (c.bridgeId !== null) {
      const bridgeOfCall = c.bridgeId;
      c.bridgeId = null;
      await media.quietly(() => ari.bridges.removeChannel(bridgeOfCall, [record.channelId]));
      void media.quietly(() => ari.bridges.destroy(bridgeOfCall));
    }
    if (registry.record(c) === undefined) return;
    await ari.bridges.addChannel(bridgeId, [record.channelId]);
    if (c.state === 'ringing')
      await answered(
        c,
        record.role === 'caller' ? record : null,
        record.role === 'callee' ? record : null,
      );
    else agentLoad.update(agentsOf(c));
  }

  /**
   * The customer of an answered call is connected with another party who answered for them (a
   * parked call picked up, a transfer's target): both in the call's bridge — made again if it
   * went — and the call is that party's from now on. The recording goes on: it follows the
   * customer's channel.
   */
  async function handOver(call: Call, customer: Leg, leg: Leg, via: HandledVia): Promise<void> {
    const c = own(call);
    if (c.state !== 'up') return;
    await bridge(c, [customer, leg]);
    takeOver(c, leg, via);
  }

  /**
   * Puts legs (of an answered call, none of them in a bridge now) into the call's bridge — made
   * again if it went. A leg that answered is up from now on.
   */
  async function bridge(call: Call, legs: Leg[]): Promise<void> {
    const c = own(call);
    for (const leg of legs) {
      const record = ownLeg(c, leg);
      if (record.state === 'ringing') record.state = 'up';
    }
    const bridgeId = c.bridgeId ?? c.id;
    try {
      await bridgeLegs(bridgeId, legs);
    } catch (err) {
      if (!(err instanceof AriError && err.kind === 'not_found')) throw err;
      await ari.bridges.create({ type: 'mixing,dtmf_events', bridgeId, name: `call-${c.id}` });
      await bridgeLegs(bridgeId, legs);
    }
    c.bridgeId = bridgeId;
    agentLoad.update(agentsOf(c));
  }

  /** The call is the agent on `leg`'s from now on (a hand-over, a completed transfer). */
  function takeOver(call: Call, leg: Leg, via: HandledVia): void {
    const c = own(call);
    if (leg.agentId !== null) {
      history.assign(c.id, { agentId: leg.agentId });
      history.handled(c.id, leg.agentId, via);
    }
    agentLoad.update(agentsOf(c));
    notifier.publish(c, 'call_answered');
  }

  /**
   * A leg leaves the call, which goes on without it (its agent parked the call, or transferred
   * it away). Its channel is no longer the call's: the caller of this decides what becomes of it.
   */
  function release(call: Call, leg: Leg): void {
    const c = own(call);
    ownLeg(c, leg);
    registry.detachLeg(leg.channelId);
    keypad.forget(leg.channelId);
    agentLoad.update([...agentsOf(c), ...(leg.agentId === null ? [] : [leg.agentId])]);
    notifier.publish(c, 'call_party_left', leg.agentId);
  }

  /**
   * Moves a leg to another call (a phone that dialled a park slot becomes the parked call's);
   * the call it leaves had nothing else and was not written down: it is dropped silently.
   */
  function moveLeg(from: Call, leg: Leg, to: Call, role: LegRole): Leg {
    const source = own(from);
    const target = own(to);
    const record = registry.detachLeg(ownLeg(source, leg).channelId);
    if (record === undefined) throw new Error(`leg ${leg.channelId} vanished`);
    record.role = role;
    registry.attachLeg(target, record);
    tag(record.channelId, target, role, record.agentId);
    if (liveLegs(source).length === 0) {
      source.state = 'ended';
      registry.remove(source);
    }
    return record;
  }

  /** Puts legs into a bridge, our phones' digits absorbed (read by the keypad), the others not. */
  async function bridgeLegs(bridgeId: string, legs: Leg[]): Promise<void> {
    const ours = legs.filter(keysFeatures).map((l) => l.channelId);
    const theirs = legs.filter((l) => !keysFeatures(l)).map((l) => l.channelId);
    await Promise.all([
      ours.length > 0 ? ari.bridges.addChannel(bridgeId, ours, { absorbDtmf: true }) : undefined,
      theirs.length > 0 ? ari.bridges.addChannel(bridgeId, theirs) : undefined,
    ]);
  }

  /** The customer's channel is recorded: the trunk leg; for internal calls the caller's. */
  function record(call: CallRecord): Promise<string | null> {
    if (!call.recorded) return Promise.resolve(null);
    const customer =
      liveLegs(call).find((l) => l.kind === 'trunk') ??
      liveLegs(call).find((l) => l.role === 'caller');
    if (customer === undefined || customer.channelName === '') return Promise.resolve(null);
    return deps.recorder.start(customer.channelName, `call-${call.id}`);
  }

  /** Answers a leg's channel if it is not answered yet (before music, a greeting, a bridge). */
  async function answer(call: Call, leg: Leg): Promise<void> {
    if (leg.state === 'up') return;
    const record = ownLeg(call, leg);
    await ari.channels.answer(leg.channelId);
    if (record.state !== 'gone') record.state = 'up';
  }

  /**
   * Ends a call: every leg still there is hung up — an unanswered caller with the response its
   * `reason` calls for (486, 480, 404 …, or the far end's own for its Q.850 `cause`) — the
   * history row completed, everyone told. The call is marked ended first, so the hang-up events
   * that follow find nothing left to do.
   */
  function finish(call: Call, reason: EndReason, cause: number | null = null): void {
    const c = registry.record(call);
    if (c === undefined || c.state === 'ended') return;
    const wasAnswered = c.state === 'up';
    c.state = 'ended';
    c.endReason = reason;
    ringing.cancel(c.id, reason === 'completed' ? 'cancelled' : reason);
    ringing.forget(c.id);
    for (const leg of liveLegs(c)) {
      const refused = !wasAnswered && leg.role === 'caller' && leg.state !== 'up';
      ownLeg(c, leg).state = 'gone';
      void media.quietly(() =>
        ari.channels.hangup(leg.channelId, refused ? refusalOf(reason, cause) : 'normal'),
      );
    }
    if (c.bridgeId !== null) {
      const bridgeId = c.bridgeId;
      void media.quietly(() => ari.bridges.destroy(bridgeId));
    }
    history.ended(c.id, reason, cause);
    const agents = agentsOf(c);
    // The after-call status is chosen while the call still counts, so the agent goes from on the
    // call straight to 後処理, never through a moment of `available` in which a call could reach them.
    if (wasAnswered) {
      for (const agentId of agents)
        agentStatus.callEnded(agentId, c.direction !== 'internal', c.afterCall ?? undefined);
    }
    agentLoad.update(agents);
    notifier.publish(c, 'call_ended');
    for (const channelId of c.legs.keys()) {
      keypad.forget(channelId);
      digitListeners.delete(channelId);
    }
    supervisors.delete(c.id);
    registry.remove(c);
    for (const listener of endedListeners) listener(c);
  }

  /**
   * Drops a call that is not to be written down (a number over its channel limit, §9-1): the
   * caller gets `sipReason`, nobody is told.
   */
  function discard(call: Call, caller: Leg, sipReason: string): void {
    const c = own(call);
    c.state = 'ended';
    ownLeg(c, caller).state = 'gone';
    registry.remove(c);
    void media.quietly(() => ari.channels.hangup(caller.channelId, sipReason));
  }

  // --- what a leg's events mean ------------------------------------------------------------------

  function legEvent(channelId: string, event: LegEvent): void {
    const entry = registry.byChannel(channelId);
    if (entry === undefined) return;
    const { call, leg } = entry;
    const decision = decide(
      {
        call: call.state,
        role: leg.role,
        leg: leg.state,
        ringing: ringing.isRinging(call.id, channelId),
      },
      event,
    );
    switch (decision.type) {
      case 'ignore':
        return;
      case 'target_answered':
        ringing.answered(call, channelId);
        return;
      case 'target_failed':
        ringing.failed(call, channelId, decision.result, decision.cause);
        return;
      case 'drop_leg':
      case 'finish':
        if (supervised(call, leg)) return;
        break;
    }
    switch (decision.type) {
      case 'drop_leg':
        leg.state = 'gone';
        keypad.forget(channelId);
        agentLoad.update(agentsOf(call));
        return;
      case 'finish':
        leg.state = 'gone';
        call.endedBy ??= leg.role;
        finish(call, decision.reason, decision.cause);
        return;
    }
  }

  /**
   * A leg of a supervised call left (hung up): the feature that has the call (a transfer)
   * decides what it means; true if it did. The leg is gone for the call either way.
   */
  function supervised(call: CallRecord, leg: LegRecord): boolean {
    const supervisor = supervisors.get(call.id);
    if (supervisor === undefined) return false;
    leg.state = 'gone';
    keypad.forget(leg.channelId);
    agentLoad.update(agentsOf(call));
    return supervisor(leg);
  }

  type Handlers = { [T in AriEvent['type']]?: (event: AriEvent & { type: T }) => void };

  const handlers: Handlers = {
    StasisStart(event) {
      const entry = registry.byChannel(event.channel.id);
      if (entry !== undefined) {
        // A target we rang enters the application when it answers: from then on it can be
        // bridged (before, Asterisk would refuse to bridge it: not in Stasis).
        if (ringing.isRinging(entry.call.id, event.channel.id))
          legEvent(event.channel.id, { type: 'answered' });
        return;
      }
      const [origin] = event.args;
      if (deps.handleIncoming && (origin === 'internal' || origin === 'inbound'))
        void incoming(event.channel, event.args);
    },
    ChannelDestroyed(event) {
      const waiting = leaving.get(event.channel.id);
      if (waiting !== undefined) clock.clearTimeout(waiting);
      leaving.delete(event.channel.id);
      legEvent(event.channel.id, {
        type: 'gone',
        cause: event.cause,
        sipCode: event.tech_cause ?? null,
      });
    },
    StasisEnd(event) {
      // A ringing target's outcome (busy, no answer) comes with Dial / ChannelDestroyed.
      const channelId = event.channel.id;
      const entry = registry.byChannel(channelId);
      if (entry === undefined || ringing.isRinging(entry.call.id, channelId)) return;
      if (leaving.has(channelId)) return;
      // A hang-up leaves the application just before the channel is destroyed, and only the
      // destruction says why (the cause): wait for it, briefly, so that the call's end is written
      // with it. A channel that left without hanging up is handled when the wait runs out.
      leaving.set(
        channelId,
        clock.setTimeout(() => {
          leaving.delete(channelId);
          legEvent(channelId, { type: 'gone', cause: null, sipCode: null });
        }, LEAVE_WAIT_MS),
      );
    },
    ChannelDtmfReceived(event) {
      const listener = digitListeners.get(event.channel.id);
      if (listener !== undefined) return listener(event.digit);
      const entry = registry.byChannel(event.channel.id);
      if (entry === undefined || entry.call.state !== 'up' || entry.leg.state !== 'up') return;
      if (keysFeatures(entry.leg)) keypad.digit(entry.call, entry.leg, event.digit);
    },
    ChannelHold(event) {
      const entry = registry.byChannel(event.channel.id);
      if (entry !== undefined) void hold.setHeld(entry.call, entry.leg, true);
    },
    ChannelUnhold(event) {
      const entry = registry.byChannel(event.channel.id);
      if (entry !== undefined) void hold.setHeld(entry.call, entry.leg, false);
    },
  };

  function onEvent(event: AriEvent): void {
    const handler = handlers[event.type] as ((e: AriEvent) => void) | undefined;
    handler?.(event);
  }

  async function incoming(channel: AriChannel, args: string[]): Promise<void> {
    const origin = args[0] === 'inbound' ? 'inbound' : 'internal';
    const call = registry.create({
      direction: origin,
      from: { number: channel.caller.number, name: channel.caller.name },
      to: args[1] ?? '',
    });
    const caller = registry.attachLeg(call, parties.leg(channel, 'caller'));
    // The tags are for a restart to find the call; routing does not wait for them.
    tag(channel.id, call, 'caller', caller.agentId);
    try {
      for (const handler of incomingHandlers) await handler(call, caller, args, channel);
    } catch (err) {
      log.error({ err, callId: call.id }, 'call handling failed');
      finish(call, 'failed', null);
    }
  }

  /** Tags a channel as a leg of `call`. */
  function tag(channelId: string, call: Call, role: LegRole, agentId: number | null): void {
    const tags: [string, string][] = [
      [TAG.callId, call.id],
      [TAG.leg, role],
      ...(agentId === null ? [] : [[TAG.agentId, String(agentId)] as [string, string]]),
    ];
    for (const [name, value] of tags) setBehind(channelId, name, value);
  }

  /**
   * Sets a channel variable on the next turn of the event loop: the requests that ring a call's
   * targets leave first (a tag is for a restart to find the call; nothing waits for it).
   */
  function setBehind(channelId: string, name: string, value: string): void {
    clock.setTimeout(
      () => void media.quietly(() => ari.channels.setVariable(channelId, name, value)),
      0,
    );
  }

  const reconciler = createReconciler({
    ari,
    log,
    registry,
    history,
    parties,
    media,
    agentLoad,
    finish,
    adoptedAnswered: (call) => {
      for (const listener of adoptedListeners) listener(call);
    },
  });

  ari.onEvent(onEvent);
  ari.onStateChange((state) => {
    if (state === 'connected') {
      reconciler
        .run()
        .catch((err: unknown) => log.error({ err }, 'call reconciliation failed'))
        .finally(() => {
          for (const listener of reconciledListeners) listener();
        });
    }
  });

  return {
    /** Routing registers here what to do with a new incoming call. */
    onIncoming(handler: IncomingHandler): void {
      incomingHandlers.push(handler);
    },
    /** Told after every call that ends, once it is written down. */
    onEnded(listener: (call: Call) => void): () => void {
      endedListeners.add(listener);
      return () => endedListeners.delete(listener);
    },
    /** Told when the calls Asterisk still has were taken back, after each (re)connection. */
    onReconciled(listener: () => void): void {
      reconciledListeners.add(listener);
    },
    /** Told of every answered call taken back after a restart. */
    onAdopted(listener: (call: Call) => void): void {
      adoptedListeners.add(listener);
    },
    /** Takes back, after a restart, the unanswered calls whose caller carries a domain's tag. */
    registerAdopter(adopter: CallAdopter): void {
      reconciler.register(adopter);
    },
    /** A call we place (its id may be chosen first: the dialer writes it down before dialling). */
    newCall: (origin: CallOrigin, id?: string): Call => registry.create(origin, id),
    /** What routing or the ACD learnt about a call: where it goes, for which number, group … */
    describe(
      call: Call,
      facts: Partial<CallFacts> & { from?: { number: string; name: string } },
    ): void {
      Object.assign(own(call), facts);
    },
    /** Sets a channel tag on a leg of the call (e.g. CC_QUEUE while it waits). */
    setTag(call: Call, leg: Leg, name: TagName, value: string): void {
      ownLeg(call, leg);
      setBehind(leg.channelId, name, value);
    },
    /**
     * The leg that answered a click-to-call ring becomes the call's caller: it is the agent
     * placing the call from now on.
     */
    makeCaller(call: Call, leg: Leg): void {
      const record = ownLeg(call, leg);
      record.role = 'caller';
      tag(leg.channelId, call, 'caller', leg.agentId);
    },
    fork: (call: Call, targets: Target[], timeoutSeconds: number, callerChannelId: string | null) =>
      ringing.fork(own(call), targets, timeoutSeconds, callerChannelId),
    /** After a restart: the ringing of the call's `legs`, rung before it, as a fork again. */
    resumeFork: (call: Call, legs: Leg[]) => ringing.resume(own(call), legs),
    /**
     * While a feature works on a call (a transfer), a leg that leaves is its to handle: `onLegGone`
     * returns true if it did, false for the engine's own decision (the call ending …). Returns
     * the function that ends the supervision.
     */
    supervise(call: Call, onLegGone: (leg: Leg) => boolean): () => void {
      own(call);
      supervisors.set(call.id, onLegGone);
      return () => {
        if (supervisors.get(call.id) === onLegGone) supervisors.delete(call.id);
      };
    },
    /**
     * The digits keyed on `leg` go to `listener` (not to the keypad) until the function returned
     * is called or the call ends: a feature reads them on a leg it answered and did not bridge (a
     * PIN, a menu choice). calls/digit-reader.ts collects them with prompts and timeouts.
     */
    listenDigits(call: Call, leg: Leg, listener: (digit: string) => void): () => void {
      ownLeg(call, leg);
      digitListeners.set(leg.channelId, listener);
      return () => {
        if (digitListeners.get(leg.channelId) === listener) digitListeners.delete(leg.channelId);
      };
    },
    /** Registers what a feature code keyed during a call does (park, transfers). */
    onFeature<T extends FeatureType>(type: T, handler: FeatureHandler<T>): void {
      keypad.onFeature(type, handler);
    },
    /** Stops ringing the call's targets without ending the call (e.g. it leaves a queue). */
    cancelFork: (call: Call): void => ringing.cancel(call.id),
    agentTargets: ringing.agentTargets,
    playToEnd: media.playToEnd,
    answer,
    connect,
    handOver,
    enter,
    bridge,
    takeOver,
    release,
    moveLeg,
    /**
     * Refuses a call that was not answered: the caller gets the SIP response for `reason` — or
     * the far end's own, when `cause` (its Q.850 cause) has one.
     */
    refuse(call: Call, reason: EndReason, cause: number | null = null): void {
      finish(call, reason, cause);
    },
    discard,
    finish,
    setHeld: (call: Call, leg: Leg, held: boolean): Promise<void> =>
      hold.setHeld(own(call), ownLeg(call, leg), held),
    reconcile: () => reconciler.run(),
    publish: (call: Call, name: CallEventName): void => notifier.publish(call, name),
    list: (): Call[] => registry.list(),
    get: (callId: string): Call | undefined => registry.get(callId),
    visibleTo,
    /** A call as a principal sees it: its wire form with the customers they may see. */
    viewOf: notifier.viewOf,
  };
}

export type CallEngine = ReturnType<typeof createCallEngine>;
