/**
 * The applications on the right (§2 ⑤): the phone, presence and chat, one shown at a time by its
 * icon, on every screen. The others stay mounted, hidden: a registered browser phone must
 * outlive a look at the chat, and the chat must hear an alert while the phone is shown.
 */
import { useState } from 'preact/hooks';
import { useWords, type Words } from '../i18n';
import { BrowserPhonePanel } from '../phone/BrowserPhonePanel';
import { ChatPanel } from '../screens/chat/ChatPanel';
import { PhonePanel } from '../screens/phone/PhonePanel';
import { PresencePanel } from '../screens/presence/PresencePanel';
import { useSession } from '../session';

type App = 'phone' | 'presence' | 'chat';

const APPS: { app: App; title: keyof Words; permission: string }[] = [
  { app: 'phone', title: 'phone', permission: 'tab_menu.crm' },
  { app: 'presence', title: 'presence', permission: 'chat.view' },
  { app: 'chat', title: 'chat', permission: 'chat.view' },
];

export function AppsPanel() {
  const { t } = useWords();
  const { can } = useSession();
  const [shown, setShown] = useState<App>('phone');
  const [chatWith, setChatWith] = useState<number | null>(null);
  const apps = APPS.filter((a) => can(a.permission));
  if (apps.length === 0) return null;
  return (
    <aside class="apps" data-testid="apps">
      <nav class="app-icons">
        {apps.map((a) => (
          <button
            type="button"
            key={a.app}
            data-app={a.app}
            class={a.app === shown ? 'active' : ''}
            onClick={() => setShown(a.app)}
          >
            {t(a.title)}
          </button>
        ))}
      </nav>
      {can('tab_menu.crm') && (
        <div hidden={shown !== 'phone'}>
          {can('phone.browser_phone') && <BrowserPhonePanel />}
          <PhonePanel />
        </div>
      )}
      {can('chat.view') && (
        <>
          <div hidden={shown !== 'presence'}>
            <PresencePanel
              onChat={(agentId) => {
                setChatWith(agentId);
                setShown('chat');
              }}
            />
          </div>
          <div hidden={shown !== 'chat'}>
            <ChatPanel to={chatWith} />
          </div>
        </>
      )}
    </aside>
  );
}
