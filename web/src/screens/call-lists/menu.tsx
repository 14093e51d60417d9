/**
 * The MOT call-list screens (part A) in the CRM tab: コールリスト一覧 and 作成, the list's edit,
 * the 顧客一覧 and 通話一覧 of the lists, 設定 and データ初期化 for administrators, and the
 * operator's 取得 — each shown with its permission.
 */
import type { Screen } from '../../app/screens';
import { CallListCreate } from './CallListCreate';
import { CallListEdit } from './CallListEdit';
import { CallListsScreen } from './CallListsScreen';
import { ClaimScreen } from './ClaimScreen';
import { InitialiseScreen } from './InitialiseScreen';
import { ListCustomersScreen } from './ListCustomersScreen';
import { ResultsScreen } from './ResultsScreen';
import { SettingsScreen } from './SettingsScreen';
import './call-lists.css';

export const CALL_LIST_SCREENS: Screen[] = [
  {
    path: '/crm/call-list-claim',
    tab: 'crm',
    title: 'callListClaim',
    permission: 'call_list_operator.claim',
    view: ClaimScreen,
    inMenu: true,
  },
  {
    path: '/crm/call-lists',
    tab: 'crm',
    title: 'callLists',
    permission: 'call_lists.view',
    view: CallListsScreen,
    inMenu: true,
  },
  // Before `/crm/call-lists/:id`: the first screen whose address matches is shown.
  {
    path: '/crm/call-lists/new',
    tab: 'crm',
    title: 'callListCreate',
    permission: 'call_lists.update',
    view: CallListCreate,
    inMenu: true,
  },
  {
    path: '/crm/call-lists/:id',
    tab: 'crm',
    title: 'callLists',
    permission: 'call_lists.view',
    view: ({ params }) => <CallListEdit key={params.id} id={params.id ?? ''} />,
  },
  {
    path: '/crm/call-list-customers',
    tab: 'crm',
    title: 'callListCustomers',
    permission: 'call_list_customers.view',
    view: ListCustomersScreen,
    inMenu: true,
  },
  {
    path: '/crm/call-list-results',
    tab: 'crm',
    title: 'callListResults',
    permission: 'call_lists.view',
    view: ResultsScreen,
    inMenu: true,
  },
  {
    path: '/crm/call-list-settings',
    tab: 'crm',
    title: 'callListSettings',
    permission: 'call_list_settings.view',
    view: SettingsScreen,
    inMenu: true,
  },
  {
    path: '/crm/call-list-initialise',
    tab: 'crm',
    title: 'callListInitialise',
    permission: 'call_list_data.initialise',
    view: InitialiseScreen,
    inMenu: true,
  },
];
