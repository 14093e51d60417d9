/**
 * Which SMTP failures are worth retrying (pure): a 5xx refusal of the mail is not; 4xx replies
 * and everything about the session — connection, TLS, login, 503 — are (the server's state or
 * configuration, not the mail, was refused). And an error's words lose every secret before they
 * are stored or logged.
 */
import t from 'tap';
import { failureKindOf, withoutSecrets, type SmtpErrorFacts } from '../../src/mail/smtp-errors.js';

const cases: [string, SmtpErrorFacts, 'transient' | 'permanent'][] = [
  ['connection refused', { code: 'ESOCKET' }, 'transient'],
  ['connection closed', { code: 'ECONNECTION' }, 'transient'],
  ['timeout', { code: 'ETIMEDOUT' }, 'transient'],
  ['DNS', { code: 'EDNS' }, 'transient'],
  ['TLS handshake', { code: 'ETLS' }, 'transient'],
  ['an error with nothing known', {}, 'transient'],
  ['421 service not available', { code: 'ECONNECTION', responseCode: 421 }, 'transient'],
  ['450 mailbox busy', { code: 'EENVELOPE', responseCode: 450 }, 'transient'],
  ['451 local error', { code: 'EMESSAGE', responseCode: 451 }, 'transient'],
  ['452 insufficient storage', { code: 'EENVELOPE', responseCode: 452 }, 'transient'],
  ['550 unknown recipient', { code: 'EENVELOPE', responseCode: 550 }, 'permanent'],
  ['552 message too large', { code: 'EMESSAGE', responseCode: 552 }, 'permanent'],
  ['553 mailbox name not allowed', { code: 'EENVELOPE', responseCode: 553 }, 'permanent'],
  ['554 transaction failed', { code: 'EMESSAGE', responseCode: 554 }, 'permanent'],
  ['500 without a code', { responseCode: 500 }, 'permanent'],
  ['503 bad sequence', { code: 'EPROTOCOL', responseCode: 503 }, 'transient'],
  ['535 wrong password', { code: 'EAUTH', responseCode: 535 }, 'transient'],
  ['534 login refused', { code: 'EAUTH', responseCode: 534 }, 'transient'],
  ['no credentials', { code: 'ENOAUTH' }, 'transient'],
  ['530 login required', { code: 'EENVELOPE', responseCode: 530 }, 'transient'],
  ['no STARTTLS offered (500 to STARTTLS)', { code: 'ETLS', responseCode: 500 }, 'transient'],
  ['EHLO refused', { code: 'EPROTOCOL', responseCode: 554 }, 'transient'],
  ['421 closing', { code: 'ECONNECTION', responseCode: 421 }, 'transient'],
  ['an envelope refused by the client', { code: 'EENVELOPE' }, 'permanent'],
  ['an unexpected 250', { code: 'EPROTOCOL', responseCode: 250 }, 'transient'],
  ['an unexpected 354', { responseCode: 354 }, 'transient'],
  ['600 is no SMTP class', { responseCode: 600 }, 'transient'],
];

t.test('failures are classed by their reply code, then their kind', async (t) => {
  for (const [name, facts, kind] of cases) t.equal(failureKindOf(facts), kind, name);
});

t.test('secrets are taken out of an error message, every occurrence', async (t) => {
  t.equal(
    withoutSecrets('login s3cret failed; s3cret again; czNjcmV0', ['s3cret', 'czNjcmV0']),
    'login [REDACTED] failed; [REDACTED] again; [REDACTED]',
  );
  t.equal(withoutSecrets('nothing to hide', ['s3cret']), 'nothing to hide');
  t.equal(withoutSecrets('an empty secret hides nothing', ['']), 'an empty secret hides nothing');
  t.equal(withoutSecrets('no secrets given', []), 'no secrets given');
});
