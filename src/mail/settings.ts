/**
 * The SMTP server mails go through, as the configuration gives it (SMTP_* in config.ts). Apart
 * from the transport so that reading the configuration does not load the SMTP client.
 */

/** How the connection is protected: STARTTLS on a plain port (587), TLS from the start (465), none. */
export const SMTP_TLS_MODES = ['starttls', 'tls', 'none'] as const;
export type SmtpTlsMode = (typeof SMTP_TLS_MODES)[number];

export interface SmtpSettings {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  /** null = the server takes mail without logging in (a local relay). Never logged. */
  auth: { user: string; password: string } | null;
  /** The From header and envelope sender: an address, or `Name <address>`. */
  from: string;
}
