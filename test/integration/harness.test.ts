/**
 * Proves the telephony harness end to end on a real Asterisk with real SIP phones (SIPp):
 * a caller dials an extension, the call enters our Stasis application with its origin, the
 * application (here the test itself, through the ARI port) answers and plays a sound, the caller
 * hears it, sends DTMF and hangs up. Then the phone scenarios: register with digest auth and
 * answer, answer after a delay, busy, never answer.
 */
import t from 'tap';
import type { AriEvent } from '../../src/platform/asterisk/ari-types.js';
import type { AriPort } from '../../src/platform/asterisk/ari.js';
import { freePortBlock } from '../support/ports.js';
import { rtpListener } from '../support/rtp.js';
import { runSipp, sippOk } from '../support/sipp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';

/** A phone endpoint pushed straight over ARI (terminals get their own REST API later). */
async function pushPhone(ari: AriPort, id: string, password: string): Promise<void> {
  await ari.asterisk.putObject('res_pjsip', 'auth', id, {
    auth_type: 'userpass',
    username: id,
    password,
  });
  await ari.asterisk.putObject('res_pjsip', 'aor', id, {
    max_contacts: '1',
    remove_existing: 'yes',
  });
  await ari.asterisk.putObject('res_pjsip', 'endpoint', id, {
    aors: id,
    auth: id,
    context: 'from-phones',
    disallow: 'all',
    allow: 'ulaw,alaw',
    direct_media: 'no',
    rtp_symmetric: 'yes',
    force_rport: 'yes',
    rewrite_contact: 'yes',
    dtmf_mode: 'rfc4733',
    callerid: `Phone ${id} <${id}>`,
  });
}

function recordEvents(server: TelephonyServer): AriEvent[] {
  const events: AriEvent[] = [];
  server.asterisk.ari.onEvent((event) => events.push(event));
  return events;
}

// The test plays the Stasis application itself here, so the server's call engine stays out.
const harnessOnly = { features: { callEngine: false } };

async function until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test(
  'a SIPp caller reaches Stasis, hears the sound it is played, sends DTMF and hangs up',
  async (t) => {
    const server = await startTelephonyServer(harnessOnly);
    t.teardown(server.stop);
    const ari = server.asterisk.ari;
    await pushPhone(ari, '1001', 'pw-1001-secret');
    const events = recordEvents(server);
    const ear = await rtpListener();
    t.teardown(ear.close);

    // The application: answer every call into Stasis and play it a sound.
    ari.onEvent((event) => {
      if (event.type !== 'StasisStart') return;
      void (async () => {
        await ari.channels.answer(event.channel.id);
        await ari.channels.play(event.channel.id, 'sound:hello-world', `pb-${event.channel.id}`);
      })();
    });

    const call = await sippOk('caller.xml', {
      remote: server.sip.address,
      service: '600',
      authUser: '1001',
      authPassword: 'pw-1001-secret',
      // DTMF in allowed RFC 2833 order (see caller.xml), after the 1.4 s greeting
      vars: { from_user: '1001', hold: 4000, rtp_port: ear.port, dtmf: '12#', dtmf_delay: 2500 },
    });
    t.match(call.messages, /SIP\/2\.0 200 OK/, 'the call was answered');

    const start = events.find((e) => e.type === 'StasisStart');
    t.ok(start, 'the call entered Stasis');
    if (start?.type === 'StasisStart') {
      t.same(start.args, ['internal', '600'], 'with its origin and the number dialled');
      t.equal(start.channel.caller.number, '1001');
      t.equal(start.channel.dialplan.context, 'from-phones');
      t.match(start.channel.name, /^PJSIP\/1001-/);
    }

    // What the caller heard: hello-world is 1.4 s of speech.
    t.ok(ear.packets() > 50, `RTP reached the caller (${ear.packets()} packets)`);
    t.ok(ear.seconds() > 1.2, `${ear.seconds().toFixed(2)} s of audio`);
    t.ok(ear.rms() > 200, `and it was sound, not silence (RMS ${ear.rms().toFixed(0)})`);

    await until(() => events.find((e) => e.type === 'StasisEnd'), 5000, 'StasisEnd');
    const sequence = events
      .filter((e) =>
        ['StasisStart', 'PlaybackFinished', 'ChannelDtmfReceived', 'StasisEnd'].includes(e.type),
      )
      .map((e) => (e.type === 'ChannelDtmfReceived' ? `DTMF ${e.digit}` : e.type));
    // The application's event filter lets through only what the server handles (no PlaybackStarted).
    t.same(sequence, [
      'StasisStart',
      'PlaybackFinished',
      'DTMF 1',
      'DTMF 2',
      'DTMF #',
      'StasisEnd',
    ]);
    const finished = events.find((e) => e.type === 'PlaybackFinished');
    if (finished?.type === 'PlaybackFinished')
      t.equal(finished.playback.media_uri, 'sound:hello-world');
  },
);

t.test(
  'phones register with digest auth, then answer, answer late, are busy or never answer',
  async (t) => {
    const server = await startTelephonyServer(harnessOnly);
    t.teardown(server.stop);
    const ari = server.asterisk.ari;
    const events = recordEvents(server);
    const ports = await freePortBlock(5);
    const phones: { id: string; port: number; scenario: string; vars: Record<string, number> }[] = [
      { id: '2001', port: ports, scenario: 'phone-answer.xml', vars: {} },
      { id: '2002', port: ports + 1, scenario: 'phone-answer.xml', vars: { answer_delay: 2000 } },
      { id: '2003', port: ports + 2, scenario: 'phone-busy.xml', vars: {} },
      { id: '2004', port: ports + 3, scenario: 'phone-noanswer.xml', vars: {} },
    ];
    for (const phone of phones) {
      await pushPhone(ari, phone.id, `pw-${phone.id}-secret`);
      const registration = await sippOk('phone-register.xml', {
        remote: server.sip.address,
        localPort: phone.port,
        service: phone.id,
        authPassword: `pw-${phone.id}-secret`,
      });
      t.match(
        registration.messages,
        /SIP\/2\.0 401 Unauthorized[\s\S]*SIP\/2\.0 200 OK/,
        `${phone.id} registered after a challenge`,
      );
    }
    const wrong = await (
      await runSipp('phone-register.xml', {
        remote: server.sip.address,
        localPort: ports + 4,
        service: '2001',
        authPassword: 'not-the-password',
        timeoutSeconds: 10,
      })
    ).done;
    t.not(wrong.code, 0, 'a wrong password does not register');

    // Originate to each phone as the application would, and see how each one behaves.
    const phoneRuns = await Promise.all(
      phones.map((p) =>
        runSipp(p.scenario, { localPort: p.port, vars: p.vars, timeoutSeconds: 30 }),
      ),
    );
    const originated = new Map<string, string>();
    const startedAt = Date.now();
    for (const phone of phones) {
      const channel = await ari.channels.originate({
        endpoint: `PJSIP/${phone.id}`,
        app: ari.app,
        appArgs: 'test-originate',
        callerId: 'Harness <999>',
        timeout: 4,
      });
      originated.set(channel.id, phone.id);
    }
    // An originated channel enters Stasis when the phone answers.
    const answers = () =>
      events.flatMap((e) =>
        e.type === 'StasisStart' && originated.has(e.channel.id)
          ? [{ id: originated.get(e.channel.id) ?? '', at: Date.parse(e.timestamp) }]
          : [],
      );
    await until(() => (answers().length === 2 ? true : undefined), 10_000, 'two answers');
    t.same(
      answers()
        .map((a) => a.id)
        .sort(),
      ['2001', '2002'],
      'only the answering phones answered',
    );
    const late = answers().find((a) => a.id === '2002');
    t.ok(late !== undefined && late.at - startedAt >= 1500, '2002 answered after its delay');
    const answered = new Set(answers().map((a) => a.id));

    const destroyed = (id: string) =>
      events.find((e) => e.type === 'ChannelDestroyed' && originated.get(e.channel.id) === id);
    const busy = await until(() => destroyed('2003'), 10_000, 'the busy phone');
    const noAnswer = await until(() => destroyed('2004'), 10_000, 'the unanswered phone');
    if (busy.type === 'ChannelDestroyed') t.equal(busy.cause, 17, 'busy: cause 17 (user busy)');
    if (noAnswer.type === 'ChannelDestroyed')
      t.ok([19, 16].includes(noAnswer.cause), `no answer: cause ${noAnswer.cause}`);

    // Hang up the answered calls; every phone's scenario ends cleanly.
    for (const [channelId, id] of originated) {
      if (answered.has(id)) await ari.channels.hangup(channelId);
    }
    const results = await Promise.all(phoneRuns.map((r) => r.done));
    t.same(
      results.map((r) => r.code),
      [0, 0, 0, 0],
      'each phone scenario completed',
    );
  },
);
