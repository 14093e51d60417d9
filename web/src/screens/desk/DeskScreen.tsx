/**
 * ホーム: the agent's calls as they happen, with the incoming-call pop-up and the park list
 * (the CRM's customer screens join it later).
 */
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { IncomingPopup } from '../phone/IncomingPopup';
import { myLeg, otherParty, useMyCalls } from '../phone/my-calls';
import { ParkList } from '../phone/ParkList';

export function DeskScreen() {
  const { t } = useWords();
  const { me } = useSession();
  const calls = useMyCalls();
  return (
    <section class="screen desk">
      <h2>{t('tabDesk')}</h2>
      <IncomingPopup />
      <h3>{t('myCalls')}</h3>
      <ul data-testid="my-calls">
        {calls.map((c) => (
          <li key={c.id} data-call={c.id} data-state={c.state}>
            {otherParty(c, me.id)} —{' '}
            {t(`callState_${myLeg(c, me.id)?.state === 'ringing' ? 'ringing' : c.state}`)}
          </li>
        ))}
      </ul>
      <ParkList />
    </section>
  );
}
