/**
 * A logged-in session in the browser: the token (kept in sessionStorage, so a reload stays
 * logged in and closing the tab ends it), who is logged in with their permissions, the API client
 * and the realtime feed. The server decides every permission; `can` only hides what would be
 * refused.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { createApiClient, type Answer, type ApiClient, type BodyOf } from './api/client';
import { Feed, feedUrl } from './feed/feed';

export type Me = Answer<'/api/v1/me', 'get'>;
/** What one may change of one's own settings (固有設定). */
export type MyChange = BodyOf<'/api/v1/me', 'patch'>;

export interface Session {
  token: string;
  me: Me;
  api: ApiClient;
  feed: Feed;
  can: (permission: string) => boolean;
  /** The same session with `me` as the server answers it after a change of one's settings. */
  withMe: (me: Me) => Session;
  /** Saves a change of my own settings; the page then renders with the changed `me`. */
  changeMe: (change: MyChange) => Promise<Me>;
  /** Ends the session on the server and in the page. */
  logOut: () => Promise<void>;
}

const TOKEN_KEY = 'callcenter.token';

export const savedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);

/**
 * Opens a session for a token (just issued by a login, or saved by an earlier page): reads who
 * it belongs to and connects the feed. `onEnded` hears that the server has ended it.
 */
export async function openSession(
  token: string,
  onEnded: (how: 'logged_out' | 'ended') => void,
  onMe: (me: Me) => void,
): Promise<Session> {
  let ended = false;
  let feed: Feed | null = null;
  const end = (how: 'logged_out' | 'ended') => {
    if (ended) return;
    ended = true;
    sessionStorage.removeItem(TOKEN_KEY);
    feed?.close();
    onEnded(how);
  };
  const api = createApiClient({ token: () => token, onUnauthorized: () => end('ended') });
  const me = await api.call('get', '/api/v1/me');
  sessionStorage.setItem(TOKEN_KEY, token);
  const permissions = new Set<string>(me.permissions);
  feed = new Feed(feedUrl(token), () => end('ended'));
  const session: Session = {
    token,
    me,
    api,
    feed,
    can: (permission) => permissions.has(permission),
    withMe: (changed) => ({ ...session, me: changed }),
    changeMe: async (change) => {
      const changed = await api.call('patch', '/api/v1/me', { body: change });
      onMe(changed);
      return changed;
    },
    logOut: async () => {
      try {
        await api.call('post', '/api/v1/auth/logout');
      } finally {
        end('logged_out');
      }
    },
  };
  return session;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside a session');
  return session;
}
