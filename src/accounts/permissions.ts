/**
 * The permission matrix of spec/cloudcallcenter-004.md §11-13 (権限設定): areas × actions, each
 * permission written `area.action`. Areas marked "beyond the seed" are ours: the seed has no API
 * keys, and seed 001 has the supervisor's forced logout (強制ログアウト) without naming a permission.
 *
 * Pure data and functions; no I/O.
 */

interface Area {
  label: string;
  actions: Readonly<Record<string, string>>;
}

export const PERMISSION_AREAS = {
  phone: {
    label: '電話',
    actions: { browser_phone: 'ブラウザ電話', change_caller_id: '発信者番号変更' },
  },
  call_features: {
    label: '通話機能',
    actions: { whisper: 'ウィスパリング', monitor: 'モニタリング' },
  },
  chat: { label: 'チャット', actions: { view: '表示', post: '投稿', alert: 'アラート' } },
  recall_gadget: { label: '発信予約(ガジェット)', actions: { view: '表示' } },
  status: {
    label: 'ステータス',
    actions: {
      update: '更新',
      group_update: 'グループステータス更新',
      campaign_update: 'キャンペーンステータス更新',
      lock: 'ロック',
    },
  },
  tab_menu: {
    label: 'タブメニュー',
    actions: {
      crm: 'CRM',
      sv: 'SV',
      call_history: '通話履歴',
      admin: '管理設定',
      personal: '固有設定',
    },
  },
  customers: {
    label: '顧客',
    actions: {
      view: '表示',
      update: '更新',
      delete: '削除',
      bulk_edit: '一括編集',
      new_autodial: '新規自動発信',
      download: 'ダウンロード',
    },
  },
  customer_cases: {
    label: '案件(顧客詳細)',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  customer_autodial: { label: '自動発信(顧客詳細)', actions: { view: '表示', update: '更新' } },
  customer_call_history: {
    label: '通話履歴(顧客詳細)',
    actions: { view: '表示', audio: '音声ファイル' },
  },
  cases: {
    label: '案件',
    actions: {
      view: '表示',
      update: '更新',
      delete: '削除',
      bulk_edit: '一括編集',
      download: 'ダウンロード',
    },
  },
  faqs: { label: 'FAQ', actions: { view: '表示', update: '更新', delete: '削除' } },
  // The matrix names no row for these (§11-13: ワークフロー, ワークフローステップ, ワークフロー統計
  // and the case statuses are missing); they follow the rows of their neighbours.
  case_statuses: {
    label: '案件ステータス',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  workflows: { label: 'ワークフロー', actions: { view: '表示', update: '更新', delete: '削除' } },
  workflow_stats: {
    label: 'ワークフロー統計',
    actions: { view: '表示', download: 'ダウンロード' },
  },
  realtime: {
    label: 'リアルタイム',
    actions: { view: '表示', skill_level: 'スキルレベル', agent_status: 'エージェントステータス' },
  },
  stats: { label: '統計', actions: { view: '表示', download: 'ダウンロード' } },
  campaign_stats: {
    label: 'キャンペーン統計',
    actions: { view: '表示', download: 'ダウンロード' },
  },
  status_stats: { label: 'ステータス統計', actions: { view: '表示', download: 'ダウンロード' } },
  seat_layouts: {
    label: '座席レイアウト',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  campaigns: { label: 'キャンペーン', actions: { view: '表示', update: '更新', delete: '削除' } },
  autodial: {
    label: '自動発信',
    actions: { view: '表示', update: '更新', download: 'ダウンロード' },
  },
  tags: { label: 'タグ', actions: { view: '表示', update: '更新', delete: '削除' } },
  // Beyond the seed: MiiTel's call-target lists (autocall-lists part B); view alone is an
  // operator's (their assigned targets), update manages every list.
  target_lists: {
    label: '発信先リスト',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  blocked_numbers: {
    label: '着信拒否',
    actions: { view: '表示', update: '更新', bulk_delete: '一括削除' },
  },
  outbound_restrictions: {
    label: '発信規制',
    actions: { view: '表示', update: '更新', upload: 'アップロード', bulk_delete: '一括削除' },
  },
  // view_all is beyond the seed: without it, one sees the jobs of one's own uploads.
  csv_upload: {
    label: 'CSVアップロード',
    actions: { view: '表示', upload: 'アップロード', view_all: '全員のアップロード' },
  },
  // view_all is beyond the seed: without it, the history shows the calls one took part in.
  call_history: {
    label: '通話履歴',
    actions: { view: '表示', view_all: '全員の通話', audio: '音声ファイル' },
  },
  reservations: { label: '発信予約', actions: { view: '表示', bulk_edit: '一括編集' } },
  voicemails: { label: '留守電履歴', actions: { view: '表示', bulk_delete: '一括削除' } },
  recording_archive: {
    label: '通話録音アーカイブ',
    actions: { view: '表示', download: 'ダウンロード' },
  },
  agents: { label: 'エージェント', actions: { view: '表示', update: '更新', delete: '削除' } },
  groups: { label: 'グループ', actions: { view: '表示', update: '更新', delete: '削除' } },
  ivrs: { label: 'IVR', actions: { view: '表示', update: '更新', delete: '削除' } },
  terminals: { label: '端末', actions: { view: '表示', update: '更新', delete: '削除' } },
  phone_numbers: { label: '電話番号', actions: { view: '表示', update: '更新' } },
  audio_files: { label: '音声ファイル', actions: { view: '表示', update: '更新', delete: '削除' } },
  external_transfers: {
    label: '外線転送',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  business_formats: {
    label: '業務フォーマット',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  custom_fields: {
    label: 'カスタムフィールド',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  agent_statuses: {
    label: 'エージェントステータス',
    actions: { view: '表示', update: '更新', delete: '削除' },
  },
  aws_s3: { label: 'AWS S3', actions: { view: '表示', update: '更新' } },
  roles: { label: '権限設定', actions: { view: '表示', update: '更新', delete: '削除' } },
  my_terminals: { label: '自分の端末', actions: { view: '表示', update: '更新' } },
  password: { label: 'パスワード', actions: { view: '表示', update: '更新' } },
  personal_settings: { label: '固有設定', actions: { view: '表示', update: '更新' } },
  // beyond the seed
  sessions: { label: 'セッション', actions: { view: '表示', force_logout: '強制ログアウト' } },
  calls: { label: '通話制御', actions: { control: '他者の通話の操作', originate: '代理発信' } },
  api_keys: { label: 'APIキー', actions: { view: '表示', update: '更新', delete: '削除' } },
  // MOT オートコール (spec autocall-lists part A)
  call_lists: { label: 'コールリスト', actions: { view: '表示', update: '更新', delete: '削除' } },
  call_list_customers: {
    label: 'コールリスト顧客一覧',
    actions: { view: '表示', update: '顧客編集', download: '顧客CSVダウンロード' },
  },
  call_list_settings: { label: 'コールリスト設定', actions: { view: '表示', update: '更新' } },
  call_list_operator: {
    label: 'コールリスト架電',
    actions: { claim: '取得 (ダウンロード)', upload: '結果アップロード' },
  },
  call_list_data: { label: 'データ初期化', actions: { initialise: '初期化' } },
} as const satisfies Record<string, Area>;

type Areas = typeof PERMISSION_AREAS;
export type Permission = {
  [A in keyof Areas]: `${A & string}.${keyof Areas[A]['actions'] & string}`;
}[keyof Areas];

export const ALL_PERMISSIONS: readonly Permission[] = Object.entries(PERMISSION_AREAS).flatMap(
  ([area, def]) => Object.keys(def.actions).map((action) => `${area}.${action}` as Permission),
);

const KNOWN = new Set<string>(ALL_PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return KNOWN.has(value);
}

/**
 * What a route needs: a permission, `authenticated` (any logged-in principal, e.g. /me and
 * logout), or `public` (login, health probes, API docs). Every route must say which.
 */
export type RouteAccess = Permission | 'authenticated' | 'public';

/**
 * Permissions a setting gives the holders of a role's permissions on top of them — the MOT
 * settings' 一般権限の操作許可設定 (A.18) open call-list screens to general users. Read at each
 * token resolution, so a changed setting holds from the next request.
 */
export type PermissionGrants = (own: ReadonlySet<Permission>) => readonly Permission[];

export const BUILT_IN_ROLES = ['system_admin', 'supervisor', 'agent'] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

const ADMIN_ONLY_AREAS: ReadonlySet<string> = new Set([
  'roles',
  'aws_s3',
  'api_keys',
  'call_list_data',
]);

/** What an operator can do on the floor: phone, chat, own status, CRM, own history, own settings. */
const AGENT_PERMISSIONS: readonly Permission[] = [
  'phone.browser_phone',
  'phone.change_caller_id',
  'chat.view',
  'chat.post',
  'chat.alert',
  'recall_gadget.view',
  'status.update',
  'status.group_update',
  'status.campaign_update',
  'tab_menu.crm',
  'tab_menu.call_history',
  'tab_menu.personal',
  'customers.view',
  'customers.update',
  'customers.new_autodial',
  'customer_cases.view',
  'customer_cases.update',
  'customer_autodial.view',
  'customer_autodial.update',
  'customer_call_history.view',
  'cases.view',
  'cases.update',
  'case_statuses.view',
  'workflows.view',
  'faqs.view',
  'target_lists.view',
  'call_history.view',
  'reservations.view',
  'voicemails.view',
  'my_terminals.view',
  'my_terminals.update',
  'password.view',
  'password.update',
  'personal_settings.view',
  'personal_settings.update',
  'call_list_operator.claim',
  'call_list_operator.upload',
];

/**
 * The default permission sets of the built-in roles. The seed names the three roles but not their
 * sets; these follow its notes (monitoring and whispering are not for agents, the archive is "SV
 * or above") and leave role, API key and storage administration to system administrators.
 */
export function defaultPermissions(role: BuiltInRole): Permission[] {
  switch (role) {
    case 'system_admin':
      return [...ALL_PERMISSIONS];
    case 'supervisor':
      return ALL_PERMISSIONS.filter((p) => !ADMIN_ONLY_AREAS.has(p.split('.')[0] ?? ''));
    case 'agent':
      return [...AGENT_PERMISSIONS];
  }
}

export const BUILT_IN_ROLE_NAMES: Record<BuiltInRole, string> = {
  system_admin: 'システム管理者',
  supervisor: 'SV',
  agent: 'エージェント',
};
