/**
 * The application: the login screen until a session is open, then the screen layout of §2 — the
 * status bar on top (①), the tabs (②), the tab's pages on the left (④), the page in the centre
 * (③) — with the feed's connection state shown whenever it is not live.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { FeedContext } from '../feed/use-topic';
import { defaultLanguage, LanguageContext, useWords, wordsOf, type Language } from '../i18n';
import { openSession, savedToken, SessionContext, useSession, type Session } from '../session';
import { ToastView } from '../ui/toast';
import { LoginScreen } from './LoginScreen';
import { match, navigate, usePath } from './router';
import { allowed, SCREENS, type Screen } from './screens';
import { CrmAutoSearch } from '../screens/crm/CrmAutoSearch';
import { CampaignCalls } from '../screens/campaign-agent/CampaignCalls';
import { RecallGadget } from '../screens/campaign-agent/RecallGadget';
import { AppsPanel } from './AppsPanel';
import { StatusBar } from './StatusBar';
import { TABS } from './tabs';

function ConnectionBanner() {
  const { t } = useWords();
  const { feed } = useSession();
  if (feed.connection.value !== 'lost') return null;
  return (
    <div class="banner lost" role="alert" data-testid="connection-lost">
      {t('connectionLost')}
    </div>
  );
}

function Shell(props: { language: Language; onLanguage: (l: Language) => void }) {
  const session = useSession();
  const { t } = useWords();
  const path = usePath();
  const visible = SCREENS.filter(
    (s) =>
      allowed(s, session.can) &&
      session.can(TABS.find((tab) => tab.tab === s.tab)?.permission ?? ''),
  );
  const found = visible
    .map((screen) => ({ screen, params: match(screen.path, path) }))
    .find((m): m is { screen: Screen; params: Record<string, string> } => m.params !== null);
  const first = visible.find((s) => s.inMenu === true);
  useEffect(() => {
    if (found === undefined && first !== undefined) navigate(first.path);
  }, [found, first]);
  const tab = found?.screen.tab;
  const tabs = TABS.filter(
    (t) => session.can(t.permission) && visible.some((s) => s.tab === t.tab),
  );

  return (
    <div class="shell">
      <header class="top">
        <span class="app-name">{t('appName')}</span>
        <StatusBar />
        <span class="spacer" />
        {session.can('recall_gadget.view') && <RecallGadget />}
        <span class="user" data-testid="user-name">
          {session.me.name}
        </span>
        <LanguageSelect language={props.language} onLanguage={props.onLanguage} />
        <button type="button" data-testid="log-out" onClick={() => void session.logOut()}>
          {t('logOut')}
        </button>
      </header>
      <nav class="tabs" data-testid="tabs">
        {tabs.map((entry) => {
          const target = visible.find((s) => s.tab === entry.tab && s.inMenu === true);
          return (
            <a
              key={entry.tab}
              href={`#${target?.path ?? '/'}`}
              class={entry.tab === tab ? 'active' : ''}
              data-tab={entry.tab}
            >
              {t(entry.title)}
            </a>
          );
        })}
      </nav>
      <ConnectionBanner />
      <ToastView />
      <CampaignCalls />
      {session.me.crmAutoSearch && session.can('customers.view') && <CrmAutoSearch />}
      <div class="body">
        <nav class="pages" data-testid="pages">
          {visible
            .filter((s) => s.tab === tab && s.inMenu === true)
            .map((s) => (
              <a key={s.path} href={`#${s.path}`} class={s === found?.screen ? 'active' : ''}>
                {t(s.title)}
              </a>
            ))}
        </nav>
        <main class="centre">
          {found !== undefined && <found.screen.view params={found.params} />}
        </main>
        <AppsPanel />
      </div>
    </div>
  );
}

function LanguageSelect(props: { language: Language; onLanguage: (l: Language) => void }) {
  const { t } = useWords();
  return (
    <label class="language">
      <span>{t('language')}</span>
      <select
        name="language"
        value={props.language}
        onChange={(e) => props.onLanguage(e.currentTarget.value === 'en' ? 'en' : 'ja')}
      >
        <option value="ja">日本語</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

const LANGUAGE_KEY = 'callcenter.language';

/** The language chosen on this browser before logging in, if any. */
function browserChoice(): Language | null {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  return saved === 'ja' || saved === 'en' ? saved : null;
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [beforeLogin, setBeforeLogin] = useState<Language>(browserChoice() ?? defaultLanguage());
  const [notice, setNotice] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(savedToken() !== null);
  // Logged in: the agent's own setting (固有設定). Before: this browser's choice, or its language.
  const language = session?.me.language ?? beforeLogin;
  const words = useMemo(() => ({ language, t: wordsOf(language) }), [language]);

  function choose(chosen: Language) {
    localStorage.setItem(LANGUAGE_KEY, chosen);
    setBeforeLogin(chosen);
    if (session === null || !session.can('personal_settings.update')) return;
    session.changeMe({ language: chosen }).catch(() => undefined);
  }

  async function open(token: string) {
    try {
      const opened = await openSession(
        token,
        (how) => {
          setSession(null);
          setNotice(how === 'ended' ? wordsOf(language)('sessionEnded') : null);
        },
        (me) => setSession((current) => (current === null ? null : current.withMe(me))),
      );
      setNotice(null);
      setSession(opened);
    } catch {
      setSession(null);
    } finally {
      setRestoring(false);
    }
  }

  useEffect(() => {
    const token = savedToken();
    if (token !== null) void open(token);
    // Only on the page's first render: a saved session is reopened once.
  }, []);

  return (
    <LanguageContext.Provider value={words}>
      {session === null ? (
        <div class="login-page">
          <header class="top">
            <span class="app-name">{words.t('appName')}</span>
            <span class="spacer" />
            <LanguageSelect language={language} onLanguage={choose} />
          </header>
          {!restoring && <LoginScreen notice={notice} onToken={(token) => void open(token)} />}
        </div>
      ) : (
        <SessionContext.Provider value={session}>
          <FeedContext.Provider value={session.feed}>
            <Shell language={language} onLanguage={choose} />
          </FeedContext.Provider>
        </SessionContext.Provider>
      )}
    </LanguageContext.Provider>
  );
}
