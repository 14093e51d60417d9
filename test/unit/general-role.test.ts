/**
 * MOT's 一般 over the permission matrix (A.6.4, A.18): who is a general user, what each switch
 * grants, and whose customers and calls they see.
 */
import t from 'tap';
import type { Principal } from '../../src/platform/http/auth.js';
import {
  customerScopeOf,
  generalUserGrants,
  historyScopeOf,
  isGeneralUser,
  mayRecreateLists,
  type GeneralSwitches,
} from '../../src/call-lists/general-role.js';
import { DEFAULT_CALL_LIST_SETTINGS } from '../../src/call-lists/settings.js';

const OFF: GeneralSwitches = {
  generalMayEditCustomers: false,
  generalMayExportCustomers: false,
  generalMayEditLists: false,
  generalSeesAllCustomers: false,
};
const operator = new Set(['call_list_operator.claim', 'call_list_operator.upload']);
const administrator = new Set(['call_list_operator.claim', 'call_list_settings.update']);
const principal = (permissions: Set<string>, kind: Principal['kind'] = 'agent'): Principal => ({
  kind,
  id: 7,
  actor: 'op',
  roleId: 3,
  permissions,
  expiresAt: null,
});

t.test('a general user claims customers and does not administer the call lists', async (t) => {
  t.ok(isGeneralUser(operator));
  t.notOk(isGeneralUser(administrator), '管理者');
  t.notOk(isGeneralUser(new Set(['customers.view'])), 'not a call-list user at all');
});

t.test('each switch grants its permissions, to general users only', async (t) => {
  t.same(
    generalUserGrants(operator, () => OFF),
    ['call_list_customers.view'],
  );
  const each: [keyof GeneralSwitches, string[]][] = [
    ['generalMayEditCustomers', ['call_list_customers.update']],
    ['generalMayExportCustomers', ['call_list_customers.download']],
    ['generalMayEditLists', ['call_lists.view', 'call_lists.update']],
    ['generalSeesAllCustomers', []],
  ];
  for (const [key, granted] of each)
    t.same(
      generalUserGrants(operator, () => ({ ...OFF, [key]: true })),
      ['call_list_customers.view', ...granted],
      key,
    );
  t.same(
    generalUserGrants(operator, () => DEFAULT_CALL_LIST_SETTINGS),
    ['call_list_customers.view', 'call_list_customers.update'],
    'the manual’s defaults: 顧客情報の編集 only',
  );
  let read = 0;
  t.same(
    generalUserGrants(administrator, () => {
      read += 1;
      return { ...OFF, generalMayEditLists: true };
    }),
    [],
  );
  t.equal(read, 0, 'the settings are not read for an administrator');
});

t.test('whose customers and calls', async (t) => {
  t.same(customerScopeOf(principal(operator), OFF), { all: false, agentId: 7 });
  t.same(customerScopeOf(principal(operator), { ...OFF, generalSeesAllCustomers: true }), {
    all: true,
  });
  t.same(customerScopeOf(principal(administrator), OFF), { all: true });
  t.same(customerScopeOf(principal(operator, 'api_key'), OFF), { all: true }, 'a key is no 一般');
  t.same(historyScopeOf(principal(operator)), { all: false, agentId: 7 }, 'whatever the switches');
  t.same(historyScopeOf(principal(administrator)), { all: true });
  t.notOk(mayRecreateLists(principal(operator)));
  t.ok(mayRecreateLists(principal(administrator)));
});
