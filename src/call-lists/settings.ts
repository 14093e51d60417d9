/**
 * The call-list settings (A.18 コールリストの設定, MOT/Phone の設定, 一般権限の操作許可設定), one
 * row. Until an administrator saves them the manual's defaults hold, with no row written. The
 * 一般権限 switches give a general user permissions on top of their role (general-role.ts).
 */
import { eq } from 'drizzle-orm';
import type { Clock } from '../platform/clock.js';
import type { DbOrTx } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { callListSettings } from './schema.js';

type Row = typeof callListSettings.$inferSelect;
export type CallListSettings = Omit<
  Row,
  'id' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'
> & {
  updatedAt: Date | null;
  updatedBy: string | null;
};
export type CallListSettingsPatch = Partial<Omit<CallListSettings, 'updatedAt' | 'updatedBy'>>;

export const DEFAULT_CALL_LIST_SETTINGS: CallListSettings = {
  ungroupedToAll: true,
  recreateKeepsMembership: false,
  claimSize: 10,
  claimOrder: 'list_position',
  calledCounts: 'answered_only',
  autoRetrieve: true,
  autocallOnHangup: 'no_answer_only',
  generalMayEditCustomers: true,
  generalMayExportCustomers: false,
  generalMayEditLists: false,
  generalSeesAllCustomers: false,
  updatedAt: null,
  updatedBy: null,
};

const ROW = 1;

export function readCallListSettings(db: DbOrTx): CallListSettings {
  const row = db.select().from(callListSettings).where(eq(callListSettings.id, ROW)).get();
  if (row === undefined) return DEFAULT_CALL_LIST_SETTINGS;
  const { id: _id, createdAt: _createdAt, createdBy: _createdBy, ...settings } = row;
  return settings;
}

export interface CallListSettingsService {
  get: () => CallListSettings;
  update: (patch: CallListSettingsPatch, actor: string) => CallListSettings;
}

export function createCallListSettingsService(deps: {
  db: DbOrTx;
  clock: Clock;
}): CallListSettingsService {
  const { db, clock } = deps;
  return {
    get: () => readCallListSettings(db),
    update: (patch, actor) => {
      const now = clock.now();
      const values = patch;
      const { updatedAt: _at, updatedBy: _by, ...defaults } = DEFAULT_CALL_LIST_SETTINGS;
      db.insert(callListSettings)
        .values({ ...defaults, ...values, id: ROW, ...created(actor, now) })
        .onConflictDoUpdate({
          target: callListSettings.id,
          set: { ...values, ...updated(actor, now) },
        })
        .run();
      return readCallListSettings(db);
    },
  };
}
