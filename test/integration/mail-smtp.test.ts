/**
 * The mail queue against a real SMTP server (the smtp-server package) on this machine, through
 * the nodemailer transport, on the real clock with short retry delays: a mail queued while the
 * server is down arrives once it is up — once, its WAV byte for byte; a server that wants a login
 * gets the configured one (a wrong password keeps the mail waiting, never failed, and the
 * password is in no log line or stored error); STARTTLS mode logs in nowhere without TLS.
 */
import t, { type Test } from 'tap';
import { createMailQueue, type MailQueue } from '../../src/mail/queue.js';
import type { RetryPolicy } from '../../src/mail/retry.js';
import type { SmtpSettings } from '../../src/mail/settings.js';
import { mailOutbox } from '../../src/mail/schema.js';
import { createSmtpTransport } from '../../src/mail/transport.js';
import { systemClock } from '../../src/platform/clock.js';
import { migrateDatabase, openDatabase, type Database } from '../../src/platform/db/client.js';
import { captureLog, type CapturedLog } from '../support/log-capture.js';
import { freePort } from '../support/ports.js';
import { buildTestApp } from '../support/app.js';
import { until } from '../support/floor.js';
import { startSmtp } from '../support/smtp.js';

const QUICK: RetryPolicy = { initialMs: 200, maxMs: 1000, maxAgeMs: 10 * 60_000 };
const FROM = 'Call center <voicemail@callcenter.test>';
const PASSWORD = 'S3cret-Pa55word!';
const WRONG_PASSWORD = 'Not-The-Pa55word';

/** A WAV (8 kHz mono 16-bit, as voicemail records) of a 440 Hz tone, `seconds` long. */
function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < data.length / 2; i++)
    data.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

function setUp(t: Test) {
  const database: Database = openDatabase(':memory:');
  migrateDatabase(database);
  const queues: MailQueue[] = [];
  t.teardown(async () => {
    for (const q of queues) await q.stop();
    database.close();
  });
  return {
    database,
    queue: (settings: SmtpSettings, log: CapturedLog) => {
      const q = createMailQueue({
        db: database.db,
        clock: systemClock,
        log: log.logger,
        transport: createSmtpTransport(settings),
        retry: QUICK,
      });
      queues.push(q);
      return q;
    },
  };
}

t.test('a mail queued while the SMTP server is down arrives once it is up', async (t) => {
  const { queue } = setUp(t);
  const port = await freePort();
  const log = captureLog();
  const mail = queue({ host: '127.0.0.1', port, tls: 'none', auth: null, from: FROM }, log);
  const settled: string[] = [];
  mail.onSettled((_id, status) => settled.push(status));
  mail.start();

  const wav = toneWav(0.5);
  const id = mail.enqueue(
    {
      to: 'agent1@callcenter.test',
      subject: 'Voicemail from 0312345678',
      text: 'A message was left for Sales at 10:42.',
    },
    [{ filename: 'voicemail-0001.wav', contentType: 'audio/wav', content: wav }],
  );
  await until(() => (mail.status(id)?.attempts ?? 0) >= 2, 20_000, 'two refused attempts');
  t.match(mail.status(id), { status: 'pending', lastError: /ECONNREFUSED/ });
  t.ok(log.messages('warn').includes('mail not sent; it will be tried again'));

  const smtp = await startSmtp(port);
  t.teardown(smtp.close);
  await until(() => mail.status(id)?.status === 'sent', 20_000, 'the mail to be sent');
  await mail.stop();

  t.equal(smtp.received.length, 1, 'it arrived once');
  const got = smtp.received[0];
  t.equal(got?.mailFrom, 'voicemail@callcenter.test');
  t.same(got?.rcptTo, ['agent1@callcenter.test']);
  t.equal(got?.mail.subject, 'Voicemail from 0312345678');
  t.equal(got?.mail.text?.trim(), 'A message was left for Sales at 10:42.');
  t.equal(got?.mail.from?.text, '"Call center" <voicemail@callcenter.test>');
  t.equal(got?.mail.attachments.length, 1);
  const attachment = got?.mail.attachments[0];
  t.equal(attachment?.filename, 'voicemail-0001.wav');
  t.equal(attachment?.contentType, 'audio/wav');
  t.ok(attachment?.content.equals(wav), 'the WAV byte for byte');
  t.match(mail.status(id), { status: 'sent', lastError: null, sentAt: Date });
  t.same(settled, ['sent']);
});

t.test(
  'a server that wants a login gets the configured one; the password is logged nowhere',
  async (t) => {
    const { queue, database } = setUp(t);
    const port = await freePort();
    const smtp = await startSmtp(port, { authOptional: false, allowInsecureAuth: true });
    t.teardown(smtp.close);
    const settings = (password: string): SmtpSettings => ({
      host: '127.0.0.1',
      port,
      tls: 'none',
      auth: { user: 'voicemail', password },
      from: FROM,
    });

    // A wrong password: the server's configuration, not the mail, is at fault — it waits.
    const wrongLog = captureLog();
    const wrong = queue(settings(WRONG_PASSWORD), wrongLog);
    wrong.start();
    const id = wrong.enqueue(
      { to: 'agent2@callcenter.test', subject: 'Voicemail', text: 'Listen to the attachment.' },
      [{ filename: 'voicemail.wav', contentType: 'audio/wav', content: toneWav(0.1) }],
    );
    await until(() => (wrong.status(id)?.attempts ?? 0) >= 2, 20_000, 'two refused logins');
    await wrong.stop();
    t.match(wrong.status(id), { status: 'pending', lastError: /EAUTH/ });
    t.equal(smtp.received.length, 0);
    t.ok(smtp.logins.length >= 2 && smtp.logins.every((l) => !l.accepted));

    // The operator fixes the password and restarts: the same mail goes, logged in.
    const rightLog = captureLog();
    const right = queue(settings(PASSWORD), rightLog);
    right.start();
    await until(() => right.status(id)?.status === 'sent', 20_000, 'the mail to be sent');
    await right.stop();
    t.equal(smtp.received.length, 1);
    t.equal(smtp.received[0]?.user, 'voicemail', 'sent in a logged-in session');
    t.same(smtp.logins.at(-1), { username: 'voicemail', accepted: true });

    const everything = [
      wrongLog.text(),
      rightLog.text(),
      ...database.db
        .select({ error: mailOutbox.lastError })
        .from(mailOutbox)
        .all()
        .map((r) => r.error ?? ''),
    ].join('\n');
    t.ok(everything.length > 0);
    for (const secret of [PASSWORD, WRONG_PASSWORD]) {
      t.notOk(everything.includes(secret), 'no password in the logs or the outbox');
      t.notOk(
        everything.includes(Buffer.from(`\0voicemail\0${secret}`).toString('base64')),
        'nor its AUTH PLAIN form',
      );
      t.notOk(everything.includes(Buffer.from(secret).toString('base64')), 'nor its base64');
    }
  },
);

t.test('STARTTLS mode sends nothing, login included, to a server without STARTTLS', async (t) => {
  const { queue } = setUp(t);
  const port = await freePort();
  const smtp = await startSmtp(port, { allowInsecureAuth: true });
  t.teardown(smtp.close);
  const log = captureLog();
  const mail = queue(
    {
      host: '127.0.0.1',
      port,
      tls: 'starttls',
      auth: { user: 'voicemail', password: PASSWORD },
      from: FROM,
    },
    log,
  );
  mail.start();
  const id = mail.enqueue({ to: 'agent3@callcenter.test', subject: 'Voicemail', text: '…' });
  await until(() => (mail.status(id)?.attempts ?? 0) >= 1, 20_000, 'an attempt');
  await mail.stop();
  t.match(mail.status(id), { status: 'pending', lastError: /STARTTLS|TLS/ });
  t.same(smtp.logins, [], 'no login in the clear');
  t.equal(smtp.received.length, 0);
  t.notOk(log.text().includes(PASSWORD));
});

t.test('the server built from SMTP_* settings sends through its queue and stops it', async (t) => {
  const port = await freePort();
  const smtp = await startSmtp(port);
  t.teardown(smtp.close);
  const server = await buildTestApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(port),
      SMTP_TLS: 'none',
      SMTP_FROM: 'voicemail@callcenter.test',
    },
  });
  const { mail } = server.app.services;
  t.equal(mail.configured, true);
  const id = mail.enqueue({ to: 'agent4@callcenter.test', subject: 'Voicemail', text: 'Hello' });
  await until(() => mail.status(id)?.status === 'sent', 20_000, 'the mail to be sent');
  t.equal(smtp.received.length, 1);
  t.equal(smtp.received[0]?.mailFrom, 'voicemail@callcenter.test');
  await server.close();
});
