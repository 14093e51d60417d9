/**
 * The agent's campaign widgets' words (§7 再コール一覧, §10-8 プレビューコール, the result entry and
 * the campaign status tags) in Japanese, the manual's, and English.
 */
import { translator, useWords } from '../../i18n';

const ja = {
  recalls: '再コール',
  recallList: '再コール一覧',
  recallCount: '再コール {count}件',
  reload: '再読み込み',
  close: '閉じる',
  recallAt: '再コール日時',
  campaign: 'キャンペーン名',
  nameAndPhone: '名称と電話番号',
  today: 'Today({date})',
  unscheduled: '予約なし',
  noRecalls: '再コールはありません',
  dial: '発信',
  dialing: '発信しました。電話機が鳴ります',
  in10m: '10分後',
  in1h: '1時間後',
  in1d: '1日後',
  reserved: '{when}に予約しました',
  previewCall: 'プレビューコール',
  customer: '顧客',
  phone: '電話番号',
  skip: 'スキップ',
  schedule: '予約',
  skipped: 'スキップしました',
  dialed: '発信中…',
  resultEntry: '結果入力',
  result: '結果',
  recallTime: '再コール日時 (発信待機中)',
  atTime: '日時指定',
  chooseResult: '結果を選んでください',
  chooseTime: '再コール日時を選んでください',
  submit: '登録',
  resultSaved: '結果を登録しました',
  campaignPaused: '停止',
  pauseCampaign: 'クリックでこのキャンペーンを停止',
  resumeCampaign: 'クリックでこのキャンペーンに復帰',
};

export type CampaignAgentWords = typeof ja;

const en: CampaignAgentWords = {
  recalls: 'Recalls',
  recallList: 'Recall list',
  recallCount: '{count} recalls',
  reload: 'Reload',
  close: 'Close',
  recallAt: 'Recall at',
  campaign: 'Campaign',
  nameAndPhone: 'Name and number',
  today: 'Today({date})',
  unscheduled: 'Not scheduled',
  noRecalls: 'No recalls',
  dial: 'Dial',
  dialing: 'Dialling: your phone rings first',
  in10m: 'In 10 min',
  in1h: 'In 1 hour',
  in1d: 'In 1 day',
  reserved: 'Reserved: {when}',
  previewCall: 'Preview call',
  customer: 'Customer',
  phone: 'Number',
  skip: 'Skip',
  schedule: 'Schedule',
  skipped: 'Skipped',
  dialed: 'Dialling…',
  resultEntry: 'Call result',
  result: 'Result',
  recallTime: 'Recall at (waiting)',
  atTime: 'At',
  chooseResult: 'Choose a result',
  chooseTime: 'Choose when to call again',
  submit: 'Save',
  resultSaved: 'Result saved',
  campaignPaused: 'Paused',
  pauseCampaign: 'Click to pause yourself in this campaign',
  resumeCampaign: 'Click to take part in this campaign again',
};

export type CampaignAgentTranslate = (
  key: keyof CampaignAgentWords,
  fill?: Record<string, string | number>,
) => string;

/** The campaign widgets' words of the interface's language. */
export function useCampaignAgentWords(): CampaignAgentTranslate {
  const { language } = useWords();
  return translator(language === 'en' ? en : ja);
}
