/**
 * Where the campaign screens sit (the manual's menus): キャンペーン (§10-8) and 自動発信 (§10-9) in
 * the SV tab, 発信予約 (§9-2) in the call-history tab, each with its permission.
 */
import type { Screen } from '../../app/screens';
import { AutodialScreen } from './AutodialScreen';
import { CampaignDetail } from './CampaignDetail';
import { CampaignsScreen } from './CampaignsScreen';
import { EntryDetail } from './EntryDetail';
import { ReservationsScreen } from './ReservationsScreen';

export const CAMPAIGN_SCREENS: Screen[] = [
  {
    path: '/supervisor/campaigns',
    tab: 'supervisor',
    title: 'campaigns',
    permission: 'campaigns.view',
    view: CampaignsScreen,
    inMenu: true,
  },
  {
    path: '/supervisor/campaigns/:id',
    tab: 'supervisor',
    title: 'campaigns',
    permission: 'campaigns.view',
    view: ({ params }) => <CampaignDetail key={params.id} id={params.id ?? ''} />,
  },
  {
    path: '/supervisor/autodial',
    tab: 'supervisor',
    title: 'autodial',
    permission: 'autodial.view',
    view: AutodialScreen,
    inMenu: true,
  },
  {
    path: '/supervisor/autodial/:id',
    tab: 'supervisor',
    title: 'autodial',
    permission: 'autodial.view',
    view: ({ params }) => <EntryDetail key={params.id} id={params.id ?? ''} />,
  },
];

export const RESERVATION_SCREEN: Screen = {
  path: '/history/reservations',
  tab: 'history',
  title: 'reservations',
  permission: 'reservations.view',
  view: ReservationsScreen,
  inMenu: true,
};
