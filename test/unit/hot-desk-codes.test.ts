/**
 * Hot-desk's pure decisions: what 998 / 997 ask for, and where a PIN try leads (three tries; the
 * refusal says whether a wrong PIN was keyed).
 */
import t from 'tap';
import { SYSTEM_PROMPTS } from '../../src/prompts/catalogue.js';
import {
  FIRST_TRY,
  PIN_ATTEMPTS,
  PROMPTS,
  REFUSALS,
  afterPin,
  hotDeskRequest,
  type PinOutcome,
  type PinStep,
} from '../../src/hotdesk/codes.js';

t.test('998 + extension logs in, 997 logs out, nothing else is hot-desk', async (t) => {
  t.same(hotDeskRequest('998201'), { kind: 'login', extension: '201' });
  t.same(hotDeskRequest('998'), { kind: 'login', extension: '' }, 'no extension: refused later');
  t.same(hotDeskRequest('997'), { kind: 'logout' });
  for (const other of ['9970', '99', '201', '9001', '0998201', ''])
    t.equal(hotDeskRequest(other), null, `${other || '(empty)'} is not hot-desk`);
});

/** Runs tries with these outcomes from the first; the steps taken. */
function run(outcomes: PinOutcome[]): PinStep[] {
  let tries = FIRST_TRY;
  const steps: PinStep[] = [];
  for (const outcome of outcomes) {
    const step = afterPin(tries, outcome);
    steps.push(step);
    if (step.next !== 'retry') break;
    tries = step.tries;
  }
  return steps;
}

t.test('the right PIN logs in, at any try', async (t) => {
  t.same(run(['right']), [{ next: 'login' }]);
  t.same(run(['wrong', 'wrong', 'right']).at(-1), { next: 'login' });
  t.same(run(['none', 'right']).at(-1), { next: 'login' });
});

t.test('a wrong PIN is asked again as incorrect, nothing keyed as at first', async (t) => {
  t.same(run(['wrong'])[0], {
    next: 'retry',
    tries: { attempt: 2, wrong: 1 },
    prompt: PROMPTS.wrongPin,
  });
  t.same(run(['none'])[0], {
    next: 'retry',
    tries: { attempt: 2, wrong: 0 },
    prompt: PROMPTS.enterPin,
  });
});

t.test(`after ${PIN_ATTEMPTS} tries the caller is refused`, async (t) => {
  t.equal(PIN_ATTEMPTS, 3);
  const three = run(['wrong', 'wrong', 'wrong']);
  t.equal(three.length, 3, 'two retries, then the end');
  t.same(three.at(-1), { next: 'refuse', refusal: 'wrong_pin' });
  t.same(run(['wrong', 'none', 'none']).at(-1), { next: 'refuse', refusal: 'wrong_pin' });
  t.same(run(['none', 'none', 'none']).at(-1), { next: 'refuse', refusal: 'no_input' });
  t.same(run(['wrong', 'wrong', 'wrong', 'right']).length, 3, 'no fourth try');
});

t.test('a locked account is refused at once, whatever the try', async (t) => {
  t.same(run(['locked']), [{ next: 'refuse', refusal: 'locked' }]);
  t.same(run(['wrong', 'locked']).at(-1), { next: 'refuse', refusal: 'locked' });
});

t.test('refusals before the PIN get a SIP error; after it the call just ends', async (t) => {
  t.equal(REFUSALS.unknown_extension.reason, 'unknown_number');
  t.equal(REFUSALS.no_pin.reason, 'forbidden');
  t.equal(REFUSALS.not_our_phone.reason, 'forbidden');
  t.equal(REFUSALS.not_logged_in.reason, 'unknown_number');
  for (const refusal of ['wrong_pin', 'no_input', 'locked'] as const) {
    t.equal(REFUSALS[refusal].reason, 'completed');
    t.ok(SYSTEM_PROMPTS[REFUSALS[refusal].prompt].sounds.length > 0, `${refusal} is announced`);
  }
});
