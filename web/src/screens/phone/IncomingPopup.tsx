/**
 * The incoming-call pop-up (§5, §11-5): when a call rings the agent — the number calling, the
 * number called, the DID's message and its pop-up URL (@@@@ already replaced by the server) —
 * and, once answered, the DID's answer URL. It stays until dismissed, so the agent can read the
 * message after picking up. The agent's settings may also open those URLs by themselves and
 * notify the desktop (call-popups.ts).
 */
import { useRef, useState } from 'preact/hooks';
import type { LiveCall } from '../../feed/topics';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useCallPopups } from './call-popups';
import { myLeg, useMyCalls } from './my-calls';

export function IncomingPopup() {
  const { t } = useWords();
  const { me } = useSession();
  const calls = useMyCalls();
  useCallPopups(calls);
  // The calls that rang me, as last seen: the pop-up outlives the call's end, until dismissed.
  const seen = useRef(new Map<string, LiveCall>()).current;
  const dismissed = useRef(new Set<string>()).current;
  const [, rerender] = useState(0);

  // A call rings me when my leg on it rings and I am not the caller.
  const ringing = calls.filter((c) => {
    const leg = myLeg(c, me.id);
    return leg !== undefined && leg.role === 'callee' && c.direction !== 'outbound';
  });
  for (const c of ringing) seen.set(c.id, c);
  // A dismissed call that has ended cannot ring again: both are forgotten.
  for (const id of dismissed) {
    if (calls.some((c) => c.id === id)) continue;
    dismissed.delete(id);
    seen.delete(id);
  }
  const shown = [...seen.values()].filter((c) => !dismissed.has(c.id));
  const call = shown.at(-1);
  if (call === undefined) return null;
  const live = calls.find((c) => c.id === call.id) ?? call;
  const url =
    live.state === 'up' ? (live.popup.answerUrl ?? live.popup.incomingUrl) : live.popup.incomingUrl;

  return (
    <div
      class="popup card"
      role="dialog"
      aria-label={t('incomingCall')}
      data-testid="incoming-popup"
    >
      <h3>
        {t('incomingCall')} — {t(`callState_${live.state}`)}
      </h3>
      <dl>
        <dt>{t('from')}</dt>
        <dd data-testid="popup-from">
          {live.from.number} {live.from.name}
        </dd>
        <dt>{t('ourNumber')}</dt>
        <dd data-testid="popup-our-number">{live.ourNumber ?? live.to}</dd>
        {live.customers.length > 0 && (
          <>
            <dt>{t('crmCustomersOfCall')}</dt>
            <dd class="popup-customers" data-testid="popup-customers">
              {live.customers.map((c) => (
                <a key={c.id} href={`#/crm/customers/${c.id}`} data-customer={c.id}>
                  {c.displayId} {c.name} ({c.formatName})
                </a>
              ))}
            </dd>
          </>
        )}
      </dl>
      {live.popup.message !== null && (
        <p class="popup-message" data-testid="popup-message">
          {live.popup.message}
        </p>
      )}
      {url !== null && (
        <a href={url} target="_blank" rel="noopener noreferrer" data-testid="popup-url">
          {t('openPopupUrl')}
        </a>
      )}
      <button
        type="button"
        onClick={() => {
          dismissed.add(call.id);
          rerender((n) => n + 1);
        }}
      >
        {t('dismiss')}
      </button>
    </div>
  );
}
