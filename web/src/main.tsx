/** The web application: the login screen, then the desk of whoever logged in. */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, logIn, type Session } from './api';
import { defaultLanguage, wordsOf, type Language, type Words } from './i18n';
import { BrowserPhonePanel } from './phone/BrowserPhonePanel';

const ERROR_WORDS: Record<string, keyof Words> = {
  invalid_credentials: 'invalidCredentials',
  account_locked: 'accountLocked',
  too_many_attempts: 'tooManyAttempts',
  unavailable: 'unavailable',
};

function LoginScreen(props: { t: ReturnType<typeof wordsOf>; onSession: (s: Session) => void }) {
  const { t } = props;
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      props.onSession(await logIn(loginId, password));
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'unavailable';
      setProblem(t(ERROR_WORDS[code] ?? 'unavailable'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="login" onSubmit={(e) => void submit(e)}>
      <h1>{t('loginTitle')}</h1>
      <label>
        {t('loginId')}
        <input
          name="loginId"
          autocomplete="username"
          value={loginId}
          onInput={(e) => setLoginId(e.currentTarget.value)}
        />
      </label>
      <label>
        {t('password')}
        <input
          name="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      {problem !== null && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      <button type="submit" disabled={busy || loginId === '' || password === ''}>
        {t('logIn')}
      </button>
    </form>
  );
}

function App() {
  const [language, setLanguage] = useState<Language>(defaultLanguage());
  const [session, setSession] = useState<Session | null>(null);
  const t = wordsOf(language);
  return (
    <main>
      <header>
        <span class="app-name">{t('appName')}</span>
        <label>
          {t('language')}
          <select
            name="language"
            value={language}
            onChange={(e) => setLanguage(e.currentTarget.value === 'en' ? 'en' : 'ja')}
          >
            <option value="ja">日本語</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      {session === null ? (
        <LoginScreen t={t} onSession={setSession} />
      ) : (
        <section class="desk">
          <p class="welcome">{t('welcome', { name: session.agent.name })}</p>
          <BrowserPhonePanel token={session.token} language={language} />
          <button type="button" onClick={() => setSession(null)}>
            {t('logOut')}
          </button>
        </section>
      )}
    </main>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
