/**
 * 固有設定 (§12): my nickname and language, my pop-ups and notifications, my password (the other
 * sessions end), and my terminals with their registration.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { PopupPreferences } from './PopupPreferences';
import { useToast } from '../../ui/toast';

export function PersonalScreen() {
  const { t } = useWords();
  const { api, me, can, changeMe } = useSession();
  const toast = useToast();
  const [nickname, setNickname] = useState(me.nickname);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const terminals = useLoad(() => api.call('get', '/api/v1/me/terminals'), [api]);

  async function act(what: () => Promise<unknown>) {
    setProblem(null);
    try {
      await what();
      toast.done(t('saved'));
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  return (
    <section class="screen personal">
      <h2>{t('tabPersonal')}</h2>
      {can('personal_settings.update') && (
        <form
          class="resource-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => changeMe({ nickname }));
          }}
        >
          <label class="field">
            <span>{t('nickname')}</span>
            <input
              name="nickname"
              value={nickname}
              onInput={(e) => setNickname(e.currentTarget.value)}
            />
          </label>
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="save-profile">
              {t('save')}
            </button>
          </div>
        </form>
      )}
      {can('personal_settings.update') && (
        <PopupPreferences onSave={(change) => void act(() => changeMe(change))} />
      )}
      {can('password.update') && (
        <form
          class="resource-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api.call('put', '/api/v1/me/password', {
                body: { currentPassword: current, newPassword: next },
              });
              setCurrent('');
              setNext('');
            });
          }}
        >
          <h3>{t('password')}</h3>
          <label class="field">
            <span>{t('currentPassword')}</span>
            <input
              name="currentPassword"
              type="password"
              autocomplete="current-password"
              value={current}
              onInput={(e) => setCurrent(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>{t('newPassword')}</span>
            <input
              name="newPassword"
              type="password"
              autocomplete="new-password"
              value={next}
              onInput={(e) => setNext(e.currentTarget.value)}
            />
          </label>
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="change-password">
              {t('save')}
            </button>
          </div>
        </form>
      )}
      {problem !== null && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      {can('my_terminals.view') && (
        <>
          <h3>{t('myTerminals')}</h3>
          <table class="grid" data-testid="my-terminals">
            <thead>
              <tr>
                <th>{t('sipUser')}</th>
                <th>{t('name')}</th>
                <th>{t('registered')}</th>
              </tr>
            </thead>
            <tbody>
              {terminals.data?.items.map((x) => (
                <tr key={x.id}>
                  <td>{x.sipUser}</td>
                  <td>{x.name}</td>
                  <td>{x.registered ? '✓' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
