/**
 * Ringing: a set of targets rung at once for a call (a fork); the first to answer wins and the
 * others are hung up; when none answers, the fork fails with the reason its targets give
 * (forkFailure: busy, no answer, unavailable, and the far end's cause).
 *
 * Each target is a channel originated into our application with its tags already set (so a
 * restart finds it): one ARI request, and Asterisk sends the INVITE. How a target ends is
 * reported by the engine's event handlers (`answered`, `failed`).
 *
 * A target checked for an answering machine (`answerCheck: 'machine'`, a campaign's customer)
 * is originated into the dialplan instead, which runs AMD() on it once answered and then sends
 * it into our application: it wins when it enters the application, with the verdict.
 */
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Logger } from '../platform/logger.js';
import type { TerminalsService } from '../terminals/service.js';
import type { AgentLoad } from './agent-load.js';
import type { Media } from './media.js';
import { agentsOf, type Leg } from './model.js';
import type { CallNotifier } from './notifier.js';
import { forkFailure, type EndReason, type TargetFailure } from './outcomes.js';
import type { CallRecord, CallRegistry, LegRecord } from './registry.js';
import {
  MACHINE_CHECK_DIALPLAN,
  MACHINE_CHECK_VARIABLE,
  parseMachineCheck,
  type MachineCheck,
} from './machine-check.js';
import { TAG } from './tags.js';

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
  /**
   * `machine`: once answered, answering-machine detection runs on the channel (in the dialplan,
   * before it enters our application), and the fork's result has its verdict.
   */
  answerCheck?: 'machine';
}

/**
 * How ringing ended: a leg answered (with the machine check's verdict for a target checked),
 * or none did (why, and the far end's Q.850 cause).
 */
export type ForkResult =
  { answered: Leg; machineCheck?: MachineCheck } | { failed: EndReason; cause: number | null };

interface PendingFork {
  targets: Set<string>;
  failures: TargetFailure[];
  settle(result: ForkResult): void;
}

export interface RingingDeps {
  ari: AriPort;
  log: Logger;
  registry: CallRegistry;
  notifier: CallNotifier;
  agentLoad: AgentLoad;
  media: Media;
  terminals: Pick<TerminalsService, 'registeredNamesOfAgent'>;
}

export function createRinging(deps: RingingDeps) {
  const { ari, log, registry, notifier, agentLoad, media } = deps;
  const forks = new Map<string, PendingFork>();
  /** The last target number given in each call: channel ids are never reused within a call. */
  const lastTarget = new Map<string, number>();
  /**
   * Targets being checked for a machine, by channel: `answered` once Asterisk reported the
   * channel up (it is in AMD(), or hung up during it).
   */
  const checked = new Map<string, { answered: boolean }>();

  // A customer who hangs up during AMD() never enters the application: only the channel's end
  // (its last state Up) says they had answered. This listener is registered before the engine's
  // (the engine makes the ringing first), so `failed` below knows it when the engine calls it.
  ari.onEvent((event) => {
    if (event.type !== 'ChannelDestroyed') return;
    const check = checked.get(event.channel.id);
    if (check !== undefined && event.channel.state === 'Up') check.answered = true;
  });

  /**
   * `<call id>-<n>` for the next target: after the call's legs (the caller is 1) and every target
   * rung for it before — a parked or transferred call rings new targets while old ones linger.
   */
  function nextChannelId(call: CallRecord): string {
    let n = Math.max(call.legs.size, lastTarget.get(call.id) ?? 0);
    for (const id of call.legs.keys()) {
      if (!id.startsWith(`${call.id}-`)) continue;
      const number = Number(id.slice(call.id.length + 1));
      if (Number.isInteger(number) && number > n) n = number;
    }
    lastTarget.set(call.id, n + 1);
    return `${call.id}-${n + 1}`;
  }

  /** A fork of `call`, settled once: the losers hung up, then `resolve` told. */
  function pendingFork(call: CallRecord, resolve: (result: ForkResult) => void): PendingFork {
    const pending: PendingFork = {
      targets: new Set(),
      failures: [],
      settle: (result) => {
        if (forks.get(call.id) !== pending) return;
        forks.delete(call.id);
        const winner = 'answered' in result ? result.answered.channelId : null;
        for (const channelId of pending.targets) {
          if (channelId === winner) continue;
          checked.delete(channelId);
          // The losers are gone for the call now, not when their hang-up completes.
          const leg = call.legs.get(channelId);
          if (leg !== undefined) leg.state = 'gone';
          // Phones that lost to another show "answered elsewhere", not a missed call.
          const reason = winner === null ? 'normal' : 'answered_elsewhere';
          void media.quietly(() => ari.channels.hangup(channelId, reason));
        }
        if (pending.targets.size > 0) agentLoad.update(agentsOf(call));
        resolve(result);
      },
    };
    forks.set(call.id, pending);
    return pending;
  }

  /**
   * Takes back, after a restart, the ringing of targets rung before it: `legs` are the call's
   * legs of channels still ringing (their originate's ring time still runs in Asterisk). An
   * answer or a hang-up that came before this is read from the channel itself.
   */
  function resume(call: CallRecord, legs: Leg[]): Promise<ForkResult> {
    if (legs.length === 0) return Promise.resolve({ failed: 'no_answer', cause: null });
    return new Promise<ForkResult>((resolve) => {
      const pending = pendingFork(call, resolve);
      for (const leg of legs) pending.targets.add(leg.channelId);
      for (const leg of legs) {
        ari.channels.get(leg.channelId).then(
          (channel) => {
            if (channel.state === 'Up') answered(call, leg.channelId);
          },
          () => failed(call, leg.channelId, 'unavailable', null),
        );
      }
    });
  }

  function fork(
    call: CallRecord,
    targets: Target[],
    timeoutSeconds: number,
    callerChannelId: string | null,
  ): Promise<ForkResult> {
    if (targets.length === 0) return Promise.resolve({ failed: 'unregistered', cause: null });
    return new Promise<ForkResult>((resolve) => {
      const pending = pendingFork(call, resolve);
      targets.forEach((target) => {
        const channelId = nextChannelId(call);
        pending.targets.add(channelId);
        registry.attachLeg(call, {
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
      agentLoad.update(agentsOf(call));
      notifier.publish(call, 'call_ringing');
    });
  }

  async function dialTarget(
    call: CallRecord,
    channelId: string,
    target: Target,
    timeoutSeconds: number,
    callerChannelId: string | null,
  ): Promise<void> {
    // What the callee is shown comes from the new channel's connected line (the From header and
    // P-Asserted-Identity); `,i` sets it without sending an update to anyone.
    const variables: Record<string, string> = {
      [TAG.callId]: call.id,
      [TAG.leg]: 'callee',
      'CONNECTEDLINE(num,i)': target.callerId.number,
      'CONNECTEDLINE(name,i)': target.callerId.name,
      ...(target.agentId !== null && { [TAG.agentId]: String(target.agentId) }),
      ...(target.withhold === true && { 'CONNECTEDLINE(pres,i)': 'prohib' }),
    };
    try {
      // One request rings the target: Asterisk dials it at once, the channel reports to our
      // application from the start (its Dial and ChannelDestroyed events say busy, no answer …)
      // and enters it when answered.
      const destination =
        target.answerCheck === 'machine'
          ? MACHINE_CHECK_DIALPLAN
          : { app: ari.app, appArgs: `leg,${call.id}` };
      if (target.answerCheck === 'machine') checked.set(channelId, { answered: false });
      const channel = await ari.channels.originate({
        endpoint: target.endpoint,
        ...destination,
        channelId,
        timeout: timeoutSeconds,
        ...(callerChannelId !== null && { originator: callerChannelId }),
        variables,
      });
      // A channel originated into the dialplan reports to no application until it enters ours
      // after the check: subscribing tells us its end if it fails or hangs up before. (One that
      // ended in between cannot be subscribed to: it failed.)
      if (target.answerCheck === 'machine')
        await ari.applications.subscribe(`channel:${channelId}`);
      const leg = call.legs.get(channelId);
      if (leg !== undefined) leg.channelName = channel.name;
      // The fork may have been settled while the request was on its way — by another target, or
      // by this one: a phone that answers at once can be in the application before the
      // originate's response is back, and the winner must not be hung up.
      const pending = forks.get(call.id)?.targets.has(channelId) === true;
      if (call.state === 'ended' || (!pending && leg?.state !== 'up'))
        await media.quietly(() => ari.channels.hangup(channelId));
    } catch (err) {
      log.info({ err, endpoint: target.endpoint }, 'could not ring a target');
      failed(call, channelId, 'unavailable', null);
      void media.quietly(() => ari.channels.hangup(channelId));
    }
  }

  /** A target will not answer (busy, no answer, unavailable). */
  function failed(
    call: CallRecord,
    channelId: string,
    result: TargetFailure['result'],
    cause: number | null,
  ): void {
    const leg = call.legs.get(channelId);
    if (leg !== undefined) leg.state = 'gone';
    const pending = forks.get(call.id);
    if (pending === undefined || !pending.targets.has(channelId)) return;
    pending.targets.delete(channelId);
    const check = checked.get(channelId);
    checked.delete(channelId);
    if (check?.answered === true && leg !== undefined) {
      // Answered, then hung up while checked for a machine: an answer, with no verdict.
      pending.settle({
        answered: leg,
        machineCheck: { verdict: 'hangup', cause: '', answeredAt: null },
      });
      return;
    }
    pending.failures.push({ kind: leg?.kind ?? 'phone', result, cause });
    agentLoad.update(agentsOf(call));
    if (pending.targets.size === 0) {
      const { reason, cause: farEnd } = forkFailure(pending.failures);
      pending.settle({ failed: reason, cause: farEnd });
    }
  }

  /**
   * A target answered (entered the application): it wins the fork. One checked for a machine
   * wins once its verdict is read; until then it still rings for the fork (a cancel hangs it up,
   * its hang-up is a failure as any other's).
   */
  function answered(call: CallRecord, channelId: string): void {
    const leg = call.legs.get(channelId);
    const pending = forks.get(call.id);
    if (leg === undefined || leg.state === 'gone' || pending?.targets.has(channelId) !== true)
      return;
    const check = checked.get(channelId);
    if (check === undefined) return win(pending, leg);
    check.answered = true;
    const settle = (check: MachineCheck) => {
      if (forks.get(call.id) !== pending || !pending.targets.has(channelId)) return;
      checked.delete(channelId);
      win(pending, leg, check);
    };
    ari.channels.getVariable(channelId, MACHINE_CHECK_VARIABLE).then(
      (value) => settle(parseMachineCheck(value)),
      (err: unknown) => {
        // Not known: the customer goes on as a person would. (One gone in between is settled by
        // its ChannelDestroyed first, as hung up, or hangs up the call once connected.)
        log.info({ err, channelId }, 'machine check not read');
        settle(parseMachineCheck(''));
      },
    );
  }

  function win(pending: PendingFork, leg: LegRecord, machineCheck?: MachineCheck): void {
    leg.state = 'up';
    pending.targets.delete(leg.channelId);
    pending.settle({ answered: leg, ...(machineCheck !== undefined && { machineCheck }) });
  }

  return {
    fork,
    resume,
    failed,
    answered,
    /** Whether a channel is one of the targets being rung for its call. */
    isRinging: (callId: string, channelId: string): boolean =>
      forks.get(callId)?.targets.has(channelId) === true,
    /** The call is over: nothing more is rung for it. */
    forget(callId: string): void {
      lastTarget.delete(callId);
      for (const channelId of checked.keys())
        if (channelId.startsWith(`${callId}-`)) checked.delete(channelId);
    },
    /** Stops ringing the call's targets (the call leaves a queue, or ends). */
    cancel(callId: string, failed: EndReason = 'cancelled'): void {
      forks.get(callId)?.settle({ failed, cause: null });
    },
    agentTargets,
  };

  /** Every registered phone of an agent, as targets showing `callerId`. */
  function agentTargets(
    agentId: number,
    callerId: Target['callerId'],
    exceptTerminal?: string | null,
  ): Target[] {
    return deps.terminals
      .registeredNamesOfAgent(agentId)
      .filter((sipUser) => sipUser !== exceptTerminal)
      .map((sipUser) => ({
        endpoint: `PJSIP/${sipUser}`,
        kind: 'phone' as const,
        terminal: sipUser,
        agentId,
        callerId,
      }));
  }
}

export type Ringing = ReturnType<typeof createRinging>;
