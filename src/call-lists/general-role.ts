/**
 * MOT's two roles (A.6.1 権限: 管理者 / 一般) over this server's permission matrix, and what the
 * settings' 一般権限の操作許可設定 (A.18, A.6.4) let a general user do. A general user is an
 * operator: they retrieve and call customers (call_list_operator.claim) and do not administer
 * the call lists (call_list_settings.update, which only MOT's 管理者 has). Pure.
 *
 * Whatever the switches say, a general user always has the 顧客一覧 and 通話一覧 (A.6.4), of
 * their own customers and their own calls; the switches add:
 * - 顧客情報の編集 (default 許可): editing the customers in their charge (A.13);
 * - 顧客情報のCSV作成 (default 許可しない): the customer CSV download;
 * - リストの登録・編集 (default 許可しない): creating and editing call lists;
 * - 担当者が未設定の顧客閲覧 (default 許可しない): every customer, not only their own.
 * They never re-create a list (リスト再作成 is 管理者 only) nor delete one.
 */
import type { Permission } from '../accounts/permissions.js';
import type { Principal } from '../platform/http/auth.js';
import type { CallListSettings } from './settings.js';

export type GeneralSwitches = Pick<
  CallListSettings,
  | 'generalMayEditCustomers'
  | 'generalMayExportCustomers'
  | 'generalMayEditLists'
  | 'generalSeesAllCustomers'
>;

const OPERATOR_PERMISSION: Permission = 'call_list_operator.claim';
const ADMIN_PERMISSION: Permission = 'call_list_settings.update';

export function isGeneralUser(permissions: ReadonlySet<string>): boolean {
  return permissions.has(OPERATOR_PERMISSION) && !permissions.has(ADMIN_PERMISSION);
}

/**
 * The permissions the switches give a general user on top of their role's; none to others.
 * Users only: an API key is an integration, never MOT's 一般.
 */
export function generalUserGrants(
  permissions: ReadonlySet<string>,
  switches: () => GeneralSwitches,
): Permission[] {
  if (!isGeneralUser(permissions)) return [];
  const on = switches();
  return [
    'call_list_customers.view',
    ...(on.generalMayEditCustomers ? (['call_list_customers.update'] as const) : []),
    ...(on.generalMayExportCustomers ? (['call_list_customers.download'] as const) : []),
    ...(on.generalMayEditLists ? (['call_lists.view', 'call_lists.update'] as const) : []),
  ];
}

/**
 * Whose call-list customers and calls a principal sees: everyone's, or — a general user while
 * 担当者が未設定の顧客閲覧 is 許可しない — the customers in their charge and the calls they made.
 */
export type CallListScope = { all: true } | { all: false; agentId: number };

export const EVERYONE: CallListScope = { all: true };

const isGeneral = (principal: Principal) =>
  principal.kind === 'agent' && isGeneralUser(principal.permissions);

export function customerScopeOf(principal: Principal, switches: GeneralSwitches): CallListScope {
  if (!isGeneral(principal) || switches.generalSeesAllCustomers) return EVERYONE;
  return { all: false, agentId: principal.id };
}

/** 通話一覧 of a general user holds their own calls only, whatever the switches (A.6.4). */
export function historyScopeOf(principal: Principal): CallListScope {
  return isGeneral(principal) ? { all: false, agentId: principal.id } : EVERYONE;
}

/** リスト再作成 is 管理者 only, even where リストの登録・編集 gives a general user call_lists.update. */
export const mayRecreateLists = (principal: Principal) => !isGeneral(principal);
