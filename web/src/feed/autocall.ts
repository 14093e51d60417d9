/**
 * The `autocall` topic in the browser (MOT autocall, A.23; src/call-lists/autocall.ts): the
 * operator's own session as the snapshot gives it, then each event — dialling whom, answered,
 * how a call ended (応答 / 不応答) and who is next, why the session stopped. The claim screen's
 * status line reads `last`; `changes` tells it to read the session's state again.
 */
import type { Answer } from '../api/client';
import type { TopicStore } from './topics';

export type AutocallSession = Answer<'/api/v1/call-lists/autocall', 'get'>;
export type AutocallCustomer = NonNullable<AutocallSession['current']>;

export type AutocallEvent =
  | { name: 'autocall_dialing'; customer: AutocallCustomer; callId: string }
  | { name: 'autocall_answered'; customer: AutocallCustomer; callId: string }
  | {
      name: 'autocall_ended';
      customer: AutocallCustomer;
      callId: string;
      result: 'answered' | 'no_answer';
      label: string;
      next: AutocallCustomer | null;
    }
  | { name: 'autocall_stopped'; reason: NonNullable<AutocallSession['stoppedReason']> };

export interface AutocallState {
  session: AutocallSession | null;
  last: AutocallEvent | null;
  changes: number;
}

const NAMES = new Set([
  'autocall_dialing',
  'autocall_answered',
  'autocall_ended',
  'autocall_stopped',
]);

export const autocallStore: TopicStore<AutocallState> = {
  empty: () => ({ session: null, last: null, changes: 0 }),
  fromSnapshot: (data) => ({ session: data as AutocallSession, last: null, changes: 0 }),
  onEvent: (state, name, data) =>
    NAMES.has(name)
      ? {
          ...state,
          last: { name, ...(data as object) } as AutocallEvent,
          changes: state.changes + 1,
        }
      : state,
};
