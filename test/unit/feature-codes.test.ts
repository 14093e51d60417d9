/**
 * The feature-code parser (§13), digit by digit with times: what it holds back, what it passes on
 * to the other party, which feature it recognises, and what a pause does.
 */
import t from 'tap';
import {
  DEFAULT_FEATURE_CODES as CODES,
  IDLE,
  deadline,
  expire,
  featureCodesProblem,
  press,
  type Feature,
  type FeatureCodeState,
} from '../../src/calls/feature-codes.js';

/** Keys `digits`, `gap` ms apart from t=0; what was passed on, and the features recognised. */
function key(digits: string, gap = 100, from: FeatureCodeState = IDLE) {
  let state = from;
  let passOn = '';
  const features: Feature[] = [];
  Array.from(digits).forEach((digit, i) => {
    const step = press(CODES, state, digit, i * gap);
    state = step.state;
    passOn += step.passOn;
    if (step.feature !== null) features.push(step.feature);
  });
  return { state, passOn, features, lastAt: (digits.length - 1) * gap };
}

t.test('digits that cannot begin a code reach the other party at once', async (t) => {
  for (const digit of '0123456789*') {
    const step = press(CODES, IDLE, digit, 0);
    t.same(step, { state: IDLE, passOn: digit, feature: null }, `"${digit}" passes on`);
  }
  t.same(key('1234*0').passOn, '1234*0', 'a customer IVR’s menu choices, as keyed');
});

t.test('#0 calls a consultation off', async (t) => {
  t.same(key('#0').features, [{ type: 'cancel_transfer' }]);
  t.equal(key('#0').passOn, '');
});

t.test('#72 parks; nothing of it reaches the other party', async (t) => {
  const run = key('#72');
  t.same(run.features, [{ type: 'park' }]);
  t.equal(run.passOn, '');
  t.same(run.state, IDLE);
});

t.test('#8 + number + # transfers blind, #9 + number + # after a consultation', async (t) => {
  t.same(key('#8202#').features, [{ type: 'blind_transfer', to: '202' }]);
  t.same(key('#9202#').features, [{ type: 'attended_transfer', to: '202' }]);
  t.same(key('#80312345678#').features, [{ type: 'blind_transfer', to: '0312345678' }]);
  t.equal(key('#8202#').passOn, '', 'the code and the number stay ours');
  t.same(key('#8202#').state, IDLE);
  t.same(key('#8*1#').features, [{ type: 'blind_transfer', to: '*1' }], '* may be in a number');
});

t.test('a code keyed with no number is given up, silently', async (t) => {
  const run = key('#8#');
  t.same(run.features, []);
  t.equal(run.passOn, '');
  t.same(run.state, IDLE);
});

t.test('held digits that stop matching a code are passed on, in order', async (t) => {
  t.same(key('#1'), { state: IDLE, passOn: '#1', features: [], lastAt: 100 });
  t.same(key('#73').passOn, '#73', '#7 began #72; #73 is no code');
  t.same(key('##').state, { mode: 'code', held: '#', lastAt: 100 }, 'the second # may begin one');
  t.equal(key('##').passOn, '#', 'the first # went on');
  t.same(key('##72').features, [{ type: 'park' }], 'and it did: # then #72');
  t.equal(key('##72').passOn, '#');
  t.equal(key('#7#8202#').passOn, '#7', '#7 went on, #8 … transferred');
  t.same(key('#7#8202#').features, [{ type: 'blind_transfer', to: '202' }]);
});

t.test('a pause gives held code digits to the other party and drops a number', async (t) => {
  const held = key('#7');
  t.equal(deadline(CODES, held.state), held.lastAt + CODES.digitTimeoutMs);
  t.same(
    expire(CODES, held.state, held.lastAt + CODES.digitTimeoutMs - 1),
    { state: held.state, passOn: '' },
    'not yet',
  );
  t.same(expire(CODES, held.state, held.lastAt + CODES.digitTimeoutMs), {
    state: IDLE,
    passOn: '#7',
  });
  const number = key('#820');
  t.same(expire(CODES, number.state, number.lastAt + CODES.digitTimeoutMs), {
    state: IDLE,
    passOn: '',
  });
  t.equal(deadline(CODES, IDLE), null, 'nothing held: no deadline');
  t.same(expire(CODES, IDLE, 1e12), { state: IDLE, passOn: '' });
});

t.test('each digit of a code restarts the pause', async (t) => {
  // 2.9 s between digits: slow, but within the 3 s pause each time.
  t.same(key('#8202#', 2900).features, [{ type: 'blind_transfer', to: '202' }]);
  t.same(key('#72', 2900).features, [{ type: 'park' }]);
});

t.test(
  'a digit after the pause ran out (before the engine expired it) starts afresh',
  async (t) => {
    const held = key('#7');
    const late = press(CODES, held.state, '2', held.lastAt + CODES.digitTimeoutMs + 1);
    t.same(late, { state: IDLE, passOn: '#72', feature: null }, 'no park: #7 went on, then 2');
    const number = key('#82');
    const lateNumber = press(CODES, number.state, '#', number.lastAt + CODES.digitTimeoutMs);
    t.same(lateNumber.feature, null, 'the number was given up; its # is a new beginning');
    t.same(lateNumber.state, { mode: 'code', held: '#', lastAt: number.lastAt + 3000 });
  },
);

t.test('settings: codes must be keypad digits and none the beginning of another', async (t) => {
  t.equal(featureCodesProblem(CODES), null, 'the manual’s codes work');
  t.match(featureCodesProblem({ ...CODES, park: '#8' }), /same code|beginning/);
  t.match(
    featureCodesProblem({ ...CODES, park: '#7', blindTransfer: '#72' }),
    /"#7" is the beginning of "#72"/,
  );
  t.match(featureCodesProblem({ ...CODES, park: '#7a' }), /keypad digits/);
  t.match(featureCodesProblem({ ...CODES, park: '' }), /keypad digits/);
  t.match(featureCodesProblem({ ...CODES, terminator: '##' }), /terminator/);
  t.match(featureCodesProblem({ ...CODES, digitTimeoutMs: 0 }), /positive/);
  // Other codes work the same way.
  const other = {
    ...CODES,
    park: '*72',
    blindTransfer: '*8',
    attendedTransfer: '*9',
    cancelTransfer: '*0',
  };
  t.equal(featureCodesProblem(other), null);
  let state: FeatureCodeState = IDLE;
  const features: Feature[] = [];
  let passOn = '';
  for (const [i, d] of Array.from('#*8202#').entries()) {
    const step = press(other, state, d, i);
    state = step.state;
    passOn += step.passOn;
    if (step.feature !== null) features.push(step.feature);
  }
  t.equal(passOn, '#', '# is no code beginning any more: it goes on');
  t.same(features, [{ type: 'blind_transfer', to: '202' }]);
});
