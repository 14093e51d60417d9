/** The park list (§5-3): the parked calls by slot, live, each with its pickup (コールバック). */
import { problemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { clockText, secondsSince, useNow } from '../../ui/time';

export function ParkList() {
  const { t } = useWords();
  const { api } = useSession();
  const toast = useToast();
  const { state } = useTopic('parked');
  const now = useNow();

  async function pickUp(slot: string) {
    try {
      await api.call('post', '/api/v1/parked-calls/{slot}/pickup', { path: { slot }, body: {} });
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="park-list">
      <h3>{t('parkedCalls')}</h3>
      <table class="grid" data-testid="park-list">
        <thead>
          <tr>
            <th>{t('slot')}</th>
            <th>{t('from')}</th>
            <th>{t('since')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {state.parked.map((p) => (
            <tr key={p.slot} data-slot={p.slot}>
              <td>{p.slot}</td>
              <td>
                {p.number} {p.name}
              </td>
              <td>{clockText(secondsSince(p.parkedAt, now))}</td>
              <td>
                <button
                  type="button"
                  data-testid={`pick-up-${p.slot}`}
                  onClick={() => void pickUp(p.slot)}
                >
                  {t('pickUp')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
