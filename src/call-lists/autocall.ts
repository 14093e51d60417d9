/**
 * MOT autocall (A.23): one operator, one call at a time, on the operator's own phone. A session
 * dials the customers the operator holds (A.9.4), in their No order: the operator's phones ring
 * first, showing the customer; once one answers, the customer is dialled with the operator's
 * caller ID (the number click-to-call uses) while the operator hears ringback, and the two are
 * connected when the customer answers — answer supervision alone says 応答 (no AMD: an answering
 * machine is 応答, A.18). At each hang-up autocall-decision.ts says what follows, under the
 * setting 切断時のオートコール. The operator's phone not answering its ring stops the session:
 * nobody is there to talk to the customer, who is then not dialled.
 *
 * The feed is the `autocall` topic: the operator's own session (its snapshot) and its events —
 * autocall_dialing, autocall_answered, autocall_ended (応答 / 不応答 and who is next),
 * autocall_stopped (why).
 *
 * Restart: a session lives in this process only and is gone after a restart; nothing is dialled
 * again by itself. A call placed before is in the call history (autocall-dials.ts): while it has
 * not ended its customer counts as in progress, and a new session skips it, so no customer is
 * dialled twice for one call.
 */
import type { CallEngine, Target } from '../calls/engine.js';
import { callStart, type CallHistoryService } from '../calls/history-service.js';
import type { Call } from '../calls/model.js';
import type { EndReason } from '../calls/outcomes.js';
import { conflict } from '../platform/http/errors.js';
import type { Logger } from '../platform/logger.js';
import type { Hub } from '../platform/realtime/hub.js';
import { typedTopic } from '../platform/realtime/typed-topic.js';
import {
  decide,
  nextCandidate,
  type AutocallMode,
  type AutocallOnHangup,
  type Candidate,
  type DialResult,
  type StopReason,
} from './autocall-decision.js';
import type { HeldDial } from './autocall-dials.js';
import type { CallListCustomerView } from './customer-search.js';
import { RESULT_LABELS } from './outcomes.js';
import type { CallListSettings } from './settings.js';

export interface AutocallCustomer {
  customerId: number;
  company: string;
  phone: string;
}

/** Where the session is: the operator's phone ringing, the customer ringing, talking, or idle. */
export type AutocallStage = 'ringing_operator' | 'dialing' | 'talking' | 'waiting';

export interface AutocallState {
  running: boolean;
  mode: AutocallMode | null;
  /** 切断時のオートコール as it is now (`off`: the operator dials each next one, `/next`). */
  setting: AutocallOnHangup;
  stage: AutocallStage | null;
  current: AutocallCustomer | null;
  callId: string | null;
  /** Who is dialled next (when known: while waiting for `/next`, and at each hang-up). */
  next: AutocallCustomer | null;
  counts: { dialled: number; answered: number; noAnswer: number; remaining: number };
  /** Why the operator's last session ended, while none runs. */
  stoppedReason: StopReason | null;
}

export interface AutocallEndedWire {
  customer: AutocallCustomer;
  callId: string;
  result: DialResult;
  /** 応答 / 不応答. */
  label: string;
  next: AutocallCustomer | null;
}

export interface AutocallEvents {
  autocall_dialing: { customer: AutocallCustomer; callId: string; mode: AutocallMode };
  autocall_answered: { customer: AutocallCustomer; callId: string };
  autocall_ended: AutocallEndedWire;
  autocall_stopped: { reason: StopReason };
}

export interface AutocallDeps {
  engine: Pick<
    CallEngine,
    | 'newCall'
    | 'describe'
    | 'publish'
    | 'fork'
    | 'agentTargets'
    | 'makeCaller'
    | 'connect'
    | 'finish'
    | 'playToEnd'
    | 'onEnded'
    | 'get'
  >;
  history: Pick<CallHistoryService, 'open'>;
  hub: Hub;
  log: Logger;
  /** The operator's held customers, in their No order, and the next retrieval (自動取得). */
  held: (agentId: number) => CallListCustomerView[];
  claim: (agentId: number) => void;
  /** Each held customer's last call since retrieval (the call history). */
  dials: (agentId: number, held: readonly CallListCustomerView[]) => Map<number, HeldDial>;
  settings: () => Pick<CallListSettings, 'autocallOnHangup' | 'autoRetrieve' | 'calledCounts'>;
  reachable: (agentId: number) => boolean;
  /** Whether the operator is on a call (or being rung) now. */
  onCall: (agentId: number) => boolean;
  agentIdentity: (agentId: number) => { number: string; name: string };
  /** The carrier leg to a customer with the operator's caller ID, or why it may not be dialled. */
  customerTarget: (
    agentId: number,
    phone: string,
  ) => { target: Target; ourNumber: string; phoneNumberId: number } | { refused: EndReason };
  stopPlayback: (playbackId: string) => Promise<void>;
  /** How long the operator's phones ring, and the customer's. */
  ringSeconds: number;
  dialSeconds: number;
}

interface Session {
  agentId: number;
  mode: AutocallMode;
  dialled: Set<number>;
  answered: number;
  noAnswer: number;
  stage: AutocallStage;
  current: AutocallCustomer | null;
  call: Call | null;
  next: AutocallCustomer | null;
  stopped: boolean;
}

export interface Autocall {
  start(agentId: number, mode: AutocallMode): AutocallState;
  stop(agentId: number): AutocallState;
  next(agentId: number): AutocallState;
  state(agentId: number): AutocallState;
  /** Whether the operator's session runs (for a later 架電専用 rule in routing). */
  running(agentId: number): boolean;
}

const customerOf = (c: CallListCustomerView): AutocallCustomer => ({
  customerId: c.id,
  company: c.company,
  phone: c.phone,
});

export function createAutocall(deps: AutocallDeps): Autocall {
  const { engine, log } = deps;
  const sessions = new Map<number, Session>();
  const lastStop = new Map<number, StopReason>();
  const isSelf = (agentId: number) => (p: { kind: string; id: number }) =>
    p.kind === 'agent' && p.id === agentId;

  deps.hub.defineTopic('autocall', {
    canSubscribe: (p) => p.kind === 'agent' && p.permissions.has('call_list_operator.claim'),
    snapshot: (p) => state(p.id),
  });
  const topic = typedTopic<AutocallEvents>(deps.hub, 'autocall');

  function candidates(agentId: number): { held: CallListCustomerView[]; rows: Candidate[] } {
    const held = deps.held(agentId);
    const dials = deps.dials(agentId, held);
    return {
      held,
      rows: held.map((c) => {
        const dial = dials.get(c.id);
        return {
          customerId: c.id,
          recall: c.finalStatus === 'recall',
          lastDial: dial === undefined ? null : { result: dial.result },
        };
      }),
    };
  }

  function state(agentId: number): AutocallState {
    const s = sessions.get(agentId);
    const settings = deps.settings();
    const remaining = (() => {
      if (s === undefined) return 0;
      const { rows } = candidates(agentId);
      return rows.filter(
        (c) =>
          nextCandidate([c], {
            mode: s.mode,
            dialled: s.dialled,
            calledCounts: settings.calledCounts,
          }) !== null,
      ).length;
    })();
    return {
      running: s !== undefined,
      mode: s?.mode ?? null,
      setting: settings.autocallOnHangup,
      stage: s?.stage ?? null,
      current: s?.current ?? null,
      callId: s?.call?.id ?? null,
      next: s?.next ?? null,
      counts: {
        dialled: s?.dialled.size ?? 0,
        answered: s?.answered ?? 0,
        noAnswer: s?.noAnswer ?? 0,
        remaining,
      },
      stoppedReason: s === undefined ? (lastStop.get(agentId) ?? null) : null,
    };
  }

  function end(s: Session, reason: StopReason): void {
    if (sessions.get(s.agentId) !== s) return;
    s.stopped = true;
    sessions.delete(s.agentId);
    lastStop.set(s.agentId, reason);
    topic.publish('autocall_stopped', { reason }, isSelf(s.agentId));
  }

  /**
   * What follows a hang-up (`result`) or the operator's `/next` (null): the customer to dial now,
   * or none (waiting for `/next`, or the session stopped).
   */
  function following(s: Session, result: DialResult | null): CallListCustomerView | null {
    const settings = deps.settings();
    let retrieved = false;
    for (;;) {
      const { held, rows } = candidates(s.agentId);
      const decision = decide({
        setting: settings.autocallOnHangup,
        autoRetrieve: settings.autoRetrieve,
        retrieved,
        result,
        rows,
        mode: s.mode,
        dialled: s.dialled,
        calledCounts: settings.calledCounts,
      });
      switch (decision.kind) {
        case 'retrieve':
          retrieved = true;
          try {
            deps.claim(s.agentId);
          } catch (err) {
            log.warn(
              { err, agentId: s.agentId },
              'autocall: the next customers were not retrieved',
            );
          }
          continue;
        case 'stop':
          s.next = null;
          return null;
        case 'wait': {
          const next = held.find((c) => c.id === decision.next);
          s.next = next === undefined ? null : customerOf(next);
          return null;
        }
        case 'dial': {
          const next = held.find((c) => c.id === decision.customerId) ?? null;
          s.next = next === null ? null : customerOf(next);
          return next;
        }
      }
    }
  }

  function ended(call: Call): Promise<void> {
    return new Promise((resolve) => {
      if (engine.get(call.id) === undefined || call.state === 'ended') return resolve();
      const off = engine.onEnded((c) => {
        if (c.id !== call.id) return;
        off();
        resolve();
      });
    });
  }

  /** One call: the operator's phone, then the customer. Its result, or why the session stops. */
  async function dialOne(
    s: Session,
    customer: AutocallCustomer,
  ): Promise<DialResult | { stop: StopReason }> {
    const { agentId } = s;
    s.dialled.add(customer.customerId);
    s.current = customer;
    s.next = null;
    s.stage = 'ringing_operator';
    const call = engine.newCall({
      direction: 'outbound',
      from: deps.agentIdentity(agentId),
      to: customer.phone,
    });
    s.call = call;
    topic.publish('autocall_dialing', { customer, callId: call.id, mode: s.mode }, isSelf(agentId));
    const rung = await engine.fork(
      call,
      engine.agentTargets(agentId, { number: customer.phone, name: customer.company }),
      deps.ringSeconds,
      null,
    );
    if (!('answered' in rung)) {
      // Only the operator's phone rang: no call to the customer is written down.
      if (call.state !== 'ended') engine.finish(call, rung.failed, rung.cause);
      s.dialled.delete(customer.customerId);
      return { stop: s.stopped ? 'stopped' : 'agent_no_answer' };
    }
    const operator = rung.answered;
    engine.makeCaller(call, operator);
    if (s.stopped) {
      engine.finish(call, 'cancelled');
      s.dialled.delete(customer.customerId);
      return { stop: 'stopped' };
    }
    const out = deps.customerTarget(agentId, customer.phone);
    if ('target' in out)
      engine.describe(call, { ourNumber: out.ourNumber, phoneNumberId: out.phoneNumberId });
    deps.history.open(callStart(call, { agentId, calleeAgentId: null }));
    engine.publish(call, 'call_created');
    if ('refused' in out) {
      engine.finish(call, out.refused);
      return 'no_answer';
    }
    s.stage = 'dialing';
    const tone = `${operator.channelId}-autocall-ringback`;
    void engine
      .playToEnd(operator.channelId, 'tone:ring;tonezone=jp', tone, deps.dialSeconds * 1000)
      .catch(() => undefined);
    const dialled = await engine.fork(call, [out.target], deps.dialSeconds, operator.channelId);
    await deps.stopPlayback(tone);
    if (!('answered' in dialled)) {
      if (call.state !== 'ended') engine.finish(call, dialled.failed, dialled.cause);
      return 'no_answer';
    }
    if (call.state === 'ended') return 'no_answer';
    await engine.connect(call, operator, dialled.answered);
    s.stage = 'talking';
    topic.publish('autocall_answered', { customer, callId: call.id }, isSelf(agentId));
    await ended(call);
    return 'answered';
  }

  async function run(s: Session, first: CallListCustomerView): Promise<void> {
    let target: CallListCustomerView | null = first;
    while (target !== null) {
      const customer = customerOf(target);
      let outcome: DialResult | { stop: StopReason };
      try {
        outcome = await dialOne(s, customer);
      } catch (err) {
        log.error({ err, agentId: s.agentId }, 'autocall: the call failed');
        if (s.call !== null && s.call.state !== 'ended') engine.finish(s.call, 'failed');
        outcome = { stop: 'failed' };
      }
      if (typeof outcome === 'object') {
        s.call = null;
        s.current = null;
        return end(s, outcome.stop);
      }
      const callId = s.call?.id ?? '';
      if (outcome === 'answered') s.answered += 1;
      else s.noAnswer += 1;
      // A stopped session dials nothing more, but still tells how its last call ended.
      target = s.stopped ? null : following(s, outcome);
      s.stage = 'waiting';
      s.call = null;
      s.current = null;
      topic.publish(
        'autocall_ended',
        { customer, callId, result: outcome, label: RESULT_LABELS[outcome], next: s.next },
        isSelf(s.agentId),
      );
      if (s.stopped) return;
      if (target === null && s.next === null) return end(s, 'list_empty');
    }
  }

  function running(agentId: number): Session {
    const s = sessions.get(agentId);
    if (s === undefined) throw conflict('autocall_not_running', 'No autocall session is running');
    return s;
  }

  return {
    start(agentId, mode) {
      if (sessions.has(agentId))
        throw conflict('autocall_running', 'An autocall session is already running');
      const { held, rows } = candidates(agentId);
      if (held.length === 0)
        throw conflict('no_claimed_customers', 'Retrieve customers ([ダウンロード]) first');
      const settings = deps.settings();
      const first = nextCandidate(rows, {
        mode,
        dialled: new Set(),
        calledCounts: settings.calledCounts,
      });
      const customer = held.find((c) => c.id === first?.customerId);
      if (customer === undefined)
        throw conflict(
          'nothing_to_call',
          mode === 'recall'
            ? 'None of the customers held is flagged 再架電 and not yet called'
            : 'Every customer held is already called (架電済)',
        );
      if (!deps.reachable(agentId))
        throw conflict('agent_unreachable', 'None of the agent’s terminals is registered');
      // E.g. the conversation of a session just stopped: its customer is not rung over it.
      if (deps.onCall(agentId)) throw conflict('agent_busy', 'The agent is on a call');
      const s: Session = {
        agentId,
        mode,
        dialled: new Set(),
        answered: 0,
        noAnswer: 0,
        stage: 'ringing_operator',
        current: customerOf(customer),
        call: null,
        next: null,
        stopped: false,
      };
      sessions.set(agentId, s);
      lastStop.delete(agentId);
      void run(s, customer);
      return state(agentId);
    },
    stop(agentId) {
      const s = running(agentId);
      // A customer still ringing is let go; a conversation goes on, and nothing follows it.
      const call = s.call;
      if (call !== null && call.state !== 'ended' && call.answeredAt === null)
        engine.finish(call, 'cancelled');
      end(s, 'stopped');
      return state(agentId);
    },
    next(agentId) {
      const s = running(agentId);
      if (s.stage !== 'waiting')
        throw conflict('call_in_progress', 'The autocall call is not over yet');
      const target = following(s, null);
      if (target === null) {
        end(s, 'list_empty');
        return state(agentId);
      }
      s.stage = 'ringing_operator';
      s.current = customerOf(target);
      void run(s, target);
      return state(agentId);
    },
    state,
    running: (agentId) => sessions.has(agentId),
  };
}
