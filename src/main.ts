/**
 * Process entry: configuration → database → Asterisk → HTTP, and a graceful shutdown on
 * SIGTERM/SIGINT (HTTP and WebSockets closed, Asterisk links closed, managed Asterisk stopped,
 * database closed).
 */
import { ConfigError, loadConfig, type Config } from './config.js';
import { ManagedAsteriskError } from './platform/asterisk/managed.js';
import { createLogger } from './platform/logger.js';
import { createServer, type Server } from './server.js';

const SHUTDOWN_TIMEOUT_MS = 20_000;

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

/** Shown once on the console — deliberately not through the logger, whose output is kept. */
function announceAdmin(admin: { loginId: string; generatedPassword?: string }): void {
  if (admin.generatedPassword === undefined) return;
  process.stdout.write(
    [
      '',
      '================================================================',
      ' First start: created the administrator account',
      `   login ID: ${admin.loginId}`,
      `   password: ${admin.generatedPassword}`,
      ' This password is shown only now. Change it after logging in',
      ' (PUT /api/v1/me/password), or set ADMIN_PASSWORD on a fresh database.',
      '================================================================',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);

  let server: Server;
  try {
    server = await createServer(config, { logger, onAdminCreated: announceAdmin });
  } catch (err) {
    if (err instanceof ManagedAsteriskError) {
      process.stderr.write(
        `Cannot run a managed Asterisk: ${err.message}\n` +
          'Or point the server at an existing one with ASTERISK_MODE=external.\n',
      );
      process.exit(1);
    }
    throw err;
  }
  server.asterisk.start();
  await server.app.listen({ host: config.http.host, port: config.http.port });

  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    void (async () => {
      await server.close();
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(
    `fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
