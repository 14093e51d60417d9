/**
 * Conference rooms (電話会議室, spec §5-1, §13): any phone dials a room (9201…) to join it; over
 * REST a phone or a number outside is rung into it. Each room is a mixing bridge of ours
 * (`conf-<room>`), made when the first participant enters and destroyed when the last leaves;
 * entry and exit tones are played to the room.
 *
 * Every participant keeps a call of their own — the phone's call to the room, the invited party's
 * call, a customer transferred in — so the history has one row per participant and an agent in a
 * room counts as on a call. The call's one leg sits in the room's bridge (`engine.enter`); its
 * hanging up ends that call, which takes the participant out. The CC_CONFERENCE tag on the leg
 * lets a restarted server find each participant in their room.
 */
import type { CallEngine } from '../calls/engine.js';
import { callStart, type CallHistoryService } from '../calls/history-service.js';
import { isUp, liveLegs, type Call, type Leg } from '../calls/model.js';
import type { TransferTarget } from '../calls/routing.js';
import { TAG } from '../calls/tags.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import { quietlyWith } from '../platform/asterisk/best-effort.js';
import type { Clock } from '../platform/clock.js';
import { conflict, notFound, unprocessable } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import { createTurns, type Turns } from '../platform/turns.js';
import type { Hub } from '../platform/realtime/hub.js';
import { createConferenceNotifier, type ParticipantWire, type RoomWire } from './notifier.js';
import {
  isRoom,
  membershipTag,
  parseMembershipTag,
  type ConferenceSettings,
  type Membership,
} from './rooms.js';

interface Participant extends Membership {
  call: Call;
  leg: Leg;
  number: string;
  name: string;
  /** Removed over REST: its leaving is a kick, not a hang-up. */
  kicked: boolean;
}

interface Room {
  number: string;
  bridgeId: string;
  /** By channel id. */
  participants: Map<string, Participant>;
  /** The room's bridge exists in Asterisk. */
  open: boolean;
  /** Entering and leaving take turns, so a last one leaving never destroys the bridge a first
   * one is entering. */
  turns: Turns;
}

export interface ConferencesDeps {
  ari: AriPort;
  clock: Clock;
  hub: Hub;
  log: Logger;
  engine: CallEngine;
  history: Pick<CallHistoryService, 'open'>;
  settings: ConferenceSettings;
  ringSeconds: number;
  /** Where a call rung into a room on an agent's behalf goes (routing's ringTarget). */
  target(
    shown: { number: string; name: string },
    initiator: { agentId: number | null; terminal: string | null },
    dialled: string,
  ): TransferTarget;
  /** An agent as a phone shows them: their extension and name. */
  agentIdentity(agentId: number): { number: string; name: string };
}

/** Who is invited: an agent's phones, or a number (an extension, a terminal, a number outside). */
export type Invitee = { agentId: number } | { to: string };

const JOIN_TONE = 'sound:confbridge-join';
const LEAVE_TONE = 'sound:confbridge-leave';

export function createConferences(deps: ConferencesDeps) {
  const { ari, clock, log, engine, settings } = deps;
  const quietly = quietlyWith(log);
  const rooms = new Map<string, Room>(
    settings.rooms.map((number) => [
      number,
      {
        number,
        bridgeId: `conf-${number}`,
        participants: new Map(),
        open: false,
        turns: createTurns(),
      },
    ]),
  );
  const notifier = createConferenceNotifier(deps.hub, () => [...rooms.values()].map(roomWire));

  function wire(room: Room, p: Participant): ParticipantWire {
    return {
      id: p.leg.channelId,
      room: room.number,
      callId: p.call.id,
      number: p.number,
      name: p.name,
      agentId: p.leg.agentId,
      terminal: p.leg.terminal,
      muted: p.muted,
      joinedAt: p.joinedAt.toISOString(),
    };
  }

  function roomWire(room: Room): RoomWire {
    return {
      room: room.number,
      participants: [...room.participants.values()]
        .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime())
        .map((p) => wire(room, p)),
    };
  }

  /** Who a participant is: the caller of their call, or whom it rang. */
  function identity(call: Call, leg: Leg): { number: string; name: string } {
    return leg.role === 'caller' ? call.from : { number: call.to, name: '' };
  }

  function tone(room: Room, media: string): void {
    if (!settings.tones || !room.open) return;
    void ari.bridges
      .play(room.bridgeId, media)
      .catch((err: unknown) => log.debug({ err, room: room.number }, 'room tone not played'));
  }

  /** The call's leg enters the room; the others hear the entry tone. */
  function admit(room: Room, call: Call, leg: Leg): Promise<void> {
    return room.turns(async () => {
      if (!room.open) {
        await ari.bridges.create({
          type: 'mixing',
          bridgeId: room.bridgeId,
          name: `conference-${room.number}`,
        });
        room.open = true;
      }
      await engine.enter(call, leg, room.bridgeId);
      if (!isUp(call)) return;
      const p: Participant = {
        room: room.number,
        joinedAt: clock.now(),
        muted: false,
        call,
        leg,
        ...identity(call, leg),
        kicked: false,
      };
      room.participants.set(leg.channelId, p);
      engine.setTag(call, leg, TAG.conference, membershipTag(p));
      tone(room, JOIN_TONE);
      notifier.publish('participant_joined', wire(room, p));
    });
  }

  /** A participant's call ended: they are out; the last one out closes the room. */
  function left(room: Room, p: Participant): Promise<void> {
    room.participants.delete(p.leg.channelId);
    notifier.publish('participant_left', {
      ...wire(room, p),
      reason: p.kicked ? 'kicked' : 'hangup',
    });
    return room.turns(async () => {
      if (room.participants.size > 0) {
        tone(room, LEAVE_TONE);
        return;
      }
      if (!room.open) return;
      room.open = false;
      await quietly(() => ari.bridges.destroy(room.bridgeId));
    });
  }

  function roomOf(number: string): Room {
    const room = rooms.get(number);
    if (room === undefined) throw notFound('Conference room');
    return room;
  }

  function participantOf(number: string, participantId: string): Participant {
    const p = roomOf(number).participants.get(participantId);
    if (p === undefined) throw notFound('Participant');
    return p;
  }

  async function setMuted(number: string, participantId: string, muted: boolean) {
    const room = roomOf(number);
    const p = participantOf(number, participantId);
    if (p.muted !== muted) {
      await (muted
        ? ari.channels.mute(p.leg.channelId, 'in')
        : ari.channels.unmute(p.leg.channelId, 'in'));
      p.muted = muted;
      if (isUp(p.call)) engine.setTag(p.call, p.leg, TAG.conference, membershipTag(p));
      notifier.publish(muted ? 'participant_muted' : 'participant_unmuted', wire(room, p));
    }
    return wire(room, p);
  }

  /** Rings `invitee` for the room; on answer they are in. */
  function invite(number: string, invitee: Invitee, inviterAgentId: number | null): Call {
    const room = roomOf(number);
    const shown = { number: room.number, name: `Conference ${room.number}` };
    const target: TransferTarget =
      'agentId' in invitee
        ? { kind: 'ring', targets: engine.agentTargets(invitee.agentId, shown), seconds: 0 }
        : deps.target(shown, { agentId: inviterAgentId, terminal: null }, invitee.to);
    if (target.kind === 'group')
      throw unprocessable('not_a_phone', 'A group cannot be rung into a conference room');
    if (target.kind === 'refused')
      throw unprocessable(
        target.reason,
        `${'to' in invitee ? invitee.to : 'The agent'} cannot be rung (${target.reason})`,
      );
    if (target.targets.length === 0)
      throw conflict('agent_unreachable', 'None of the agent’s terminals is registered');
    const outside = target.targets.some((t) => t.kind === 'trunk');
    const to = 'to' in invitee ? invitee.to : deps.agentIdentity(invitee.agentId).number;
    const call = engine.newCall({ direction: outside ? 'outbound' : 'internal', from: shown, to });
    deps.history.open(
      callStart(call, {
        agentId: inviterAgentId,
        calleeAgentId:
          'agentId' in invitee ? invitee.agentId : (target.targets[0]?.agentId ?? null),
      }),
    );
    const seconds = target.seconds > 0 ? target.seconds : deps.ringSeconds;
    void (async () => {
      const result = await engine.fork(call, target.targets, seconds, null);
      if (!('answered' in result)) {
        engine.finish(call, result.failed, result.cause);
        return;
      }
      await admit(room, call, result.answered);
    })().catch((err: unknown) => {
      log.warn({ err, room: room.number, callId: call.id }, 'invitation into the room failed');
      if (call.state !== 'ended') engine.finish(call, 'failed', null);
    });
    return call;
  }

  engine.onEnded((call) => {
    for (const room of rooms.values()) {
      for (const p of room.participants.values())
        if (p.call.id === call.id) void left(room, p).catch(() => undefined);
    }
  });

  // After a restart: a participant is back in their room, muted if they were.
  engine.registerAdopter({
    tag: TAG.conference,
    adopt(call, leg, value) {
      const membership = parseMembershipTag(value);
      const room = membership === undefined ? undefined : rooms.get(membership.room);
      if (membership === undefined || room === undefined || liveLegs(call).length !== 1)
        return false;
      room.open = true;
      room.participants.set(leg.channelId, {
        ...membership,
        call,
        leg,
        ...identity(call, leg),
        kicked: false,
      });
      return true;
    },
  });

  return {
    isRoom: (dialled: string): boolean => isRoom(settings, dialled),
    list: (): RoomWire[] => [...rooms.values()].map(roomWire),
    get: (number: string): RoomWire => roomWire(roomOf(number)),
    /** A phone dialled a room: its call is written down, answered and put in the room. */
    async joinByDial(call: Call, caller: Leg, number: string): Promise<void> {
      const room = roomOf(number);
      deps.history.open(callStart(call, { agentId: caller.agentId, calleeAgentId: null }));
      await admit(room, call, caller);
    },
    /**
     * A party of an answered call (a customer transferred in) enters the room; the call's other
     * legs must have been released.
     */
    admit: (number: string, call: Call, leg: Leg): Promise<void> =>
      admit(roomOf(number), call, leg),
    invite,
    mute: (number: string, participantId: string) => setMuted(number, participantId, true),
    unmute: (number: string, participantId: string) => setMuted(number, participantId, false),
    /** Removes a participant: their call is hung up. */
    kick(number: string, participantId: string): void {
      const p = participantOf(number, participantId);
      p.kicked = true;
      engine.finish(p.call, 'completed', null);
    },
  };
}

export type Conferences = ReturnType<typeof createConferences>;
