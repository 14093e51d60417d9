/**
 * The applications on the right (§2 ⑤): the phone, presence and chat, one shown at a time by its
 * icon, on every screen.
 */
import { useState } from 'preact/hooks';
import { useWords, type Words } from '../i18n';
import { PhonePanel } from '../screens/phone/PhonePanel';
import { useSession } from '../session';

type App = 'phone';

const APPS: { app: App; title: keyof Words; icon: string }[] = [
  { app: 'phone', title: 'phone', icon: '☎' },
];

export function AppsPanel() {
  const { t } = useWords();
  const { can } = useSession();
  const [shown, setShown] = useState<App>('phone');
  if (!can('tab_menu.crm')) return null;
  return (
    <aside class="apps" data-testid="apps">
      <nav class="app-icons">
        {APPS.map((a) => (
          <button
            type="button"
            key={a.app}
            class={a.app === shown ? 'active' : ''}
            title={t(a.title)}
            onClick={() => setShown(a.app)}
          >
            {a.icon}
          </button>
        ))}
      </nav>
      {shown === 'phone' && <PhonePanel />}
    </aside>
  );
}
