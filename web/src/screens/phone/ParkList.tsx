/**
 * The park list (§5-3): the parked calls by slot, live, each with its pickup (コールバック) to
 * one's own phone. `ParkedTable` is shared with the supervisor's parked-calls screen, which adds
 * who parked each call.
 */
import type { ComponentChildren } from 'preact';
import { problemOf } from '../../api/client';
import type { ParkedCall } from '../../feed/topics';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { clockText, secondsSince, useNow } from '../../ui/time';

/** Picks a parked call up: the session's own phones ring (the outcome follows on the feed). */
export function usePickUp(): (slot: string) => Promise<void> {
  const { api } = useSession();
  const toast = useToast();
  return async (slot) => {
    try {
      await api.call('post', '/api/v1/parked-calls/{slot}/pickup', { path: { slot }, body: {} });
    } catch (err) {
      toast.problem(problemOf(err));
    }
  };
}

/** An extra column of the table: its heading and its cell for a parked call. */
export interface ParkedColumn {
  title: string;
  cell: (parked: ParkedCall) => ComponentChildren;
}

/** The parked calls, live from the `parked` topic, with the time each has waited (ticking). */
export function ParkedTable(props: { columns?: ParkedColumn[] }) {
  const { t } = useWords();
  const { state } = useTopic('parked');
  const now = useNow();
  const pickUp = usePickUp();
  const columns = props.columns ?? [];
  return (
    <table class="grid" data-testid="park-list">
      <thead>
        <tr>
          <th>{t('slot')}</th>
          <th>{t('from')}</th>
          {columns.map((c) => (
            <th key={c.title}>{c.title}</th>
          ))}
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
            {columns.map((c) => (
              <td key={c.title}>{c.cell(p)}</td>
            ))}
            <td class="duration" data-col="since">
              {clockText(secondsSince(p.parkedAt, now))}
            </td>
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
  );
}

export function ParkList() {
  const { t } = useWords();
  return (
    <section class="park-list">
      <h3>{t('parkedCalls')}</h3>
      <ParkedTable />
    </section>
  );
}
