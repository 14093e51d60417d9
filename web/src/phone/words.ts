/** The browser phone panel's words in Japanese and English; every key exists in both. */
const ja = {
  title: 'ブラウザフォン',
  on: 'ON',
  off: 'OFF',
  switchLabel: 'ブラウザフォン ON/OFF',
  noTerminal: 'WebRTC端末が割り当てられていません',
  notPermitted: 'ブラウザ電話の権限がありません',
  state_off: '停止中',
  state_connecting: '接続中',
  state_registered: '登録済み',
  state_unregistered: '未登録',
  state_failed: '登録できません',
  call_idle: '待機',
  call_calling: '発信中',
  call_ringing: '着信中',
  call_in_call: '通話中',
  number: '電話番号',
  call: '発信',
  answer: '応答',
  hangUp: '切断',
  incoming: '着信',
  keypad: 'キーパッド',
  receiving: '受話レベル',
  microphone: 'マイクが使えません',
  failed: 'サーバーに接続できません',
};

export type PhoneWords = typeof ja;

const en: PhoneWords = {
  title: 'Browser phone',
  on: 'ON',
  off: 'OFF',
  switchLabel: 'Browser phone ON/OFF',
  noTerminal: 'No WebRTC terminal is assigned to you',
  notPermitted: 'You may not use the browser phone',
  state_off: 'Off',
  state_connecting: 'Connecting',
  state_registered: 'Registered',
  state_unregistered: 'Not registered',
  state_failed: 'Registration failed',
  call_idle: 'Idle',
  call_calling: 'Calling',
  call_ringing: 'Ringing',
  call_in_call: 'In a call',
  number: 'Number',
  call: 'Call',
  answer: 'Answer',
  hangUp: 'Hang up',
  incoming: 'Incoming call',
  keypad: 'Keypad',
  receiving: 'Receiving',
  microphone: 'The microphone cannot be used',
  failed: 'The server cannot be reached',
};

const dictionaries = { ja, en };

export function phoneWords(language: 'ja' | 'en'): PhoneWords {
  return dictionaries[language];
}
