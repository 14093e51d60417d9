/**
 * The interface's words in Japanese and English (the agent's language setting). Every key exists
 * in both: the English dictionary's type is the Japanese one's.
 */
const ja = {
  appName: 'コールセンター',
  loginTitle: 'ログイン',
  loginId: 'ログインID',
  password: 'パスワード',
  logIn: 'ログイン',
  logOut: 'ログアウト',
  invalidCredentials: 'ログインIDまたはパスワードが正しくありません',
  accountLocked: 'アカウントがロックされています',
  tooManyAttempts: 'しばらくしてからもう一度お試しください',
  unavailable: 'サーバーに接続できません',
  welcome: 'ようこそ、{name}さん',
  language: '言語',
};

export type Words = typeof ja;
export type Language = 'ja' | 'en';

const en: Words = {
  appName: 'Call Center',
  loginTitle: 'Log in',
  loginId: 'Login ID',
  password: 'Password',
  logIn: 'Log in',
  logOut: 'Log out',
  invalidCredentials: 'The login ID or the password is wrong',
  accountLocked: 'The account is locked',
  tooManyAttempts: 'Please try again in a while',
  unavailable: 'The server cannot be reached',
  welcome: 'Welcome, {name}',
  language: 'Language',
};

const dictionaries: Record<Language, Words> = { ja, en };

/** The words of a language, with `{name}`-style blanks filled by `fill`. */
export function wordsOf(language: Language) {
  const words = dictionaries[language];
  return (key: keyof Words, fill: Record<string, string> = {}): string =>
    words[key].replace(/\{(\w+)\}/g, (_, name: string) => fill[name] ?? `{${name}}`);
}

/** The browser's language when nobody has chosen: Japanese unless it asks for English. */
export function defaultLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'ja';
}
