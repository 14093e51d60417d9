/**
 * The call-target upload (発信先リスト, MiiTel B.3) on the CSV import engine: the rows of a
 * call-target CSV upserted by phone into one list (targetListId), their contacts made or
 * overwritten in the CRM (the list service's writeTargets). The title row is required. A phone
 * twice in the file is an error on its second row (the first row stands); 発信担当者 names a user
 * by login ID, regardless of case; `assigneeId` is the assignee of the rows that name none.
 * POST /target-lists/{id}/targets runs this same importer (engine.applyNow).
 */
import { z } from 'zod';
import type { Principal } from '../platform/http/auth.js';
import { badRequest } from '../platform/http/errors.js';
import type {
  ApplyOutcome,
  Importer,
  ImportOptions,
  SessionUse,
  TransactionalSession,
} from '../imports/importer.js';
import type { TargetListsService, TargetWrite } from './service.js';
import { readTargetRow, TARGET_FIELDS } from './target-rows.js';

const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Options of a call-target upload (query parameters of POST /imports). */
export const targetImportOptions = z.object({
  targetListId: positiveId.optional(),
  assigneeId: positiveId.optional(),
});

/** A row read: the target, and the assignee its 発信担当者 cell names (looked up once). */
type TargetValue = Omit<TargetWrite, 'row'>;

export function createTargetsImporter(deps: { targetLists: TargetListsService }): Importer {
  const { targetLists } = deps;

  function begin(
    raw: ImportOptions,
    principal: Principal,
    use: SessionUse,
  ): TransactionalSession<TargetValue> {
    const parsed = targetImportOptions.safeParse(raw);
    if (!parsed.success)
      throw badRequest('invalid_options', 'Bad upload options', z.treeifyError(parsed.error));
    const { targetListId, assigneeId } = parsed.data;
    if (use === 'upload' && targetListId === undefined)
      throw badRequest('invalid_options', 'A targets upload needs targetListId (発信先リスト)', {
        missing: ['targetListId'],
      });
    if (targetListId !== undefined) targetLists.assertList(targetListId);
    if (assigneeId !== undefined) targetLists.assertAgent(assigneeId);
    const logins = use === 'template' ? new Map<string, number>() : targetLists.agentsByLoginId();
    return {
      fields: () => TARGET_FIELDS,
      readRow: (row) => {
        const reading = readTargetRow(row);
        if (!('value' in reading)) return reading;
        const target = reading.value;
        if (target.assignee === undefined) return { value: { target, assigneeId } };
        const named = logins.get(target.assignee.loginId.toLowerCase());
        if (named === undefined)
          return {
            problems: [
              {
                column: target.assignee.column,
                message: `${target.assignee.loginId} というユーザはいません`,
              },
            ],
          };
        return { value: { target, assigneeId: named } };
      },
      apply: (rows, tx) => {
        const outcome: ApplyOutcome = { inserted: 0, updated: 0, unchanged: 0, refused: [] };
        const firstRowOf = new Map<string, number>();
        const writes: TargetWrite[] = [];
        for (const { row, value } of rows) {
          const earlier = firstRowOf.get(value.target.phone);
          if (earlier !== undefined) {
            outcome.refused.push({
              row,
              problems: [
                { column: value.target.phoneColumn, message: `${earlier}行目と同じ電話番号です` },
              ],
            });
            continue;
          }
          firstRowOf.set(value.target.phone, row);
          writes.push({ row, ...value });
        }
        // The list is known by now: begin checked it for an upload.
        const written = targetLists.writeTargets(tx, targetListId ?? 0, writes, principal.actor);
        outcome.inserted = written.created;
        outcome.updated = written.updated;
        for (const r of written.refused) {
          const phoneColumn = writes.find((w) => w.row === r.row)?.target.phoneColumn ?? null;
          outcome.refused.push({
            row: r.row,
            problems: [{ column: phoneColumn, message: r.message }],
          });
        }
        return outcome;
      },
    };
  }

  return {
    kind: 'targets',
    permission: 'target_lists.update',
    headerRequired: true,
    begin,
  };
}
