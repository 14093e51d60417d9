/** ホーム: the agent's own calls as they happen (the CRM's customer screens come later). */
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';

export function DeskScreen() {
  const { t } = useWords();
  const { state } = useTopic('calls');
  return (
    <section class="screen desk">
      <h2>{t('tabDesk')}</h2>
      <ul data-testid="my-calls">
        {[...state.calls.values()].map((c) => (
          <li key={c.id}>
            {c.from.number} → {c.to} ({c.state})
          </li>
        ))}
      </ul>
    </section>
  );
}
