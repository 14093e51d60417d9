import t from 'tap';
import {
  decideMenu,
  firstMenuState,
  MENU_KEYS,
  type MenuInput,
  type MenuSettings,
  type MenuState,
} from '../../src/ivr/menu.js';

const FALLBACK = 'default routing';
const settings: MenuSettings<string> = {
  keys: { '1': 'sales', '2': 'support', '0': 'operator', '#': 'repeat-ivr' },
  attempts: 3,
};
const digit = (d: string): MenuInput => ({ type: 'digit', digit: d });
const finished: MenuInput = { type: 'prompt_finished' };
const timeout: MenuInput = { type: 'no_input_timeout' };

/** Runs inputs from the first state; the steps, and the state at the end. */
function run(inputs: MenuInput[], with_ = settings) {
  let state: MenuState = firstMenuState();
  const steps = inputs.map((input) => {
    const next = decideMenu(state, input, with_, FALLBACK);
    state = next.state;
    return next.step;
  });
  return { steps, state };
}

t.test('a key with a destination sends the caller there, during the prompt or after', async (t) => {
  t.same(
    run([digit('2')]).steps,
    [{ type: 'route', destination: 'support', via: { key: '2' } }],
    'barge-in: pressed while the prompt plays',
  );
  t.same(run([finished, digit('1')]).steps, [
    { type: 'wait' },
    { type: 'route', destination: 'sales', via: { key: '1' } },
  ]);
  t.same(run([digit('0')]).steps[0], { type: 'route', destination: 'operator', via: { key: '0' } });
  t.same(run([digit('#')]).steps[0], {
    type: 'route',
    destination: 'repeat-ivr',
    via: { key: '#' },
  });
});

t.test('an invalid key replays the menu, then the last attempt goes to the default', async (t) => {
  const { steps } = run([digit('5'), finished, digit('*'), digit('9')]);
  t.same(steps, [
    { type: 'replay', reason: 'invalid' },
    { type: 'wait' },
    { type: 'replay', reason: 'invalid' },
    { type: 'route', destination: FALLBACK, via: { default: 'invalid' } },
  ]);
  t.same(
    run([digit('5'), digit('1')]).steps[1],
    {
      type: 'route',
      destination: 'sales',
      via: { key: '1' },
    },
    'a right key on the second hearing still counts',
  );
});

t.test('no input within the timeout: the same, as no_input', async (t) => {
  const { steps } = run([finished, timeout, finished, timeout, finished, timeout]);
  t.same(steps, [
    { type: 'wait' },
    { type: 'replay', reason: 'no_input' },
    { type: 'wait' },
    { type: 'replay', reason: 'no_input' },
    { type: 'wait' },
    { type: 'route', destination: FALLBACK, via: { default: 'no_input' } },
  ]);
});

t.test('a stale timer or a second prompt end changes nothing', async (t) => {
  t.same(run([timeout]).steps, [{ type: 'ignore' }], 'a timeout while the prompt plays');
  const { steps, state } = run([finished, finished]);
  t.same(steps, [{ type: 'wait' }, { type: 'ignore' }]);
  t.same(state, { attempt: 1, phase: 'waiting' });
});

t.test('one attempt: the first mistake goes to the default', async (t) => {
  const once = { ...settings, attempts: 1 };
  t.same(run([digit('7')], once).steps, [
    { type: 'route', destination: FALLBACK, via: { default: 'invalid' } },
  ]);
  t.same(run([finished, timeout], once).steps[1], {
    type: 'route',
    destination: FALLBACK,
    via: { default: 'no_input' },
  });
});

t.test('every key and anything else', async (t) => {
  const everyKey: MenuSettings<string> = {
    keys: Object.fromEntries(MENU_KEYS.map((k) => [k, `to ${k}`])),
    attempts: 2,
  };
  for (const key of MENU_KEYS)
    t.same(run([digit(key)], everyKey).steps[0], {
      type: 'route',
      destination: `to ${key}`,
      via: { key },
    });
  for (const other of ['A', 'D', '', '12'])
    t.same(run([digit(other)], everyKey).steps[0], { type: 'replay', reason: 'invalid' }, other);
});
