/**
 * Ringing a target checked for an answering machine (src/calls/ringing.ts, `answerCheck`):
 * what Asterisk is asked (the dialplan context instead of the application, a subscription to
 * the channel) and how the fork ends for each thing Asterisk reports — the verdict read when the
 * channel enters the application, a hang-up during the check, a failure before any answer —
 * while every other target is rung as before. ARI is a recording stand-in; the events are the
 * ones the engine hands on (StasisStart → answered, ChannelDestroyed → failed).
 */
import t from 'tap';
import { createAgentLoad } from '../../src/calls/agent-load.js';
import { createMedia } from '../../src/calls/media.js';
import type { CallNotifier } from '../../src/calls/notifier.js';
import { createCallRegistry } from '../../src/calls/registry.js';
import { createRinging, type ForkResult, type Target } from '../../src/calls/ringing.js';
import { AriError, type AriPort, type OriginateParams } from '../../src/platform/asterisk/ari.js';
import type { AriChannel, AriEvent } from '../../src/platform/asterisk/ari-types.js';
import { fakeAsterisk } from '../support/fake-asterisk.js';
import { fakeClock } from '../support/fake-clock.js';
import { captureLog } from '../support/log-capture.js';

const customer: Target = {
  endpoint: 'PJSIP/0311110001@carrier1',
  kind: 'trunk',
  terminal: null,
  agentId: null,
  callerId: { number: '0312340000', name: 'キャンペーン' },
};

function channel(id: string, state: AriChannel['state']): AriChannel {
  return {
    id,
    name: `PJSIP/carrier1-${id}`,
    state,
    caller: { number: '', name: '' },
    connected: { number: '', name: '' },
    accountcode: '',
    dialplan: { context: 'campaign-amd', exten: 's', priority: 1 },
    creationtime: new Date().toISOString(),
    language: 'en',
  };
}

function setup(options: { subscribeFails?: boolean; variable?: string | Error } = {}) {
  const clock = fakeClock();
  const asterisk = fakeAsterisk(clock);
  const listeners = new Set<(event: AriEvent) => void>();
  const originated: OriginateParams[] = [];
  const subscribed: string[] = [];
  const read: string[] = [];
  const ari: AriPort = {
    ...asterisk.ari,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    applications: {
      async subscribe(source) {
        if (options.subscribeFails === true)
          throw new AriError('not_found', 'applications.subscribe', 'Channel not found');
        subscribed.push(source);
      },
    },
    channels: {
      ...asterisk.ari.channels,
      async originate(params) {
        originated.push(params);
        return channel(params.channelId ?? '', 'Down');
      },
      async getVariable(channelId, variable) {
        read.push(`${channelId} ${variable}`);
        if (options.variable instanceof Error) throw options.variable;
        return options.variable ?? '';
      },
      hangup: async () => undefined,
    },
  };
  const log = captureLog().logger;
  const registry = createCallRegistry(clock);
  const ringing = createRinging({
    ari,
    log,
    registry,
    // Ringing only tells the call's watchers that it rings.
    notifier: { publish: () => undefined } as unknown as CallNotifier,
    agentLoad: createAgentLoad({ setCalls: () => undefined }, () => []),
    media: createMedia(ari, clock, log),
    terminals: { registeredNamesOfAgent: () => [] },
  });
  const call = registry.create({ direction: 'outbound', from: customer.callerId, to: '0311' });
  const emit = (event: AriEvent) => {
    for (const listener of listeners) listener(event);
  };
  /** Rings `target`; resolves once the originate (and any subscription) was sent. */
  async function ring(target: Target) {
    let result: ForkResult | undefined;
    const done = ringing.fork(call, [target], 30, null).then((r) => (result = r));
    await new Promise((r) => setImmediate(r));
    return { channelId: `${call.id}-1`, done, result: () => result };
  }
  return { ringing, call, emit, ring, originated, subscribed, read };
}

const destroyed = (id: string, state: AriChannel['state'], cause: number): AriEvent => ({
  type: 'ChannelDestroyed',
  application: 'callcenter',
  timestamp: new Date().toISOString(),
  channel: channel(id, state),
  cause,
  cause_txt: '',
});

t.test('an ordinary target is rung into the application, as before', async (t) => {
  const { ringing, call, ring, originated, subscribed, read } = setup();
  const rung = await ring(customer);
  t.match(originated[0], { app: 'callcenter', appArgs: `leg,${call.id}` });
  t.equal(originated[0]?.context, undefined, 'no dialplan');
  t.same(subscribed, [], 'no subscription: the application has it from the start');
  ringing.answered(call, rung.channelId);
  const result = await rung.done;
  t.ok('answered' in result && result.machineCheck === undefined, 'answered, no verdict');
  t.same(read, [], 'nothing read');
});

t.test('a target checked for a machine wins with the verdict read on entering', async (t) => {
  const { ringing, call, ring, originated, subscribed, read } = setup({
    variable: 'MACHINE:LONGGREETING-1500-1500:1764782596.123',
  });
  const rung = await ring({ ...customer, answerCheck: 'machine' });
  t.match(originated[0], { context: 'campaign-amd', extension: 's', priority: 1 });
  t.equal(originated[0]?.app, undefined, 'not into the application');
  t.match(originated[0]?.variables, { CC_CALL_ID: call.id, CC_LEG: 'callee' }, 'tagged as ever');
  t.same(subscribed, [`channel:${rung.channelId}`], 'its failures and hang-up are reported');
  ringing.answered(call, rung.channelId);
  t.ok(ringing.isRinging(call.id, rung.channelId), 'still ringing while the verdict is read');
  const result = await rung.done;
  t.same(read, [`${rung.channelId} CC_AMD`]);
  t.same('answered' in result ? result.machineCheck : null, {
    verdict: 'machine',
    cause: 'LONGGREETING-1500-1500',
    answeredAt: new Date(1764782596123),
  });
});

t.test('a customer who hangs up during the check answered, with the verdict hangup', async (t) => {
  const { ringing, call, emit, ring } = setup();
  const rung = await ring({ ...customer, answerCheck: 'machine' });
  // As the engine hands them on: the channel's end (it was up), then the failure it means.
  emit(destroyed(rung.channelId, 'Up', 16));
  ringing.failed(call, rung.channelId, 'no_answer', 16);
  const result = await rung.done;
  t.ok('answered' in result, 'an answer');
  t.same('answered' in result ? result.machineCheck : null, {
    verdict: 'hangup',
    cause: '',
    answeredAt: null,
  });
});

t.test('one that never answered fails as any target does', async (t) => {
  const { ringing, call, emit, ring } = setup();
  const rung = await ring({ ...customer, answerCheck: 'machine' });
  emit(destroyed(rung.channelId, 'Ringing', 17));
  ringing.failed(call, rung.channelId, 'busy', 17);
  t.same(await rung.done, { failed: 'busy', cause: 17 });
});

t.test('one gone before it could be subscribed to failed', async (t) => {
  const { ring } = setup({ subscribeFails: true });
  const rung = await ring({ ...customer, answerCheck: 'machine' });
  t.same(
    await rung.done,
    { failed: 'failed', cause: null },
    'a carrier leg that could not be rung',
  );
});

t.test('a verdict that cannot be read goes on as not sure (to an agent)', async (t) => {
  const { ringing, call, ring } = setup({
    variable: new AriError('unavailable', 'channels.getChannelVar', 'timed out'),
  });
  const rung = await ring({ ...customer, answerCheck: 'machine' });
  ringing.answered(call, rung.channelId);
  const result = await rung.done;
  t.equal('answered' in result ? result.machineCheck?.verdict : null, 'notsure');
});
