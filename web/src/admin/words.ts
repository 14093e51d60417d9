/**
 * The administration screens' own words in Japanese and English (every key in both): the labels
 * of enumerated values (a group's ring strategy, a trunk's registration…) and the words of the
 * detail screens' extra sections. Menu titles and field labels are in i18n/ja.ts.
 */
import { translator, useWords, type Language } from '../i18n';

const ja = {
  enums: {
    strategy: {
      ring_all: '全て呼び出し',
      least_recent: '終話順',
      shortest_talk_time: '通話時間が短い順',
      random: 'ランダム',
      round_robin: '順番に呼び出し',
      skill_weighted: 'レベルにより分配',
      fewest_calls: '着信数が少ない順',
      linear: '常に先頭から',
    },
    routeType: {
      group: 'グループ',
      agent: 'エージェント',
      extension: '内線',
      external_transfer: '外線転送',
      ivr: 'IVR',
      audio: '音声ファイル再生',
      voicemail: '留守電',
    },
    registration: {
      off: 'レジストしない',
      registered: '登録済み',
      unregistered: '未登録',
      rejected: '拒否された',
      unknown: '不明',
    },
    toggle: { none: 'なし', previous: '直前のステータス', login_status: 'ログイン時ステータス' },
    dtmfMode: { rfc4733: 'RFC 4733', info: 'SIP INFO', inband: 'インバンド', auto: '自動' },
    language: { ja: '日本語', en: 'English' },
    popupWindow: { same_tab: '全て同じタブで開く', new_tab: '別々のタブで開く' },
    customFieldCategory: { customer: '顧客', case: '案件' },
    customFieldType: { text: 'テキスト', number: '数値', date: '日付', list: 'リスト選択' },
    builtIn: { system_admin: 'システム管理者', supervisor: 'SV', agent: 'エージェント' },
    authEvent: {
      login_succeeded: 'ログイン',
      login_failed: 'ログイン失敗',
      login_refused: 'ログイン拒否',
      account_locked: 'ロック',
      account_unlocked: 'ロック解除',
      logout: 'ログアウト',
      forced_logout: '強制ログアウト',
      password_changed: 'パスワード変更',
      hot_desk_login: 'フリーデスク ログイン',
      hot_desk_failed: 'フリーデスク 失敗',
      hot_desk_logout: 'フリーデスク ログアウト',
    },
  },
  custom: 'カスタム',
  all: 'すべて',
  callerIdsHint: 'チェックした番号だけがエージェントの発信者番号に選べます',
  authEvents: 'ログイン履歴',
  at: '日時',
  by: '変更者',
  field: '項目',
  oldValue: '変更前',
  newValue: '変更後',
  event: '内容',
  ip: 'IPアドレス',
  pin: 'PINコード',
  sessions: 'ログイン中のセッション: {count}',
  forceLogout: '強制ログアウト',
  confirmForceLogout: '{name}をログアウトさせます。よろしいですか？',
  loggedOut: '{count}件のセッションを終了しました',
  csvImport: 'CSVアップロード',
  csvUpload: 'アップロード',
  csvReport: '{total}行中 {applied}行を登録、{skipped}行をスキップしました',
  csvRow: '{row}行目: {message}',
};

export type AdminWords = typeof ja;
export type EnumName = keyof AdminWords['enums'];

const en: AdminWords = {
  enums: {
    strategy: {
      ring_all: 'Ring all',
      least_recent: 'Least recent',
      shortest_talk_time: 'Shortest talk time',
      random: 'Random',
      round_robin: 'Round robin',
      skill_weighted: 'Weighted by skill level',
      fewest_calls: 'Fewest calls',
      linear: 'Always from the top',
    },
    routeType: {
      group: 'Group',
      agent: 'Agent',
      extension: 'Extension',
      external_transfer: 'External transfer',
      ivr: 'IVR',
      audio: 'Play an audio file',
      voicemail: 'Voicemail',
    },
    registration: {
      off: 'Not registering',
      registered: 'Registered',
      unregistered: 'Not registered',
      rejected: 'Rejected',
      unknown: 'Unknown',
    },
    toggle: { none: 'None', previous: 'Previous status', login_status: 'Status at login' },
    dtmfMode: { rfc4733: 'RFC 4733', info: 'SIP INFO', inband: 'In-band', auto: 'Automatic' },
    language: { ja: '日本語', en: 'English' },
    popupWindow: { same_tab: 'All in the same tab', new_tab: 'Each in a new tab' },
    customFieldCategory: { customer: 'Customers', case: 'Cases' },
    customFieldType: { text: 'Text', number: 'Number', date: 'Date', list: 'List' },
    builtIn: { system_admin: 'System administrator', supervisor: 'Supervisor', agent: 'Agent' },
    authEvent: {
      login_succeeded: 'Logged in',
      login_failed: 'Login failed',
      login_refused: 'Login refused',
      account_locked: 'Locked',
      account_unlocked: 'Unlocked',
      logout: 'Logged out',
      forced_logout: 'Forced logout',
      password_changed: 'Password changed',
      hot_desk_login: 'Hot desk login',
      hot_desk_failed: 'Hot desk failed',
      hot_desk_logout: 'Hot desk logout',
    },
  },
  custom: 'Custom',
  all: 'All',
  callerIdsHint: 'Only the checked numbers can be chosen as the caller ID',
  authEvents: 'Logins',
  at: 'When',
  by: 'By',
  field: 'Field',
  oldValue: 'Before',
  newValue: 'After',
  event: 'Event',
  ip: 'IP address',
  pin: 'PIN',
  sessions: 'Live sessions: {count}',
  forceLogout: 'Force logout',
  confirmForceLogout: 'Log {name} out?',
  loggedOut: '{count} sessions ended',
  csvImport: 'CSV upload',
  csvUpload: 'Upload',
  csvReport: '{applied} of {total} rows added, {skipped} skipped',
  csvRow: 'Row {row}: {message}',
};

/** The permission matrix in English; in Japanese the server's own labels are shown. */
export const PERMISSIONS_EN: {
  areas: Record<string, string>;
  actions: Record<string, string>;
} = {
  areas: {
    phone: 'Phone',
    call_features: 'Call features',
    chat: 'Chat',
    recall_gadget: 'Call reservations (gadget)',
    status: 'Status',
    tab_menu: 'Tab menu',
    customers: 'Customers',
    customer_cases: 'Cases (customer detail)',
    customer_autodial: 'Autodial (customer detail)',
    customer_call_history: 'Call history (customer detail)',
    cases: 'Cases',
    faqs: 'FAQ',
    realtime: 'Realtime',
    stats: 'Statistics',
    campaign_stats: 'Campaign statistics',
    status_stats: 'Status statistics',
    seat_layouts: 'Seat layouts',
    campaigns: 'Campaigns',
    autodial: 'Autodial',
    tags: 'Tags',
    blocked_numbers: 'Blocked numbers',
    outbound_restrictions: 'Outbound restrictions',
    csv_upload: 'CSV upload',
    call_history: 'Call history',
    reservations: 'Call reservations',
    voicemails: 'Voicemails',
    recording_archive: 'Recording archive',
    agents: 'Agents',
    groups: 'Groups',
    ivrs: 'IVR',
    terminals: 'Terminals',
    phone_numbers: 'Phone numbers',
    audio_files: 'Audio files',
    external_transfers: 'External transfers',
    business_formats: 'Business formats',
    custom_fields: 'Custom fields',
    agent_statuses: 'Agent statuses',
    aws_s3: 'AWS S3',
    roles: 'Roles',
    my_terminals: 'My terminals',
    password: 'Password',
    personal_settings: 'Personal settings',
    sessions: 'Sessions',
    calls: 'Call control',
    api_keys: 'API keys',
  },
  actions: {
    view: 'View',
    update: 'Update',
    delete: 'Delete',
    browser_phone: 'Browser phone',
    change_caller_id: 'Change caller ID',
    whisper: 'Whisper',
    monitor: 'Monitor',
    post: 'Post',
    alert: 'Alert',
    group_update: 'Group status',
    campaign_update: 'Campaign status',
    lock: 'Lock',
    crm: 'CRM',
    sv: 'Supervisor',
    call_history: 'Call history',
    admin: 'Administration',
    personal: 'Personal settings',
    bulk_edit: 'Bulk edit',
    new_autodial: 'New autodial',
    download: 'Download',
    audio: 'Audio files',
    skill_level: 'Skill level',
    agent_status: 'Agent status',
    upload: 'Upload',
    bulk_delete: 'Bulk delete',
    view_all: "Everyone's calls",
    force_logout: 'Force logout',
    control: "Control others' calls",
    originate: 'Call on behalf',
  },
};

const dictionaries: Record<Language, AdminWords> = { ja, en };

/** The admin words of the interface's language; an unknown enumerated value is shown as is. */
export function adminWords(language: Language) {
  const { enums, ...texts } = dictionaries[language];
  return {
    language,
    w: translator(texts),
    /** An enumerated value's label. */
    e: (name: EnumName, value: unknown): string => {
      if (typeof value !== 'string') return '';
      return (enums[name] as Record<string, string | undefined>)[value] ?? value;
    },
  };
}

export type Say = ReturnType<typeof adminWords>;

export const useAdminWords = (): Say => adminWords(useWords().language);
