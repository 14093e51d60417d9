/**
 * How a mail leaves the server: the MailTransport port the queue sends through, and its SMTP
 * implementation over nodemailer — one pooled connection (the queue sends one mail at a time),
 * kept open between mails and reopened after a failure.
 *
 * A failed send rejects with a MailSendError saying whether the failure is worth retrying
 * (smtp-errors.ts) and why, in words with the password taken out: they are stored in the outbox
 * and logged. nodemailer's own logging stays off, since it would print the SMTP conversation.
 */
import { createTransport } from 'nodemailer';
import type { FailureKind } from './retry.js';
import type { SmtpSettings } from './settings.js';
import { failureKindOf, withoutSecrets } from './smtp-errors.js';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text body. */
  text: string;
}

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingMail extends MailMessage {
  attachments: MailAttachment[];
}

export interface MailTransport {
  /** Resolves once the server has accepted the mail; rejects with a MailSendError. */
  send: (mail: OutgoingMail) => Promise<void>;
  /** Closes the connections; the transport is not used afterwards. */
  close: () => void;
}

export class MailSendError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
}

/** Long enough for a slow server, short enough that a shutdown waiting for a send is not stuck. */
const TIMEOUTS = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };
/** Stored and logged: a server's reply is one line, this keeps a runaway one short. */
const MAX_ERROR_LENGTH = 500;

export function createSmtpTransport(settings: SmtpSettings): MailTransport {
  const { auth } = settings;
  const transporter = createTransport(
    {
      pool: true,
      maxConnections: 1,
      host: settings.host,
      port: settings.port,
      secure: settings.tls === 'tls',
      // starttls refuses a server that does not offer STARTTLS rather than log in in the clear.
      requireTLS: settings.tls === 'starttls',
      ignoreTLS: settings.tls === 'none',
      ...(auth !== null && { auth: { user: auth.user, pass: auth.password } }),
      ...TIMEOUTS,
      logger: false,
      debug: false,
      // Attachments are bytes the server hands over, never paths or URLs to be read.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
    { from: settings.from },
  );
  const secrets =
    auth === null
      ? []
      : [
          auth.password,
          Buffer.from(auth.password).toString('base64'),
          Buffer.from(`\0${auth.user}\0${auth.password}`).toString('base64'),
        ];

  return {
    send: async (mail) => {
      try {
        await transporter.sendMail({
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          attachments: mail.attachments.map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: a.content,
          })),
        });
      } catch (err) {
        throw sendErrorOf(err, secrets);
      }
    },
    close: () => transporter.close(),
  };
}

function sendErrorOf(err: unknown, secrets: readonly string[]): MailSendError {
  const facts = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  const code = typeof facts.code === 'string' ? facts.code : undefined;
  const responseCode = typeof facts.responseCode === 'number' ? facts.responseCode : undefined;
  const text = err instanceof Error ? err.message : String(err);
  const message = withoutSecrets(code === undefined ? text : `${code}: ${text}`, secrets);
  return new MailSendError(
    message.slice(0, MAX_ERROR_LENGTH),
    failureKindOf({ code, responseCode }),
  );
}
