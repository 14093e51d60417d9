/**
 * External mode: the server drives an Asterisk it did not start and whose files it never
 * touches (the test runs it, as an operator's own would run), knowing only its ARI and AMI
 * addresses. An audio file uploaded to the server plays to a caller of a DID there — Asterisk
 * fetched it over HTTP from the server (res_http_media_cache), as its cache directory shows.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { toneWav, uploadAudio } from '../support/audio.js';
import { carrier, CARRIER_IP, did, lastCall } from '../support/floor.js';
import { rtpListener } from '../support/rtp.js';
import { startTelephonyServer } from '../support/telephony.js';

t.test('an uploaded file plays on an external Asterisk', async (t) => {
  const server = await startTelephonyServer({ mode: 'external' });
  t.teardown(server.stop);
  t.equal(server.config.asterisk.mode, 'external', 'the server runs in external mode');
  const trunk = await carrier(server);
  const file = await uploadAudio(server, 'ご案内', toneWav(22050, 2, 2, 500));
  t.equal(file.converted, true);
  await did(server, '0312349999', { route: { type: 'audio', audioFileId: file.id } });

  const ear = await rtpListener(0, CARRIER_IP);
  t.teardown(ear.close);
  const run = await (
    await trunk.call('0312349999', '09012345678', 'caller.xml', {
      vars: { rtp_port: ear.port, hold: 15_000 },
    })
  ).done;
  t.equal(run.code, 0, 'Asterisk hung up after the file');
  t.ok(ear.level(500) > 1000, `the caller heard the file's tone (${ear.level(500).toFixed(0)})`);
  t.ok(ear.seconds() > 1.5, `about its length (${ear.seconds().toFixed(2)} s of audio)`);
  const cached = readdirSync(join(server.runtimeDir, 'cache'), { recursive: true }).map(String);
  t.ok(
    cached.some((name) => name.endsWith('.wav')),
    `Asterisk cached what it fetched over HTTP (${cached.join(', ')})`,
  );
  t.match(await lastCall(server), { toNumber: '0312349999', endReason: 'completed' });
});
