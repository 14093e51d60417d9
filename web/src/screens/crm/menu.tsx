/**
 * The CRM tab (§8): its left menu — 顧客, FAQ, タグ (§10-10), 業務フォーマット (§11-8),
 * カスタムフィールド (§11-9) — and the screens behind it, each shown with its permission. The tab
 * keeps the CRM in one place: the formats and fields that shape a customer sit beside it.
 */
import { ResourceDetail } from '../../admin/ResourceDetail';
import { ResourceList } from '../../admin/ResourceList';
import { baseOf, type ResourceDescriptor } from '../../admin/descriptor';
import type { Screen } from '../../app/screens';
import { CustomerDetail } from './CustomerDetail';
import { CustomersScreen } from './CustomersScreen';
import { CALL_LIST_SCREENS } from '../call-lists/menu';
import { TARGET_LIST_SCREENS } from '../target-lists/menu';
import { BUSINESS_FORMATS, CUSTOM_FIELDS, FAQS, TAGS } from './resources';
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
  ...[FAQS, TAGS, BUSINESS_FORMATS, CUSTOM_FIELDS].flatMap(crmResource),
  ...CALL_LIST_SCREENS,
  ...TARGET_LIST_SCREENS,
];
