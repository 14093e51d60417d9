/**
 * `npm run demo:seed`: migrates the configured database, creates the administrator (if the
 * database is new) and the demo agents, and prints the passwords it generated — once.
 */
import { createAuthService } from '../src/accounts/auth-service.js';
import { createRolesService } from '../src/accounts/roles-service.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/demo/seed.js';
import { systemClock } from '../src/platform/clock.js';
import { migrateDatabase, openDatabase } from '../src/platform/db/client.js';
import { createSessionWatch } from '../src/platform/http/session-watch.js';
import { createSecretBox, loadSecretKey } from '../src/platform/secrets.js';

const config = loadConfig();
const database = openDatabase(config.database.path);
migrateDatabase(database);
const sessions = createSessionWatch();
const roles = createRolesService(database.db, systemClock, sessions);
roles.ensureBuiltInRoles();
const auth = createAuthService(database.db, systemClock, config.auth, roles, sessions);
const admin = await auth.ensureInitialAdmin(config.admin);
const secrets = createSecretBox(loadSecretKey(config.secretsKey, config.database.path));
const demo = await seedDemo(database.db, systemClock, secrets);
database.close();

const rows = [
  ...(admin?.generatedPassword !== undefined
    ? [
        {
          loginId: admin.loginId,
          password: admin.generatedPassword,
          extension: '-',
          role: 'system_admin',
          sipUser: '-',
          sipSecret: null,
        },
      ]
    : []),
  ...demo,
];
if (rows.length === 0) {
  console.log(`Demo data already present in ${config.database.path}; nothing to do.`);
} else {
  console.log(`\nDemo accounts created in ${config.database.path} (passwords shown only now):\n`);
  console.log('  login ID  role          extension  password      SIP phone (user / secret)');
  for (const r of rows) {
    const phone = r.sipSecret === null ? r.sipUser : `${r.sipUser} / ${r.sipSecret}`;
    console.log(
      `  ${r.loginId.padEnd(9)} ${r.role.padEnd(13)} ${r.extension.padEnd(10)} ${r.password.padEnd(13)} ${phone}`,
    );
  }
  console.log(
    `\nRegister a softphone with a SIP user and secret above to <this host>:${process.env.ASTERISK_SIP_PORT ?? '5060'} (UDP), then dial another extension, or 800 for the demo group (queue) サポート.\n`,
  );
}
