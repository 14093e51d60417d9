/**
 * The call controller's transitions: every call state × leg role × leg state × ringing or not,
 * for each event, and the hang-up races (two events for one call, one after the other).
 */
import t from 'tap';
import {
  decide,
  type CallDecision,
  type LegEvent,
  type LegSituation,
} from '../../src/calls/controller.js';
import type { CallState, LegRole, LegState } from '../../src/calls/model.js';

const CALL_STATES: CallState[] = ['ringing', 'up', 'ended'];
const ROLES: LegRole[] = ['caller', 'callee'];
const LEG_STATES: LegState[] = ['ringing', 'up', 'gone'];
const hangUp = (cause: number | null, sipCode: number | null = null): LegEvent => ({
  type: 'gone',
  cause,
  sipCode,
});

/** Every situation the engine can present (a ringing target is always a callee not gone). */
function* situations(): Generator<LegSituation> {
  for (const call of CALL_STATES)
    for (const role of ROLES)
      for (const leg of LEG_STATES)
        for (const ringing of [false, true]) {
          if (ringing && (role === 'caller' || leg === 'gone')) continue;
          yield { call, role, leg, ringing };
        }
}

/** The decision table, written out: what each situation means for a hang-up with cause 16. */
function expectedOnHangUp(s: LegSituation): CallDecision {
  if (s.call === 'ended' || s.leg === 'gone') return { type: 'ignore' };
  if (s.ringing) return { type: 'target_failed', result: 'unavailable', cause: 16 };
  if (s.call === 'up' && s.leg === 'up') return { type: 'finish', reason: 'completed', cause: 16 };
  if (s.call === 'up' && s.role === 'caller')
    return { type: 'finish', reason: 'completed', cause: 16 };
  if (s.call === 'ringing' && s.role === 'caller')
    return { type: 'finish', reason: 'cancelled', cause: 16 };
  return { type: 'drop_leg' };
}

t.test('a hang-up in every situation', async (t) => {
  let n = 0;
  for (const s of situations()) {
    t.same(decide(s, hangUp(16)), expectedOnHangUp(s), JSON.stringify(s));
    n += 1;
  }
  t.equal(n, 24, 'every situation was checked');
});

t.test('an answer in every situation: only a target being rung wins', async (t) => {
  for (const s of situations()) {
    const expected: CallDecision =
      s.ringing && s.call !== 'ended' ? { type: 'target_answered' } : { type: 'ignore' };
    t.same(decide(s, { type: 'answered' }), expected, JSON.stringify(s));
  }
});

t.test("a target's cause says how it failed", async (t) => {
  const target: LegSituation = { call: 'ringing', role: 'callee', leg: 'ringing', ringing: true };
  const result = (cause: number | null) => {
    const d = decide(target, hangUp(cause));
    return d.type === 'target_failed' ? [d.result, d.cause] : d.type;
  };
  t.same(result(17), ['busy', 17]);
  t.same(result(18), ['no_answer', 18]);
  t.same(result(19), ['no_answer', 19]);
  t.same(result(21), ['unavailable', 21]);
  t.same(result(null), ['unavailable', null]);
  // A target rung for an answered caller (a queue caller hearing music) fails the same way.
  t.same(decide({ ...target, call: 'up' }, hangUp(17)), {
    type: 'target_failed',
    result: 'busy',
    cause: 17,
  });
});

t.test('a connected party lost for lack of media ends the call as media_timeout', async (t) => {
  const up: LegSituation = { call: 'up', role: 'callee', leg: 'up', ringing: false };
  t.same(decide(up, hangUp(44)), { type: 'finish', reason: 'media_timeout', cause: 44 });
  t.same(decide(up, hangUp(16, 408)), { type: 'finish', reason: 'media_timeout', cause: 16 });
  t.same(decide(up, hangUp(16, 200)), { type: 'finish', reason: 'completed', cause: 16 });
});

/** Applies decisions the way the engine does, to play two events for one call in a row. */
function play(
  start: {
    call: CallState;
    legs: Record<string, { role: LegRole; state: LegState; ringing: boolean }>;
  },
  events: [string, LegEvent][],
): CallDecision[] {
  let call = start.call;
  const legs = structuredClone(start.legs);
  return events.map(([name, event]) => {
    const leg = legs[name];
    if (leg === undefined) throw new Error(name);
    const decision = decide({ call, role: leg.role, leg: leg.state, ringing: leg.ringing }, event);
    switch (decision.type) {
      case 'finish':
        call = 'ended';
        for (const l of Object.values(legs)) {
          l.state = 'gone';
          l.ringing = false;
        }
        break;
      case 'drop_leg':
        leg.state = 'gone';
        break;
      case 'target_failed':
        leg.state = 'gone';
        leg.ringing = false;
        break;
      case 'target_answered':
        // The fork is won: the other targets are hung up and gone for the call at once.
        for (const l of Object.values(legs)) {
          if (l.ringing && l !== leg) l.state = 'gone';
          l.ringing = false;
        }
        leg.state = 'up';
        break;
      case 'ignore':
        break;
    }
    return decision;
  });
}

t.test(
  'hang-up races: whichever event comes first decides, the second changes nothing',
  async (t) => {
    const connected = {
      call: 'up' as const,
      legs: {
        customer: { role: 'caller' as const, state: 'up' as const, ringing: false },
        agent: { role: 'callee' as const, state: 'up' as const, ringing: false },
      },
    };
    t.same(
      play(connected, [
        ['customer', hangUp(16)],
        ['agent', hangUp(16)],
      ]).map((d) => d.type),
      ['finish', 'ignore'],
      'both parties hang up at once',
    );
    t.same(
      play(connected, [
        ['agent', hangUp(16)],
        ['customer', hangUp(16)],
      ]).map((d) => d.type),
      ['finish', 'ignore'],
      'the other order',
    );

    const ringing = {
      call: 'ringing' as const,
      legs: {
        customer: { role: 'caller' as const, state: 'ringing' as const, ringing: false },
        op1: { role: 'callee' as const, state: 'ringing' as const, ringing: true },
        op2: { role: 'callee' as const, state: 'ringing' as const, ringing: true },
      },
    };
    const cancelThenAnswer = play(ringing, [
      ['customer', hangUp(16)],
      ['op1', { type: 'answered' }],
    ]);
    t.same(
      cancelThenAnswer,
      [{ type: 'finish', reason: 'cancelled', cause: 16 }, { type: 'ignore' }],
      'a cancel racing an answer: the cancel came first, the late answer is ignored',
    );
    t.same(
      play(ringing, [
        ['op1', { type: 'answered' }],
        ['customer', hangUp(16)],
      ]).map((d) => d.type),
      ['target_answered', 'finish'],
      'the answer came first: the caller hanging up then ends the call',
    );
    t.same(
      play(ringing, [
        ['op1', { type: 'answered' }],
        ['op2', { type: 'answered' }],
        ['op2', hangUp(26)],
      ]).map((d) => d.type),
      ['target_answered', 'ignore', 'ignore'],
      'two targets answering at once: the second is not a second answer, nor its hang-up an end',
    );
    t.same(
      play(ringing, [
        ['op1', hangUp(17)],
        ['op2', hangUp(19)],
        ['customer', hangUp(16)],
      ]).map((d) => d.type),
      ['target_failed', 'target_failed', 'finish'],
      'every target failing leaves the caller to be refused or to hang up',
    );
  },
);
