/**
 * Audio files played to callers and voicemail, with a SIPp carrier calling DIDs (real Asterisk;
 * out of hours through an IVR whose business-hours rule does not cover now):
 * an uploaded 44.1 kHz stereo WAV, converted, plays to the caller (its tone's energy) — fetched
 * by Asterisk over HTTP from the server — and the call ends, or voicemail follows: the
 * instructions, the beep, the caller's message until `#`, the thanks. The message is listed with
 * a length close to the silence the caller heard while speaking, streams as a WAV holding the
 * caller's tone, marks the call's history row and reaches supervisors on the feed. A caller who
 * hangs up at the beep leaves nothing.
 */
import t from 'tap';
import { toneLevel, toneWav, uploadAudio } from '../support/audio.js';
import { carrier, CARRIER_IP, did, lastCall, until } from '../support/floor.js';
import { rtpListener, type RtpListener } from '../support/rtp.js';
import { startTelephonyServer, type TelephonyServer } from '../support/telephony.js';
import { freePort } from '../support/ports.js';
import { startSmtp } from '../support/smtp.js';
import { subscribedFeed } from '../support/ws-client.js';

const FILE_HZ = 440;
const VOICE_HZ = 700;
const THANKS_HZ = 1200;

interface Voicemail {
  id: number;
  callId: string;
  fromNumber: string;
  audioFileId: number | null;
  audioFileName: string;
  seconds: number;
  mailStatus: string;
}

/** The newest message the search lists, once there is one (it is kept after the call ends). */
async function listedMessage(server: TelephonyServer, query: string): Promise<Voicemail> {
  let message: Voicemail | undefined;
  await until(
    async () => {
      const res = await server.request('GET', `/api/v1/voicemails${query}`, {
        token: server.adminToken,
      });
      message = (res.json() as { items: Voicemail[] }).items[0];
      return message !== undefined;
    },
    15_000,
    'the message to be listed',
  );
  if (message === undefined) throw new Error('no message');
  return message;
}

/** The longest stretch without sound the caller heard: while they were being recorded. */
function longestSilence(ear: RtpListener): { from: number; ms: number } {
  const times = ear.soundTimes();
  let best = { from: 0, ms: 0 };
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (gap > best.ms) best = { from: times[i - 1] ?? 0, ms: gap };
  }
  return best;
}

t.test('audio files and voicemail on DIDs', async (t) => {
  // Mail goes to a real SMTP server on this port, which is down until the mail test starts it.
  const smtpPort = await freePort();
  const server = await startTelephonyServer({
    env: {
      VOICEMAIL_MIN_SECONDS: '2',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      SMTP_TLS: 'none',
      SMTP_FROM: 'Call center <voicemail@callcenter.test>',
      SMTP_RETRY_SECONDS: '1',
    },
  });
  t.teardown(server.stop);
  const trunk = await carrier(server, 'carrier1', { dtmfMode: 'info' });
  const closed = await uploadAudio(server, '営業時間外', toneWav(44100, 2, 1.5, FILE_HZ), {
    voicemail: 'true',
  });
  t.match(closed, { converted: true, changes: ['44100 Hz → 8000 Hz', 'stereo → mono'] });
  const notice = await uploadAudio(server, 'お知らせ', toneWav(8000, 1, 1.5, FILE_HZ));
  // Out of hours: the IVR's one rule (business hours) starts two hours from now, so its
  // default routing — the closed-hours file, with voicemail — takes the call.
  const hours = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Tokyo',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const later = (minutes: number) => hours.format(new Date(Date.now() + minutes * 60_000));
  const afterHours = await server.request('POST', '/api/v1/ivrs', {
    token: server.adminToken,
    body: {
      name: '時間外',
      defaultRoute: { type: 'audio', audioFileId: closed.id },
      schedule: {
        enabled: true,
        rules: [
          {
            from: later(120),
            to: later(180),
            weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
            destination: { type: 'audio', audioFileId: notice.id },
          },
        ],
      },
    },
  });
  t.equal(afterHours.statusCode, 201, afterHours.body);
  const ivrId = (afterHours.json() as { id: number }).id;
  await did(server, '0312340000', { route: { type: 'ivr', ivrId } });
  await did(server, '0312340001', { route: { type: 'audio', audioFileId: notice.id } });
  const feed = await subscribedFeed(server.baseUrl, server.adminToken, ['voicemails']);
  t.teardown(() => feed.close());
  let calls = 0;

  await t.test('a file without voicemail plays to the caller, then the call ends', async (t) => {
    const ear = await rtpListener(0, CARRIER_IP);
    t.teardown(ear.close);
    const started = Date.now();
    const run = await (
      await trunk.call('0312340001', '09011112222', 'caller.xml', {
        vars: { rtp_port: ear.port, hold: 20_000 },
      })
    ).done;
    t.equal(run.code, 0);
    t.ok(Date.now() - started < 10_000, 'Asterisk hung up once the file had played');
    t.ok(ear.level(FILE_HZ) > 1000, `the file's tone was heard (${ear.level(FILE_HZ).toFixed(0)})`);
    calls += 1;
    t.match(await lastCall(server, calls - 1), {
      toNumber: '0312340001',
      endReason: 'completed',
      voicemailId: null,
    });
  });

  await t.test(
    'after a file with voicemail: instructions, beep, the message until #, thanks',
    async (t) => {
      // The thanks is a system prompt replaced, for Japanese (the DID's language), by a file.
      const thanks = await uploadAudio(server, 'ありがとう', toneWav(8000, 1, 1, THANKS_HZ));
      const replaced = await server.request('PUT', '/api/v1/system-prompts/voicemail_thanks/ja', {
        token: server.adminToken,
        body: { audioFileId: thanks.id },
      });
      t.equal(replaced.statusCode, 200, replaced.body);
      const ear = await rtpListener(0, CARRIER_IP);
      t.teardown(ear.close);
      const run = await trunk.call('0312340000', '09033334444', 'caller.xml', {
        vars: {
          rtp_port: ear.port,
          hold: 30_000,
          dtmf: '#',
          dtmf_mode: 'info',
          dtmf_delay: 15_000,
        },
      });
      // The caller talks from the moment they hear something, all through the call.
      await until(() => ear.packets() > 0, 10_000, 'Asterisk’s audio');
      await until(() => ear.level(FILE_HZ) > 1000, 5_000, 'the file’s tone (converted, fetched)');
      ear.speak(VOICE_HZ);
      const result = await run.done;
      ear.silence();
      t.equal(result.code, 0, 'Asterisk hung up after the thanks');
      const recorded = longestSilence(ear);
      t.ok(recorded.ms > 4000, `the caller heard silence while recorded (${recorded.ms} ms)`);
      const afterHash = ear.soundTimes().filter((at) => at > recorded.from + recorded.ms);
      t.ok(afterHash.length > 10, 'and the thanks after #');
      t.ok(ear.level(THANKS_HZ) > 1000, 'the thanks is the file that replaced the prompt');

      const message = await listedMessage(server, '');
      t.match(message, {
        fromNumber: '09033334444',
        audioFileId: closed.id,
        audioFileName: '営業時間外',
        mailStatus: 'none',
      });
      const expected = recorded.ms / 1000;
      t.ok(
        Math.abs(message.seconds - expected) < 1.2,
        `${message.seconds} s kept, ${expected.toFixed(2)} s of silence heard`,
      );
      const audio = await server.request('GET', `/api/v1/voicemails/${message.id}/audio`, {
        token: server.adminToken,
      });
      t.equal(audio.statusCode, 200);
      t.equal(audio.headers['content-type'], 'audio/wav');
      const wav = audio.rawPayload;
      t.ok(
        toneLevel(wav, VOICE_HZ) > 1000,
        `the caller's voice is in the message (${toneLevel(wav, VOICE_HZ).toFixed(0)})`,
      );
      const event = await feed.waitFor(
        (m) => m.type === 'event' && m.name === 'voicemail_received',
        5_000,
        'voicemail_received',
      );
      t.match(event, { topic: 'voicemails', data: { voicemail: { id: message.id } } });
      calls += 1;
      t.match(await lastCall(server, calls - 1), {
        callId: message.callId,
        voicemailId: message.id,
        endReason: 'completed',
        ivrPath: [{ ivrId, name: '時間外', via: 'default', reason: 'no_rule' }],
      });
    },
  );

  await t.test('a caller who hangs up at the beep leaves no message', async (t) => {
    const before = (
      (await server.request('GET', '/api/v1/voicemails', { token: server.adminToken })).json() as {
        total: number;
      }
    ).total;
    const ear = await rtpListener(0, CARRIER_IP);
    t.teardown(ear.close);
    // File 1.5 s, instructions 5.7 s, beep 0.4 s: gone less than 2 s into the recording.
    const run = await (
      await trunk.call('0312340000', '09055556666', 'caller.xml', {
        vars: { rtp_port: ear.port, hold: 8_500 },
      })
    ).done;
    t.equal(run.code, 0);
    calls += 1;
    const row = await lastCall(server, calls - 1);
    t.equal(row.voicemailId, null, 'the call is not marked as voicemail');
    await new Promise((r) => setTimeout(r, 1500));
    const after = (
      (await server.request('GET', '/api/v1/voicemails', { token: server.adminToken })).json() as {
        total: number;
      }
    ).total;
    t.equal(after, before, 'nothing was kept');
  });

  await t.test(
    'a message mailed while the SMTP server is down arrives, its WAV attached, once it is up',
    async (t) => {
      const patched = await server.request('PATCH', `/api/v1/audio-files/${closed.id}`, {
        token: server.adminToken,
        body: { notifyByEmail: true, notifyAddress: 'desk@callcenter.test' },
      });
      t.equal(patched.statusCode, 200, patched.body);
      const ear = await rtpListener(0, CARRIER_IP);
      t.teardown(ear.close);
      const run = await trunk.call('0312340000', '09077778888', 'caller.xml', {
        vars: {
          rtp_port: ear.port,
          hold: 30_000,
          dtmf: '#',
          dtmf_mode: 'info',
          dtmf_delay: 12_000,
        },
      });
      await until(() => ear.packets() > 0, 10_000, 'Asterisk’s audio');
      ear.speak(VOICE_HZ);
      t.equal((await run.done).code, 0);
      ear.silence();
      const message = await listedMessage(server, '?caller=09077778888');
      t.equal(message.mailStatus, 'pending', 'kept, its mail waiting for the SMTP server');
      // Down for a while: the queue keeps trying.
      await new Promise((r) => setTimeout(r, 2500));
      const smtp = await startSmtp(smtpPort);
      t.teardown(smtp.close);
      await until(() => smtp.received.length > 0, 20_000, 'the mail at the SMTP server');
      const received = smtp.received[0]?.mail;
      t.same(smtp.received[0]?.rcptTo, ['desk@callcenter.test']);
      t.match(received?.subject, /09077778888/);
      const attachment = received?.attachments[0];
      t.equal(attachment?.contentType, 'audio/wav');
      const audio = await server.request('GET', `/api/v1/voicemails/${message.id}/audio`, {
        token: server.adminToken,
      });
      t.ok(attachment?.content.equals(audio.rawPayload), 'the message’s WAV, byte for byte');
      await feed.waitFor(
        (m) =>
          m.type === 'event' &&
          m.name === 'voicemail_mail_status' &&
          (m.data as { voicemailId?: number }).voicemailId === message.id,
        10_000,
        'voicemail_mail_status',
      );
      const after = await server.request('GET', `/api/v1/voicemails/${message.id}`, {
        token: server.adminToken,
      });
      t.match(after.json(), { mailStatus: 'sent', mailTo: 'desk@callcenter.test' });
      await new Promise((r) => setTimeout(r, 1500));
      t.equal(smtp.received.length, 1, 'sent once');
    },
  );
});
