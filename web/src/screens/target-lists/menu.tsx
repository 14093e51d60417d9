/** The MiiTel call-target lists (part B) in the CRM tab: the lists and one list's targets. */
import type { Screen } from '../../app/screens';
import { TargetListDetail } from './TargetListDetail';
import { TargetListsScreen } from './TargetListsScreen';

export const TARGET_LIST_SCREENS: Screen[] = [
  {
    path: '/crm/target-lists',
    tab: 'crm',
    title: 'targetLists',
    permission: 'target_lists.view',
    view: TargetListsScreen,
    inMenu: true,
  },
  {
    path: '/crm/target-lists/:id',
    tab: 'crm',
    title: 'targetLists',
    permission: 'target_lists.view',
    view: ({ params }) => <TargetListDetail key={params.id} id={params.id ?? ''} />,
  },
];
