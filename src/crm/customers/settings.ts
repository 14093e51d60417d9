/**
 * The CRM settings (one row): whether two live customers may share a phone number. Until an
 * administrator saves them the defaults hold (duplicates refused), with no row written.
 */
import { eq } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { created, updated } from '../../platform/db/columns.js';
import { crmSettings } from './schema.js';

export interface CrmSettings {
  allowDuplicatePhones: boolean;
  updatedAt: Date | null;
  updatedBy: string | null;
}

export interface CrmSettingsService {
  get: () => CrmSettings;
  update: (patch: { allowDuplicatePhones?: boolean | undefined }, actor: string) => CrmSettings;
}

const ROW = 1;

export function readCrmSettings(db: DbOrTx): CrmSettings {
  const row = db.select().from(crmSettings).where(eq(crmSettings.id, ROW)).get();
  return row === undefined
    ? { allowDuplicatePhones: false, updatedAt: null, updatedBy: null }
    : {
        allowDuplicatePhones: row.allowDuplicatePhones,
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
      };
}

export function createCrmSettingsService(deps: { db: DbOrTx; clock: Clock }): CrmSettingsService {
  const { db, clock } = deps;
  return {
    get: () => readCrmSettings(db),
    update: (patch, actor) => {
      const now = clock.now();
      const values = {
        ...(patch.allowDuplicatePhones !== undefined && {
          allowDuplicatePhones: patch.allowDuplicatePhones,
        }),
      };
      db.insert(crmSettings)
        .values({ id: ROW, ...values, ...created(actor, now) })
        .onConflictDoUpdate({ target: crmSettings.id, set: { ...values, ...updated(actor, now) } })
        .run();
      return readCrmSettings(db);
    },
  };
}
