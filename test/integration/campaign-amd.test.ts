/**
 * Answering-machine detection in an autodial campaign (issue 13 §2), against a real Asterisk:
 * a SIPp carrier whose customers answer as a machine (a 4 s greeting) or as a person (a short
 * "hello", then silence; carrier-amd.xml), and a SIPp agent's phone. What is asserted is what
 * the customer, the agent and a supervisor would see: a machine gets no agent and is hung up,
 * the ledger and the feed say `machine`, the entry is 未入力; a person reaches the agent, and the
 * attempt's answer is the instant they answered, before the verdict (AMD's time counted).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { eq } from 'drizzle-orm';
import { campaignAttempts } from '../../src/campaigns/schema.js';
import {
  answering,
  campaignWith,
  carrierTaking,
  entriesOf,
  invitesIn,
  switchCampaign,
} from '../support/campaign-floor.js';
import { agentWithPhone, carrier, did, until } from '../support/floor.js';
import { samplesOf, ulawRtpPcap, writeAtomically } from '../support/pcap.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { subscribedFeed, type FeedMessage } from '../support/ws-client.js';

type AttemptRow = typeof campaignAttempts.$inferSelect;

/** Where carrier-amd.xml reads its audio: next to SIPp's working directories. */
const AUDIO_DIR = join(tmpdir(), 'cc-amd-audio');
/** Speech level: a tone at about -10 dBFS, well above AMD's silence threshold. */
const SPEECH = 10_000;

function writeCustomerAudio(): void {
  // A machine's greeting: 4 s of sound without a pause.
  writeAtomically(
    join(AUDIO_DIR, 'machine.pcap'),
    ulawRtpPcap(samplesOf([{ tone: 440, level: SPEECH, seconds: 4 }])),
  );
  // A person: a moment of silence, "hello" (0.5 s), then silence while they wait for a reply.
  writeAtomically(
    join(AUDIO_DIR, 'human.pcap'),
    ulawRtpPcap(
      samplesOf([{ silence: 0.2 }, { tone: 440, level: SPEECH, seconds: 0.5 }, { silence: 4 }]),
    ),
  );
}

function attemptsOf(server: TelephonyServer, campaignId: number): AttemptRow[] {
  return server.database.db
    .select()
    .from(campaignAttempts)
    .where(eq(campaignAttempts.campaignId, campaignId))
    .all();
}

const ofCampaign = (id: number) => (m: FeedMessage) =>
  (m.data as { campaignId?: number } | undefined)?.campaignId === id;

t.test('answering-machine detection on a campaign', async (t) => {
  writeCustomerAudio();
  const server = await startTelephonyServer();
  t.teardown(server.stop);
  const op1 = await agentWithPhone(server, 'op1', '201');
  const trunk = await carrier(server);
  const phoneNumberId = await did(server, '0312340000', { maxChannels: 0 });
  await carrierTaking(
    (fn) => t.teardown(fn),
    trunk,
    { answer_delay: 300, hangup_after: 5000 },
    'carrier-amd.xml',
  );
  const agentPhone = await answering((fn) => t.teardown(fn), op1);
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['campaigns']);
  t.teardown(() => feed.close());

  await t.test('a machine gets no agent: it is hung up, the attempt is `machine`', async (t) => {
    const id = await campaignWith(
      server,
      {
        name: '留守電判定',
        type: 'progressive',
        predictive: true,
        predictiveMinAgents: 1,
        detectMachines: true,
        phoneNumberId,
        maxChannels: 1,
      },
      [op1.agentId ?? 0],
      ['0366600001'],
    );
    await switchCampaign(server, id, true);
    const ended = await feed.waitFor(
      (m) => m.name === 'attempt_ended' && ofCampaign(id)(m),
      30_000,
      'the machine attempt to end',
    );
    t.equal((ended.data as { outcome: string }).outcome, 'machine', 'the feed: machine');
    await switchCampaign(server, id, false);
    t.notOk(
      feed.messages.some((m) => m.name === 'attempt_connected' && ofCampaign(id)(m)),
      'no agent was connected',
    );
    const [attempt] = attemptsOf(server, id);
    t.equal(attempt?.outcome, 'machine', 'the ledger: machine');
    t.ok(attempt?.answeredAt, 'the customer answered (a machine did)');
    t.equal(attempt?.connectedAt ?? null, null, 'no agent connected');
    const heldMs = (attempt?.endedAt?.getTime() ?? 0) - (attempt?.answeredAt?.getTime() ?? 0);
    t.ok(
      heldMs >= 1000 && heldMs < 3000,
      `hung up once the greeting ran past 1.5 s (${heldMs} ms after the answer)`,
    );
    await until(
      () => entriesOf(server, id).every((e) => e.phase === 'idle'),
      10_000,
      'the entry to be idle',
    );
    const entry = entriesOf(server, id)[0];
    t.equal(entry?.result, 'no_entry', 'the entry is 未入力');
    t.equal(entry?.callCount, 1, 'dialled once');
    t.equal(entry?.lastAgentId ?? null, null, 'no agent talked to it');
    const calls = (
      await server.request('GET', '/api/v1/calls', { token: server.adminToken })
    ).json<{ items: unknown[] }>();
    t.same(calls.items, [], 'the machine was hung up: no call is left');
  });

  await t.test(
    'a person reaches the agent; the answer is counted from before the verdict',
    async (t) => {
      const id = await campaignWith(
        server,
        {
          name: '留守電判定・本人',
          type: 'progressive',
          predictive: true,
          predictiveMinAgents: 1,
          detectMachines: true,
          phoneNumberId,
          maxChannels: 1,
        },
        [op1.agentId ?? 0],
        ['0311100001'],
      );
      await switchCampaign(server, id, true);
      const answered = await feed.waitFor(
        (m) => m.name === 'attempt_answered' && ofCampaign(id)(m),
        30_000,
        'the person to be told apart',
      );
      const connected = await feed.waitFor(
        (m) => m.name === 'attempt_connected' && ofCampaign(id)(m),
        15_000,
        'the person to reach the agent',
      );
      t.equal((connected.data as { agentId: number }).agentId, op1.agentId, 'connected to op1');
      const ended = await feed.waitFor(
        (m) => m.name === 'attempt_ended' && ofCampaign(id)(m),
        30_000,
        'the call to end',
      );
      t.equal((ended.data as { outcome: string }).outcome, 'connected', 'the feed: connected');
      await switchCampaign(server, id, false);

      const [attempt] = attemptsOf(server, id);
      t.equal(attempt?.outcome, 'connected', 'the ledger: connected');
      const answeredAt = attempt?.answeredAt?.getTime() ?? 0;
      const verdictAt = Date.parse(answered.ts ?? '');
      // The "hello" starts 0.2 s after the answer and lasts 0.5 s; HUMAN needs 0.6 s of silence.
      t.ok(
        verdictAt - answeredAt >= 1000 && verdictAt - answeredAt < 3000,
        `the answer is the instant the person answered, ${verdictAt - answeredAt} ms before the verdict`,
      );
      t.ok(
        (attempt?.connectedAt?.getTime() ?? 0) >= verdictAt,
        'the agent was connected after the verdict',
      );
    },
  );

  await t.test(
    'a person who hangs up before the verdict ends the attempt as one who hangs up waiting',
    async (t) => {
      const id = await campaignWith(
        server,
        {
          name: '留守電判定・切断',
          type: 'progressive',
          detectMachines: true,
          phoneNumberId,
          maxChannels: 1,
        },
        [op1.agentId ?? 0],
        ['0344400001'],
      );
      await switchCampaign(server, id, true);
      const ended = await feed.waitFor(
        (m) => m.name === 'attempt_ended' && ofCampaign(id)(m),
        30_000,
        'the attempt to end',
      );
      await switchCampaign(server, id, false);
      t.equal((ended.data as { outcome: string }).outcome, 'abandoned', 'the feed: abandoned');
      const [attempt] = attemptsOf(server, id);
      t.ok(attempt?.answeredAt, 'the customer had answered');
      t.equal(attempt?.connectedAt ?? null, null, 'no agent connected');
      await until(
        () => entriesOf(server, id).every((e) => e.phase === 'idle'),
        10_000,
        'the entry to be idle',
      );
      const entry = entriesOf(server, id)[0];
      t.equal(entry?.result, 'waiting', 'the customer will be called again');
      t.ok((entry?.reservedAt?.getTime() ?? 0) > Date.now() + 50 * 60_000, 'an hour later');
    },
  );

  await t.test(
    'predictive: the 2 s to find an agent run from the answer, not from the verdict',
    async (t) => {
      const token = (await server.login('op1', 'Secret123')).json<{ token: string }>().token;
      const setStatus = async (status: string) => {
        const res = await server.request('PUT', '/api/v1/me/status', { token, body: { status } });
        t.equal(res.statusCode, 200, `op1 is ${status}`);
      };
      const id = await campaignWith(
        server,
        {
          name: '留守電判定・2秒',
          type: 'progressive',
          predictive: true,
          predictiveMinAgents: 1,
          detectMachines: true,
          phoneNumberId,
          maxChannels: 1,
        },
        [op1.agentId ?? 0],
        ['0311100002'],
      );
      await switchCampaign(server, id, true);
      await feed.waitFor(
        (m) => m.name === 'attempt_dialing' && ofCampaign(id)(m),
        15_000,
        'the customer to be dialled',
      );
      // The only agent takes a break while the customer's phone rings (300 ms)…
      await setStatus('paused');
      const answered = await feed.waitFor(
        (m) => m.name === 'attempt_answered' && ofCampaign(id)(m),
        15_000,
        'the person to be told apart',
      );
      // …and is back 0.9 s after the verdict: within 2 s of it, but more than 2 s after the
      // answer (the verdict came 1.2 s or more after it).
      await new Promise((r) => setTimeout(r, 900));
      await setStatus('available');
      const ended = await feed.waitFor(
        (m) => m.name === 'attempt_ended' && ofCampaign(id)(m),
        30_000,
        'the attempt to end',
      );
      await switchCampaign(server, id, false);
      t.equal(
        (ended.data as { outcome: string }).outcome,
        'abandoned',
        'abandoned: no agent within 2 s of the answer',
      );
      const [attempt] = attemptsOf(server, id);
      const checkMs = Date.parse(answered.ts ?? '') - (attempt?.answeredAt?.getTime() ?? 0);
      t.ok(checkMs >= 1000, `the check itself took ${checkMs} ms of the 2 s`);
      t.equal(attempt?.connectedAt ?? null, null, 'no agent connected');
    },
  );

  agentPhone.kill();
  t.equal(
    invitesIn((await agentPhone.done).messages),
    1,
    "the agent's phone rang once: for the person, never for the machine, the one who hung up or the one abandoned",
  );
});
