/**
 * Transfers (§13 `#8` / `#9`, REST `POST /calls/{id}/transfer`, the attended-transfer resource
 * `/transfers/{id}` with `complete` and `cancel`): the customer of an answered call handed from
 * one agent to another number. What each event means is state.ts's (pure); this file applies it
 * to the call — who is in the call's bridge, who hears music or ringing, who is rung or hung up.
 *
 * A transfer works on the customer's own call: the recipient is rung as a leg of it, the
 * initiator stays a leg of it until released, and while the transfer runs the engine hands it
 * every leg that leaves (`engine.supervise`). Inputs are decided at once, in the order they come;
 * the actions they call for run one transfer at a time, in that order.
 */
import { randomUUID } from 'node:crypto';
import type { AriPort } from '../platform/asterisk/ari.js';
import { quietlyWith } from '../platform/asterisk/best-effort.js';
import type { Clock } from '../platform/clock.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { CallEngine, ForkResult } from '../calls/engine.js';
import { farEnd, liveLegs, type Call, type Leg } from '../calls/model.js';
import type { TransferTarget } from '../calls/routing.js';
import { TAG } from '../calls/tags.js';
import { createTransferNotifier, type TransferWire } from './notifier.js';
import { parseTransferTag, transferTag } from './tag.js';
import {
  decideTransfer,
  type TransferAction,
  type TransferInput,
  type TransferMode,
  type TransferStatus,
} from './state.js';

interface Transfer {
  id: string;
  call: Call;
  mode: TransferMode;
  status: TransferStatus;
  to: string;
  initiator: Leg;
  transferred: Leg;
  recipient: Leg | null;
  /** The recipient answered an attended transfer: they and the initiator are in the bridge. */
  consulted: boolean;
  /** The initiator's phone was let go. */
  released: boolean;
  createdAt: Date;
  endSupervision: () => void;
  /** The actions decided so far, run in order. */
  work: Promise<void>;
  hooks: TransferHooks;
  /**
   * A consultation held as a call of its own (a phone's REFER with Replaces), ended once the
   * transfer is — after the phone has been told, so that both of its calls go only then.
   */
  consultation: Call | null;
  /** Stops the recipient's ringing: the call's fork, or a group consultation's place in line. */
  stopRinging: () => void;
}

/** What the one who asked for a transfer is told of it (a phone's REFER: its NOTIFYs). */
export interface TransferHooks {
  /** The initiator is about to be let go (the transfer is theirs no longer): awaited first. */
  releasing?: () => Promise<void>;
  /** The transfer is over, completed or cancelled. */
  ended?: (transfer: TransferWire) => void;
}

export interface TransfersDeps {
  ari: AriPort;
  clock: Clock;
  hub: Hub;
  log: Logger;
  engine: CallEngine;
  target(call: Call, initiator: Leg, dialled: string): TransferDestination;
  /** Queues the customer in a group (a blind transfer to a group's extension). */
  enterQueue(call: Call, customer: Leg, groupId: number): Promise<void>;
  /** Puts the customer in a conference room (a blind transfer to a room's number). */
  enterRoom(call: Call, customer: Leg, room: string): Promise<void>;
  /**
   * The agent consults a group (an attended transfer to its extension): the first member who
   * answers, or a failure; undefined for a group that is not there.
   */
  consultGroup(
    call: Call,
    agent: Leg,
    groupId: number,
  ): { result: Promise<ForkResult>; cancel: () => void } | undefined;
  ringSeconds: number;
}

/** Where a transfer goes: what routing says of the number, or a conference room. */
export type TransferDestination = TransferTarget | { kind: 'room'; room: string };

const RINGBACK = 'tone:ring;tonezone=jp';
/** Read after an await: the call may have ended meanwhile (no narrowing across it). */
const isUp = (call: Call): boolean => call.state === 'up';
/** Heard by the initiator when the recipient will not answer. */
const FAILED_TONE = 'tone:busy;tonezone=jp';

export function createTransfers(deps: TransfersDeps) {
  const { ari, clock, log, engine } = deps;
  const transfers = new Map<string, Transfer>();
  const notifier = createTransferNotifier(deps.hub);

  function wire(x: Transfer): TransferWire {
    return {
      id: x.id,
      callId: x.call.id,
      mode: x.mode,
      status: x.status,
      to: x.to,
      initiatorAgentId: x.initiator.agentId,
      recipientAgentId: x.recipient?.agentId ?? null,
      createdAt: x.createdAt.toISOString(),
    };
  }

  const inProgress = (call: Call) =>
    [...transfers.values()].find(
      (x) => x.call.id === call.id && (x.status === 'ringing' || x.status === 'answered'),
    );

  // --- media and bridges -------------------------------------------------------------------------

  const quietly = quietlyWith(log, 'transfer step failed');

  function playback(leg: Leg, what: 'ringback' | 'failed'): string {
    return `${leg.channelId}-transfer-${what}`;
  }

  async function ringback(leg: Leg, on: boolean): Promise<void> {
    const id = playback(leg, 'ringback');
    if (on) await quietly(() => ari.channels.play(leg.channelId, RINGBACK, id));
    else await quietly(() => ari.playbacks.stop(id));
  }

  async function unbridge(call: Call, legs: Leg[]): Promise<void> {
    const bridgeId = call.bridgeId;
    if (bridgeId === null) return;
    await quietly(() =>
      ari.bridges.removeChannel(
        bridgeId,
        legs.map((l) => l.channelId),
      ),
    );
  }

  /** The customer waits: music in an attended transfer, ringing in a blind one. */
  async function customerWaits(x: Transfer): Promise<void> {
    if (x.mode === 'attended') await quietly(() => ari.channels.startMoh(x.transferred.channelId));
    else await ringback(x.transferred, true);
  }

  async function customerStopsWaiting(x: Transfer): Promise<void> {
    await quietly(() => ari.channels.stopMoh(x.transferred.channelId));
    await ringback(x.transferred, false);
  }

  // --- the actions -------------------------------------------------------------------------------

  async function run(x: Transfer, action: TransferAction): Promise<void> {
    // The customer hung up meanwhile and the engine ended the call: nothing is left to move.
    if (x.call.state === 'ended') return;
    switch (action) {
      case 'connect_initiator_with_recipient':
        if (x.recipient === null) return;
        await ringback(x.initiator, false);
        await engine.bridge(x.call, [x.initiator, x.recipient]);
        return;
      case 'connect_transferred_with_recipient':
        if (x.recipient === null) return;
        await customerStopsWaiting(x);
        // After a consultation the recipient is in the bridge already, with the initiator.
        await engine.bridge(x.call, x.consulted ? [x.transferred] : [x.transferred, x.recipient]);
        engine.takeOver(x.call, x.recipient, 'transfer');
        return;
      case 'release_initiator':
        if (x.released || x.initiator.state === 'gone') return;
        x.released = true;
        await x.hooks.releasing?.();
        await ringback(x.initiator, false);
        engine.release(x.call, x.initiator);
        await quietly(() => ari.channels.hangup(x.initiator.channelId));
        return;
      case 'return_initiator':
        await customerStopsWaiting(x);
        await ringback(x.initiator, false);
        // After a consultation the initiator is in the bridge still (the recipient leaving it).
        await engine.bridge(x.call, x.consulted ? [x.transferred] : [x.transferred, x.initiator]);
        return;
      case 'tone_to_initiator':
        await quietly(() =>
          engine.playToEnd(
            x.initiator.channelId,
            FAILED_TONE,
            playback(x.initiator, 'failed'),
            1500,
          ),
        );
        await quietly(() => ari.playbacks.stop(playback(x.initiator, 'failed')));
        return;
      case 'recall_initiator':
        await recall(x);
        return;
      case 'stop_ringing_recipient':
        x.stopRinging();
        return;
      case 'hang_up_recipient':
        if (x.recipient !== null)
          await quietly(() => ari.channels.hangup(x.recipient?.channelId ?? ''));
        return;
    }
  }

  /** A blind transfer that failed: the initiator's phones ring for the customer, or the call ends. */
  async function recall(x: Transfer): Promise<void> {
    await customerStopsWaiting(x);
    const agentId = x.initiator.agentId;
    const targets = agentId === null ? [] : engine.agentTargets(agentId, farEnd(x.call));
    if (targets.length > 0 && x.call.state === 'up') {
      await ringback(x.transferred, true);
      const result = await engine.fork(x.call, targets, deps.ringSeconds, null);
      await ringback(x.transferred, false);
      if ('answered' in result && isUp(x.call)) {
        await engine.handOver(x.call, x.transferred, result.answered, 'transfer');
        return;
      }
    }
    if (isUp(x.call)) engine.finish(x.call, 'completed', null);
  }

  /** Decides `input` for the transfer now; its actions join the transfer's work. */
  function input(x: Transfer, event: TransferInput): 'done' | 'refused' | 'ignored' {
    const step = decideTransfer({ status: x.status, mode: x.mode }, event);
    if (step.type === 'refuse') return 'refused';
    if (step.type === 'ignore') return 'ignored';
    x.status = step.status;
    x.mode = step.mode;
    if (event.type === 'recipient_answered' && step.status === 'answered') x.consulted = true;
    const over = step.status === 'completed' || step.status === 'cancelled';
    // Where it is now, for a restart (an attended transfer gone blind, a consultation begun).
    if (!over) tag(x);
    // The feed is told once the actions are done: a transfer_answered means they are talking.
    x.work = x.work
      .then(async () => {
        for (const action of step.actions) await run(x, action);
      })
      .then(() => {
        for (const name of step.events) notifier.publish(name, wire(x), x.call);
      })
      .catch((err: unknown) => log.warn({ err, transferId: x.id }, 'transfer step failed'))
      .finally(() => {
        if (over) finished(x);
      });
    return 'done';
  }

  /** The customer's channel says where the transfer is, for a restarted server (CC_TRANSFER). */
  function tag(x: Transfer, over = false): void {
    const value = over
      ? ''
      : transferTag({
          id: x.id,
          mode: x.mode,
          status: x.status,
          initiatorChannelId: x.initiator.channelId,
          recipientChannelId: x.recipient?.channelId ?? null,
          to: x.to,
          createdAt: x.createdAt,
          initiatorAgentId: x.initiator.agentId,
        });
    if (x.call.state !== 'ended' && x.transferred.state !== 'gone')
      engine.setTag(x.call, x.transferred, TAG.transfer, value);
  }

  function finished(x: Transfer): void {
    x.endSupervision();
    tag(x, true);
    if (x.consultation !== null && x.consultation.state !== 'ended')
      engine.finish(x.consultation, 'completed', null);
    x.hooks.ended?.(wire(x));
    // Kept a while for GET /transfers/{id} after the end; a call's next transfer replaces it.
    clock.setTimeout(() => transfers.delete(x.id), 60_000);
  }

  /** A leg of the call left while the transfer ran: whose it was decides what it means. */
  function legGone(x: Transfer, leg: Leg): boolean {
    const party =
      leg.channelId === x.initiator.channelId
        ? 'initiator_hung_up'
        : leg.channelId === x.transferred.channelId
          ? 'transferred_hung_up'
          : leg.channelId === x.recipient?.channelId
            ? 'recipient_hung_up'
            : null;
    if (party === null) return false;
    const ringing = x.status === 'ringing';
    if (input(x, { type: party }) === 'ignored') return false;
    // The customer leaving while the recipient still rings ends the call: the engine hangs up
    // the initiator and stops the ringing. Otherwise the transfer has taken care of it.
    return !(party === 'transferred_hung_up' && ringing);
  }

  /** Rings the recipient; the answer or the failure is the transfer's next input. */
  async function ring(x: Transfer, targets: TransferTarget & { kind: 'ring' }): Promise<void> {
    rang(x, await engine.fork(x.call, targets.targets, targets.seconds, null));
  }

  /** The agent waits in the group's line; the member who answers is the recipient. */
  async function consultGroup(x: Transfer, groupId: number): Promise<void> {
    if (x.status !== 'ringing' || !isUp(x.call)) return;
    const consultation = deps.consultGroup(x.call, x.initiator, groupId);
    if (consultation === undefined) {
      input(x, { type: 'recipient_failed' });
      return;
    }
    x.stopRinging = consultation.cancel;
    rang(x, await consultation.result);
  }

  /** The recipient's ringing ended: answered, or not. */
  function rang(x: Transfer, result: ForkResult): void {
    if ('answered' in result) {
      x.recipient = result.answered;
      if (input(x, { type: 'recipient_answered' }) === 'ignored')
        void quietly(() => ari.channels.hangup(result.answered.channelId));
    } else {
      input(x, { type: 'recipient_failed' });
    }
  }

  /** A new transfer of `call`, supervised from now on and announced. */
  function begin(fields: {
    call: Call;
    mode: TransferMode;
    status: TransferStatus;
    to: string;
    initiator: Leg;
    transferred: Leg;
    hooks: TransferHooks;
  }): Transfer {
    const x: Transfer = {
      id: randomUUID(),
      recipient: null,
      consulted: false,
      released: false,
      createdAt: clock.now(),
      endSupervision: () => undefined,
      work: Promise.resolve(),
      consultation: null,
      stopRinging: () => engine.cancelFork(fields.call),
      ...fields,
    };
    transfers.set(x.id, x);
    x.endSupervision = engine.supervise(x.call, (leg) => legGone(x, leg));
    notifier.publish('transfer_created', wire(x), x.call);
    return x;
  }

  /** The one party of an answered call besides `leg`'s, or why the call cannot be transferred. */
  function otherParty(call: Call, leg: Leg): Leg {
    if (call.state !== 'up')
      throw conflict('call_not_up', 'Only an answered call can be transferred');
    if (inProgress(call) !== undefined)
      throw conflict('transfer_in_progress', 'The call is being transferred already');
    const others = liveLegs(call).filter((l) => l.channelId !== leg.channelId && l.state === 'up');
    const other = others[0];
    if (other === undefined || others.length !== 1 || leg.state !== 'up')
      throw conflict('not_transferable', 'Only a call with one other party can be transferred');
    return other;
  }

  /**
   * Starts a transfer of `call` by the agent on `initiator` to `to`. Bad requests change nothing:
   * 409 for a call that is not up or already being transferred, 422 for a number that cannot be
   * transferred to (unknown, oneself, refused), 409 for a recipient who cannot take it now.
   */
  function start(
    call: Call,
    initiator: Leg,
    to: string,
    mode: TransferMode,
    hooks: TransferHooks = {},
  ): TransferWire {
    const transferred = otherParty(call, initiator);
    const target = deps.target(call, initiator, to);
    if (target.kind === 'refused') {
      if (target.reason === 'self')
        throw unprocessable('transfer_to_self', 'A call cannot be transferred to its own agent');
      if (target.reason === 'unknown_number')
        throw unprocessable('unknown_number', `${to} is not a number that can be called`);
      throw conflict('recipient_unavailable', `${to} cannot take the call now (${target.reason})`);
    }
    // A room has no one to consult: the customer is put in it, blind.
    if (target.kind === 'room' && mode === 'attended')
      throw unprocessable(
        'attended_to_room',
        `${to} is a conference room: transfer the customer into it blind`,
      );
    const x = begin({ call, mode, status: 'ringing', to, initiator, transferred, hooks });
    tag(x);
    x.work = (async () => {
      await unbridge(call, [transferred, initiator]);
      await customerWaits(x);
      if (mode === 'attended') await ringback(initiator, true);
      else await run(x, 'release_initiator');
    })().catch((err: unknown) => log.warn({ err, transferId: x.id }, 'transfer start failed'));
    if (target.kind === 'group' && mode === 'attended') {
      // The agent consults the group: in its line, in the customer's place, for the first
      // member who answers.
      void x.work
        .then(() => consultGroup(x, target.groupId))
        .catch((err: unknown) => log.warn({ err, transferId: x.id }, 'group consultation failed'));
    } else if (target.kind === 'group' || target.kind === 'room') {
      // The customer joins the group's queue, or the room; the transfer is done once they are in.
      x.work = x.work.then(async () => {
        await customerStopsWaiting(x);
        x.status = 'completed';
        notifier.publish('transfer_completed', wire(x), call);
        finished(x);
        await (target.kind === 'group'
          ? deps.enterQueue(call, transferred, target.groupId)
          : deps.enterRoom(call, transferred, target.room));
      });
    } else {
      void x.work
        .then(() => ring(x, target))
        .catch((err: unknown) => log.warn({ err, transferId: x.id }, 'transfer ringing failed'));
    }
    return wire(x);
  }

  /**
   * An attended transfer whose consultation was a call of its own: a phone's transfer button
   * with Replaces (REFER), the phone holding the customer on `call` and the recipient on
   * `consultation`. The recipient's leg moves into the customer's call — which keeps its
   * history, recording and agents — and the transfer completes as one after a consultation of
   * ours: the customer is the recipient's, the initiator let go; then the consultation, left
   * with the phone's leg alone, ends. Refused like `start` when either call cannot be
   * transferred.
   */
  function startConsulted(
    call: Call,
    initiator: Leg,
    consultation: { call: Call; leg: Leg },
    to: string,
    hooks: TransferHooks = {},
  ): TransferWire {
    if (consultation.call.id === call.id)
      throw unprocessable('not_transferable', 'The call to connect with is the same call');
    if (consultation.leg.terminal === null || consultation.leg.terminal !== initiator.terminal)
      throw unprocessable('not_transferable', 'The other call is not the same phone’s');
    const transferred = otherParty(call, initiator);
    const consulted = otherParty(consultation.call, consultation.leg);
    if (consulted.agentId !== null && consulted.agentId === initiator.agentId)
      throw unprocessable('transfer_to_self', 'A call cannot be transferred to its own agent');
    const x = begin({
      call,
      mode: 'attended',
      status: 'answered',
      to,
      initiator,
      transferred,
      hooks,
    });
    x.recipient = consulted;
    x.consulted = true;
    x.work = (async () => {
      // The shape of a consultation of ours: the customer waits outside the call's bridge, the
      // initiator and the recipient are in it.
      await unbridge(call, [transferred]);
      await customerWaits(x);
      const from = consultation.call;
      const bridgeId = from.bridgeId;
      if (bridgeId !== null)
        await quietly(() => ari.bridges.removeChannel(bridgeId, [consulted.channelId]));
      // The phone may have held the consultation too: the recipient hears music then.
      await quietly(() => ari.channels.stopMoh(consulted.channelId));
      if (from.state !== 'up' || consulted.state !== 'up' || !isUp(call)) return;
      x.recipient = engine.moveLeg(from, consulted, call, 'callee');
      x.consultation = from;
      await engine.bridge(call, [x.recipient]);
      notifier.publish('transfer_answered', wire(x), call);
    })()
      .catch((err: unknown) => log.warn({ err, transferId: x.id }, 'consultation not taken over'))
      .then(() => {
        if (x.status !== 'answered') return;
        // The recipient went while coming over: the initiator is back with the customer.
        const here = x.recipient !== null && call.legs.get(x.recipient.channelId) === x.recipient;
        input(x, { type: here && x.recipient?.state === 'up' ? 'complete' : 'recipient_hung_up' });
      });
    return wire(x);
  }

  function find(id: string): Transfer {
    const x = transfers.get(id);
    if (x === undefined) throw notFound('Transfer');
    return x;
  }

  function apply(id: string, type: 'complete' | 'cancel'): TransferWire {
    const x = find(id);
    if (input(x, { type }) === 'refused')
      throw conflict('transfer_over', `The transfer is ${x.status} already`);
    return wire(x);
  }

  // The phone's codes: #8 / #9 + number + #, and #0 during a consultation.
  engine.onFeature('blind_transfer', async (call, leg, feature) => {
    start(call, leg, feature.to, 'blind');
  });
  engine.onFeature('attended_transfer', async (call, leg, feature) => {
    start(call, leg, feature.to, 'attended');
  });
  engine.onFeature('cancel_transfer', async (call) => {
    const x = inProgress(call);
    if (x === undefined) throw conflict('no_transfer', 'No transfer to cancel');
    input(x, { type: 'cancel' });
  });

  // After a restart (CC_TRANSFER on the customer's channel), a transfer is taken back where it
  // was: a consultation (the customer on hold, the initiator and the recipient talking in the
  // call's bridge), or a recipient still ringing — their channel rings on in Asterisk, and its
  // answer or failure is the transfer's next input as before.
  engine.registerAdopter({
    tag: TAG.transfer,
    keeps: (value) => parseTransferTag(value)?.status === 'ringing',
    // Still ringing, the customer is the transfer's whatever the bridge holds; once answered,
    // a call found bridged is taken back as the answered call it has become.
    claimsBridged: (value) => parseTransferTag(value)?.status === 'ringing',
    adopt(call, customer, value) {
      const where = parseTransferTag(value);
      if (where === undefined || transfers.has(where.id)) return false;
      const initiator = call.legs.get(where.initiatorChannelId);
      const x: Transfer = {
        id: where.id,
        call,
        mode: where.mode,
        status: where.status,
        to: where.to,
        // A blind transfer's initiator went at its start.
        initiator: initiator ?? goneInitiator(where.initiatorChannelId, where.initiatorAgentId),
        transferred: customer,
        recipient: null,
        consulted: false,
        released: initiator === undefined,
        createdAt: where.createdAt,
        endSupervision: () => undefined,
        work: Promise.resolve(),
        hooks: {},
        consultation: null,
        stopRinging: () => engine.cancelFork(call),
      };
      if (where.status === 'answered') {
        const recipient = call.legs.get(where.recipientChannelId ?? '');
        if (where.mode !== 'attended' || initiator === undefined || recipient === undefined)
          return false;
        x.recipient = recipient;
        x.consulted = true;
      } else if (where.status === 'ringing') {
        // Its initiator gone meanwhile, an attended transfer goes on blind.
        if (initiator === undefined) x.mode = 'blind';
      } else return false;
      transfers.set(x.id, x);
      x.endSupervision = engine.supervise(call, (leg) => legGone(x, leg));
      if (x.status === 'ringing') {
        const recipients = liveLegs(call).filter(
          (l) => l !== customer && l !== initiator && l.role === 'callee',
        );
        void engine
          .resumeFork(call, recipients)
          .then((result) => rang(x, result))
          .catch((err: unknown) => log.warn({ err, transferId: x.id }, 'transfer ringing failed'));
        // Killed before a blind transfer let its initiator go: it goes now, as it would have.
        if (x.mode === 'blind' && initiator !== undefined && where.mode === 'blind')
          x.work = x.work.then(() => run(x, 'release_initiator'));
      }
      log.info({ transferId: x.id, callId: call.id, status: x.status }, 're-adopted a transfer');
      return true;
    },
  });

  /** The initiator of a transfer that let them go before a restart: known by id and agent. */
  function goneInitiator(channelId: string, agentId: number | null): Leg {
    return {
      channelId,
      channelName: '',
      role: 'caller',
      kind: 'phone',
      terminal: null,
      agentId,
      state: 'gone',
      held: false,
    };
  }

  return {
    start,
    startConsulted,
    get: (id: string): TransferWire => wire(find(id)),
    /** The transfer's call, for the API to check who may act on it. */
    callOf: (id: string): Call => find(id).call,
    complete: (id: string): TransferWire => apply(id, 'complete'),
    cancel: (id: string): TransferWire => apply(id, 'cancel'),
  };
}

export type Transfers = ReturnType<typeof createTransfers>;
