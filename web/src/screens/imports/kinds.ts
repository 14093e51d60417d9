/**
 * What one may upload on the CSV upload screen (§10-13): one entry per importer of the server
 * (POST /imports?kind=…). A new kind of upload is an entry here: its name in both languages, the
 * permission the server asks for on top of csv_upload.upload, and which of the upload options
 * (業務, タグ追加, 電話番号の重複を許可する) it reads.
 */

/** The options of step 1 beyond the CSV ones (encoding, separator, first row, file). */
export type KindOption = 'format' | 'tags' | 'allowDuplicates';

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
];

export const kindOf = (kind: string): ImportKind | undefined =>
  IMPORT_KINDS.find((k) => k.kind === kind);
