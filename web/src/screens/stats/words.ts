/** The statistics screens' words (§10-2 統計, §10-5 ステータス統計) in Japanese and English. */
import { translator } from '../../i18n';

const ja = {
  allGroups: '全グループ',
  group: 'グループ',
  breakdown: '区分',
  breakdown_date: '日付',
  breakdown_hour: '時間',
  breakdown_agent: 'エージェント',
  breakdown_talk_duration: '通話時間',
  from: 'From',
  to: 'To',
  search: '検索',
  download: 'ダウンロード',
  total: '合計',
  calls: 'コール数',
  answered: '応答呼',
  abandoned: '破棄呼',
  overflow: 'あふれ',
  timedOut: '制限時間',
  answerRate: '応答率',
  averageAnswer: '平均応答時間',
  maxAnswer: '最大応答時間',
  averageAbandon: '平均放棄時間',
  maxAbandon: '最大放棄時間',
  noAgent: '(応答なし)',
  inProgress: '通話中',
  unanswered: '未応答',
  hourOf: '{hour}時',
  // ステータス統計
  agent: 'エージェント',
  agentHint: '名前または内線の一部',
  display: '表示',
  display_share: '%',
  display_seconds: '秒数',
  display_count: '回数',
  display_average: '平均',
  date: '日付',
  startHour: '時間',
  range: '範囲',
  hours: '{hours}時間',
  hour: '時間',
  noRows: '該当するデータはありません',
  loading: '読み込み中…',
  timeZone: 'タイムゾーン: {zone}',
  chartFailed: 'グラフを表示できません',
};

export type StatsWords = typeof ja;

const en: StatsWords = {
  allGroups: 'All groups',
  group: 'Group',
  breakdown: 'Breakdown',
  breakdown_date: 'Date',
  breakdown_hour: 'Hour',
  breakdown_agent: 'Agent',
  breakdown_talk_duration: 'Talk time',
  from: 'From',
  to: 'To',
  search: 'Search',
  download: 'Download',
  total: 'Total',
  calls: 'Calls',
  answered: 'Answered',
  abandoned: 'Abandoned',
  overflow: 'Overflow',
  timedOut: 'Timed out',
  answerRate: 'Answer rate',
  averageAnswer: 'Avg. answer time',
  maxAnswer: 'Max. answer time',
  averageAbandon: 'Avg. abandon time',
  maxAbandon: 'Max. abandon time',
  noAgent: '(not answered)',
  inProgress: 'In progress',
  unanswered: 'Unanswered',
  hourOf: '{hour}:00',
  agent: 'Agent',
  agentHint: 'Part of the name or extension',
  display: 'Show',
  display_share: '%',
  display_seconds: 'Seconds',
  display_count: 'Count',
  display_average: 'Average',
  date: 'Date',
  startHour: 'Hour',
  range: 'Range',
  hours: '{hours} h',
  hour: 'Hour',
  noRows: 'No data',
  loading: 'Loading…',
  timeZone: 'Time zone: {zone}',
  chartFailed: 'The chart cannot be shown',
};

const dictionaries = { ja, en };

export type StatsTranslate = (
  key: keyof StatsWords,
  fill?: Record<string, string | number>,
) => string;

/** The words of a language, with `{name}`-style blanks filled. */
export function statsWords(language: 'ja' | 'en'): StatsTranslate {
  return translator(dictionaries[language]);
}
