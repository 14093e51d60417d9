/**
 * A real SMTP server on this machine (the smtp-server package) for the mail tests: it keeps
 * every mail it takes, parsed (mailparser), with who logged in for it, and answers logins with
 * the one user and password it is given. No STARTTLS: tests talk plain SMTP.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface Received {
  mail: ParsedMail;
  /** Who logged in for it (undefined: nobody). */
  user: unknown;
  mailFrom: string | undefined;
  rcptTo: string[];
}

export interface RunningSmtp {
  received: Received[];
  logins: { username: string | undefined; accepted: boolean }[];
  close: () => Promise<void>;
}

export async function startSmtp(
  port: number,
  options: SMTPServerOptions = {},
  login: { user: string; password: string } = { user: 'voicemail', password: 'S3cret-Pa55word!' },
): Promise<RunningSmtp> {
  const received: Received[] = [];
  const logins: RunningSmtp['logins'] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    disableReverseLookup: true,
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            mail,
            user: session.user,
            mailFrom:
              session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address,
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
    onAuth: (auth, _session, callback) => {
      const accepted = auth.username === login.user && auth.password === login.password;
      logins.push({ username: auth.username, accepted });
      if (accepted) callback(null, { user: login.user });
      else callback(new Error('Invalid username or password'));
    },
    ...options,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    received,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
