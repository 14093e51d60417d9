/**
 * What one may upload on the CSV upload screen (§10-13): one entry per importer of the server
 * (POST /imports?kind=…). A new kind of upload is an entry here: its name in both languages, the
 * permission the server asks for on top of csv_upload.upload, and which of the upload options
 * (業務, タグ追加, 電話番号の重複を許可する, the new call list's リスト名, the 発信先リスト) it reads.
 */

/** The options of step 1 beyond the CSV ones (encoding, separator, first row, file). */
export type KindOption = 'format' | 'tags' | 'allowDuplicates' | 'listName' | 'targetList';

export interface ImportKind {
  /** The server's kind (`kind=` of POST /imports). */
  kind: string;
  label: { ja: string; en: string };
  /** Needed on top of csv_upload.upload (the server answers 403 without it). */
  permission: string;
  options: readonly KindOption[];
  /** Where the uploaded records are listed, linked from the report. */
  listPath?: string;
}

export const IMPORT_KINDS: readonly ImportKind[] = [
  {
    kind: 'customers',
    label: { ja: '顧客', en: 'Customers' },
    permission: 'customers.update',
    options: ['format', 'tags', 'allowDuplicates'],
    listPath: '/crm/customers',
  },
  {
    // MOT コールリスト作成 (A.8.2): the rows are the customers of a new list.
    kind: 'call_list',
    label: { ja: 'コールリスト (MOT)', en: 'Call list (MOT)' },
    permission: 'call_lists.update',
    options: ['listName'],
    listPath: '/crm/call-lists',
  },
  {
    // MiiTel 発信先リスト (B.3): contacts upserted by phone into a list.
    kind: 'targets',
    label: { ja: '発信先リスト (MiiTel)', en: 'Call targets (MiiTel)' },
    permission: 'target_lists.update',
    options: ['targetList'],
    listPath: '/crm/target-lists',
  },
  {
    kind: 'mot_users',
    label: { ja: 'ユーザ (MOT)', en: 'Users (MOT)' },
    permission: 'agents.update',
    options: [],
    listPath: '/admin/agents',
  },
  {
    kind: 'mot_groups',
    label: { ja: 'グループ (MOT)', en: 'Groups (MOT)' },
    permission: 'groups.update',
    options: [],
    listPath: '/admin/groups',
  },
];

export const kindOf = (kind: string): ImportKind | undefined =>
  IMPORT_KINDS.find((k) => k.kind === kind);
