/**
 * /call-lists (コールリスト, MOT part A): the list index and edit, JSON creation (the CSV importer
 * calls the same service), soft delete and restore, the customer list (顧客一覧) with its CSV,
 * re-creation from a search, the settings, data initialisation, and the operator's side:
 * the lists they may use, retrieving the next customers ([ダウンロード]) and uploading results
 * ([アップロード]).
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendCsv } from '../platform/csv-export.js';
import { digitsOf } from '../crm/formats/field-values.js';
import { agentOf, principalOf } from '../platform/http/auth.js';
import { errorResponses, forbidden } from '../platform/http/errors.js';
import { pageOf, pageQuery } from '../platform/http/pagination.js';
import {
  auditFields,
  id,
  idParams,
  instant,
  isoOf,
  isoOrNull,
  multiLine,
  security,
  singleLine,
  withAudit,
} from '../platform/http/schemas.js';
import { MAX_CLAIM_SIZE } from './claim-size.js';
import type { CallListCustomerEditor } from './customer-edit.js';
import type { CallListCustomerFilter, CallListCustomerView } from './customer-search.js';
import {
  customerScopeOf,
  historyScopeOf,
  mayRecreateLists,
  type CallListScope,
} from './general-role.js';
import { MOT_FIELD_KEYS } from './mot-format.js';
import { CALL_RESULTS, CALLED_COUNTS, countsAsCalled, FINAL_STATUSES } from './outcomes.js';
import { autocallRoutes } from './autocall-routes.js';
import type { Autocall } from './autocall.js';
import { type CallListResultView, type CallListsService, type CallListView } from './service.js';
import type { CallListSettings, CallListSettingsService } from './settings.js';

const tags = ['call-lists'];

const listSchema = z
  .object({
    id: z.number().int().describe('No'),
    name: z.string().describe('リスト名'),
    distribute: z.boolean().describe('配布: true 配布中 / false 未配布'),
    groupIds: z.array(z.number().int()).describe('グループ: target groups'),
    customerCount: z.number().int().describe('顧客登録数 (live customers)'),
    deletedAt: instant.nullable(),
    deletedBy: z.string().nullable(),
    ...auditFields,
  })
  .describe('CallList');

const toList = (l: CallListView) => ({ ...withAudit(l), deletedAt: isoOrNull(l.deletedAt) });

const finalStatus = z
  .enum(FINAL_STATUSES)
  .describe(
    '最終ステータス: not_called 未架電, no_answer 不応答, answered 応答, recall 再架電, prospect 見込み',
  );

const customerSchema = z
  .object({
    id: z.number().int().describe('顧客ID'),
    displayId: z.string(),
    distributed: z.boolean().describe('配布済 (済)'),
    claimedBy: z.number().int().nullable().describe('The operator who retrieved it'),
    claimedAt: instant.nullable(),
    assigneeId: z.number().int().nullable().describe('(自社)担当者: the user in charge'),
    assigneeName: z.string().nullable().describe('(自社)担当者名'),
    finalStatus: finalStatus.nullable().describe('最終ステータス; null until a result is uploaded'),
    company: z.string().describe('会社名'),
    phone: z.string().describe('電話番号 (digits)'),
    email: z.string(),
    remarks: z.string().describe('顧客備考'),
    address: z.string().describe('住所: 都道府県 + 住所1 + 住所2'),
    values: z.object(
      Object.fromEntries(MOT_FIELD_KEYS.map((k) => [k, z.string()])) as Record<
        (typeof MOT_FIELD_KEYS)[number],
        z.ZodString
      >,
    ),
    lists: z.array(z.object({ id: z.number().int(), name: z.string() })),
    deletedAt: instant.nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .describe('CallListCustomer');

const toCustomer = (c: CallListCustomerView) => ({
  ...c,
  claimedAt: isoOrNull(c.claimedAt),
  deletedAt: isoOrNull(c.deletedAt),
  createdAt: isoOf(c.createdAt),
  updatedAt: isoOf(c.updatedAt),
});

const lastCallSchema = z
  .object({
    callId: z.string(),
    at: instant.describe('架電日時'),
    result: z
      .enum(['answered', 'no_answer'])
      .nullable()
      .describe('answered 応答 / no_answer 不応答; null while the call goes on'),
    called: z.boolean().describe('済: 架電済 under the setting 架電済対象'),
  })
  .nullable()
  .describe('HeldLastCall');

const text = (max: number) => singleLine(max, 0).optional();

const GENERAL_USER_CUSTOMERS =
  'A general user (an operator without call_list_settings.update) sees only the customers in ' +
  'their charge (assigneeId) unless the setting 担当者が未設定の顧客閲覧 is on (A.18).';

/** One customer row of A.8.2. */
const customerRow = z.object({
  customerId: z.number().int().positive().nullable().optional().describe('顧客ID: to update one'),
  registeredOn: z
    .string()
    .max(10)
    .nullable()
    .optional()
    .describe('登録日 YYYY/MM/DD; today when empty'),
  kind: text(10).describe('区分: 法人 / 個人'),
  industry: text(100).describe('業種: a JSIC major (or middle) division name'),
  company: singleLine(200).describe('会社名'),
  companyKana: text(200).describe('会社名フリガナ'),
  contactName: text(100).describe('(顧客)担当者名'),
  postalCode: text(10).describe('郵便番号'),
  prefecture: text(10).describe('都道府県'),
  address1: singleLine(200).describe('住所(市区町村・番地)'),
  address2: text(200).describe('住所(建物名・部屋番号など)'),
  phone: singleLine(40).describe('電話番号'),
  fax: text(40).describe('FAX番号'),
  email: z.string().max(254).optional(),
  url: text(500),
  employees: text(100).describe('従業員数 (free text)'),
  annualSales: text(100).describe('年商 (free text)'),
  remarks: multiLine(10_000).optional().describe('顧客備考'),
  source: text(200).describe('取得元'),
});

/** 顧客編集 (A.13): the values of a row, each optional; 登録日 is the list's, not edited. */
const customerPatch = customerRow
  .omit({ customerId: true, registeredOn: true })
  .partial()
  .extend({
    assigneeId: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .describe('(自社)担当者: an agent id, null for none (administrators only)'),
  });

const listFields = {
  name: singleLine(200).describe('リスト名'),
  distribute: z.boolean().describe('配布する / 配布しない'),
  groupIds: z
    .array(z.number().int().positive())
    .max(1000)
    .describe('グループ (unknown: 422 `unknown_groups`)'),
};

const boolQuery = z
  .enum(['true', 'false'])
  .default('false')
  .transform((v) => v === 'true');

const dateKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be YYYY-MM-DD' });

const customerFilterFields = {
  listId: id().optional().describe('リスト名: customers of this list'),
  distributed: z
    .enum(['undistributed', 'distributed'])
    .optional()
    .describe('配布: 未配布 / 配布済'),
  registeredFrom: dateKey.optional().describe('登録日 from (inclusive)'),
  registeredTo: dateKey.optional().describe('登録日 to (inclusive)'),
  finalStatus: z
    .union([z.string().max(200), z.array(z.string().max(20)).max(5)])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')))
    .pipe(z.array(finalStatus))
    .optional()
    .describe(
      '最終ステータス, several comma-separated or repeated; no result yet counts as not_called',
    ),
  includeDeleted: boolQuery.describe('削除済みを表示'),
  company: z.string().min(1).max(200).optional().describe('Part of 会社名'),
  companyKana: z.string().min(1).max(200).optional().describe('Part of 会社名フリガナ'),
  phone: z
    .string()
    .max(40)
    .transform((v) => digitsOf(v))
    .pipe(z.string().regex(/^[0-9]{1,20}$/, { error: 'must be digits (hyphens allowed)' }))
    .optional()
    .describe('電話番号 or its first digits'),
  prefecture: z.string().min(1).max(10).optional().describe('都道府県'),
  address: z.string().min(1).max(200).optional().describe('Part of 住所'),
};

type FilterQuery = z.output<ReturnType<typeof z.object<typeof customerFilterFields>>>;

const filterOf = (q: FilterQuery): CallListCustomerFilter => ({
  listId: q.listId,
  distributed: q.distributed,
  registeredFrom: q.registeredFrom,
  registeredTo: q.registeredTo,
  finalStatuses: q.finalStatus,
  includeDeleted: q.includeDeleted,
  company: q.company,
  companyKana: q.companyKana,
  phone: q.phone,
  prefecture: q.prefecture,
  address: q.address,
});

const settingsFields = {
  ungroupedToAll: z
    .boolean()
    .describe('グループ未関連リストの配布: true 許可 (default) / false 許可しない'),
  recreateKeepsMembership: z
    .boolean()
    .describe('再作成時に顧客重複を許可: true = add to the new list, false = move (default)'),
  claimSize: z
    .number()
    .int()
    .min(1)
    .max(MAX_CLAIM_SIZE)
    .describe('1回の取得時に配布する顧客数 (1: the first retrieval gives 3)'),
  claimOrder: z
    .enum(['list_position', 'customer_id'])
    .describe('Retrieval order: by list then place, or by customer ID'),
  calledCounts: z.enum(CALLED_COUNTS).describe('架電済対象: all_calls / answered_only (default)'),
  autoRetrieve: z.boolean().describe('リストの自動取得'),
  autocallOnHangup: z.enum(['all_calls', 'no_answer_only', 'off']).describe('切断時のオートコール'),
  generalMayEditCustomers: z.boolean().describe('一般権限: 顧客情報の編集'),
  generalMayExportCustomers: z.boolean().describe('一般権限: 顧客情報のCSV作成'),
  generalMayEditLists: z.boolean().describe('一般権限: リストの登録・編集'),
  generalSeesAllCustomers: z.boolean().describe('一般権限: 担当者が未設定の顧客閲覧'),
};

const settingsSchema = z
  .object({
    ...settingsFields,
    updatedAt: instant.nullable(),
    updatedBy: z.string().nullable(),
  })
  .describe('CallListSettings');

const toSettings = (s: CallListSettings) => ({ ...s, updatedAt: isoOrNull(s.updatedAt) });

const rowsOutcome = z.object({
  list: listSchema,
  total: z.number().int().describe('Rows given'),
  applied: z.number().int().describe('反映'),
  errors: z
    .array(
      z.object({
        row: z.number().int(),
        code: z.string(),
        message: z.string(),
        details: z.unknown().optional(),
      }),
    )
    .describe('エラー: one per refused row'),
});

const resultSchema = z
  .object({
    id: z.number().int().describe('No'),
    customerId: z.number().int(),
    listId: z.number().int().nullable(),
    agentId: z.number().int().nullable(),
    agentLabel: z.string().describe('内線番号 as UserName(ext)'),
    company: z.string().describe('会社名 of the customer'),
    phone: z.string().describe('電話番号 of the customer (digits)'),
    result: z.enum(CALL_RESULTS).describe('架電ステータス as entered'),
    prospect: z.boolean().describe('見込み'),
    recall: z.boolean().describe('再架電'),
    finalStatus,
    called: z.boolean().describe('架電結果: 架電済 (true) / 未架電'),
    memo: z.string().describe('架電メモ'),
    calledAt: instant.nullable().describe('通話日付; null for 未架電'),
    uploadedAt: instant,
    deletedAt: instant.nullable(),
  })
  .describe('CallListResult');

const toResult = (r: CallListResultView) => ({
  ...r,
  calledAt: isoOrNull(r.calledAt),
  uploadedAt: isoOf(r.uploadedAt),
  deletedAt: isoOrNull(r.deletedAt),
});

export const callListsRoutes: FastifyPluginAsyncZod<{
  callLists: CallListsService;
  settings: CallListSettingsService;
  editor: CallListCustomerEditor;
  /** MOT autocall (A.23); its routes are under /call-lists/autocall. */
  autocall?: Autocall | undefined;
}> = async (app, { callLists, settings, editor, autocall }) => {
  if (autocall !== undefined) await app.register(autocallRoutes, { autocall });
  /** The customers a request may see: a general user's own, unless the setting opens all (A.18). */
  const customersOf = (request: FastifyRequest): CallListScope =>
    customerScopeOf(principalOf(request), settings.get());
  const withinScope = (scope: CallListScope) => (scope.all ? {} : { assigneeId: scope.agentId });

  app.get('/call-lists', {
    config: { permission: 'call_lists.view' },
    schema: {
      tags,
      security,
      summary: 'List call lists (コールリスト一覧)',
      querystring: pageQuery.extend({
        name: z.string().min(1).max(200).optional().describe('Part of リスト名'),
        includeDeleted: boolQuery.describe('削除済みを表示'),
      }),
      response: { 200: pageOf(listSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const page = callLists.list(request.query);
      return { items: page.items.map(toList), total: page.total };
    },
  });

  app.post('/call-lists', {
    config: { permission: 'call_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Create a call list, with customers (コールリスト作成)',
      description:
        'The list is created even when every customer row is refused (A.8.3). Each row is ' +
        'applied or reported: `phone_taken` (a live customer has the number), ' +
        '`unknown_industry` (not a JSIC division), `customer_mismatch`, `invalid_values`. ' +
        `At most ${callLists.maxCustomers} customers. 422 \`unknown_groups\`.`,
      body: z.object({
        name: listFields.name,
        distribute: listFields.distribute.optional(),
        groupIds: listFields.groupIds.optional(),
        customers: z.array(customerRow).max(callLists.maxCustomers).default([]),
      }),
      response: { 201: rowsOutcome, ...errorResponses(400, 401, 403, 422) },
    },
    handler: async (request, reply) => {
      const { customers, ...list } = request.body;
      const outcome = callLists.createListFromRows(list, customers, principalOf(request).actor);
      return reply.status(201).send({ ...outcome, list: toList(outcome.list) });
    },
  });

  app.get('/call-lists/customers', {
    config: { permission: 'call_list_customers.view' },
    schema: {
      tags,
      security,
      summary: 'Search the customers of the call lists (顧客一覧)',
      description: GENERAL_USER_CUSTOMERS,
      querystring: pageQuery.extend(customerFilterFields),
      response: { 200: pageOf(customerSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const { limit, offset } = request.query;
      const page = callLists.customers({
        ...filterOf(request.query),
        ...withinScope(customersOf(request)),
        limit,
        offset,
      });
      return { items: page.items.map(toCustomer), total: page.total };
    },
  });

  app.get('/call-lists/customers/export', {
    config: { permission: 'call_list_customers.download' },
    schema: {
      tags,
      security,
      summary: 'Download the customers of a search as CSV (顧客CSVダウンロード)',
      description:
        'The call-list CSV layout (A.8.2), then URL, 最終ステータス, 配布済, リスト名; in ID order, ' +
        `streamed. ${GENERAL_USER_CUSTOMERS}`,
      querystring: z.object({
        ...customerFilterFields,
        encoding: z
          .enum(['utf8', 'shift_jis'])
          .default('utf8')
          .describe('UTF-8 with BOM, or Shift_JIS'),
      }),
      response: {
        200: {
          content: { 'text/csv': { schema: z.string().describe('CSV, streamed') } },
        },
        ...errorResponses(400, 401, 403),
      },
    },
    handler: async (request, reply) => {
      const encoding = request.query.encoding;
      return sendCsv(
        reply,
        'call-list-customers.csv',
        encoding,
        callLists.exportCsv({ ...filterOf(request.query), ...withinScope(customersOf(request)) }),
      );
    },
  });

  app.get('/call-lists/customers/:id', {
    config: { permission: 'call_list_customers.view' },
    schema: {
      tags,
      security,
      summary: 'One customer of the call lists (顧客編集 read)',
      description: `Deleted ones too. ${GENERAL_USER_CUSTOMERS}`,
      params: idParams,
      response: { 200: customerSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toCustomer(editor.get(request.params.id, customersOf(request))),
  });

  app.patch('/call-lists/customers/:id', {
    config: { permission: 'call_list_customers.update' },
    schema: {
      tags,
      security,
      summary: 'Edit a customer of the call lists (顧客編集)',
      description:
        'The values read as a CSV row is (A.8.2). 422 `kana_required` (区分 法人 without ' +
        '会社名フリガナ), `unknown_industry`, `invalid_phone`, `invalid_fax`, `required`, ' +
        '`unknown_agent`; 409 `phone_taken` (another live customer has the number, whatever the ' +
        'CRM setting), `customer_deleted`; 403 `assignee_not_yours` when a general user sets ' +
        `the 担当者. General users get this with 顧客情報の編集 = 許可 (A.18). ${GENERAL_USER_CUSTOMERS}`,
      params: idParams,
      body: customerPatch,
      response: { 200: customerSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) => {
      const scope = customersOf(request);
      return toCustomer(
        editor.edit(request.params.id, request.body, scope, principalOf(request).actor),
      );
    },
  });

  app.post('/call-lists/recreate', {
    config: { permission: 'call_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Re-create a list from a customer search (リスト再作成)',
      description:
        'The live customers of the search go to a new undistributed list, back to 未配布, their ' +
        'final status kept. `mode`: move (leave their other lists) or add; default from the ' +
        'setting 再作成時に顧客重複を許可. 422 `no_customers`, `too_many_customers`; 403 ' +
        '`general_role` for a general user, whom リストの登録・編集 may let edit lists but never ' +
        're-create them (A.6.4).',
      body: z.object({
        name: listFields.name,
        mode: z.enum(['move', 'add']).optional(),
        filter: z
          .object({
            listId: z.number().int().positive().optional(),
            distributed: z.enum(['undistributed', 'distributed']).optional(),
            registeredFrom: dateKey.optional(),
            registeredTo: dateKey.optional(),
            finalStatuses: z.array(finalStatus).max(5).optional(),
            company: z.string().min(1).max(200).optional(),
            companyKana: z.string().min(1).max(200).optional(),
            phone: z
              .string()
              .regex(/^[0-9]{1,20}$/)
              .optional(),
            prefecture: z.string().min(1).max(10).optional(),
            address: z.string().min(1).max(200).optional(),
            ids: z.array(z.number().int().positive()).max(callLists.maxCustomers).optional(),
          })
          .default({}),
      }),
      response: {
        201: z.object({
          list: listSchema,
          customers: z.number().int(),
          mode: z.enum(['move', 'add']),
        }),
        ...errorResponses(400, 401, 403, 422),
      },
    },
    handler: async (request, reply) => {
      if (!mayRecreateLists(principalOf(request)))
        throw forbidden('general_role', 'リスト再作成 is for administrators (A.6.4)');
      const outcome = callLists.recreate(request.body, principalOf(request).actor);
      return reply.status(201).send({ ...outcome, list: toList(outcome.list) });
    },
  });

  app.get('/call-lists/settings', {
    config: { permission: 'call_list_settings.view' },
    schema: {
      tags,
      security,
      summary: 'The call-list settings (設定)',
      response: { 200: settingsSchema, ...errorResponses(401, 403) },
    },
    handler: async () => toSettings(settings.get()),
  });

  app.patch('/call-lists/settings', {
    config: { permission: 'call_list_settings.update' },
    schema: {
      tags,
      security,
      summary: 'Change the call-list settings',
      body: z
        .object(settingsFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: settingsSchema, ...errorResponses(400, 401, 403) },
    },
    handler: async (request) =>
      toSettings(settings.update(request.body, principalOf(request).actor)),
  });

  app.post('/call-lists/initialise', {
    config: { permission: 'call_list_data.initialise' },
    schema: {
      tags,
      security,
      summary: 'Data initialisation (データ初期化)',
      description:
        '`customers_and_lists`: every list, list customer and call-history row; `lists`: the ' +
        'lists and the history, the customers kept. Soft delete unless `hardDelete` ' +
        '(物理削除: gone for good). Users and groups are untouched.',
      body: z.object({
        target: z.enum(['customers_and_lists', 'lists']),
        hardDelete: z.boolean().default(false),
      }),
      response: {
        200: z.object({
          lists: z.number().int(),
          customers: z.number().int(),
          results: z.number().int(),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
    handler: async (request) => callLists.initialise(request.body, principalOf(request).actor),
  });

  app.get('/call-lists/results', {
    config: { permission: 'call_list_customers.view' },
    schema: {
      tags,
      security,
      summary: 'Call history of the call lists (通話一覧)',
      description: 'A general user gets the calls they made only (A.6.4).',
      querystring: pageQuery.extend({
        customerId: id().optional(),
        listId: id().optional(),
        agentId: id().optional(),
        includeDeleted: boolQuery,
      }),
      response: { 200: pageOf(resultSchema), ...errorResponses(400, 401, 403) },
    },
    handler: async (request) => {
      const scope = historyScopeOf(principalOf(request));
      const page = callLists.history({
        ...request.query,
        ...(!scope.all && { agentId: scope.agentId }),
      });
      return { items: page.items.map(toResult), total: page.total };
    },
  });

  app.get('/call-lists/mine', {
    config: { permission: 'call_list_operator.claim', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'The call lists I may retrieve customers from',
      response: { 200: z.object({ items: z.array(listSchema) }), ...errorResponses(401, 403) },
    },
    handler: async (request) => ({
      items: callLists.usableLists(agentOf(request).id).map(toList),
    }),
  });

  app.get('/call-lists/held', {
    config: { permission: 'call_list_operator.claim', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'The customers I retrieved and have not uploaded a result for',
      description:
        'Each with `lastCall`: my latest call to the customer since I retrieved it (autocall or ' +
        'click-to-call; from the call history) — 架電日時, 応答 / 不応答 (null while it goes on) ' +
        'and 済 under 架電済対象. The result is uploaded as ever ([アップロード]).',
      response: {
        200: z.object({ items: z.array(customerSchema.extend({ lastCall: lastCallSchema })) }),
        ...errorResponses(401, 403),
      },
    },
    handler: async (request) => {
      const agentId = agentOf(request).id;
      const held = callLists.held(agentId);
      const dials = callLists.lastDials(agentId, held);
      const { calledCounts } = settings.get();
      return {
        items: held.map((c) => {
          const dial = dials.get(c.id);
          return {
            ...toCustomer(c),
            lastCall:
              dial === undefined
                ? null
                : {
                    callId: dial.callId,
                    at: isoOf(dial.at),
                    result: dial.result,
                    called: dial.result !== null && countsAsCalled(dial.result, calledCounts),
                  },
          };
        }),
      };
    },
  });

  app.post('/call-lists/claims', {
    config: { permission: 'call_list_operator.claim', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'Retrieve the next customers ([ダウンロード])',
      description:
        'The next undistributed customers of the lists I may use (or of `listId`), as many as ' +
        'the setting says (1: 3 when I hold none), at most `count`. Atomic: no customer is ' +
        'handed to two operators. 403 `list_not_available`; 404 for an unknown list.',
      body: z.object({
        listId: z.number().int().positive().optional(),
        count: z.number().int().min(1).max(MAX_CLAIM_SIZE).optional(),
      }),
      response: {
        200: z.object({
          items: z.array(
            z.object({
              number: z.number().int().describe('No'),
              listId: z.number().int(),
              listName: z.string(),
              customer: customerSchema,
            }),
          ),
        }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
    handler: async (request) => ({
      items: callLists
        .claim(agentOf(request).id, request.body)
        .map((c) => ({ ...c, customer: toCustomer(c.customer) })),
    }),
  });

  app.post('/call-lists/results', {
    config: { permission: 'call_list_operator.upload', sessionOnly: true },
    schema: {
      tags,
      security,
      summary: 'Upload call results ([アップロード])',
      description:
        'One record per call of a customer I retrieved; each becomes a call-history row (未架電 ' +
        'too) and sets the final status by 再架電 > 見込み > 結果. All or nothing: 409 ' +
        '`not_retrieved` for a customer I do not hold. A record already uploaded is skipped.',
      body: z.object({
        results: z
          .array(
            z
              .object({
                customerId: z.number().int().positive(),
                result: z.enum(CALL_RESULTS).describe('結果: 未架電 / 不応答 / 応答'),
                prospect: z.boolean().default(false).describe('見込み'),
                recall: z.boolean().default(false).describe('再架電'),
                memo: multiLine(2000).default('').describe('対応メモ'),
                calledAt: instant
                  .nullable()
                  .optional()
                  .describe('架電日時; required unless not_called'),
              })
              .refine((r) => r.result === 'not_called' || (r.calledAt ?? null) !== null, {
                error: 'calledAt is required for a dialled call',
                path: ['calledAt'],
              }),
          )
          .min(1)
          .max(1000),
      }),
      response: {
        200: z.object({
          written: z.number().int(),
          duplicates: z.number().int(),
          customers: z.array(z.object({ customerId: z.number().int(), finalStatus })),
        }),
        ...errorResponses(400, 401, 403, 409),
      },
    },
    handler: async (request) =>
      callLists.upload(
        agentOf(request).id,
        request.body.results.map((r) => ({
          ...r,
          calledAt: r.calledAt === undefined || r.calledAt === null ? null : new Date(r.calledAt),
        })),
      ),
  });

  app.get('/call-lists/:id', {
    config: { permission: 'call_lists.view' },
    schema: {
      tags,
      security,
      summary: 'One call list',
      params: idParams,
      response: { 200: listSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) => toList(callLists.get(request.params.id)),
  });

  app.patch('/call-lists/:id', {
    config: { permission: 'call_lists.update' },
    schema: {
      tags,
      security,
      summary: 'Edit a call list (コールリスト編集): name, groups, 配布',
      description: '409 `list_deleted`; 422 `unknown_groups`.',
      params: idParams,
      body: z
        .object(listFields)
        .partial()
        .refine((b) => Object.keys(b).length > 0, { error: 'nothing to change' }),
      response: { 200: listSchema, ...errorResponses(400, 401, 403, 404, 409, 422) },
    },
    handler: async (request) =>
      toList(callLists.update(request.params.id, request.body, principalOf(request).actor)),
  });

  app.delete('/call-lists/:id', {
    config: { permission: 'call_lists.delete' },
    schema: {
      tags,
      security,
      summary: 'Delete a call list (soft); its customers stay',
      params: idParams,
      response: { 200: listSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) =>
      toList(callLists.remove(request.params.id, principalOf(request).actor)),
  });

  app.post('/call-lists/:id/restore', {
    config: { permission: 'call_lists.delete' },
    schema: {
      tags,
      security,
      summary: 'Restore a deleted call list (再表示)',
      params: idParams,
      response: { 200: listSchema, ...errorResponses(400, 401, 403, 404) },
    },
    handler: async (request) =>
      toList(callLists.restore(request.params.id, principalOf(request).actor)),
  });
};
