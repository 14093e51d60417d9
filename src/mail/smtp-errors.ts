/**
 * What a failed SMTP send means for the mail (pure): try again later, or give it up.
 *
 * The SMTP reply decides where there is one (RFC 5321): 4xx is transient, 5xx permanent — except
 * 503 (bad sequence: the session's state, not the mail, was refused) and authentication
 * failures (a wrong SMTP_PASSWORD is the server's configuration, not the mail's fault: the mail
 * keeps its place until the operator fixes it and the retries run out). Without a reply, an
 * envelope the client itself refused (no or malformed recipient) is permanent; everything else —
 * refused connections, timeouts, DNS, TLS — is transient.
 */
import type { FailureKind } from './retry.js';

/** The parts of a nodemailer error that matter here (all optional: any error may come). */
export interface SmtpErrorFacts {
  /** nodemailer's code: ECONNECTION, ETIMEDOUT, ESOCKET, EAUTH, EENVELOPE, … */
  code?: string | undefined;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number | undefined;
}

export function failureKindOf(facts: SmtpErrorFacts): FailureKind {
  const { code, responseCode } = facts;
  if (code === 'EAUTH' || code === 'ENOAUTH') return 'transient';
  if (responseCode !== undefined)
    return responseCode >= 500 && responseCode < 600 && responseCode !== 503
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
