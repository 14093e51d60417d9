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
 * The caller is not answered before something must be played to them: with no greeting the
 * ringing phase is the SIP 180 of the caller's own call, and an agent answering within it
 * connects a call that never heard music. Waiting callers hear music on their own channel
 * (not a shared holding bridge), so each hears its own announcements at its own times.
 *
 * Decisions are in dispatch.ts and strategies.ts; this file does the I/O and keeps the log.
 * Every change of a group's waiting calls is announced with `onChange` (realtime statistics).
 */
import type { AgentStatusService } from '../agents/status-service.js';
import type { CallEngine, ForkResult } from '../calls/engine.js';
import type { CallHistoryService } from '../calls/history-service.js';
import type { Call, Leg } from '../calls/model.js';
import type { Route } from '../numbers/phone-numbers-service.js';
import type { AriPort } from '../platform/asterisk/ari.js';
import type { Clock, Timer } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import {
  admits,
  estimatedWaitSeconds,
  movingAverage,
  nextWake,
  plan,
  waitedSeconds,
} from './dispatch.js';
import type { GroupsService, GroupView } from './groups-service.js';
import type { GroupMemberRow } from './schema.js';
import type { QueueLog } from './queue-log.js';
import { startOfDay } from '../platform/calendar.js';
import type { Candidate } from './strategies.js';

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
  deliver(call: Call, caller: Leg, route: Route, visited: ReadonlySet<number>): Promise<void>;
  random?: () => number;
}

/** A call waiting in a group. */
interface Waiting {
  call: Call;
  caller: Leg;
  groupId: number;
  enteredAt: Date;
  originalPosition: number;
  visited: ReadonlySet<number>;
  ready: boolean;
  attempt: { agentIds: number[]; startedAt: Date } | null;
  tried: Set<number>;
  notBefore: Map<number, Date>;
  /** Music on hold is playing to the caller (as opposed to ringing or the greeting). */
  holding: boolean;
  /** The playback in progress on the caller's channel, to stop it when an agent answers. */
  playbackId: string | null;
  timers: Timer[];
}

/** A call an agent of a group took, until it ends. */
interface Taken {
  groupId: number;
  agentId: number;
  waitSeconds: number;
  originalPosition: number;
  answeredAt: Date;
}

export interface WaitingView {
  callId: string;
  groupId: number;
  from: { number: string; name: string };
  enteredAt: Date;
  position: number;
  waitedSeconds: number;
  /** Null until the group has handled a call (nothing to estimate from) or nobody staffs it. */
  estimatedWaitSeconds: number | null;
  ringingAgentIds: number[];
}

/** Agents who take the group's calls now or soon: logged in and not paused. */
const STAFFED: ReadonlySet<string> = new Set(['available', 'ringing', 'on_call', 'on_hold']);

const BUSY_TONE_MS = 4000;

/** Read through a function: the state changes across awaits, which narrowing cannot see. */
const isEnded = (call: Call): boolean => call.state === 'ended';

export function createAcd(deps: AcdDeps) {
  const { ari, engine, groups, queueLog, agentStatus, history, clock, log } = deps;
  const random = deps.random ?? Math.random;
  const waiting = new Map<number, Waiting[]>();
  const byCall = new Map<string, Waiting>();
  const taken = new Map<string, Taken>();
  const lastRung = new Map<number, { agentId: number; order: number }>();
  const wakeTimers = new Map<number, Timer>();
  const pendingPlans = new Set<number>();
  const listeners = new Set<(groupId: number) => void>();
  /** Per group, the moving average of handling (talk) time, as app_queue keeps it. */
  const handleTimes = new Map<number, number>();

  function averageHandle(groupId: number): number | null {
    return handleTimes.get(groupId) ?? null;
  }

  const waitingOf = (groupId: number): Waiting[] => waiting.get(groupId) ?? [];
  const positionOf = (w: Waiting) => waitingOf(w.groupId).indexOf(w) + 1;
  const changed = (groupId: number) => {
    for (const listener of listeners) listener(groupId);
  };

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
    const list = waitingOf(groupId);
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
      const w = byCall.get(a.callId);
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
    const callerId = { number: w.call.from.number, name: group.displayName ?? w.call.from.name };
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
    if ('answered' in result && byCall.get(w.call.id) === w) {
      await agentAnswered(w, group, result.answered, ringMs);
      return;
    }
    const stillWaiting = byCall.get(w.call.id) === w;
    for (const agentId of agentIds) {
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
    leave(w);
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
    await stopMedia(w);
    if (group.whisper !== null) {
      // Only the agent hears it: their channel is not bridged with the caller yet.
      await engine
        .playToEnd(agentLeg.channelId, `sound:${group.whisper}`, `${agentLeg.channelId}-whisper`)
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
      w.call.afterCall = { customStatusId: group.acwStatusId, seconds: group.acwSeconds };
    try {
      await engine.connect(w.call, w.caller, agentLeg);
    } catch (err) {
      log.error({ err, callId: w.call.id }, 'could not connect a queue call');
      if (w.call.state !== 'ended') engine.finish(w.call, 'failed', null);
    }
    schedulePlan(w.groupId);
  }

  /** Puts a call back in its place in the line (by arrival) and back on hold. */
  function requeue(w: Waiting, group: GroupView): void {
    joinLine(w, group);
    changed(w.groupId);
    void hold(w, group);
    schedulePlan(w.groupId);
  }

  /**
   * Puts a call in the line at its place by arrival (a new call at the end, one taken back after
   * a restart or a failed answer where it was), and arms its timeout for the time it has left.
   */
  function joinLine(w: Waiting, group: GroupView): void {
    const list = waitingOf(w.groupId);
    const index = list.findIndex((other) => other.enteredAt > w.enteredAt);
    list.splice(index < 0 ? list.length : index, 0, w);
    waiting.set(w.groupId, list);
    byCall.set(w.call.id, w);
    if (group.timeoutSeconds > 0) {
      const left = w.enteredAt.getTime() + group.timeoutSeconds * 1000 - clock.now().getTime();
      w.timers.push(clock.setTimeout(() => void timedOut(w, group), Math.max(0, left)));
    }
  }

  /** Takes the call out of the waiting list (it was answered, timed out or abandoned). */
  function leave(w: Waiting): void {
    const list = waitingOf(w.groupId);
    const index = list.indexOf(w);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) waiting.delete(w.groupId);
    byCall.delete(w.call.id);
    for (const timer of w.timers) clock.clearTimeout(timer);
    w.timers = [];
  }

  /** A waiting call leaves without an agent (timed out, or the caller hung up): logged so. */
  function leaveUnanswered(w: Waiting, event: 'EXITWITHTIMEOUT' | 'ABANDON'): void {
    const position = positionOf(w);
    leave(w);
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

  // --- what the caller hears --------------------------------------------------------------------

  async function stopMedia(w: Waiting): Promise<void> {
    const playbackId = w.playbackId;
    w.playbackId = null;
    if (playbackId !== null) await ari.playbacks.stop(playbackId).catch(() => undefined);
    if (w.holding) {
      w.holding = false;
      await ari.channels.stopMoh(w.caller.channelId).catch(() => undefined);
    }
  }

  async function answerCaller(w: Waiting): Promise<void> {
    if (w.caller.state === 'up') return;
    await ari.channels.answer(w.caller.channelId);
    w.caller.state = 'up';
  }

  /** Greeting, then ringing, then music: the caller's side of waiting. */
  async function startMedia(w: Waiting, group: GroupView): Promise<void> {
    if (group.greeting !== null) {
      await answerCaller(w);
      w.playbackId = `${w.call.id}-greeting`;
      await engine.playToEnd(w.caller.channelId, `sound:${group.greeting}`, w.playbackId);
      w.playbackId = null;
    }
    if (byCall.get(w.call.id) !== w) return;
    w.ready = true;
    schedulePlan(w.groupId);
    if (group.ringBeforeQueueSeconds > 0) {
      if (w.caller.state === 'up') {
        w.playbackId = `${w.call.id}-ringing`;
        await ari.channels
          .play(w.caller.channelId, 'tone:ring;tonezone=jp', w.playbackId)
          .catch(() => undefined);
      } else {
        await ari.channels.ring(w.caller.channelId);
      }
      w.timers.push(
        clock.setTimeout(() => void hold(w, group), group.ringBeforeQueueSeconds * 1000),
      );
    } else {
      await hold(w, group);
    }
  }

  async function hold(w: Waiting, group: GroupView): Promise<void> {
    if (byCall.get(w.call.id) !== w) return;
    try {
      if (w.playbackId !== null) {
        await ari.playbacks.stop(w.playbackId).catch(() => undefined);
        w.playbackId = null;
      }
      await answerCaller(w);
      await ari.channels.startMoh(w.caller.channelId, group.musicOnHold);
      w.holding = true;
      if (group.announcement !== null) scheduleAnnouncement(w, group);
    } catch (err) {
      log.info({ err, callId: w.call.id }, 'music on hold not started');
    }
  }

  function scheduleAnnouncement(w: Waiting, group: GroupView): void {
    w.timers.push(
      clock.setTimeout(() => void announce(w, group), group.announcementSeconds * 1000),
    );
  }

  async function announce(w: Waiting, group: GroupView): Promise<void> {
    if (byCall.get(w.call.id) !== w || group.announcement === null) return;
    try {
      await ari.channels.stopMoh(w.caller.channelId);
      w.holding = false;
      w.playbackId = `${w.call.id}-announcement-${clock.now().getTime()}`;
      await engine.playToEnd(w.caller.channelId, `sound:${group.announcement}`, w.playbackId);
      w.playbackId = null;
      if (byCall.get(w.call.id) !== w) return;
      await ari.channels.startMoh(w.caller.channelId, group.musicOnHold);
      w.holding = true;
      scheduleAnnouncement(w, group);
    } catch (err) {
      log.info({ err, callId: w.call.id }, 'announcement not played');
    }
  }

  // --- leaving the queue ----------------------------------------------------------------------

  async function timedOut(w: Waiting, group: GroupView): Promise<void> {
    if (byCall.get(w.call.id) !== w) return;
    leaveUnanswered(w, 'EXITWITHTIMEOUT');
    engine.cancelFork(w.call);
    await stopMedia(w);
    await divert(w.call, w.caller, group.timeout, new Set([...w.visited, w.groupId]));
  }

  /** Sends a call that leaves a group on, or — with no destination — gives it busy. */
  async function divert(
    call: Call,
    caller: Leg,
    route: Route | null,
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
      await engine.refuse(call, caller, 'busy');
    }
  }

  engine.onEnded((call) => {
    const w = byCall.get(call.id);
    if (w !== undefined) leaveUnanswered(w, 'ABANDON');
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

  /**
   * After a server restart: answered queue calls the engine adopted are remembered for their
   * COMPLETE event; callers still waiting come back to their place, with their original
   * arrival time (from the CC_QUEUE tag on their channel) and what they were hearing.
   */
  engine.onAdopt({
    answered(call) {
      if (call.groupId === null) return;
      const events = queueLog.ofCall(call.id);
      const connect = events.filter((e) => e.event === 'CONNECT').at(-1);
      const enter = events.find((e) => e.event === 'ENTERQUEUE');
      if (connect?.agentId == null) return;
      taken.set(call.id, {
        groupId: call.groupId,
        agentId: connect.agentId,
        waitSeconds: Number(connect.data[0] ?? 0),
        originalPosition: Number(enter?.data[2] ?? 1),
        answeredAt: call.answeredAt ?? connect.at,
      });
    },
    waiting(call, caller, queueTag) {
      const [groupText, enteredText, positionText] = queueTag.split(':');
      const group = groups.find(Number(groupText));
      if (group === undefined) return false;
      const w: Waiting = {
        call,
        caller,
        groupId: group.id,
        enteredAt: new Date(Number(enteredText)),
        originalPosition: Number(positionText),
        visited: new Set(),
        ready: true,
        attempt: null,
        tried: new Set(),
        notBefore: new Map(),
        // Asterisk kept playing the music on the caller's channel while we were away.
        holding: caller.state === 'up',
        playbackId: null,
        timers: [],
      };
      call.groupId = group.id;
      joinLine(w, group);
      const elapsed = clock.now().getTime() - w.enteredAt.getTime();
      if (w.holding) {
        if (group.announcement !== null) scheduleAnnouncement(w, group);
      } else {
        w.timers.push(
          clock.setTimeout(
            () => void hold(w, group),
            Math.max(0, group.ringBeforeQueueSeconds * 1000 - elapsed),
          ),
        );
      }
      changed(group.id);
      schedulePlan(group.id);
      return true;
    },
  });

  // Anything that frees or occupies an agent, or changes a group, may let a waiting call go.
  agentStatus.onChange((view) => {
    for (const m of groups.groupsOf(view.agentId))
      if (waiting.has(m.groupId)) schedulePlan(m.groupId);
  });
  groups.onChange(({ groupId }) => {
    if (waiting.has(groupId)) schedulePlan(groupId);
  });

  return {
    /** A call for a group: it waits there, overflows or is refused. */
    async enter(
      call: Call,
      caller: Leg,
      groupId: number,
      visited: ReadonlySet<number> = new Set(),
    ): Promise<void> {
      const group = groups.find(groupId);
      if (group === undefined || visited.has(groupId)) {
        await engine.refuse(call, caller, 'busy');
        return;
      }
      call.groupId = groupId;
      history.assign(call.id, { groupId });
      const list = waitingOf(groupId);
      if (
        !admits(group.maxWaiting, list.length, freeMembers(group, groups.members(groupId)).length)
      ) {
        queueLog.append({
          callId: call.id,
          groupId,
          agentId: null,
          event: 'EXITFULL',
          data: [String(list.length), String(group.maxWaiting)],
        });
        changed(groupId);
        await divert(call, caller, group.overflow, new Set([...visited, groupId]));
        return;
      }
      const w: Waiting = {
        call,
        caller,
        groupId,
        enteredAt: clock.now(),
        originalPosition: list.length + 1,
        visited,
        ready: false,
        attempt: null,
        tried: new Set(),
        notBefore: new Map(),
        holding: false,
        playbackId: null,
        timers: [],
      };
      joinLine(w, group);
      queueLog.append({
        callId: call.id,
        groupId,
        agentId: null,
        event: 'ENTERQUEUE',
        data: ['', call.from.number, String(w.originalPosition)],
      });
      changed(groupId);
      // So a restarted server finds the caller's group, arrival and place (re-adoption).
      await ari.channels
        .setVariable(
          caller.channelId,
          'CC_QUEUE',
          `${groupId}:${w.enteredAt.getTime()}:${w.originalPosition}`,
        )
        .catch(() => undefined);
      try {
        await startMedia(w, group);
      } catch (err) {
        log.info({ err, callId: call.id }, 'queue media failed');
        if (byCall.get(call.id) === w && !w.ready) {
          w.ready = true;
          schedulePlan(groupId);
        }
      }
    },
    /** The calls waiting in a group, in order, with their position and estimated wait. */
    waiting(groupId: number): WaitingView[] {
      const now = clock.now();
      const handle = averageHandle(groupId);
      const staffed = groups
        .members(groupId)
        .filter((m) => !m.paused && STAFFED.has(agentStatus.get(m.agentId).status)).length;
      return waitingOf(groupId).map((w, i) => {
        const waited = Math.round(waitedSeconds(w, now));
        return {
          callId: w.call.id,
          groupId,
          from: w.call.from,
          enteredAt: w.enteredAt,
          position: i + 1,
          waitedSeconds: waited,
          estimatedWaitSeconds:
            handle === null || staffed === 0
              ? null
              : estimatedWaitSeconds({
                  position: i + 1,
                  averageHandleSeconds: handle,
                  agentsStaffed: staffed,
                  waitedSeconds: waited,
                }),
          ringingAgentIds: w.attempt?.agentIds ?? [],
        };
      });
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
