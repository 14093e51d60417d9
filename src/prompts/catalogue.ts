/**
 * The system's own prompts: what the center itself says to callers and agents, as opposed to
 * the audio files an administrator chooses for a group or an IVR. Each is named, says what it
 * is for (the Japanese text is the manual's where §11-6 gives one), and defaults to Asterisk's
 * core sounds — English, since no Japanese set is packaged. An administrator replaces a prompt
 * per language with an uploaded audio file (service.ts); the language is the DID's for callers
 * and the agent's for agents, chosen when the prompt plays.
 */

export const PROMPT_LANGUAGES = ['ja', 'en'] as const;
export type PromptLanguage = (typeof PROMPT_LANGUAGES)[number];

export interface PromptEntry {
  /** Who hears it, and when. */
  purpose: string;
  /** What it says, per language. */
  text: Record<PromptLanguage, string>;
  /** Asterisk core sounds played when no file replaces it, in order. */
  sounds: readonly string[];
}

export const SYSTEM_PROMPTS = {
  voicemail_instructions: {
    purpose: 'Voicemail: after the audio file, before the beep (§11-6)',
    text: {
      ja: '発信音の後にメッセージをお話し下さい。終わりましたら電話をきるかシャープを押してください。',
      en: 'Please leave your message after the tone. When done, hang up or press the pound key.',
    },
    sounds: ['vm-intro'],
  },
  voicemail_thanks: {
    purpose: 'Voicemail: after the caller pressed # (§11-6)',
    text: { ja: 'ありがとうございます。', en: 'Thank you.' },
    sounds: ['auth-thankyou'],
  },
  ivr_invalid: {
    purpose: 'IVR: a key no button is set for, before the menu is played again',
    text: { ja: '入力が正しくありません。', en: 'Invalid.' },
    sounds: ['invalid'],
  },
  ivr_no_input: {
    purpose: 'IVR: no key pressed in time, before the menu is played again',
    text: {
      ja: '申し訳ありません。入力が確認できませんでした。',
      en: 'I am sorry, I did not understand your response.',
    },
    sounds: ['vm-sorry'],
  },
  call_cannot_complete: {
    purpose: 'A call an agent may not make (外線発信禁止), before it is refused',
    text: {
      ja: 'おかけになった電話はお繋ぎできません。',
      en: 'Your call cannot be completed as dialed.',
    },
    sounds: ['cannot-complete-as-dialed'],
  },
  call_restricted: {
    purpose: 'A call to a restricted number (発信規制), before it is refused',
    text: { ja: 'この番号へは発信できません。', en: 'No service.' },
    sounds: ['ss-noservice'],
  },
  hot_desk_enter_pin: {
    purpose: 'Hot desk: asking for the agent’s PIN',
    text: {
      ja: '暗証番号を入力し、最後にシャープを押してください。',
      en: 'Please enter your password followed by the pound key.',
    },
    sounds: ['agent-pass'],
  },
  hot_desk_wrong_pin: {
    purpose: 'Hot desk: a wrong PIN, asking again',
    text: {
      ja: '暗証番号が違います。もう一度入力してください。',
      en: 'Password incorrect. Please enter your password followed by the pound key.',
    },
    sounds: ['auth-incorrect'],
  },
  hot_desk_logged_in: {
    purpose: 'Hot desk: the agent is logged in on the phone',
    text: { ja: 'ログインしました。', en: 'Agent logged in.' },
    sounds: ['agent-loginok'],
  },
  hot_desk_logged_out: {
    purpose: 'Hot desk: the agent is logged out of the phone',
    text: { ja: 'ログアウトしました。', en: 'Agent logged off.' },
    sounds: ['agent-loggedoff'],
  },
  hot_desk_failed: {
    purpose: 'Hot desk: the last wrong PIN, before hanging up',
    text: { ja: 'ログインできませんでした。さようなら。', en: 'Login incorrect. Goodbye.' },
    sounds: ['vm-incorrect', 'vm-goodbye'],
  },
  hot_desk_locked: {
    purpose: 'Hot desk: the account is locked after too many wrong PINs',
    text: {
      ja: '申し訳ありません。しばらくしてからおかけ直しください。',
      en: 'We are sorry. Please try your call again later.',
    },
    sounds: ['sorry', 'please-try-call-later'],
  },
  invalid_extension: {
    purpose: 'A number that is not an extension here, before the call is refused',
    text: {
      ja: 'おかけになった内線番号は存在しません。',
      en: 'I am sorry, that is not a valid extension. Please try again.',
    },
    sounds: ['pbx-invalid'],
  },
  campaign_abandoned: {
    purpose:
      'Autodial: an answered customer no agent could take in time (abandoned), before we hang up; a campaign may set its own file',
    text: {
      ja: 'お電話ありがとうございます。ただいま担当者におつなぎできません。改めてお電話いたします。',
      en: 'I am sorry. All circuits are busy now. Goodbye.',
    },
    sounds: ['im-sorry', 'all-circuits-busy-now', 'vm-goodbye'],
  },
  campaign_preview: {
    purpose: 'Autodial preview: the agent answered a preview; 1 dials the customer, 3 skips them',
    text: { ja: '(発信: 1、スキップ: 3)', en: '(a beep: 1 to dial, 3 to skip)' },
    sounds: ['beep'],
  },
  campaign_result_entry: {
    purpose:
      'Autodial, 結果をコマンドで入力: the customer hung up; the agent keys the result number and #, or 0 for a recall',
    text: {
      ja: '結果番号を入力し、最後にシャープを押してください。再コールはゼロを押してください。',
      en: '(a beep) Enter the result followed by the pound key.',
    },
    sounds: ['beep', 'astcc-followed-by-the-pound-key'],
  },
  campaign_recall_time: {
    purpose: 'Autodial: after 0, asking the agent for the recall time (分#, 分*時#, 分*時*日#)',
    text: {
      ja: '再コールまでの時間を、分、時間、日の順にアスタリスクで区切って入力し、最後にシャープを押してください。',
      en: 'Minutes, then star and hours, then star and days, followed by the pound key.',
    },
    sounds: ['minutes', 'astcc-followed-by-the-pound-key'],
  },
  campaign_result_saved: {
    purpose: 'Autodial: the result (or recall) the agent keyed was recorded',
    text: { ja: 'ありがとうございました。', en: 'Thank you.' },
    sounds: ['auth-thankyou'],
  },
  goodbye: {
    purpose: 'Before the system hangs up (no key pressed for a PIN …)',
    text: { ja: 'さようなら。', en: 'Goodbye.' },
    sounds: ['vm-goodbye'],
  },
} as const satisfies Record<string, PromptEntry>;

export type PromptName = keyof typeof SYSTEM_PROMPTS;

export const PROMPT_NAMES = Object.keys(SYSTEM_PROMPTS) as PromptName[];

export const isPromptName = (name: string): name is PromptName =>
  Object.prototype.hasOwnProperty.call(SYSTEM_PROMPTS, name);
