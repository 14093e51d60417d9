/**
 * The mail queue on a real (in-memory) database with a fake clock and a fake transport: mails go
 * on the next turn, one at a time, in order; a failure is retried when due, a refusal fails the
 * mail; a new queue over the same database resumes what an earlier one left; attachments go once
 * a mail is settled; with no SMTP configured the mails are kept and the log says so.
 */
import t, { type Test } from 'tap';
import { count, eq } from 'drizzle-orm';
import { createMailQueue, type MailQueue, type MailQueueDeps } from '../../src/mail/queue.js';
import { MAIL_RETRY } from '../../src/mail/retry.js';
import { mailAttachments, mailOutbox } from '../../src/mail/schema.js';
import { MailSendError, type MailTransport, type OutgoingMail } from '../../src/mail/transport.js';
import { migrateDatabase, openDatabase, type Database } from '../../src/platform/db/client.js';
import { fakeClock, type FakeClock } from '../support/fake-clock.js';
import { captureLog, type CapturedLog } from '../support/log-capture.js';

const SECOND = 1000;

/** Lets the promises started by a timer run to their end (no I/O is involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

type Outcome = 'ok' | MailSendError | { until: Promise<void> };

interface FakeTransport extends MailTransport {
  /** Every mail handed to send(), in order, whatever came of it. */
  calls: OutgoingMail[];
  /** What the next sends do, in turn; 'ok' once they run out. */
  outcomes: Outcome[];
  /** Most sends running at once. */
  mostAtOnce: number;
  closed: boolean;
}

function fakeTransport(...outcomes: Outcome[]): FakeTransport {
  let running = 0;
  const fake: FakeTransport = {
    calls: [],
    outcomes,
    mostAtOnce: 0,
    closed: false,
    send: async (mail) => {
      fake.calls.push(mail);
      running += 1;
      fake.mostAtOnce = Math.max(fake.mostAtOnce, running);
      try {
        const outcome = fake.outcomes.shift() ?? 'ok';
        if (outcome instanceof MailSendError) throw outcome;
        if (outcome !== 'ok') await outcome.until;
      } finally {
        running -= 1;
      }
    },
    close: () => {
      fake.closed = true;
    },
  };
  return fake;
}

function gate(): { until: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const until = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { until, open: () => open() };
}

const refused = () => new MailSendError('ESOCKET: connect ECONNREFUSED 127.0.0.1:587', 'transient');
const unknownUser = () => new MailSendError('EENVELOPE: 550 5.1.1 unknown user', 'permanent');

const WAV = Buffer.from('RIFF....WAVEfmt fake bytes');
const message = (n = 1) => ({
  to: `agent${n}@example.com`,
  subject: `Voicemail ${n}`,
  text: `A message from 0312345678 (${n})`,
});

interface Setup {
  database: Database;
  clock: FakeClock;
  log: CapturedLog;
  queue: (transport: MailTransport | null, more?: Partial<MailQueueDeps>) => MailQueue;
  attachmentRows: (mailId: number) => number;
}

function setUp(t: Test): Setup {
  const database = openDatabase(':memory:');
  migrateDatabase(database);
  const clock = fakeClock();
  const log = captureLog();
  const queues: MailQueue[] = [];
  t.teardown(async () => {
    for (const q of queues) await q.stop();
    database.close();
  });
  return {
    database,
    clock,
    log,
    queue: (transport, more = {}) => {
      const q = createMailQueue({
        db: database.db,
        clock,
        log: log.logger,
        transport,
        random: () => 0,
        ...more,
      });
      queues.push(q);
      return q;
    },
    attachmentRows: (mailId) =>
      database.db
        .select({ n: count() })
        .from(mailAttachments)
        .where(eq(mailAttachments.mailId, mailId))
        .get()?.n ?? 0,
  };
}

t.test(
  'a queued mail goes on the next turn with its attachments, which are then dropped',
  async (t) => {
    const { clock, queue, attachmentRows } = setUp(t);
    const transport = fakeTransport();
    const mail = queue(transport);
    const settled: [number, string][] = [];
    mail.onSettled((id, status) => settled.push([id, status]));
    mail.start();
    t.equal(mail.configured, true);

    const queuedAt = clock.now();
    const id = mail.enqueue(message(), [
      { filename: 'voicemail.wav', contentType: 'audio/wav', content: WAV },
      { filename: 'note.txt', contentType: 'text/plain', content: Buffer.from('second') },
    ]);
    t.match(mail.status(id), {
      id,
      to: 'agent1@example.com',
      subject: 'Voicemail 1',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: queuedAt,
      lastError: null,
      createdAt: queuedAt,
      sentAt: null,
    });
    t.equal(attachmentRows(id), 2);
    t.equal(transport.calls.length, 0, 'not sent within the turn that queued it');

    clock.advance(0);
    await settle();
    t.equal(transport.calls.length, 1);
    const sent = transport.calls[0];
    t.same(
      { to: sent?.to, subject: sent?.subject, text: sent?.text },
      { to: 'agent1@example.com', subject: 'Voicemail 1', text: 'A message from 0312345678 (1)' },
    );
    t.same(
      sent?.attachments.map((a) => [a.filename, a.contentType, a.content.toString('latin1')]),
      [
        ['voicemail.wav', 'audio/wav', WAV.toString('latin1')],
        ['note.txt', 'text/plain', 'second'],
      ],
      'the attachments, in order and byte for byte',
    );
    t.match(mail.status(id), {
      status: 'sent',
      attempts: 1,
      nextAttemptAt: null,
      lastError: null,
      sentAt: queuedAt,
    });
    t.equal(attachmentRows(id), 0, 'the attachment bytes are gone; the mail row stays');
    t.same(settled, [[id, 'sent']]);

    clock.advance(24 * 3_600_000);
    await settle();
    t.equal(transport.calls.length, 1, 'sent once');
    t.same(settled, [[id, 'sent']], 'told once');
  },
);

t.test('mails go one at a time, in the order they were queued', async (t) => {
  const { clock, queue } = setUp(t);
  const first = gate();
  const transport = fakeTransport(first);
  const mail = queue(transport);
  mail.start();
  const ids = [1, 2, 3].map((n) => mail.enqueue(message(n)));
  clock.advance(0);
  await settle();
  t.equal(transport.calls.length, 1, 'the second waits for the first');
  const late = mail.enqueue(message(4));
  clock.advance(0);
  await settle();
  t.equal(transport.calls.length, 1, 'a mail queued during a send waits too');

  first.open();
  for (let i = 0; i < 4; i++) {
    await settle();
    clock.advance(0);
  }
  await settle();
  t.same(
    transport.calls.map((c) => c.subject),
    ['Voicemail 1', 'Voicemail 2', 'Voicemail 3', 'Voicemail 4'],
  );
  t.equal(transport.mostAtOnce, 1);
  for (const id of [...ids, late]) t.equal(mail.status(id)?.status, 'sent');
});

t.test('a transient failure is retried when due: after 30 s, then 60 s', async (t) => {
  const { clock, queue, log, attachmentRows } = setUp(t);
  const transport = fakeTransport(refused(), refused());
  const mail = queue(transport);
  const settled: string[] = [];
  mail.onSettled((_id, status) => settled.push(status));
  mail.start();
  const start = clock.now().getTime();
  const id = mail.enqueue(message(), [
    { filename: 'voicemail.wav', contentType: 'audio/wav', content: WAV },
  ]);

  clock.advance(0);
  await settle();
  t.match(mail.status(id), {
    status: 'pending',
    attempts: 1,
    nextAttemptAt: new Date(start + 30 * SECOND),
    lastError: 'ESOCKET: connect ECONNREFUSED 127.0.0.1:587',
  });
  t.equal(attachmentRows(id), 1, 'kept for the next attempt');
  t.match(log.messages('warn'), ['mail not sent; it will be tried again']);

  clock.advance(30 * SECOND - 1);
  await settle();
  t.equal(transport.calls.length, 1, 'not before it is due');
  clock.advance(1);
  await settle();
  t.equal(transport.calls.length, 2, 'due: tried again');
  t.match(mail.status(id), {
    status: 'pending',
    attempts: 2,
    nextAttemptAt: new Date(start + 90 * SECOND),
  });

  clock.advance(60 * SECOND);
  await settle();
  t.equal(transport.calls.length, 3);
  t.match(mail.status(id), {
    status: 'sent',
    attempts: 3,
    lastError: null,
    sentAt: new Date(start + 90 * SECOND),
  });
  t.equal(transport.calls[2]?.attachments[0]?.content.equals(WAV), true, 'the same attachment');
  t.equal(attachmentRows(id), 0);
  t.same(settled, ['sent']);
});

t.test('the jitter given shortens the delay', async (t) => {
  const { clock, queue } = setUp(t);
  const mail = queue(fakeTransport(refused()), { random: () => 0.5 });
  mail.start();
  const id = mail.enqueue(message());
  clock.advance(0);
  await settle();
  t.same(mail.status(id)?.nextAttemptAt, new Date(clock.now().getTime() + 27 * SECOND));
});

t.test('a permanent refusal fails the mail at once and drops its attachments', async (t) => {
  const { clock, queue, log, attachmentRows } = setUp(t);
  const transport = fakeTransport(unknownUser());
  const mail = queue(transport);
  const settled: [number, string][] = [];
  mail.onSettled((id, status) => settled.push([id, status]));
  mail.start();
  const id = mail.enqueue(message(), [
    { filename: 'voicemail.wav', contentType: 'audio/wav', content: WAV },
  ]);
  clock.advance(0);
  await settle();
  t.match(mail.status(id), {
    status: 'failed',
    attempts: 1,
    nextAttemptAt: null,
    lastError: 'EENVELOPE: 550 5.1.1 unknown user',
    sentAt: null,
  });
  t.equal(attachmentRows(id), 0);
  t.same(settled, [[id, 'failed']]);
  t.match(log.messages('error'), ['mail refused by the SMTP server; given up']);
  clock.advance(10 * 3_600_000);
  await settle();
  t.equal(transport.calls.length, 1, 'never tried again');
});

t.test('an error that is not a MailSendError counts as transient', async (t) => {
  const { clock, queue } = setUp(t);
  const mail = queue({
    send: () => Promise.reject(new Error('socket hang up')),
    close: () => undefined,
  });
  mail.start();
  const id = mail.enqueue(message());
  clock.advance(0);
  await settle();
  t.match(mail.status(id), { status: 'pending', attempts: 1, lastError: 'socket hang up' });
});

t.test('transient failures are given up after the retry age, the last attempt on it', async (t) => {
  const { clock, queue, log, attachmentRows } = setUp(t);
  const transport = fakeTransport();
  transport.outcomes = Array.from({ length: 500 }, refused);
  const mail = queue(transport);
  const settled: string[] = [];
  mail.onSettled((_id, status) => settled.push(status));
  mail.start();
  const start = clock.now().getTime();
  const id = mail.enqueue(message(), [
    { filename: 'voicemail.wav', contentType: 'audio/wav', content: WAV },
  ]);
  const attemptTimes: number[] = [];
  clock.advance(0);
  await settle();
  attemptTimes.push(clock.now().getTime() - start);
  for (let guard = 0; guard < 200 && mail.status(id)?.status === 'pending'; guard++) {
    const due = mail.status(id)?.nextAttemptAt?.getTime() ?? 0;
    clock.advance(due - clock.now().getTime());
    await settle();
    attemptTimes.push(clock.now().getTime() - start);
  }
  const deadline = MAIL_RETRY.maxAgeMs;
  // 0, 30 s, 90 s, … doubling to the hour, then hourly, then one last at the deadline.
  t.same(
    attemptTimes.slice(0, 9).map((ms) => ms / SECOND),
    [0, 30, 90, 210, 450, 930, 1890, 3810, 7410],
  );
  t.equal(attemptTimes.at(-1), deadline, 'the last attempt falls on the deadline');
  t.ok(attemptTimes.every((ms) => ms <= deadline));
  t.match(mail.status(id), {
    status: 'failed',
    attempts: attemptTimes.length,
    nextAttemptAt: null,
  });
  t.equal(transport.calls.length, attemptTimes.length);
  t.equal(attachmentRows(id), 0);
  t.same(settled, ['failed']);
  t.match(log.messages('error'), ['mail still not sent after the retry period; given up']);
});

t.test('a mail queued while the queue waits for a later retry goes at once', async (t) => {
  const { clock, queue } = setUp(t);
  const transport = fakeTransport(refused());
  const mail = queue(transport);
  mail.start();
  const waiting = mail.enqueue(message(1));
  clock.advance(0);
  await settle();
  clock.advance(5 * SECOND);
  const fresh = mail.enqueue(message(2));
  clock.advance(0);
  await settle();
  t.equal(mail.status(fresh)?.status, 'sent', 'woken by the enqueue');
  t.equal(mail.status(waiting)?.status, 'pending', 'the other still waits for its time');
  clock.advance(25 * SECOND);
  await settle();
  t.equal(mail.status(waiting)?.status, 'sent', 'and goes when due');
});

t.test('a new queue over the same database resumes the pending mails', async (t) => {
  const { clock, queue, attachmentRows } = setUp(t);
  const before = fakeTransport(refused());
  const first = queue(before);
  first.start();
  const retried = first.enqueue(message(1), [
    { filename: 'voicemail.wav', contentType: 'audio/wav', content: WAV },
  ]);
  clock.advance(0);
  await settle();
  t.equal(first.status(retried)?.attempts, 1);
  await first.stop();
  t.equal(before.closed, true, 'stop closes the transport');
  // Queued after the stop (as if by a request before the process ended): stored, not sent.
  const unsent = first.enqueue(message(2));
  clock.advance(60 * SECOND);
  await settle();
  t.equal(before.calls.length, 1, 'a stopped queue sends nothing');

  const after = fakeTransport();
  const second = queue(after);
  second.start();
  clock.advance(0);
  await settle();
  clock.advance(0);
  await settle();
  t.same(
    after.calls.map((c) => c.subject).sort(),
    ['Voicemail 1', 'Voicemail 2'],
    'both go out after the restart',
  );
  t.equal(
    after.calls.find((c) => c.subject === 'Voicemail 1')?.attachments[0]?.content.equals(WAV),
    true,
  );
  t.match(second.status(retried), { status: 'sent', attempts: 2 });
  t.match(second.status(unsent), { status: 'sent', attempts: 1 });
  t.equal(attachmentRows(retried), 0);
});

t.test('a mail waiting for its retry is sent by the new queue when due, not before', async (t) => {
  const { clock, queue } = setUp(t);
  const first = queue(fakeTransport(refused()));
  first.start();
  const id = first.enqueue(message());
  clock.advance(0);
  await settle();
  await first.stop();

  const after = fakeTransport();
  const second = queue(after);
  second.start();
  clock.advance(29 * SECOND);
  await settle();
  t.equal(after.calls.length, 0);
  clock.advance(SECOND);
  await settle();
  t.equal(second.status(id)?.status, 'sent');
});

t.test('stop waits for the send in flight and records it; no timer is left', async (t) => {
  const { clock, queue } = setUp(t);
  const inFlight = gate();
  const transport = fakeTransport(inFlight, refused());
  const mail = queue(transport);
  mail.start();
  const id = mail.enqueue(message(1));
  clock.advance(0);
  await settle();
  t.equal(transport.calls.length, 1);

  let stopped = false;
  const stopping = mail.stop().then(() => {
    stopped = true;
  });
  await settle();
  t.equal(stopped, false, 'still waiting for the send');
  t.equal(transport.closed, false, 'the transport stays open while a mail is on it');
  inFlight.open();
  await stopping;
  t.equal(mail.status(id)?.status, 'sent', 'its outcome recorded before stop resolved');
  t.equal(transport.closed, true);

  mail.enqueue(message(2));
  mail.start();
  clock.advance(3_600_000);
  await settle();
  t.equal(transport.calls.length, 1, 'nothing more is sent, not even after start()');
  await mail.stop();
});

t.test('a mail queued in a transaction that rolls back is never sent', async (t) => {
  const { clock, queue, database } = setUp(t);
  const transport = fakeTransport();
  const mail = queue(transport);
  mail.start();
  t.throws(() =>
    database.db.transaction(() => {
      mail.enqueue(message(1), [
        { filename: 'voicemail.wav', contentType: 'audio/wav', content: WAV },
      ]);
      throw new Error('the caller changes its mind');
    }),
  );
  const committed = database.db.transaction(() => mail.enqueue(message(2)));
  clock.advance(0);
  await settle();
  // (AUTOINCREMENT's counter rolls back too: the committed mail may take the same id.)
  t.same(
    database.db.select({ subject: mailOutbox.subject }).from(mailOutbox).all(),
    [{ subject: 'Voicemail 2' }],
    'the rolled-back mail is gone with the transaction',
  );
  t.equal(database.db.select({ n: count() }).from(mailAttachments).get()?.n, 0);
  t.match(mail.status(committed), { subject: 'Voicemail 2', status: 'sent' });
  t.same(
    transport.calls.map((c) => c.subject),
    ['Voicemail 2'],
  );
});

t.test('status of an id never queued is undefined; a recipient is required', async (t) => {
  const { queue } = setUp(t);
  const mail = queue(fakeTransport());
  t.equal(mail.status(12345), undefined);
  t.throws(() => mail.enqueue({ to: '  ', subject: 's', text: 't' }), /recipient/);
});

t.test('a listener that throws neither stops the queue nor the other listeners', async (t) => {
  const { clock, queue, log } = setUp(t);
  const mail = queue(fakeTransport());
  const told: number[] = [];
  mail.onSettled(() => {
    throw new Error('boom');
  });
  mail.onSettled((id) => told.push(id));
  mail.start();
  const a = mail.enqueue(message(1));
  const b = mail.enqueue(message(2));
  for (let i = 0; i < 3; i++) {
    clock.advance(0);
    await settle();
  }
  t.same(told, [a, b]);
  t.match(log.messages('error'), [
    'a listener of mail statuses failed',
    'a listener of mail statuses failed',
  ]);
});

t.test('SMTP not configured: mails are kept pending, the log says so', async (t) => {
  const { clock, queue, log, attachmentRows } = setUp(t);
  const mail = queue(null);
  const settled: string[] = [];
  mail.onSettled((_id, status) => settled.push(status));
  t.equal(mail.configured, false);
  mail.start();
  t.same(log.messages('info'), [
    'SMTP is not configured (SMTP_HOST unset): mails are kept, not sent',
  ]);
  const a = mail.enqueue(message(1), [
    { filename: 'voicemail.wav', contentType: 'audio/wav', content: WAV },
  ]);
  const b = mail.enqueue(message(2));
  t.same(log.messages('warn'), [
    'SMTP is not configured: the mail is kept, not sent',
    'SMTP is not configured: the mail is kept, not sent',
  ]);
  t.match(log.text(), new RegExp(`"mailId":${a}`));
  clock.advance(7 * 24 * 3_600_000);
  await settle();
  t.match(mail.status(a), { status: 'pending', attempts: 0, lastError: null });
  t.equal(mail.status(b)?.status, 'pending');
  t.equal(attachmentRows(a), 1, 'kept with its attachment');
  t.same(settled, []);
  await mail.stop();

  // Configured at the next start: the kept mails go (each gets its attempt, however old).
  const transport = fakeTransport();
  const configured = queue(transport);
  configured.start();
  t.match(log.messages('info').at(-1), 'mail queue started');
  for (let i = 0; i < 3; i++) {
    clock.advance(0);
    await settle();
  }
  t.same(
    transport.calls.map((c) => c.subject),
    ['Voicemail 1', 'Voicemail 2'],
  );
  t.equal(configured.status(a)?.status, 'sent');
});
