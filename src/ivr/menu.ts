/**
 * An IVR's button menu (ボタンルーティング, §11-3) as a state machine, pure: the caller hears the
 * prompt, and a key — pressed during it (barge-in) or after — sends them to that key's
 * destination. Beyond the manual (which has keys 1–9 and says nothing of mistakes): keys 0, * and
 * #, and a caller who presses a key with no destination, or nothing within the timeout, hears the
 * menu again, up to `attempts` times in all, then goes to the IVR's default routing.
 */

export const MENU_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
export type MenuKey = (typeof MENU_KEYS)[number];

export const isMenuKey = (digit: string): digit is MenuKey =>
  (MENU_KEYS as readonly string[]).includes(digit);

export interface MenuSettings<D> {
  /** Each key's destination; a key without one is an invalid entry. */
  keys: Partial<Record<MenuKey, D>>;
  /** How many times the menu is heard before the default routing (1 = never again). */
  attempts: number;
}

/** Where the caller is: hearing the menu for the `attempt`-th time, or waiting for a key after. */
export interface MenuState {
  attempt: number;
  phase: 'prompt' | 'waiting';
}

export type MenuInput =
  { type: 'digit'; digit: string } | { type: 'prompt_finished' } | { type: 'no_input_timeout' };

export type MenuStep<D> =
  /** Stop the prompt at once (if it still plays) and send the caller on. */
  | { type: 'route'; destination: D; via: { key: MenuKey } | { default: 'invalid' | 'no_input' } }
  /** Stop the prompt, say why (the invalid-entry prompt, or nothing), and play the menu again. */
  | { type: 'replay'; reason: 'invalid' | 'no_input' }
  /** The prompt has ended: start the no-input timer. */
  | { type: 'wait' }
  | { type: 'ignore' };

export const firstMenuState = (): MenuState => ({ attempt: 1, phase: 'prompt' });

/**
 * The next state and what to do. `fallback` is the IVR's default routing, where a caller goes
 * after the last attempt.
 */
export function decideMenu<D>(
  state: MenuState,
  input: MenuInput,
  settings: MenuSettings<D>,
  fallback: D,
): { state: MenuState; step: MenuStep<D> } {
  switch (input.type) {
    case 'prompt_finished':
      return state.phase === 'prompt'
        ? { state: { ...state, phase: 'waiting' }, step: { type: 'wait' } }
        : { state, step: { type: 'ignore' } };
    case 'no_input_timeout':
      // A timer that fires while the menu plays again is a stale one.
      return state.phase === 'waiting'
        ? retry(state, 'no_input', settings, fallback)
        : ignore(state);
    case 'digit': {
      const key = input.digit;
      const destination = isMenuKey(key) ? settings.keys[key] : undefined;
      if (isMenuKey(key) && destination !== undefined)
        return { state, step: { type: 'route', destination, via: { key } } };
      return retry(state, 'invalid', settings, fallback);
    }
  }
}

const ignore = <D>(state: MenuState): { state: MenuState; step: MenuStep<D> } => ({
  state,
  step: { type: 'ignore' },
});

function retry<D>(
  state: MenuState,
  reason: 'invalid' | 'no_input',
  settings: MenuSettings<D>,
  fallback: D,
): { state: MenuState; step: MenuStep<D> } {
  if (state.attempt >= settings.attempts)
    return { state, step: { type: 'route', destination: fallback, via: { default: reason } } };
  return {
    state: { attempt: state.attempt + 1, phase: 'prompt' },
    step: { type: 'replay', reason },
  };
}
