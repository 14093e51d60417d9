/** The group detail screen's words in Japanese and English; every key exists in both. */
import { translator, type Fill } from '../../i18n';

const ja = {
  back: 'リアルタイムへ戻る',
  chartTitle: '5分間ごとの応答率',
  hours: '表示期間',
  hoursOption: '{hours}時間',
  answered: '応答呼',
  abandoned: '破棄呼',
  answerRate: '応答率 (%)',
  chartTotals: '期間合計: コール数 {calls} / 応答呼 {answered} / 破棄呼 {abandoned}',
  statusPie: 'エージェントのステータス',
  noAgents: 'エージェントがいません',
  waitingCalls: '応答待機一覧',
  noWaitingCalls: '待ち呼はありません',
  position: '順番',
  caller: '発信者',
  waited: '待ち時間',
  ringing: '呼出中',
  consultation: '転送の相談',
  agentList: 'エージェント一覧',
  status: 'ステータス',
  changeStatus: 'ステータス変更',
  name: '名称',
  extension: '内線',
  skillLevel: 'スキルレベル',
  save: '保存',
  lastCall: '直近の通話',
  callsToday: '今日の通話数',
  supervise: 'モニタリング',
  listen: '監視',
  whisper: 'ウィスパー',
  barge: '割込み',
  sessions: 'モニタリング中',
  sessionOf: '{agent} を{mode}',
  session_ringing: 'あなたの電話を呼出中',
  session_active: '接続中',
  stop: '終了',
  stopped: 'モニタリングを終了しました',
  requested: 'あなたの電話を呼び出しています',
  notFound: 'グループが見つかりません',
};

export type GroupWords = typeof ja;

const en: GroupWords = {
  back: 'Back to realtime',
  chartTitle: 'Answer rate every 5 minutes',
  hours: 'Period',
  hoursOption: '{hours} hours',
  answered: 'Answered',
  abandoned: 'Abandoned',
  answerRate: 'Answer rate (%)',
  chartTotals: 'Period total: calls {calls} / answered {answered} / abandoned {abandoned}',
  statusPie: 'Agents by status',
  noAgents: 'No agents',
  waitingCalls: 'Waiting calls',
  noWaitingCalls: 'No calls waiting',
  position: 'Position',
  caller: 'Caller',
  waited: 'Waiting',
  ringing: 'Ringing',
  consultation: 'Transfer consultation',
  agentList: 'Agents',
  status: 'Status',
  changeStatus: 'Change status',
  name: 'Name',
  extension: 'Extension',
  skillLevel: 'Skill level',
  save: 'Save',
  lastCall: 'Last call',
  callsToday: 'Calls today',
  supervise: 'Supervise',
  listen: 'Monitor',
  whisper: 'Whisper',
  barge: 'Barge',
  sessions: 'Supervising',
  sessionOf: '{mode}: {agent}',
  session_ringing: 'Ringing your phone',
  session_active: 'Connected',
  stop: 'Stop',
  stopped: 'Supervision stopped',
  requested: 'Ringing your phone',
  notFound: 'No such group',
};

const dictionaries = { ja, en };

export type GroupWord = keyof GroupWords;

/** The words of a language, with `{name}` blanks filled. */
export function groupWords(language: 'ja' | 'en'): (key: GroupWord, fill?: Fill) => string {
  return translator(dictionaries[language]);
}
