/**
 * The MOT group upload (グループ CSVインポート, A.5.3) on the CSV import engine: グループID,
 * グループ名, 削除フラグ, title row required. An empty ID makes a group (or leaves alone the one of
 * that name: uploading the same file twice changes nothing); an ID changes that group's name;
 * 削除フラグ 1 deletes it through the groups service (which refuses a group calls are routed to).
 * An unknown ID is `グループIDが存在しません。` as in the manual (A.24). Groups here are the
 * server's ACD groups; nothing but the name is set from the file.
 */
import { eq } from 'drizzle-orm';
import type { Principal } from '../platform/http/auth.js';
import type { DbOrTx } from '../platform/db/client.js';
import { HttpError } from '../platform/http/errors.js';
import type {
  ApplyOutcome,
  CellProblem,
  ImportField,
  Importer,
  ImportOptions,
  MappedRow,
  RowReading,
  TransactionalSession,
} from '../imports/importer.js';
import type { GroupsService } from './groups-service.js';
import { groups } from './schema.js';

const FIELDS: readonly ImportField[] = [
  { key: 'group_id', label: 'グループID', aliases: ['グループNo'], identifies: true },
  { key: 'name', label: 'グループ名', aliases: ['グループ名*'], required: true },
  { key: 'deleted', label: '削除フラグ' },
];

const MAX_NAME = 100;

export interface GroupImportValue {
  id: number | undefined;
  name: string;
  deleted: boolean;
}

/** 削除フラグ: 0 = in use, 1 = deleted; empty is 0 (A.5.3, A.6.3). */
export function readDeleteFlag(text: string | undefined): boolean | undefined {
  const flag = (text ?? '').trim();
  return flag === '' || flag === '0' ? false : flag === '1' ? true : undefined;
}

export function readGroupRow(row: MappedRow): RowReading<GroupImportValue> {
  const problems: CellProblem[] = [];
  const text = (key: string) => row.get(key)?.[0]?.text.trim() ?? '';
  const idText = text('group_id');
  let id: number | undefined;
  if (idText !== '') {
    if (/^[1-9][0-9]{0,9}$/.test(idText)) id = Number(idText);
    else problems.push({ column: null, message: '(グループID) グループIDではありません' });
  }
  const name = text('name');
  if (name === '') problems.push({ column: null, message: '(グループ名) 必須項目です' });
  else if (name.length > MAX_NAME)
    problems.push({ column: null, message: `(グループ名) ${MAX_NAME}文字までです` });
  const deleted = readDeleteFlag(row.get('deleted')?.[0]?.text);
  if (deleted === undefined)
    problems.push({ column: null, message: '(削除フラグ) 0か1を書いてください' });
  if (problems.length > 0 || deleted === undefined) return { problems };
  return { value: { id, name, deleted } };
}

export function createGroupsImporter(deps: { groups: GroupsService }): Importer {
  const { groups: service } = deps;

  // No options of its own: those of other kinds are ignored.
  function begin(
    _raw: ImportOptions,
    principal: Principal,
  ): TransactionalSession<GroupImportValue> {
    const mayDelete = principal.permissions.has('groups.delete');
    return {
      fields: () => FIELDS,
      readRow: readGroupRow,
      apply: (rows, tx) => {
        const outcome: ApplyOutcome = { inserted: 0, updated: 0, unchanged: 0, refused: [] };
        const byName = (tx2: DbOrTx, name: string) =>
          tx2.select({ id: groups.id }).from(groups).where(eq(groups.name, name)).get()?.id;
        for (const { row, value } of rows) {
          const refuse = (message: string) =>
            outcome.refused.push({ row, problems: [{ column: null, message }] });
          const current =
            value.id === undefined
              ? undefined
              : tx.select().from(groups).where(eq(groups.id, value.id)).get();
          if (value.id !== undefined && current === undefined) {
            refuse('グループIDが存在しません。');
            continue;
          }
          if (value.deleted && current === undefined) {
            refuse('(グループID) 削除するグループのグループIDがありません');
            continue;
          }
          if (value.deleted && !mayDelete) {
            refuse('(削除フラグ) グループを削除する権限がありません');
            continue;
          }
          const holder = byName(tx, value.name);
          if (!value.deleted && holder !== undefined && holder !== current?.id) {
            if (current === undefined) outcome.unchanged += 1;
            else refuse('(グループ名) 既に登録されているグループ名です');
            continue;
          }
          try {
            // Its own savepoint: a row the service refuses is undone alone.
            const done = tx.transaction((): 'inserted' | 'updated' | 'unchanged' => {
              if (current === undefined) {
                service.create({ name: value.name }, principal.actor);
                return 'inserted';
              }
              if (value.deleted) {
                service.remove(current.id);
                return 'updated';
              }
              if (current.name === value.name) return 'unchanged';
              service.update(current.id, { name: value.name }, principal.actor);
              return 'updated';
            });
            outcome[done] += 1;
          } catch (err) {
            if (!(err instanceof HttpError)) throw err;
            refuse(
              err.code === 'in_use' ? 'このグループには着信が振り分けられています' : err.message,
            );
          }
        }
        return outcome;
      },
    };
  }

  return { kind: 'mot_groups', permission: 'groups.update', headerRequired: true, begin };
}
