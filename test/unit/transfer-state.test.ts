/**
 * The transfer state machine: every state × mode × input, then the races of Wazo's bug history —
 * a cancel racing the answer, the three parties hanging up at the same moment in every order, a
 * completion during the ringing, a second completion.
 */
import t from 'tap';
import {
  decideTransfer,
  type TransferAction,
  type TransferInput,
  type TransferMode,
  type TransferSituation,
  type TransferStatus,
  type TransferStep,
} from '../../src/transfers/state.js';

const INPUTS: TransferInput['type'][] = [
  'recipient_answered',
  'recipient_failed',
  'recipient_hung_up',
  'complete',
  'cancel',
  'initiator_hung_up',
  'transferred_hung_up',
];

type Expected = 'ignore' | 'refuse' | [TransferStatus, TransferMode, TransferAction[], string[]];

/** The whole table: [status, mode] → input → what happens. */
const TABLE: Record<string, Record<TransferInput['type'], Expected>> = {
  'ringing attended': {
    recipient_answered: [
      'answered',
      'attended',
      ['connect_initiator_with_recipient'],
      ['transfer_answered'],
    ],
    recipient_failed: [
      'cancelled',
      'attended',
      ['return_initiator', 'tone_to_initiator'],
      ['transfer_cancelled'],
    ],
    recipient_hung_up: 'ignore',
    complete: ['ringing', 'blind', ['release_initiator'], []],
    cancel: [
      'cancelled',
      'attended',
      ['stop_ringing_recipient', 'return_initiator'],
      ['transfer_cancelled'],
    ],
    initiator_hung_up: ['ringing', 'blind', [], ['transfer_abandoned']],
    transferred_hung_up: [
      'cancelled',
      'attended',
      ['stop_ringing_recipient', 'release_initiator'],
      ['transfer_cancelled'],
    ],
  },
  'ringing blind': {
    recipient_answered: [
      'completed',
      'blind',
      ['connect_transferred_with_recipient'],
      ['transfer_answered', 'transfer_completed'],
    ],
    recipient_failed: ['cancelled', 'blind', ['recall_initiator'], ['transfer_cancelled']],
    recipient_hung_up: 'ignore',
    complete: 'ignore',
    cancel: [
      'cancelled',
      'blind',
      ['stop_ringing_recipient', 'recall_initiator'],
      ['transfer_cancelled'],
    ],
    // Expected (the transfer goes on), but taken care of: the call must not end with it.
    initiator_hung_up: ['ringing', 'blind', [], []],
    transferred_hung_up: ['cancelled', 'blind', ['stop_ringing_recipient'], ['transfer_cancelled']],
  },
  'answered attended': {
    recipient_answered: 'ignore',
    recipient_failed: 'ignore',
    recipient_hung_up: [
      'cancelled',
      'attended',
      ['return_initiator', 'tone_to_initiator'],
      ['transfer_cancelled'],
    ],
    complete: [
      'completed',
      'attended',
      ['connect_transferred_with_recipient', 'release_initiator'],
      ['transfer_completed'],
    ],
    cancel: [
      'cancelled',
      'attended',
      ['hang_up_recipient', 'return_initiator'],
      ['transfer_cancelled'],
    ],
    initiator_hung_up: [
      'completed',
      'attended',
      ['connect_transferred_with_recipient', 'release_initiator'],
      ['transfer_completed'],
    ],
    transferred_hung_up: ['cancelled', 'attended', [], ['transfer_cancelled']],
  },
};
for (const status of ['completed', 'cancelled'] as const) {
  for (const mode of ['attended', 'blind'] as const) {
    TABLE[`${status} ${mode}`] = {
      recipient_answered: 'ignore',
      recipient_failed: 'ignore',
      recipient_hung_up: 'ignore',
      complete: 'refuse',
      cancel: 'refuse',
      initiator_hung_up: 'ignore',
      transferred_hung_up: 'ignore',
    };
  }
}

function shape(step: TransferStep): Expected {
  if (step.type === 'ignore') return 'ignore';
  if (step.type === 'refuse') return 'refuse';
  return [step.status, step.mode, step.actions, step.events];
}

t.test('every state × mode × input', async (t) => {
  let cases = 0;
  for (const [key, row] of Object.entries(TABLE)) {
    const [status, mode] = key.split(' ') as [TransferStatus, TransferMode];
    for (const input of INPUTS) {
      t.same(
        shape(decideTransfer({ status, mode }, { type: input })),
        row[input],
        `${key} + ${input}`,
      );
      cases += 1;
    }
  }
  t.equal(cases, 7 * 7, 'seven situations (answered is attended only), seven inputs');
  t.same(decideTransfer({ status: 'completed', mode: 'blind' }, { type: 'complete' }), {
    type: 'refuse',
    code: 'transfer_over',
  });
});

/** Applies inputs in order; the actions taken and events told, and where it ends. */
function run(from: TransferSituation, inputs: TransferInput['type'][]) {
  let at = from;
  const actions: TransferAction[] = [];
  const events: string[] = [];
  const refused: string[] = [];
  for (const input of inputs) {
    const step = decideTransfer(at, { type: input });
    if (step.type === 'refuse') refused.push(input);
    if (step.type !== 'transition') continue;
    at = { status: step.status, mode: step.mode };
    actions.push(...step.actions);
    events.push(...step.events);
  }
  return { at, actions, events, refused };
}

const RINGING: TransferSituation = { status: 'ringing', mode: 'attended' };
const ANSWERED: TransferSituation = { status: 'answered', mode: 'attended' };

t.test('a cancel racing the answer: whichever comes first decides', async (t) => {
  const cancelFirst = run(RINGING, ['cancel', 'recipient_answered']);
  t.equal(cancelFirst.at.status, 'cancelled');
  t.notOk(cancelFirst.actions.includes('connect_initiator_with_recipient'), 'no late connection');
  t.same(cancelFirst.events, ['transfer_cancelled']);
  const answerFirst = run(RINGING, ['recipient_answered', 'cancel']);
  t.equal(answerFirst.at.status, 'cancelled');
  t.same(answerFirst.actions, [
    'connect_initiator_with_recipient',
    'hang_up_recipient',
    'return_initiator',
  ]);
  // The customer is never hung up by a cancel: no action of any table touches them.
  t.notOk([...cancelFirst.actions, ...answerFirst.actions].some((a) => a.includes('transferred')));
});

t.test('the three parties hanging up at the same moment, in every order', async (t) => {
  const hangUps: TransferInput['type'][] = [
    'initiator_hung_up',
    'recipient_hung_up',
    'transferred_hung_up',
  ];
  const orders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ].map((order) => order.map((i) => hangUps[i] as TransferInput['type']));
  for (const order of orders) {
    for (const from of [RINGING, ANSWERED]) {
      const { at, actions, events } = run(from, order);
      const label = `${from.status}: ${order.join(', ')}`;
      t.ok(at.status === 'completed' || at.status === 'cancelled', `${label} → ${at.status}`);
      t.equal(events.filter((e) => e !== 'transfer_abandoned').length, 1, `${label}: one end`);
      t.equal(new Set(actions).size, actions.length, `${label}: no action twice`);
      // Once over, the rest are ignored: nothing is returned to a party that left.
      const over = events.findIndex(
        (e) => e === 'transfer_completed' || e === 'transfer_cancelled',
      );
      t.ok(over >= 0, `${label}: it ended`);
    }
  }
});

t.test('completing during the ringing turns it blind; the answer completes it', async (t) => {
  const { at, actions, events } = run(RINGING, ['complete', 'recipient_answered', 'complete']);
  t.same(at, { status: 'completed', mode: 'blind' });
  t.same(actions, ['release_initiator', 'connect_transferred_with_recipient']);
  t.same(events, ['transfer_answered', 'transfer_completed']);
  t.same(run(RINGING, ['complete', 'recipient_answered', 'complete']).refused, ['complete']);
});

t.test(
  'an attended initiator who hangs up while it rings leaves it blind; failure recalls',
  async (t) => {
    const { at, actions, events } = run(RINGING, ['initiator_hung_up', 'recipient_failed']);
    t.same(at, { status: 'cancelled', mode: 'blind' });
    t.same(actions, ['recall_initiator']);
    t.same(events, ['transfer_abandoned', 'transfer_cancelled']);
  },
);

t.test('the initiator hanging up the consultation completes it, once', async (t) => {
  const { at, actions, refused } = run(ANSWERED, ['initiator_hung_up', 'complete', 'cancel']);
  t.same(at, { status: 'completed', mode: 'attended' });
  t.same(actions, ['connect_transferred_with_recipient', 'release_initiator']);
  t.same(refused, ['complete', 'cancel'], 'a late REST complete or cancel is refused (409)');
});
