/** `npm run db:migrate`: applies the migrations to the configured database and exits. */
import { loadConfig } from '../src/config.js';
import { migrateDatabase, openDatabase } from '../src/platform/db/client.js';

const config = loadConfig();
const database = openDatabase(config.database.path);
migrateDatabase(database);
database.close();
console.log(`migrated ${config.database.path}`);
