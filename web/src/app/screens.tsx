/**
 * Every screen of the application, with its address, its tab, its title in the left menu and the
 * permission it needs. The menus are this list filtered by the session's permissions; adding a
 * screen is adding an entry here.
 */
import type { ComponentType } from 'preact';
import type { ResourceDescriptor } from '../admin/descriptor';
import { ResourceDetail } from '../admin/ResourceDetail';
import { ResourceList } from '../admin/ResourceList';
import { RESOURCES } from '../admin/resources';
import type { Words } from '../i18n';
import { AudioFileScreen } from '../screens/audio/AudioFileScreen';
import { AudioFilesScreen } from '../screens/audio/AudioFilesScreen';
import { HolidayCalendarEditor } from '../screens/ivr/HolidayCalendarEditor';
import { HolidayCalendarsScreen } from '../screens/ivr/HolidayCalendarsScreen';
import { IvrEditor } from '../screens/ivr/IvrEditor';
import { IvrsScreen } from '../screens/ivr/IvrsScreen';
import { DeskScreen } from '../screens/desk/DeskScreen';
import { ConferencesScreen } from '../screens/floor/ConferencesScreen';
import { ParkedCallsScreen } from '../screens/floor/ParkedCallsScreen';
import { SeatLayoutEditor } from '../screens/floor/SeatLayoutEditor';
import { SeatLayoutScreen } from '../screens/floor/SeatLayoutScreen';
import { SeatLayoutsScreen } from '../screens/floor/SeatLayoutsScreen';
import { SystemPromptsScreen } from '../screens/prompts/SystemPromptsScreen';
import { CallHistoryScreen } from '../screens/history/CallHistoryScreen';
import { VoicemailHistoryScreen } from '../screens/voicemail/VoicemailHistoryScreen';
import { CRM_SCREENS } from '../screens/crm/menu';
import { CAMPAIGN_SCREENS, RESERVATION_SCREEN } from '../screens/campaigns/menu';
import { PersonalScreen } from '../screens/personal/PersonalScreen';
import { GroupDetailScreen } from '../screens/supervisor/GroupDetailScreen';
import { GroupStatsScreen } from '../screens/stats/GroupStatsScreen';
import { StatusStatsScreen } from '../screens/stats/StatusStatsScreen';
import { RealtimeScreen } from '../screens/supervisor/RealtimeScreen';
import { CAMPAIGN_LIVE_SCREEN, CAMPAIGN_STATS_SCREEN } from '../screens/campaign-stats/menu';
import type { Tab } from './tabs';

export interface ScreenProps {
  params: Record<string, string>;
}

export interface Screen {
  path: string;
  tab: Tab;
  title: keyof Words;
  /** Needed to see the screen (any of them); the tab's permission is needed too. */
  permission?: string | readonly string[];
  view: ComponentType<ScreenProps>;
  /** Listed in the left menu (a detail screen is reached from its list, not the menu). */
  inMenu?: boolean;
}

export const SCREENS: Screen[] = [
  { path: '/desk', tab: 'desk', title: 'tabDesk', view: DeskScreen, inMenu: true },
  {
    path: '/supervisor/realtime',
    tab: 'supervisor',
    title: 'realtime',
    permission: 'realtime.view',
    view: RealtimeScreen,
    inMenu: true,
  },
  CAMPAIGN_LIVE_SCREEN,
  // The `parked` and `conferences` topics are a supervisor's with realtime.view.
  {
    path: '/supervisor/parked',
    tab: 'supervisor',
    title: 'parkedCalls',
    permission: 'realtime.view',
    view: ParkedCallsScreen,
    inMenu: true,
  },
  {
    path: '/supervisor/conferences',
    tab: 'supervisor',
    title: 'conferenceRooms',
    permission: 'realtime.view',
    view: ConferencesScreen,
    inMenu: true,
  },
  {
    path: '/supervisor/seat-layouts',
    tab: 'supervisor',
    title: 'seatLayouts',
    permission: 'seat_layouts.view',
    view: SeatLayoutsScreen,
    inMenu: true,
  },
  {
    path: '/supervisor/seat-layouts/:id',
    tab: 'supervisor',
    title: 'seatLayouts',
    permission: 'seat_layouts.view',
    view: ({ params }) => <SeatLayoutScreen key={params.id} params={params} />,
  },
  {
    path: '/supervisor/seat-layouts/:id/edit',
    tab: 'supervisor',
    title: 'seatLayouts',
    permission: 'seat_layouts.update',
    view: ({ params }) => <SeatLayoutEditor key={params.id} params={params} />,
  },
  {
    path: '/supervisor/groups/:id',
    tab: 'supervisor',
    title: 'groupDetail',
    permission: 'realtime.view',
    view: ({ params }) => <GroupDetailScreen key={params.id} params={params} />,
  },
  {
    path: '/supervisor/stats/groups',
    tab: 'supervisor',
    title: 'groupStats',
    permission: 'stats.view',
    view: GroupStatsScreen,
    inMenu: true,
  },
  CAMPAIGN_STATS_SCREEN,
  {
    path: '/supervisor/stats/agent-statuses',
    tab: 'supervisor',
    title: 'statusStats',
    permission: 'status_stats.view',
    view: StatusStatsScreen,
    inMenu: true,
  },
  // キャンペーン (§10-8) and 自動発信 (§10-9).
  ...CAMPAIGN_SCREENS,
  {
    path: '/history',
    tab: 'history',
    title: 'tabHistory',
    permission: 'call_history.view',
    view: CallHistoryScreen,
    inMenu: true,
  },
  // 発信予約 (§9-2), after 通話履歴 as in the manual's menu.
  RESERVATION_SCREEN,
  {
    path: '/history/voicemails',
    tab: 'history',
    title: 'voicemailHistory',
    permission: 'voicemails.view',
    view: VoicemailHistoryScreen,
    inMenu: true,
  },
  {
    path: '/personal',
    tab: 'personal',
    title: 'tabPersonal',
    permission: 'personal_settings.view',
    view: PersonalScreen,
    inMenu: true,
  },
];

/** A resource's list (in the menu) and its detail, for the admin tab. */
function resourceScreens(r: ResourceDescriptor): Screen[] {
  return [
    {
      path: `/admin/${r.key}`,
      tab: 'admin',
      title: r.title,
      permission: r.permissions.view,
      view: () => <ResourceList resource={r} />,
      inMenu: true,
    },
    {
      path: `/admin/${r.key}/:id`,
      tab: 'admin',
      title: r.title,
      permission: r.permissions.view,
      view: ({ params }) => <ResourceDetail key={params.id} resource={r} id={params.id ?? ''} />,
    },
  ];
}

SCREENS.push(...RESOURCES.flatMap(resourceScreens));

/** The admin tab's voice screens (§11-3, §11-6), after the descriptor-driven ones. */
SCREENS.push(
  {
    path: '/admin/ivrs',
    tab: 'admin',
    title: 'ivrs',
    permission: 'ivrs.view',
    view: IvrsScreen,
    inMenu: true,
  },
  {
    path: '/admin/ivrs/:id',
    tab: 'admin',
    title: 'ivrs',
    permission: 'ivrs.view',
    view: ({ params }) => <IvrEditor key={params.id} id={params.id ?? ''} />,
  },
  {
    path: '/admin/holiday-calendars',
    tab: 'admin',
    title: 'holidayCalendars',
    permission: 'ivrs.view',
    view: HolidayCalendarsScreen,
    inMenu: true,
  },
  {
    path: '/admin/holiday-calendars/:id',
    tab: 'admin',
    title: 'holidayCalendars',
    permission: 'ivrs.view',
    view: ({ params }) => <HolidayCalendarEditor key={params.id} id={params.id ?? ''} />,
  },
  {
    path: '/admin/audio-files',
    tab: 'admin',
    title: 'audioFiles',
    permission: 'audio_files.view',
    view: AudioFilesScreen,
    inMenu: true,
  },
  {
    path: '/admin/audio-files/:id',
    tab: 'admin',
    title: 'audioFiles',
    permission: 'audio_files.view',
    view: ({ params }) => <AudioFileScreen key={params.id} id={params.id ?? ''} />,
  },
  {
    path: '/admin/system-prompts',
    tab: 'admin',
    title: 'systemPrompts',
    permission: 'audio_files.view',
    view: SystemPromptsScreen,
    inMenu: true,
  },
);

/** The CRM tab (§8), its menu in one file. */
SCREENS.push(...CRM_SCREENS);

export function allowed(screen: Screen, can: (permission: string) => boolean): boolean {
  const wanted = screen.permission;
  if (wanted === undefined) return true;
  return typeof wanted === 'string' ? can(wanted) : wanted.some(can);
}
