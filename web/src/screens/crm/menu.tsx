/**
 * The CRM tab (§8): its left menu — 顧客, 案件 (§8-2), FAQ, タグ (§10-10), 業務フォーマット (§11-8),
 * カスタムフィールド (§11-9), 案件ステータス, ワークフロー (§11-11/12), ワークフロー統計 (§10-6) —
 * and the screens behind it, each shown with its permission. The tab keeps the CRM in one place:
 * the formats, fields, statuses and workflows that shape customers and cases sit beside them.
 */
import { ResourceDetail } from '../../admin/ResourceDetail';
import { ResourceList } from '../../admin/ResourceList';
import { baseOf, type ResourceDescriptor } from '../../admin/descriptor';
import type { Screen } from '../../app/screens';
import { CaseDetail } from './CaseDetail';
import { CasesScreen } from './CasesScreen';
import { CustomerDetail } from './CustomerDetail';
import { CustomersScreen } from './CustomersScreen';
import { IMPORT_SCREENS } from '../imports/screens';
import { BUSINESS_FORMATS, CASE_STATUSES, CUSTOM_FIELDS, FAQS, TAGS, WORKFLOWS } from './resources';
import { WorkflowStatsScreen } from './WorkflowStatsScreen';
import { CALL_LIST_SCREENS } from '../call-lists/menu';
import { TARGET_LIST_SCREENS } from '../target-lists/menu';
import './crm.css';

/** A descriptor's list (in the menu) and its detail, in the CRM tab. */
function crmResource(r: ResourceDescriptor): Screen[] {
  return [
    {
      path: baseOf(r),
      tab: 'crm',
      title: r.title,
      permission: r.permissions.view,
      view: () => <ResourceList resource={r} />,
      inMenu: true,
    },
    {
      path: `${baseOf(r)}/:id`,
      tab: 'crm',
      title: r.title,
      permission: r.permissions.view,
      view: ({ params }) => <ResourceDetail key={params.id} resource={r} id={params.id ?? ''} />,
    },
  ];
}

export const CRM_SCREENS: Screen[] = [
  {
    path: '/crm/customers',
    tab: 'crm',
    title: 'crmCustomers',
    permission: 'customers.view',
    view: CustomersScreen,
    inMenu: true,
  },
  {
    path: '/crm/customers/:id',
    tab: 'crm',
    title: 'crmCustomers',
    permission: 'customers.view',
    view: ({ params }) => <CustomerDetail key={params.id} id={params.id ?? ''} />,
  },
  {
    path: '/crm/cases',
    tab: 'crm',
    title: 'crmCases',
    permission: 'cases.view',
    view: CasesScreen,
    inMenu: true,
  },
  {
    path: '/crm/cases/:id',
    tab: 'crm',
    title: 'crmCases',
    permission: 'cases.view',
    view: ({ params }) => <CaseDetail key={params.id} id={params.id ?? ''} />,
  },
  ...[FAQS, TAGS, BUSINESS_FORMATS, CUSTOM_FIELDS, CASE_STATUSES, WORKFLOWS].flatMap(crmResource),
  {
    path: '/crm/workflow-stats',
    tab: 'crm',
    title: 'crmWorkflowStats',
    permission: 'workflow_stats.view',
    view: WorkflowStatsScreen,
    inMenu: true,
  },
  ...IMPORT_SCREENS,
  ...CALL_LIST_SCREENS,
  ...TARGET_LIST_SCREENS,
];
