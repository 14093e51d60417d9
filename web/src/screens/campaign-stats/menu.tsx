/**
 * The SV tab's campaign screens of this folder, each with its permission: キャンペーン統計
 * (§10-3) among the statistics, and the campaigns' live view beside リアルタイム (§10-1).
 */
import type { Screen } from '../../app/screens';
import { CampaignLiveScreen } from './CampaignLiveScreen';
import { CampaignStatsScreen } from './CampaignStatsScreen';

export const CAMPAIGN_STATS_SCREEN: Screen = {
  path: '/supervisor/stats/campaigns',
  tab: 'supervisor',
  title: 'campaignStats',
  permission: 'campaign_stats.view',
  view: CampaignStatsScreen,
  inMenu: true,
};

/** The `campaigns` topic's live figures are a supervisor's with realtime.view. */
export const CAMPAIGN_LIVE_SCREEN: Screen = {
  path: '/supervisor/realtime/campaigns',
  tab: 'supervisor',
  title: 'campaignLive',
  permission: 'realtime.view',
  view: CampaignLiveScreen,
  inMenu: true,
};
