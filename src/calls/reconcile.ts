/**
 * Reconciliation after (re)connecting to Asterisk, which does not replay what happened while we
 * were away. From `GET /channels` and `GET /bridges` and the open history rows:
 * - calls held in memory whose channels vanished ended while away;
 * - an answered call still bridged is adopted as it is;
 * - a call one of whose channels carries an adopter's tag (CC_QUEUE: a caller waiting in a
 *   queue; CC_PARK: a parked party; CC_TRANSFER: a customer being transferred, with the phones
 *   the adopter keeps) is handed to that adopter, which takes it back where it was;
 * - every other open row is closed (`ended_while_away`) and its channels hung up, as are the
 *   channels of calls we know nothing of.
 * Domains that keep calls of their own (queues now; park, transfers, conferences later) register
 * an adopter for their tag.
 */
import type { AriChannel } from '../platform/asterisk/ari-types.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Logger } from '../platform/logger.js';
import type { AgentLoad } from './agent-load.js';
import type { CallHistoryService } from './history-service.js';
import type { Media } from './media.js';
import { agentsOf, liveLegs, type Call, type Leg } from './model.js';
import type { EndReason } from './outcomes.js';
import type { Parties } from './parties.js';
import type { CallRecord, CallRegistry } from './registry.js';
import type { CallHistoryRow } from './schema.js';
import { TAG, tagOf, type TagName } from './tags.js';

/** A domain that takes back, after a restart, the calls one of whose channels carries its tag. */
export interface CallAdopter {
  tag: TagName;
  /**
   * Takes the call back (the tag's value says where it was) with the tagged leg, the only one
   * left — the call's other channels are hung up, but those `keeps` names, which are the call's
   * legs again (a transfer's ringing recipient) — false if it cannot.
   */
  adopt(call: Call, leg: Leg, value: string): boolean;
  /** Which of the call's other channels come back with the tagged one (none by default). */
  keeps?(value: string, channel: AriChannel): boolean;
  /**
   * The tag wins over the call's bridge: a call it tags that is still answered and bridged is
   * in the middle of leaving that bridge (a transfer that had not yet let its initiator go when
   * the server died), not a plain answered call.
   */
  claimsBridged?(value: string): boolean;
}

export interface ReconcileDeps {
  ari: AriPort;
  log: Logger;
  registry: CallRegistry;
  history: CallHistoryService;
  parties: Parties;
  media: Media;
  agentLoad: AgentLoad;
  finish(call: CallRecord, reason: EndReason, cause: number | null): void;
  /** Told of every answered call adopted. */
  adoptedAnswered(call: Call): void;
}

export function createReconciler(deps: ReconcileDeps) {
  const { ari, log, registry, history, parties, media, agentLoad } = deps;
  const adopters: CallAdopter[] = [];

  /** A call as its open history row describes it. */
  function callFromRow(row: CallHistoryRow): CallRecord {
    const call = registry.create(
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

  function adoptAnswered(
    row: CallHistoryRow,
    bridgeId: string,
    bridged: AriChannel[],
    waiting: AriChannel[],
  ): void {
    const call = callFromRow(row);
    call.state = 'up';
    call.bridgeId = bridgeId;
    for (const channel of bridged) {
      const agentTag = tagOf(channel, TAG.agentId);
      const leg = parties.leg(
        channel,
        tagOf(channel, TAG.leg) === 'callee' ? 'callee' : 'caller',
        'up',
      );
      if (agentTag !== undefined) leg.agentId = Number(agentTag);
      registry.attachLeg(call, leg);
    }
    // A party of the call out of its bridge (a customer on hold during a consultation) is
    // claimed by the feature whose tag it carries; one no feature claims is hung up.
    for (const channel of waiting) {
      const claim = claimOf([channel]);
      const role = tagOf(channel, TAG.leg) === 'callee' ? 'callee' : 'caller';
      if (claim === undefined) {
        void media.quietly(() => ari.channels.hangup(channel.id));
        continue;
      }
      const leg = registry.attachLeg(call, parties.leg(channel, role, 'up'));
      if (!claim.adopter.adopt(call, leg, tagOf(channel, claim.adopter.tag) ?? '')) {
        registry.detachLeg(channel.id);
        void media.quietly(() => ari.channels.hangup(channel.id));
      }
    }
    agentLoad.update(agentsOf(call));
    log.info({ callId: call.id, legs: bridged.length }, 're-adopted a call still up in Asterisk');
    deps.adoptedAnswered(call);
  }

  /** Hands a tagged channel to its adopter; the call's other channels are hung up. */
  async function adoptTagged(
    row: CallHistoryRow,
    tagged: AriChannel,
    own: AriChannel[],
    adopter: CallAdopter,
    value: string,
  ): Promise<boolean> {
    const others = own.filter((c) => c.id !== tagged.id);
    const kept = others.filter((c) => adopter.keeps?.(value, c) === true);
    for (const other of others)
      if (!kept.includes(other)) await media.quietly(() => ari.channels.hangup(other.id));
    const call = callFromRow(row);
    // An answered call (a parked one) is up with its one remaining party.
    if (row.answeredAt !== null) call.state = 'up';
    const roleOf = (c: AriChannel) => (tagOf(c, TAG.leg) === 'callee' ? 'callee' : 'caller');
    const leg = registry.attachLeg(
      call,
      parties.leg(tagged, roleOf(tagged), row.answeredAt !== null ? 'up' : undefined),
    );
    // Answered or still ringing, as Asterisk says.
    for (const other of kept) registry.attachLeg(call, parties.leg(other, roleOf(other)));
    if (kept.length > 0) agentLoad.update(agentsOf(call));
    if (adopter.adopt(call, leg, value)) {
      log.info({ callId: call.id, tag: adopter.tag }, 're-adopted a call by its tag');
      return true;
    }
    deps.finish(call, 'ended_while_away', null);
    return false;
  }

  /** The first of a call's channels that an adopter's tag claims, with that adopter. */
  function claimOf(own: AriChannel[]): { channel: AriChannel; adopter: CallAdopter } | undefined {
    for (const channel of own) {
      const adopter = adopters.find((a) => tagOf(channel, a.tag) !== undefined);
      if (adopter !== undefined) return { channel, adopter };
    }
    return undefined;
  }

  async function run(): Promise<{ adopted: number; closed: number }> {
    const channels = await ari.channels.list();
    const bridges = await ari.bridges.list();
    const present = new Set(channels.map((c) => c.id));
    let adopted = 0;
    let closed = 0;

    // Calls we hold in memory whose channels vanished while the link was down (Asterisk
    // restarted, or they hung up unseen): when exactly they ended, nobody can tell.
    for (const call of registry.list()) {
      if (liveLegs(call).some((leg) => !present.has(leg.channelId)))
        deps.finish(call, 'ended_while_away', null);
    }

    for (const row of history.openRows()) {
      if (registry.has(row.callId)) continue;
      const own = channels.filter((c) => tagOf(c, TAG.callId) === row.callId);
      const bridge = bridges.find((b) => b.id === row.callId);
      const bridged = own.filter((c) => bridge?.channels.includes(c.id) === true);
      const claim = claimOf(own);
      if (
        claim?.adopter.claimsBridged?.(tagOf(claim.channel, claim.adopter.tag) ?? '') !== true &&
        row.answeredAt !== null &&
        bridge !== undefined &&
        bridged.length >= 2
      ) {
        adoptAnswered(
          row,
          bridge.id,
          bridged,
          own.filter((c) => !bridged.includes(c)),
        );
        adopted += 1;
      } else if (claim !== undefined) {
        const { channel, adopter } = claim;
        const value = tagOf(channel, adopter.tag) ?? '';
        if (await adoptTagged(row, channel, own, adopter, value)) adopted += 1;
        else closed += 1;
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
        for (const channel of own) await media.quietly(() => ari.channels.hangup(channel.id));
        history.ended(row.callId, 'ended_while_away', null);
        closed += 1;
      }
    }
    // Channels of calls that are neither ours now nor in the history: nobody controls them.
    for (const channel of channels) {
      const callId = tagOf(channel, TAG.callId);
      if (callId !== undefined && !registry.has(callId))
        await media.quietly(() => ari.channels.hangup(channel.id));
    }
    if (adopted + closed > 0) log.info({ adopted, closed }, 'calls reconciled with Asterisk');
    return { adopted, closed };
  }

  return {
    run,
    register(adopter: CallAdopter): void {
      adopters.push(adopter);
    },
  };
}
