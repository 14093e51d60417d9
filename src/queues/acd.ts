/**
 * The ACD: calls offered to a group, from arrival until an agent takes them or they leave.
 *
 * Per call (spec §11-2, §14.2):
 *   arrival ── full? ── EXITFULL → overflow destination (none: busy)
 *      │
 *   ENTERQUEUE → greeting (応答音声) → ringing for 待ち呼開始時間 → music on hold, with the
 *   periodic announcement (呼中音声) every N s
 *      │   meanwhile, from the end of the greeting: agent attempts per strategy, 呼出時間 each
 *      ├── an agent answers → CONNECT → whisper (着信判別音声) to the agent only → bridged;
 *      │   on hang-up COMPLETECALLER / COMPLETEAGENT, and the group's ACW status
 *      ├── an attempt is not answered → RINGNOANSWER (+ PAUSE when 無応答自動停止) → next attempt
 *      ├── the timeout passes → EXITWITHTIMEOUT → timeout destination (none: busy)
 *      └── the caller hangs up → ABANDON, with the time waited
 *
 * The parts: the waiting line (waiting-line.ts), what the caller hears (calls/waiting-media.ts),
 * what a restart needs (readoption.ts); the decisions are in dispatch.ts and strategies.ts. This
 * file plans the groups, rings the agents and keeps the log. Every change of a group's waiting
 * calls is announced with `onChange` (realtime statistics).
 */
import type { AgentStatusService } from '../agents/status-service.js';
import type { CallEngine, ForkResult } from '../calls/engine.js';
import type { CallHistoryService } from '../calls/history-service.js';
import { farEnd, type Call, type Leg } from '../calls/model.js';
import { TAG } from '../calls/tags.js';
import {
  createWaitingMedia,
  type WaitingMedia,
  type WaitingMediaDeps,
} from '../calls/waiting-media.js';
import type { Destination } from '../destinations/destination.js';
import type { SoundChoice } from '../audio/sounds.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import { startOfDay } from '../platform/calendar.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { admits, movingAverage, nextWake, plan, waitedSeconds } from './dispatch.js';
import type { GroupsService, GroupView } from './groups-service.js';
import type { QueueLog } from './queue-log.js';
import { parseQueueTag, queueTag, takenFromLog, type Taken } from './readoption.js';
import type { GroupMemberRow } from './schema.js';
import type { Candidate } from './strategies.js';
import { createWaitingLine, newWaiting, type Waiting, type WaitingView } from './waiting-line.js';

export type { WaitingView } from './waiting-line.js';

export interface AcdDeps {
  ari: AriPort;
  engine: CallEngine;
  groups: GroupsService;
  queueLog: QueueLog;
  agentStatus: AgentStatusService;
  history: CallHistoryService;
  clock: Clock;
  log: Logger;
  timeZone: string;
  /** Sends a call on to a destination (routing); groups come back to `enter`. */
  deliver(call: Call, caller: Leg, route: Destination, visited: ReadonlySet<number>): Promise<void>;
  /** The media URI of an audio setting (its audio file, else its sound); null for none. */
  mediaOf(choice: SoundChoice): string | null;
  random?: () => number;
}

/** Agents who take the group's calls now or soon: logged in and not paused. */
const STAFFED: ReadonlySet<string> = new Set(['available', 'ringing', 'on_call', 'on_hold']);

const BUSY_TONE_MS = 4000;

/** A consultation's media: none of the queue's (the transfer plays the agent ringback). */
const SILENT: WaitingMedia = {
  start: async () => undefined,
  hold: async () => undefined,
  resume: () => undefined,
  stop: async () => undefined,
};

/** Read through a function: the state changes across awaits, which narrowing cannot see. */
const isEnded = (call: Call): boolean => call.state === 'ended';

export function createAcd(deps: AcdDeps) {
  const { ari, engine, groups, queueLog, agentStatus, history, clock, log } = deps;
  const random = deps.random ?? Math.random;
  const line = createWaitingLine(clock);
  const taken = new Map<string, Taken>();
  const lastRung = new Map<number, { agentId: number; order: number }>();
  const wakeTimers = new Map<number, Timer>();
  const pendingPlans = new Set<number>();
  const listeners = new Set<(groupId: number) => void>();
  /** Per group, the moving average of handling (talk) time, as app_queue keeps it. */
  const handleTimes = new Map<number, number>();
  const mediaDeps: WaitingMediaDeps = { ari, clock, log, engine };

  const changed = (groupId: number) => {
    for (const listener of listeners) listener(groupId);
  };

  function mediaFor(call: Call, caller: Leg, group: GroupView) {
    return createWaitingMedia(mediaDeps, call, caller, {
      greeting: deps.mediaOf({ audioFileId: group.greetingAudioFileId, sound: group.greeting }),
      ringSeconds: group.ringBeforeQueueSeconds,
      musicOnHold: group.musicOnHold,
      announcement: deps.mediaOf({
        audioFileId: group.announcementAudioFileId,
        sound: group.announcement,
      }),
      announcementSeconds: group.announcementSeconds,
    });
  }

  // --- who can take a call ------------------------------------------------------------------

  /** Members free for the group now: available, not paused for this group. */
  function freeMembers(group: GroupView, members: GroupMemberRow[]): Candidate[] {
    const from = startOfDay(clock.now(), deps.timeZone);
    const needsTimes = group.strategy === 'least_recent' || group.strategy === 'shortest_talk_time';
    const callsToday = group.strategy === 'fewest_calls' ? connectsSince(group.id, from) : null;
    return members
      .map((member, order) => ({ member, order }))
      .filter(
        ({ member }) => !member.paused && agentStatus.get(member.agentId).status === 'available',
      )
      .map(({ member, order }) => {
        const times = needsTimes
          ? agentStatus.callTimes(member.agentId, from)
          : { lastCallEndedAt: null, talkSeconds: 0 };
        return {
          agentId: member.agentId,
          level: member.skillLevel,
          order,
          lastCallEndedAt: times.lastCallEndedAt,
          talkSecondsToday: times.talkSeconds,
          callsToday: callsToday?.get(member.agentId) ?? 0,
        };
      });
  }

  /** Calls of the group each agent answered since `from` (one read of the log for all). */
  function connectsSince(groupId: number, from: Date): Map<number, number> {
    const counts = new Map<number, number>();
    for (const e of queueLog.between(from, new Date(clock.now().getTime() + 1), [groupId])) {
      if (e.event === 'CONNECT' && e.agentId !== null)
        counts.set(e.agentId, (counts.get(e.agentId) ?? 0) + 1);
    }
    return counts;
  }

  function answeredNow(groupId: number): number {
    let n = 0;
    for (const t of taken.values()) if (t.groupId === groupId) n += 1;
    return n;
  }

  // --- planning --------------------------------------------------------------------------------

  /** Plans the group once the current event has been handled (plans never nest). */
  function schedulePlan(groupId: number): void {
    if (pendingPlans.has(groupId)) return;
    pendingPlans.add(groupId);
    queueMicrotask(() => {
      pendingPlans.delete(groupId);
      try {
        planGroup(groupId);
      } catch (err) {
        log.error({ err, groupId }, 'queue planning failed');
      }
    });
  }

  function planGroup(groupId: number): void {
    const list = line.of(groupId);
    const timer = wakeTimers.get(groupId);
    if (timer !== undefined) clock.clearTimeout(timer);
    wakeTimers.delete(groupId);
    if (list.length === 0) return;
    const group = groups.find(groupId);
    if (group === undefined) return;
    const now = clock.now();
    const members = groups.members(groupId);
    const calls = list.map((w) => ({
      callId: w.call.id,
      enteredAt: w.enteredAt,
      ready: w.ready,
      ringing: w.attempt !== null,
      tried: w.tried,
      notBefore: w.notBefore,
    }));
    const assignments = plan({
      settings: group,
      now,
      calls,
      candidates: freeMembers(group, members),
      answeredNow: answeredNow(groupId),
      lastRung: lastRung.get(groupId) ?? null,
      random,
    });
    for (const a of assignments) {
      const w = line.byCall(a.callId);
      if (w !== undefined) startAttempt(w, group, members, a.agentIds);
    }
    const wake = nextWake({
      now,
      calls,
      memberLevels: members.map((m) => m.skillLevel),
      levelRelaxationSeconds: group.levelRelaxationSeconds,
    });
    if (wake !== undefined) {
      wakeTimers.set(
        groupId,
        clock.setTimeout(() => schedulePlan(groupId), wake.getTime() - now.getTime() + 5),
      );
    }
  }

  function startAttempt(
    w: Waiting,
    group: GroupView,
    members: GroupMemberRow[],
    agentIds: number[],
  ): void {
    // The customer, also on a call an agent placed and transferred here (its far end).
    const customer = farEnd(w.call);
    const callerId = { number: customer.number, name: group.displayName ?? customer.name };
    const targets = agentIds.flatMap((agentId) => engine.agentTargets(agentId, callerId));
    if (targets.length === 0) return;
    const last = agentIds.at(-1);
    const order = members.findIndex((m) => m.agentId === last);
    if (last !== undefined) lastRung.set(group.id, { agentId: last, order });
    w.attempt = { agentIds, startedAt: clock.now() };
    for (const id of agentIds) w.tried.add(id);
    changed(w.groupId);
    void engine
      .fork(w.call, targets, group.ringSeconds, w.caller.channelId)
      .then((result) => attemptEnded(w, group, agentIds, result))
      .catch((err: unknown) => log.error({ err, callId: w.call.id }, 'queue attempt failed'));
  }

  async function attemptEnded(
    w: Waiting,
    group: GroupView,
    agentIds: number[],
    result: ForkResult,
  ): Promise<void> {
    const startedAt = w.attempt?.startedAt ?? clock.now();
    w.attempt = null;
    const ringMs = clock.now().getTime() - startedAt.getTime();
    const stillWaiting = line.holds(w);
    if ('answered' in result && stillWaiting) {
      if (w.consultation !== null) consulted(w, result.answered);
      else await agentAnswered(w, group, result.answered, ringMs);
      return;
    }
    // A consultation is not a customer's call: the group's log and statistics do not see it.
    for (const agentId of w.consultation === null ? agentIds : []) {
      queueLog.append({
        callId: w.call.id,
        groupId: w.groupId,
        agentId,
        event: stillWaiting ? 'RINGNOANSWER' : 'RINGCANCELED',
        data: [String(ringMs)],
      });
    }
    if (!stillWaiting) return;
    const retryAt = new Date(clock.now().getTime() + group.retrySeconds * 1000);
    for (const agentId of agentIds) w.notBefore.set(agentId, retryAt);
    if (group.autoPause && 'failed' in result && result.failed === 'no_answer') {
      for (const agentId of agentIds) {
        agentStatus.autoPause(agentId, group.autoPauseSeconds);
        queueLog.append({
          callId: 'NONE',
          groupId: w.groupId,
          agentId,
          event: 'PAUSE',
          data: ['ringnoanswer'],
        });
      }
    }
    changed(w.groupId);
    schedulePlan(w.groupId);
  }

  async function agentAnswered(
    w: Waiting,
    group: GroupView,
    agentLeg: Leg,
    ringMs: number,
  ): Promise<void> {
    const agentId = agentLeg.agentId;
    line.leave(w);
    // No longer waiting: a restart must not put the caller back in the queue (a parked or
    // transferred customer carries its own tag then).
    engine.setTag(w.call, w.caller, TAG.queue, '');
    const stopped = w.media.stop();
    const waitSeconds = Math.round(waitedSeconds(w, clock.now()));
    queueLog.append({
      callId: w.call.id,
      groupId: w.groupId,
      agentId,
      event: 'CONNECT',
      data: [String(waitSeconds), agentLeg.channelId, String(Math.round(ringMs / 1000))],
    });
    if (agentId !== null) {
      taken.set(w.call.id, {
        groupId: w.groupId,
        agentId,
        waitSeconds,
        originalPosition: w.originalPosition,
        answeredAt: clock.now(),
      });
      history.assign(w.call.id, { agentId });
    }
    changed(w.groupId);
    await stopped;
    const whisper = deps.mediaOf({ audioFileId: group.whisperAudioFileId, sound: group.whisper });
    if (whisper !== null) {
      // Only the agent hears it: their channel is not bridged with the caller yet.
      await engine
        .playToEnd(agentLeg.channelId, whisper, `${agentLeg.channelId}-whisper`)
        .catch((err: unknown) => log.warn({ err }, 'whisper not played'));
    }
    // The caller may have hung up during the whisper.
    if (isEnded(w.call)) return;
    if (agentLeg.state === 'gone') {
      // The agent hung up during the whisper: the caller is still ours to serve.
      taken.delete(w.call.id);
      requeue(w, group);
      return;
    }
    if (group.acwStatusId !== null)
      engine.describe(w.call, {
        afterCall: { customStatusId: group.acwStatusId, seconds: group.acwSeconds },
      });
    try {
      await engine.connect(w.call, w.caller, agentLeg);
    } catch (err) {
      log.error({ err, callId: w.call.id }, 'could not connect a queue call');
      if (w.call.state !== 'ended') engine.finish(w.call, 'failed', null);
    }
    schedulePlan(w.groupId);
  }

  /** A member answered an agent's consultation: they are the agent's to talk to now. */
  function consulted(w: Waiting, member: Leg): void {
    line.leave(w);
    changed(w.groupId);
    w.consultation?.({ answered: member });
    schedulePlan(w.groupId);
  }

  /** A consultation leaves the line without a member (its timeout, its cancel, the call's end). */
  function consultationOver(w: Waiting): void {
    if (!line.holds(w)) return;
    line.leave(w);
    changed(w.groupId);
    w.consultation?.({ failed: 'no_answer', cause: null });
    schedulePlan(w.groupId);
  }

  /** Puts a call back in its place in the line (by arrival) and back on hold. */
  function requeue(w: Waiting, group: GroupView): void {
    join(w, group);
    changed(w.groupId);
    void w.media.hold();
    schedulePlan(w.groupId);
  }

  function join(w: Waiting, group: GroupView): void {
    line.join(w, group.timeoutSeconds, () => void timedOut(w, group));
  }

  /** A waiting call leaves without an agent (timed out, or the caller hung up): logged so. */
  function leaveUnanswered(w: Waiting, event: 'EXITWITHTIMEOUT' | 'ABANDON'): void {
    const position = line.positionOf(w);
    line.leave(w);
    queueLog.append({
      callId: w.call.id,
      groupId: w.groupId,
      agentId: null,
      event,
      data: [
        String(position),
        String(w.originalPosition),
        String(Math.round(waitedSeconds(w, clock.now()))),
      ],
    });
    changed(w.groupId);
    schedulePlan(w.groupId);
  }

  // --- leaving the queue ----------------------------------------------------------------------

  async function timedOut(w: Waiting, group: GroupView): Promise<void> {
    if (!line.holds(w)) return;
    if (w.consultation !== null) {
      engine.cancelFork(w.call);
      consultationOver(w);
      return;
    }
    leaveUnanswered(w, 'EXITWITHTIMEOUT');
    engine.cancelFork(w.call);
    await w.media.stop();
    await divert(w.call, w.caller, group.timeout, new Set([...w.visited, w.groupId]));
  }

  /** Sends a call that leaves a group on, or — with no destination — gives it busy. */
  async function divert(
    call: Call,
    caller: Leg,
    route: Destination | null,
    visited: ReadonlySet<number>,
  ): Promise<void> {
    if (call.state === 'ended') return;
    if (route !== null && !(route.type === 'group' && visited.has(route.groupId))) {
      await deps.deliver(call, caller, route, visited);
      return;
    }
    if (caller.state === 'up') {
      // Answered already (music, greeting): a busy tone says it, since a 486 no longer can.
      await engine
        .playToEnd(caller.channelId, 'tone:busy;tonezone=jp', `${call.id}-busy`, BUSY_TONE_MS)
        .catch(() => undefined);
      engine.finish(call, 'busy', null);
    } else {
      engine.refuse(call, 'busy');
    }
  }

  engine.onEnded((call) => {
    const w = line.byCall(call.id);
    if (w?.consultation != null) consultationOver(w);
    else if (w !== undefined) {
      void w.media.stop();
      leaveUnanswered(w, 'ABANDON');
    }
    const t = taken.get(call.id);
    if (t !== undefined) {
      taken.delete(call.id);
      const talk = Math.round((clock.now().getTime() - t.answeredAt.getTime()) / 1000);
      handleTimes.set(t.groupId, movingAverage(handleTimes.get(t.groupId) ?? null, talk));
      queueLog.append({
        callId: call.id,
        groupId: t.groupId,
        agentId: t.agentId,
        event: call.endedBy === 'callee' ? 'COMPLETEAGENT' : 'COMPLETECALLER',
        data: [String(t.waitSeconds), String(talk), String(t.originalPosition)],
      });
      changed(t.groupId);
      schedulePlan(t.groupId);
    }
  });

  // After a server restart: answered queue calls the engine adopted are remembered for their
  // COMPLETE event; callers still waiting come back to their place, with their original arrival
  // time and what they were hearing.
  engine.onAdopted((call) => {
    if (call.groupId === null) return;
    const restored = takenFromLog(call.groupId, call.answeredAt, queueLog.ofCall(call.id));
    if (restored !== undefined) taken.set(call.id, restored);
  });
  engine.registerAdopter({
    tag: TAG.queue,
    adopt(call, caller, value) {
      const where = parseQueueTag(value);
      const group = where === undefined ? undefined : groups.find(where.groupId);
      if (where === undefined || group === undefined) return false;
      const w = newWaiting({
        call,
        caller,
        groupId: group.id,
        enteredAt: where.enteredAt,
        arrivedAt: where.arrivedAt,
        originalPosition: where.originalPosition,
        ready: true,
        media: mediaFor(call, caller, group),
      });
      engine.describe(call, { groupId: group.id });
      join(w, group);
      // Asterisk kept playing the music on an answered caller's channel while we were away.
      w.media.resume(clock.now().getTime() - w.enteredAt.getTime(), caller.state === 'up');
      changed(group.id);
      schedulePlan(group.id);
      return true;
    },
  });

  // Anything that frees or occupies an agent, or changes a group, may let a waiting call go.
  agentStatus.onChange((view) => {
    for (const m of groups.groupsOf(view.agentId)) if (line.has(m.groupId)) schedulePlan(m.groupId);
  });
  groups.onChange(({ groupId }) => {
    if (line.has(groupId)) schedulePlan(groupId);
  });

  return {
    /**
     * A call for a group: it waits there, overflows or is refused. `arrivedAt` places it in the
     * line (a customer transferred from another agent's call keeps their original arrival);
     * by default it arrives now, at the end.
     */
    async enter(
      call: Call,
      caller: Leg,
      groupId: number,
      visited: ReadonlySet<number> = new Set(),
      arrivedAt?: Date,
    ): Promise<void> {
      const group = groups.find(groupId);
      if (group === undefined || visited.has(groupId)) {
        engine.refuse(call, 'busy');
        return;
      }
      engine.describe(call, { groupId });
      history.assign(call.id, { groupId });
      const waitingNow = line.of(groupId).length;
      if (
        !admits(group.maxWaiting, waitingNow, freeMembers(group, groups.members(groupId)).length)
      ) {
        queueLog.append({
          callId: call.id,
          groupId,
          agentId: null,
          event: 'EXITFULL',
          data: [String(waitingNow), String(group.maxWaiting)],
        });
        changed(groupId);
        await divert(call, caller, group.overflow, new Set([...visited, groupId]));
        return;
      }
      const now = clock.now();
      const arrived = arrivedAt !== undefined && arrivedAt < now ? arrivedAt : now;
      const w = newWaiting({
        call,
        caller,
        groupId,
        enteredAt: now,
        arrivedAt: arrived,
        // Behind every call that arrived before it (or at the same instant).
        originalPosition: line.of(groupId).filter((o) => o.arrivedAt <= arrived).length + 1,
        visited,
        ready: false,
        media: mediaFor(call, caller, group),
      });
      join(w, group);
      queueLog.append({
        callId: call.id,
        groupId,
        agentId: null,
        event: 'ENTERQUEUE',
        data: ['', call.from.number, String(w.originalPosition)],
      });
      changed(groupId);
      // So a restarted server finds the caller's group, arrival and place (re-adoption).
      engine.setTag(call, caller, TAG.queue, queueTag(w));
      const greeted = () => {
        w.ready = true;
        schedulePlan(groupId);
      };
      try {
        await w.media.start(greeted);
      } catch (err) {
        log.info({ err, callId: call.id }, 'queue media failed');
        if (line.holds(w) && !w.ready) greeted();
      }
    },
    /**
     * An agent consults a group for an attended transfer of `call` (the customer on hold): the
     * consultation waits in the group's line at the customer's original arrival and is offered
     * by the group's strategy like a call, and `result` is the first member who answers — not
     * connected with anyone: the transfer has them talk with the agent. It fails on the group's
     * timeout, or when `cancel`led. It is not a customer's call: no admission limit, no
     * greeting or music (the agent hears ringback), nothing in the group's log or statistics.
     * Undefined for a group that is not there (any more).
     */
    consult(
      call: Call,
      agent: Leg,
      groupId: number,
    ): { result: Promise<ForkResult>; cancel: () => void } | undefined {
      const group = groups.find(groupId);
      if (group === undefined) return undefined;
      let settle: (result: ForkResult) => void = () => undefined;
      const result = new Promise<ForkResult>((resolve) => {
        settle = resolve;
      });
      const now = clock.now();
      const arrived = call.startedAt < now ? call.startedAt : now;
      const w = newWaiting({
        call,
        caller: agent,
        groupId,
        enteredAt: now,
        arrivedAt: arrived,
        originalPosition: line.of(groupId).filter((o) => o.arrivedAt <= arrived).length + 1,
        ready: true,
        media: SILENT,
        consultation: (outcome) => settle(outcome),
      });
      join(w, group);
      changed(groupId);
      schedulePlan(groupId);
      return {
        result,
        cancel: () => {
          if (!line.holds(w)) return;
          engine.cancelFork(call);
          consultationOver(w);
        },
      };
    },
    /** The calls waiting in a group, in order, with their position and estimated wait. */
    waiting(groupId: number): WaitingView[] {
      const staffed = groups
        .members(groupId)
        .filter((m) => !m.paused && STAFFED.has(agentStatus.get(m.agentId).status)).length;
      return line.view(groupId, handleTimes.get(groupId) ?? null, staffed);
    },
    /** Calls of the group answered and still going. */
    answeredNow,
    onChange(listener: (groupId: number) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Acd = ReturnType<typeof createAcd>;
