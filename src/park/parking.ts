/**
 * Park (パーク保留, spec §5-3, §13): an agent keys `#72` during a call; the other party waits in
 * the lowest free slot (9001…) with music on hold, the slot number is spoken to the agent, who is
 * then free. Anyone picks the call up by dialling the slot, or over REST (the manual's
 * コールバック: the picker's phone rings first). A call parked longer than the park timeout rings
 * its parker back; when the parker does not answer, the fallback (a group, an extension, or the
 * parker again after another timeout) takes it.
 *
 * Asterisk has no parking over ARI, and res_parking is kept out of it: each parked party sits alone
 * in a holding bridge of ours (`park-<slot>`), and carries the CC_PARK tag, so a restarted server
 * finds it in its slot with its parking time.
 */
import type { AriPort } from '../platform/asterisk/ari.js';
import { quietlyWith } from '../platform/asterisk/best-effort.js';
import type { Clock, Timer } from '../platform/clock.js';
import { conflict, notFound } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import type { CallEngine } from '../calls/engine.js';
import { farEnd, liveLegs, type Call, type Leg } from '../calls/model.js';
import { TAG } from '../calls/tags.js';
import type { Destination } from '../destinations/destination.js';
import { createParkNotifier, type ParkedWire } from './notifier.js';
import { freeSlot, isSlot, type ParkSettings } from './slots.js';

interface ParkedCall {
  slot: string;
  call: Call;
  /** The party waiting. */
  party: Leg;
  bridgeId: string;
  parkedAt: Date;
  parkerAgentId: number | null;
  timer: Timer | null;
  /** Someone's phone is being rung for it (the parker's callback, a REST pickup). */
  ringing: boolean;
}

export interface ParkingDeps {
  ari: AriPort;
  clock: Clock;
  hub: Hub;
  log: Logger;
  engine: CallEngine;
  settings: ParkSettings;
  ringSeconds: number;
  /** Where the fallback sends a call (routing's deliver). */
  deliver(call: Call, party: Leg, route: Destination): Promise<void>;
}

/** CC_PARK's value: `<slot>:<parked ms>:<parker agent id or ''>`. */
function parkTag(p: Pick<ParkedCall, 'slot' | 'parkedAt' | 'parkerAgentId'>): string {
  return `${p.slot}:${p.parkedAt.getTime()}:${p.parkerAgentId ?? ''}`;
}

function parseParkTag(value: string) {
  const [slot = '', at = '', agent = ''] = value.split(':');
  const parkedAt = Number(at);
  if (slot === '' || !Number.isFinite(parkedAt)) return undefined;
  return { slot, parkedAt: new Date(parkedAt), parkerAgentId: agent === '' ? null : Number(agent) };
}

export function createParking(deps: ParkingDeps) {
  const { ari, clock, log, engine, settings } = deps;
  const quietly = quietlyWith(log);
  const slots = new Map<string, ParkedCall>();
  const notifier = createParkNotifier(deps.hub, () => [...slots.values()].map(wire));

  function wire(p: ParkedCall): ParkedWire {
    return {
      slot: p.slot,
      callId: p.call.id,
      number: farEnd(p.call).number,
      name: farEnd(p.call).name,
      parkerAgentId: p.parkerAgentId,
      parkedAt: p.parkedAt.toISOString(),
      timesOutAt: new Date(p.parkedAt.getTime() + settings.timeoutSeconds * 1000).toISOString(),
    };
  }

  function arm(p: ParkedCall, ms: number): void {
    if (p.timer !== null) clock.clearTimeout(p.timer);
    p.timer = clock.setTimeout(() => void timedOut(p), Math.max(0, ms));
  }

  /** The call leaves its slot (picked up, or going to the fallback): the slot is free again. */
  async function unpark(p: ParkedCall): Promise<void> {
    if (slots.get(p.slot) !== p) return;
    slots.delete(p.slot);
    if (p.timer !== null) clock.clearTimeout(p.timer);
    engine.setTag(p.call, p.party, TAG.park, '');
    await quietly(() => ari.bridges.removeChannel(p.bridgeId, [p.party.channelId]));
    await quietly(() => ari.bridges.destroy(p.bridgeId));
  }

  /** The party is connected with `leg`, who answered for them. */
  async function pickedUp(p: ParkedCall, leg: Leg, by: 'dial' | 'callback'): Promise<void> {
    await unpark(p);
    notifier.publish('call_unparked', { ...wire(p), pickedUpBy: leg.agentId, via: by });
    await engine.handOver(p.call, p.party, leg, 'pickup');
  }

  /** Rings an agent's phones for the parked call; true if one answered and has the call now. */
  async function ringFor(p: ParkedCall, agentId: number, by: 'callback'): Promise<boolean> {
    const targets = engine.agentTargets(agentId, {
      number: wire(p).number,
      name: `Park ${p.slot}`,
    });
    if (targets.length === 0) return false;
    p.ringing = true;
    const result = await engine.fork(p.call, targets, deps.ringSeconds, null);
    p.ringing = false;
    if (!('answered' in result)) return false;
    if (slots.get(p.slot) !== p || p.call.state === 'ended') return false;
    await pickedUp(p, result.answered, by);
    return true;
  }

  async function timedOut(p: ParkedCall): Promise<void> {
    p.timer = null;
    if (slots.get(p.slot) !== p || p.ringing) return;
    notifier.publish('parked_call_timed_out', wire(p));
    try {
      if (p.parkerAgentId !== null && (await ringFor(p, p.parkerAgentId, 'callback'))) return;
    } catch (err) {
      log.warn({ err, slot: p.slot }, 'the parker could not be rung back');
    }
    if (slots.get(p.slot) !== p || p.call.state === 'ended') return;
    const fallback = settings.fallback;
    if (fallback.kind === 'parker') {
      // Rung again after another timeout, until someone takes it or the caller gives up.
      arm(p, settings.timeoutSeconds * 1000);
      return;
    }
    const route: Destination =
      fallback.kind === 'group'
        ? { type: 'group', groupId: fallback.groupId }
        : { type: 'extension', extension: fallback.extension };
    await unpark(p);
    notifier.publish('call_unparked', { ...wire(p), pickedUpBy: null, via: 'fallback' });
    await deps.deliver(p.call, p.party, route);
  }

  /** Puts the party into its slot's holding bridge, with music, tagged for a restart. */
  async function hold(p: ParkedCall): Promise<void> {
    await ari.bridges.create({ type: 'holding', bridgeId: p.bridgeId, name: `park-${p.slot}` });
    await ari.bridges.addChannel(p.bridgeId, [p.party.channelId]);
    await ari.bridges.startMoh(p.bridgeId);
    engine.setTag(p.call, p.party, TAG.park, parkTag(p));
  }

  /**
   * `#72` (or the desk's park button): the other party of the agent's call goes into a slot; the
   * agent hears its number, then their phone is hung up. Resolves once the party is parked.
   */
  async function park(call: Call, parker: Leg): Promise<ParkedWire> {
    const others = liveLegs(call).filter(
      (l) => l.channelId !== parker.channelId && l.state === 'up',
    );
    const party = others[0];
    if (call.state !== 'up' || party === undefined || others.length !== 1)
      throw conflict('not_parkable', 'Only a call with one other party can be parked');
    const slot = freeSlot(settings, new Set(slots.keys()));
    if (slot === null) throw conflict('park_full', 'Every park slot is taken');
    const p: ParkedCall = {
      slot,
      call,
      party,
      bridgeId: `park-${slot}-${call.id}`,
      parkedAt: clock.now(),
      parkerAgentId: parker.agentId,
      timer: null,
      ringing: false,
    };
    // The slot is taken at once: a second #72 in the same instant gets the next one.
    slots.set(slot, p);
    engine.release(call, parker);
    try {
      if (call.bridgeId !== null)
        await ari.bridges.removeChannel(call.bridgeId, [party.channelId, parker.channelId]);
      await hold(p);
    } catch (err) {
      slots.delete(slot);
      throw err;
    }
    arm(p, settings.timeoutSeconds * 1000);
    notifier.publish('call_parked', wire(p));
    // The parker hears where the call is, then is free.
    void engine
      .playToEnd(parker.channelId, `digits:${slot}`, `${parker.channelId}-park-${slot}`)
      .catch(() => undefined)
      .then(() => quietly(() => ari.channels.hangup(parker.channelId)));
    return wire(p);
  }

  engine.onFeature('park', async (call, leg) => {
    await park(call, leg);
  });

  // A parked party who hangs up is gone from the list.
  engine.onEnded((call) => {
    for (const p of slots.values()) {
      if (p.call.id !== call.id) continue;
      slots.delete(p.slot);
      if (p.timer !== null) clock.clearTimeout(p.timer);
      void quietly(() => ari.bridges.destroy(p.bridgeId));
      notifier.publish('parked_call_abandoned', wire(p));
    }
  });

  // After a restart: a parked party is back in its slot, its time running from when it was parked.
  engine.registerAdopter({
    tag: TAG.park,
    adopt(call, party, value) {
      const where = parseParkTag(value);
      if (where === undefined || !isSlot(settings, where.slot) || slots.has(where.slot))
        return false;
      const p: ParkedCall = {
        ...where,
        call,
        party,
        bridgeId: `park-${where.slot}-${call.id}`,
        timer: null,
        ringing: false,
      };
      slots.set(p.slot, p);
      // Asterisk kept the party in its holding bridge, with its music; a bridge that went is made
      // again.
      void ari.bridges
        .addChannel(p.bridgeId, [party.channelId])
        .catch(() => hold(p))
        .catch((err: unknown) => log.warn({ err, slot: p.slot }, 'parked party not re-held'));
      arm(p, p.parkedAt.getTime() + settings.timeoutSeconds * 1000 - clock.now().getTime());
      return true;
    },
  });

  return {
    park,
    list: (): ParkedWire[] =>
      [...slots.values()].map(wire).sort((a, b) => a.slot.localeCompare(b.slot)),
    isSlot: (dialled: string): boolean => isSlot(settings, dialled),
    /** A phone dialled a slot: it takes the parked call (its own call record goes). */
    async pickUpByDial(pickerCall: Call, picker: Leg, slot: string): Promise<void> {
      const p = slots.get(slot);
      if (p === undefined || p.call.state === 'ended') {
        engine.refuse(pickerCall, 'unknown_number');
        return;
      }
      // Whoever dials first takes it: a callback still ringing is called off.
      if (p.ringing) engine.cancelFork(p.call);
      await engine.answer(pickerCall, picker);
      const leg = engine.moveLeg(pickerCall, picker, p.call, 'callee');
      await pickedUp(p, leg, 'dial');
    },
    /** Over REST (コールバック): the agent's phones ring; on answer the call is theirs. */
    pickUpFor(slot: string, agentId: number): ParkedWire {
      const p = slots.get(slot);
      if (p === undefined) throw notFound('Parked call');
      if (p.ringing) throw conflict('pickup_in_progress', 'A phone is already ringing for it');
      if (engine.agentTargets(agentId, { number: '', name: '' }).length === 0)
        throw conflict('agent_unreachable', 'None of the agent’s terminals is registered');
      void ringFor(p, agentId, 'callback').catch((err: unknown) =>
        log.warn({ err, slot }, 'parked call pickup failed'),
      );
      return wire(p);
    },
  };
}

export type Parking = ReturnType<typeof createParking>;
