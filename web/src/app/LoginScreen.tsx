/** The login screen (§1): login ID and password, and the manual's words when refused. */
import { useState } from 'preact/hooks';
import { ApiError, createApiClient } from '../api/client';
import { useWords, type Words } from '../i18n';

const ERROR_WORDS: Record<string, keyof Words> = {
  invalid_credentials: 'invalidCredentials',
  account_locked: 'accountLocked',
  too_many_attempts: 'tooManyAttempts',
  unavailable: 'unavailable',
};

const api = createApiClient({ token: () => null });

export function LoginScreen(props: { notice: string | null; onToken: (token: string) => void }) {
  const { t } = useWords();
  const [loginId, setLoginId] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { token } = await api.call('post', '/api/v1/auth/login', {
        body: { loginId, password },
      });
      props.onToken(token);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'unavailable';
      setProblem(t(ERROR_WORDS[code] ?? 'unavailable'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="login card" onSubmit={(e) => void submit(e)}>
      <h1>{t('loginTitle')}</h1>
      {props.notice !== null && <p class="notice">{props.notice}</p>}
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
      <button type="submit" class="primary" disabled={busy || loginId === '' || password === ''}>
        {t('logIn')}
      </button>
    </form>
  );
}
