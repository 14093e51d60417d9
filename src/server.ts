/**
 * The whole server assembled from a configuration: database (migrated), Asterisk gateway,
 * realtime hub and the Fastify application. main.ts starts it; the tests build the same thing.
 */
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './app.js';
import type { Config } from './config.js';
import { createAsteriskGateway, type AsteriskGateway } from './platform/asterisk/gateway.js';
import { createProvisioner, type Provisioner } from './platform/asterisk/provisioning.js';
import { systemClock } from './platform/clock.js';
import { migrateDatabase, openDatabase, type Database } from './platform/db/client.js';
import type { Logger } from './platform/logger.js';
import { createReadPool } from './platform/db/read-pool.js';
import { createWriteBehind } from './platform/db/write-behind.js';
import { createHub, type Hub } from './platform/realtime/hub.js';
import { readPrograms } from './read-programs.js';
import { createSecretBox, loadSecretKey } from './platform/secrets.js';

export interface Server {
  app: FastifyInstance;
  config: Config;
  database: Database;
  asterisk: AsteriskGateway;
  provisioner: Provisioner;
  hub: Hub;
  /** Closes HTTP (and WebSockets), the Asterisk links and a managed Asterisk, then the database. */
  close: () => Promise<void>;
}

export type ServerOptions = Pick<AppDeps, 'clock' | 'realtime' | 'features' | 'onAdminCreated'> & {
  logger: Logger;
  /** The Asterisk to drive; by default the one the configuration names (tests pass a fake). */
  asterisk?: AsteriskGateway;
};

export async function createServer(config: Config, options: ServerOptions): Promise<Server> {
  const clock = options.clock ?? systemClock;
  const database = openDatabase(config.database.path);
  migrateDatabase(database);
  const asterisk =
    options.asterisk ??
    createAsteriskGateway({
      settings: config.asterisk,
      log: options.logger,
      // A managed Asterisk on the host keeps its files next to the database.
      defaultRuntimeDir: join(dirname(config.database.path), 'asterisk'),
    });
  const hub = createHub();
  const secrets = createSecretBox(loadSecretKey(config.secretsKey, config.database.path));
  const provisioner = createProvisioner(
    asterisk.ari,
    clock,
    options.logger.child({ component: 'provisioning' }),
  );
  const writes = createWriteBehind(
    database.sqlite,
    clock,
    options.logger.child({ component: 'db' }),
  );
  const reads = createReadPool({
    path: config.database.path,
    db: database.db,
    programs: readPrograms,
    // A report reads what the server has done, deferred writes included.
    beforeRead: writes.flush,
    // The worker's entry beside this file: read-worker.ts from source, .js once compiled.
    workerUrl: new URL(
      import.meta.url.endsWith('.ts') ? './read-worker.ts' : './read-worker.js',
      import.meta.url,
    ),
    log: options.logger.child({ component: 'reads' }),
  });
  const app = await buildApp({
    config,
    database,
    asterisk,
    hub,
    secrets,
    provisioner,
    reads,
    writes,
    ...options,
  });
  return {
    app,
    config,
    database,
    asterisk,
    provisioner,
    hub,
    close: async () => {
      await app.close();
      writes.flush();
      await reads.close();
      await asterisk.stop();
      database.close();
    },
  };
}
