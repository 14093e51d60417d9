/**
 * What a failed SMTP send means for the mail (pure): try again later, or give it up.
 *
 * Only a refusal of the mail itself is permanent: a 5xx reply (RFC 5321) to its envelope or its
 * content — an unknown recipient, a message too large — or an envelope the client itself could
 * not build (no or malformed recipient). Everything about the session is transient, whatever
 * its reply: no connection, timeouts, DNS, TLS (a server without STARTTLS), a failed or missing
 * login (530 / 535: a wrong SMTP_PASSWORD is the server's configuration, not the mail's fault,
 * so the mail keeps its place until the operator fixes it or the retries run out), and 503 (bad
 * sequence: the session's state was refused, not the mail). 4xx replies are transient too.
 */
import type { FailureKind } from './retry.js';

/** The parts of a nodemailer error that matter here (all optional: any error may come). */
export interface SmtpErrorFacts {
  /** nodemailer's code: ECONNECTION, ETIMEDOUT, ESOCKET, EAUTH, EENVELOPE, … */
  code?: string | undefined;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number | undefined;
}

/** Failures of the SMTP session rather than of the mail: never the mail's fault. */
const SESSION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EAUTH',
  'ENOAUTH',
  'EOAUTH2',
  'EPROXY',
  'EPROTOCOL',
  'ECONFIG',
]);

/** 503: bad sequence of commands; 530: authentication required (RFC 4954). */
const SESSION_REPLIES = new Set([503, 530]);

export function failureKindOf(facts: SmtpErrorFacts): FailureKind {
  const { code, responseCode } = facts;
  if (code !== undefined && SESSION_CODES.has(code)) return 'transient';
  if (responseCode !== undefined)
    return responseCode >= 500 && responseCode < 600 && !SESSION_REPLIES.has(responseCode)
      ? 'permanent'
      : 'transient';
  return code === 'EENVELOPE' ? 'permanent' : 'transient';
}

/**
 * An error's message with every secret taken out. The SMTP password should never be in one, but
 * a server may echo what it was sent and the message is stored and logged.
 */
export function withoutSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('[REDACTED]');
  return out;
}
