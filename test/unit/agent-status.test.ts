import t from 'tap';
import {
  AVAILABLE,
  INITIAL_SELECTION,
  NO_CALLS,
  PAUSED,
  choose,
  effectiveStatus,
  onCallEnded,
  onLogin,
  onTick,
  takesExternalCalls,
  takesInternalCalls,
  type Facts,
  type Selection,
  type SelectionState,
  type StatusRule,
} from '../../src/agents/status.js';

const up: Facts = { asteriskUp: true, registered: true, calls: NO_CALLS };
const custom = (id: number): Selection => ({ kind: 'paused', customStatusId: id });

// The operator statuses of seed 001 as custom statuses with rules.
const PREPARING = 1; // 準備中: at login
const ACW = 2; // 後処理: after an external call, until changed
const SHORT_BREAK = 3; // 小休憩: toggles back to what it interrupted
const LUNCH = 4; // 昼休憩: toggles back to 準備中
const MAIL_WORK = 5; // メール対応 (other work): toggles back to 準備中
const seed001: StatusRule[] = [
  { id: PREPARING, onLogin: true, afterCall: false, afterCallSeconds: 0, toggle: 'none' },
  { id: ACW, onLogin: false, afterCall: true, afterCallSeconds: 0, toggle: 'none' },
  { id: SHORT_BREAK, onLogin: false, afterCall: false, afterCallSeconds: 0, toggle: 'previous' },
  { id: LUNCH, onLogin: false, afterCall: false, afterCallSeconds: 0, toggle: 'login_status' },
  { id: MAIL_WORK, onLogin: false, afterCall: false, afterCallSeconds: 0, toggle: 'login_status' },
];

t.test('the facts win over the selection, in a fixed order', async (t) => {
  const sel = custom(7);
  t.same(effectiveStatus(sel, up), { status: 'paused', customStatusId: 7 });
  t.same(effectiveStatus(AVAILABLE, up), { status: 'available', customStatusId: null });
  t.same(effectiveStatus(PAUSED, up), { status: 'paused', customStatusId: null });
  t.same(effectiveStatus(sel, { ...up, registered: false }), {
    status: 'offline',
    customStatusId: null,
  });
  t.same(effectiveStatus(sel, { ...up, calls: { ringing: 1, up: 0, held: 0 } }).status, 'ringing');
  t.same(effectiveStatus(sel, { ...up, calls: { ringing: 1, up: 1, held: 0 } }).status, 'on_call');
  t.same(effectiveStatus(sel, { ...up, calls: { ringing: 0, up: 1, held: 1 } }).status, 'on_hold');
  t.same(
    effectiveStatus(sel, { ...up, calls: { ringing: 0, up: 2, held: 1 } }).status,
    'on_call',
    'one held, one talking',
  );
  // A call in progress shows even if the registration just lapsed; Asterisk down beats all.
  t.same(
    effectiveStatus(sel, { ...up, registered: false, calls: { ringing: 0, up: 1, held: 0 } })
      .status,
    'on_call',
  );
  t.same(
    effectiveStatus(sel, { ...up, asteriskUp: false, calls: { ringing: 0, up: 1, held: 0 } })
      .status,
    'unknown',
  );
});

t.test('who may be offered which calls', async (t) => {
  t.ok(takesExternalCalls({ status: 'available', customStatusId: null }));
  for (const s of ['paused', 'offline', 'ringing', 'on_call', 'on_hold', 'unknown'] as const) {
    t.notOk(takesExternalCalls({ status: s, customStatusId: null }), `no external call when ${s}`);
  }
  // Seed 001: internal calls arrive in any status (but not to a phone that is busy or gone).
  t.ok(takesInternalCalls({ status: 'paused', customStatusId: ACW }));
  t.ok(takesInternalCalls({ status: 'available', customStatusId: null }));
  for (const s of ['offline', 'ringing', 'on_call', 'on_hold', 'unknown'] as const) {
    t.notOk(takesInternalCalls({ status: s, customStatusId: null }), `no internal call when ${s}`);
  }
});

t.test('seed 001: login → 準備中, 受付可 → available, external call end → 後処理', async (t) => {
  let s: SelectionState = INITIAL_SELECTION;
  s = onLogin(s, seed001);
  t.same(s.selection, custom(PREPARING));
  s = choose(s, AVAILABLE, seed001);
  t.same(s.selection, AVAILABLE);
  s = onCallEnded(s, seed001, true, new Date(0));
  t.same(s.selection, custom(ACW), 'after an external call');
  t.equal(s.until, null, 'until changed (0 seconds)');
  s = choose(s, AVAILABLE, seed001);
  t.same(
    onCallEnded(s, seed001, false, new Date(0)).selection,
    AVAILABLE,
    'an internal call leaves no ACW',
  );
  t.same(onLogin(INITIAL_SELECTION, []).selection, AVAILABLE, 'no login status defined: unchanged');
});

t.test(
  'seed 001 toggles: 小休憩 returns to the previous status, 昼休憩 and other work to 準備中',
  async (t) => {
    let s = choose(INITIAL_SELECTION, custom(PREPARING), seed001);
    s = choose(s, AVAILABLE, seed001);
    s = choose(s, custom(SHORT_BREAK), seed001);
    t.same(s.selection, custom(SHORT_BREAK));
    s = choose(s, custom(SHORT_BREAK), seed001);
    t.same(s.selection, AVAILABLE, 'back to what it interrupted');

    s = choose(s, custom(LUNCH), seed001);
    s = choose(s, custom(LUNCH), seed001);
    t.same(s.selection, custom(PREPARING), 'lunch ends in 準備中');

    s = choose(s, custom(MAIL_WORK), seed001);
    s = choose(s, custom(MAIL_WORK), seed001);
    t.same(s.selection, custom(PREPARING), 'other work ends in 準備中');

    // A break taken during lunch returns to lunch.
    s = choose(s, custom(LUNCH), seed001);
    s = choose(s, custom(SHORT_BREAK), seed001);
    s = choose(s, custom(SHORT_BREAK), seed001);
    t.same(s.selection, custom(LUNCH));

    // Choosing a status without a toggle rule twice keeps it.
    s = choose(s, custom(ACW), seed001);
    t.same(choose(s, custom(ACW), seed001).selection, custom(ACW));
    // login_status toggle without a login status goes to available.
    const noLogin = seed001.filter((r) => !r.onLogin);
    const lunch = choose(INITIAL_SELECTION, custom(LUNCH), noLogin);
    t.same(choose(lunch, custom(LUNCH), noLogin).selection, AVAILABLE);
  },
);

t.test('a timed after-call status returns to available when its time is up', async (t) => {
  const rules: StatusRule[] = [
    { id: ACW, onLogin: false, afterCall: true, afterCallSeconds: 30, toggle: 'none' },
  ];
  const end = new Date('2026-04-01T10:00:00Z');
  let s = onCallEnded(INITIAL_SELECTION, rules, true, end);
  t.same(s.selection, custom(ACW));
  t.same(s.until, new Date('2026-04-01T10:00:30Z'));
  t.equal(onTick(s, new Date('2026-04-01T10:00:29Z')), s, 'not yet');
  s = onTick(s, new Date('2026-04-01T10:00:30Z'));
  t.same(s.selection, AVAILABLE);
  t.equal(s.until, null);
  // Choosing something else cancels the timer.
  const chosen = choose(onCallEnded(INITIAL_SELECTION, rules, true, end), PAUSED, rules);
  t.equal(chosen.until, null);
  t.same(onTick(chosen, new Date('2026-04-01T11:00:00Z')).selection, PAUSED);
  // A queue's own ACW setting overrides the status rule.
  const override = onCallEnded(INITIAL_SELECTION, rules, true, end, {
    customStatusId: 9,
    seconds: 10,
  });
  t.same(override.selection, custom(9));
  t.same(override.until, new Date('2026-04-01T10:00:10Z'));
});
