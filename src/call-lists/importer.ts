/**
 * The call-list upload (コールリスト作成, A.8.2) on the CSV import engine: the file's rows are the
 * customers of a NEW call list, named by the upload (リスト名, required), with its target groups
 * and 配布. The title row is required and names the A.8.2 columns (any order; the columns 15–17
 * the manual leaves illegible are taken as 従業員数, 年商, 顧客備考, as the download writes them,
 * and URL after them). At most 500 rows (A.8.1).
 *
 * The rows are read into the call-list service's own input (rows.ts) and written by its
 * writeListFromRows inside the engine's transaction: the list is made even when every row fails
 * (A.8.3), each row applied or reported in the manual's wording (`(電話番号) 既に登録されている
 * 電話番号の為登録できません。`, `(業種) 未登録の業種です`). ユーザID (通常利用しません) is the
 * customer's 自社担当者, an agent's id; リストID lists already registered the customer joins too.
 */
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../platform/db/client.js';
import type { Principal } from '../platform/http/auth.js';
import { badRequest, unprocessable } from '../platform/http/errors.js';
import type {
  ApplyOutcome,
  CellProblem,
  ImportField,
  Importer,
  ImportOptions,
  MappedRow,
  RowReading,
  SessionUse,
  TransactionalSession,
} from '../imports/importer.js';
import { groups } from '../queues/schema.js';
import type { CallListCustomerInput } from './rows.js';
import type { CallListInput, CallListsService } from './service.js';

const idList = z
  .string()
  .regex(/^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,99}$/)
  .transform((v) => [...new Set(v.split(',').map(Number))]);

/** Options of a call-list upload (query parameters of POST /imports). */
export const callListImportOptions = z.object({
  listName: z.string().trim().min(1).max(100).optional(),
  groupIds: idList.optional(),
  distribute: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

/** The A.8.2 columns, in the template's order; keys as a mapping names them. */
const FIELDS: readonly ImportField[] = [
  { key: 'customer_id', label: '顧客ID' },
  { key: 'registered_on', label: '登録日' },
  { key: 'kind', label: '区分' },
  { key: 'industry', label: '業種' },
  { key: 'company', label: '会社名', required: true },
  { key: 'company_kana', label: '会社名フリガナ' },
  { key: 'contact_name', label: '(顧客)担当者名' },
  { key: 'postal_code', label: '郵便番号' },
  { key: 'prefecture', label: '都道府県' },
  { key: 'address1', label: '住所(市区町村・番地)', required: true },
  { key: 'address2', label: '住所(建物名・部屋番号など)', aliases: ['住所(部屋)'] },
  { key: 'phone', label: '電話番号', required: true },
  { key: 'fax', label: 'FAX番号' },
  { key: 'email', label: 'メールアドレス', aliases: ['メール'] },
  { key: 'employees', label: '従業員数' },
  { key: 'annual_sales', label: '年商' },
  { key: 'remarks', label: '顧客備考' },
  { key: 'user_id', label: 'ユーザID' },
  { key: 'list_ids', label: 'リストID' },
  { key: 'source', label: '取得元' },
  { key: 'url', label: 'URL' },
];

export interface CallListImporterDeps {
  db: Db;
  callLists: CallListsService;
}

export function createCallListImporter(deps: CallListImporterDeps): Importer {
  const { db, callLists } = deps;

  function begin(
    raw: ImportOptions,
    principal: Principal,
    use: SessionUse,
  ): TransactionalSession<CallListCustomerInput> {
    const parsed = callListImportOptions.safeParse(raw);
    if (!parsed.success)
      throw badRequest('invalid_options', 'Bad upload options', z.treeifyError(parsed.error));
    const { listName, groupIds, distribute } = parsed.data;
    if (use === 'upload' && listName === undefined)
      throw badRequest('invalid_options', 'A call-list upload needs listName (リスト名)', {
        missing: ['listName'],
      });
    const known =
      groupIds === undefined
        ? []
        : db
            .select({ id: groups.id })
            .from(groups)
            .where(inArray(groups.id, groupIds))
            .all()
            .map((g) => g.id);
    const unknown = (groupIds ?? []).filter((id) => !known.includes(id));
    if (unknown.length > 0)
      throw unprocessable('unknown_groups', `No groups ${unknown.join(', ')}`, {
        groupIds: unknown,
      });
    const list: CallListInput = { name: listName ?? '', groupIds, distribute };
    return {
      fields: () => FIELDS,
      readRow,
      apply: (rows, tx) => {
        const outcome = callLists.writeListFromRows(
          tx,
          list,
          rows.map((r) => ({ ...r.value, row: r.row })),
          principal.actor,
        );
        const refused = new Set(outcome.errors.map((e) => e.row));
        const applied = rows.filter((r) => !refused.has(r.row));
        const result: ApplyOutcome = {
          inserted: applied.filter((r) => r.value.customerId == null).length,
          updated: applied.filter((r) => r.value.customerId != null).length,
          unchanged: 0,
          refused: outcome.errors.map((e) => ({
            row: e.row,
            problems: [{ column: null, message: e.message }],
          })),
        };
        return result;
      },
    };
  }

  return {
    kind: 'call_list',
    permission: 'call_lists.update',
    maxRows: callLists.maxCustomers,
    headerRequired: true,
    begin,
  };
}

function readRow(row: MappedRow): RowReading<CallListCustomerInput> {
  const problems: CellProblem[] = [];
  const text = (key: string): string | undefined => row.get(key)?.[0]?.text.trim();
  let customerId: number | null = null;
  const idText = text('customer_id') ?? '';
  if (idText !== '') {
    if (/^[1-9][0-9]{0,11}$/.test(idText)) customerId = Number(idText);
    else problems.push({ column: null, message: '(顧客ID) 顧客IDではありません' });
  }
  let assigneeId: number | undefined;
  const userText = text('user_id') ?? '';
  if (userText !== '') {
    if (/^[1-9][0-9]{0,9}$/.test(userText)) assigneeId = Number(userText);
    else problems.push({ column: null, message: '(ユーザID) ユーザIDではありません' });
  }
  let listIds: number[] | undefined;
  const listText = text('list_ids') ?? '';
  if (listText !== '') {
    const parts = listText.split('|').map((p) => p.trim());
    if (parts.every((p) => /^[1-9][0-9]{0,9}$/.test(p))) listIds = parts.map(Number);
    else problems.push({ column: null, message: '(リストID) リストIDではありません' });
  }
  if (problems.length > 0) return { problems };
  return {
    value: {
      customerId,
      registeredOn: text('registered_on'),
      kind: text('kind'),
      industry: text('industry'),
      company: text('company') ?? '',
      companyKana: text('company_kana'),
      contactName: text('contact_name'),
      postalCode: text('postal_code'),
      prefecture: text('prefecture'),
      address1: text('address1') ?? '',
      address2: text('address2'),
      phone: text('phone') ?? '',
      fax: text('fax'),
      email: text('email'),
      url: text('url'),
      employees: text('employees'),
      annualSales: text('annual_sales'),
      remarks: text('remarks'),
      source: text('source'),
      assigneeId,
      listIds,
    },
  };
}
