/**
 * `npm run admin:unlock -- <loginId>`: unlocks an account from the command line — the way back
 * in when every administrator is locked out (by failed logins or by each other). It opens the
 * database the server uses (DATABASE_PATH, .env as the server reads it), and may run while the
 * server does: the next login attempt sees the account unlocked. Written to the authentication
 * log and the change history as done by `cli`.
 *
 * Exit codes: 0 unlocked (or was not locked), 1 no such login ID, 2 usage.
 */
import { sql } from 'drizzle-orm';
import { unlockAccount } from '../accounts/lock.js';
import { agents } from '../accounts/schema.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../platform/clock.js';
import { migrateDatabase, openDatabase } from '../platform/db/client.js';

const loginId = process.argv[2];
if (loginId === undefined || process.argv.length > 3) {
  process.stderr.write('usage: npm run admin:unlock -- <loginId>\n');
  process.exit(2);
}

const config = loadConfig();
const database = openDatabase(config.database.path);
try {
  migrateDatabase(database);
  const agent = database.db
    .select()
    .from(agents)
    .where(sql`lower(${agents.loginId}) = lower(${loginId})`)
    .get();
  if (agent === undefined) {
    process.stderr.write(`admin:unlock: no account with the login ID ${loginId}\n`);
    process.exitCode = 1;
  } else {
    const unlocked = database.db.transaction((tx) =>
      unlockAccount(tx, agent, 'cli', systemClock.now()),
    );
    process.stdout.write(
      unlocked
        ? `admin:unlock: ${agent.loginId} is unlocked\n`
        : `admin:unlock: ${agent.loginId} was not locked\n`,
    );
  }
} finally {
  database.close();
}
