/** External transfer targets (§11-7 外線転送): a number to forward to and the caller ID to show. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { ExtensionRegistry } from '../dialplan/extensions.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/client.js';
import { created, updated } from '../platform/db/columns.js';
import { countRows } from '../platform/db/query.js';
import { conflict, notFound } from '../platform/http/errors.js';
import type { Page, PageQuery } from '../platform/http/pagination.js';
import { externalTransfers, phoneNumbers, type ExternalTransferRow } from './schema.js';

export interface ExternalTransferInput {
  name: string;
  number: string;
  callerNumber?: string | null | undefined;
  useCalledNumber?: boolean | undefined;
  extension?: string | null | undefined;
}

export interface ExternalTransfersService {
  list(page: PageQuery): Page<ExternalTransferRow>;
  get(id: number): ExternalTransferRow;
  create(input: ExternalTransferInput, actor: string): ExternalTransferRow;
  update(id: number, patch: Partial<ExternalTransferInput>, actor: string): ExternalTransferRow;
  remove(id: number): void;
  /** The caller ID to present when forwarding a call that was made to `calledNumber`. */
  callerIdFor(target: ExternalTransferRow, calledNumber: string | null): string | null;
}

export function createExternalTransfersService(
  db: Db,
  clock: Clock,
  extensions: ExtensionRegistry,
): ExternalTransfersService {
  // Asked on every call that dials a number: prepared once.
  const transferOfExtension = db
    .select({ id: externalTransfers.id })
    .from(externalTransfers)
    .where(eq(externalTransfers.extension, sql.placeholder('extension')))
    .prepare();
  extensions.register(
    'external_transfer',
    (extension) => transferOfExtension.get({ extension })?.id,
  );

  function get(id: number): ExternalTransferRow {
    const row = db.select().from(externalTransfers).where(eq(externalTransfers.id, id)).get();
    if (row === undefined) throw notFound('External transfer');
    return row;
  }

  return {
    list({ limit, offset }) {
      const items = db
        .select()
        .from(externalTransfers)
        .orderBy(asc(externalTransfers.id))
        .limit(limit)
        .offset(offset)
        .all();
      return { items, total: countRows(db, externalTransfers) };
    },
    get,
    create(input, actor) {
      if (input.extension != null) extensions.assertFree(input.extension);
      return db
        .insert(externalTransfers)
        .values({ ...input, ...created(actor, clock.now()) })
        .returning()
        .get();
    },
    update(id, patch, actor) {
      get(id);
      if (patch.extension != null)
        extensions.assertFree(patch.extension, { kind: 'external_transfer', id });
      return db
        .update(externalTransfers)
        .set({ ...patch, ...updated(actor, clock.now()) })
        .where(eq(externalTransfers.id, id))
        .returning()
        .get();
    },
    remove(id) {
      get(id);
      const routedHere = db
        .select({ number: phoneNumbers.number })
        .from(phoneNumbers)
        .where(
          and(
            eq(phoneNumbers.routeType, 'external_transfer'),
            eq(phoneNumbers.routeTarget, String(id)),
          ),
        )
        .all();
      if (routedHere.length > 0) {
        throw conflict('in_use', 'Phone numbers route to this external transfer', {
          phoneNumbers: routedHere.map((r) => r.number),
        });
      }
      db.delete(externalTransfers).where(eq(externalTransfers.id, id)).run();
    },
    callerIdFor(target, calledNumber) {
      return target.useCalledNumber ? calledNumber : target.callerNumber;
    },
  };
}
