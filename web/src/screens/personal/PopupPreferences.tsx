/**
 * 着信ポップアップ / 応答ポップアップ / ポップアップの設定 and the desktop notifications of
 * §12-3 (the manual's Chrome通知, here the browser's own Notification API: no extension needed).
 * Turning a notification on asks the browser's permission, since that is when the agent is
 * looking at the page and expects the question.
 */
import { useState } from 'preact/hooks';
import { useWords } from '../../i18n';
import { useSession, type Me, type MyChange } from '../../session';

type Preferences = Required<
  Pick<
    MyChange,
    | 'popupOnIncoming'
    | 'popupOnAnswer'
    | 'popupWindow'
    | 'notifyExternalCalls'
    | 'notifyInternalCalls'
    | 'crmAutoSearch'
  >
>;

const preferencesOf = (me: Me): Preferences => ({
  popupOnIncoming: me.popupOnIncoming,
  popupOnAnswer: me.popupOnAnswer,
  popupWindow: me.popupWindow,
  notifyExternalCalls: me.notifyExternalCalls,
  notifyInternalCalls: me.notifyInternalCalls,
  crmAutoSearch: me.crmAutoSearch,
});

/** Asks for the browser's permission to notify; false when it is refused or not offered. */
async function notificationsAllowed(): Promise<boolean> {
  if (!('Notification' in window)) return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

export function PopupPreferences(props: { onSave: (change: MyChange) => void }) {
  const { t } = useWords();
  const { me } = useSession();
  const [chosen, setChosen] = useState<Preferences>(preferencesOf(me));
  const [blocked, setBlocked] = useState(false);

  const set = (change: Partial<Preferences>) => setChosen({ ...chosen, ...change });
  const notify = async (key: 'notifyExternalCalls' | 'notifyInternalCalls', on: boolean) => {
    const allowed = !on || (await notificationsAllowed());
    setBlocked(!allowed);
    set({ [key]: on && allowed });
  };
  const check = (key: keyof Preferences, onChange: (on: boolean) => void) => (
    <label class="field">
      <span>{t(key)}</span>
      <input
        type="checkbox"
        name={key}
        checked={chosen[key] === true}
        onChange={(e) => onChange(e.currentTarget.checked)}
      />
    </label>
  );

  return (
    <form
      class="resource-form"
      data-testid="popup-preferences"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(chosen);
      }}
    >
      <h3>{t('popupsAndNotifications')}</h3>
      {check('popupOnIncoming', (on) => set({ popupOnIncoming: on }))}
      {check('popupOnAnswer', (on) => set({ popupOnAnswer: on }))}
      <label class="field">
        <span>{t('popupWindow')}</span>
        <select
          name="popupWindow"
          value={chosen.popupWindow}
          onChange={(e) =>
            set({ popupWindow: e.currentTarget.value === 'new_tab' ? 'new_tab' : 'same_tab' })
          }
        >
          <option value="same_tab">{t('popupWindow_same_tab')}</option>
          <option value="new_tab">{t('popupWindow_new_tab')}</option>
        </select>
      </label>
      {check('notifyExternalCalls', (on) => void notify('notifyExternalCalls', on))}
      {check('notifyInternalCalls', (on) => void notify('notifyInternalCalls', on))}
      {blocked && <p class="problem">{t('notificationsBlocked')}</p>}
      {check('crmAutoSearch', (on) => set({ crmAutoSearch: on }))}
      <div class="toolbar">
        <button type="submit" class="primary" data-testid="save-popups">
          {t('save')}
        </button>
      </div>
    </form>
  );
}
