/**
 * The realtime group table (§10-1): one row per group and the "All" row, live from the `groups`
 * topic. Rows are reordered by dragging the ☰ handle; the order is this supervisor's own view,
 * kept in the browser. 📁 opens the group's detail.
 */
import { useState } from 'preact/hooks';
import type { GroupStats } from '../../feed/topics';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';

/** The server's rate is already in % with 2 decimals (33.33 for 2 of 6). */
const percent = (rate: number | null) => (rate === null ? '-' : `${rate.toFixed(2)}%`);

function orderKey(agentId: number) {
  return `callcenter.groupOrder.${agentId}`;
}

function savedOrder(agentId: number): number[] {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(orderKey(agentId)) ?? '[]');
    return Array.isArray(raw) ? raw.filter((n): n is number => typeof n === 'number') : [];
  } catch {
    return [];
  }
}

/** The groups in the saved order; groups not in it (new ones) after, in the server's order. */
export function inOrder(groups: GroupStats[], order: number[]): GroupStats[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  return [...groups].sort(
    (a, b) => (rank.get(a.groupId ?? -1) ?? Infinity) - (rank.get(b.groupId ?? -1) ?? Infinity),
  );
}

function Row(props: { row: GroupStats; handle?: preact.ComponentChildren }) {
  const r = props.row;
  return (
    <>
      <td>{props.handle}</td>
      <td>{r.extension ?? ''}</td>
      <td class="name">
        {r.groupId !== null ? <a href={`#/supervisor/groups/${r.groupId}`}>{r.name}</a> : r.name}
      </td>
      <td data-col="answered">{r.answered}</td>
      <td data-col="abandoned">{r.abandoned}</td>
      <td data-col="overflow">{r.overflow}</td>
      <td data-col="timedOut">{r.timedOut}</td>
      <td data-col="answerRate">{percent(r.answerRate)}</td>
      <td data-col="agents">
        {r.online} / {r.total}
      </td>
      <td data-col="onCall">{r.onCall}</td>
      <td data-col="available">{r.available}</td>
      <td data-col="paused">{r.paused}</td>
      <td data-col="waiting">{r.waiting}</td>
    </>
  );
}

export function GroupTable() {
  const { t } = useWords();
  const { me } = useSession();
  const { state } = useTopic('groups');
  const [order, setOrder] = useState(() => savedOrder(me.id));
  const [dragged, setDragged] = useState<number | null>(null);
  const rows = inOrder(state.groups, order);

  function drop(onto: number) {
    if (dragged === null || dragged === onto) return;
    const ids = rows.map((r) => r.groupId ?? -1).filter((id) => id !== dragged);
    ids.splice(ids.indexOf(onto), 0, dragged);
    localStorage.setItem(orderKey(me.id), JSON.stringify(ids));
    setOrder(ids);
    setDragged(null);
  }

  return (
    <table class="grid" data-testid="group-table">
      <thead>
        <tr>
          <th />
          <th>{t('extension')}</th>
          <th>{t('group')}</th>
          <th>{t('answered')}</th>
          <th>{t('abandoned')}</th>
          <th>{t('overflow')}</th>
          <th>{t('timedOut')}</th>
          <th>{t('answerRate')}</th>
          <th>{t('agentsOnline')}</th>
          <th>{t('onCall')}</th>
          <th>{t('available')}</th>
          <th>{t('paused')}</th>
          <th>{t('waiting')}</th>
        </tr>
      </thead>
      <tbody>
        {state.all !== null && (
          <tr class="all-row" data-group="all">
            <Row row={state.all} />
          </tr>
        )}
        {rows.map((r) => (
          <tr
            key={r.groupId}
            data-group={r.groupId}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => drop(r.groupId ?? -1)}
          >
            <Row
              row={r}
              handle={
                <span
                  class="drag-handle"
                  draggable
                  title={t('dragToReorder')}
                  onDragStart={() => setDragged(r.groupId)}
                >
                  ☰
                </span>
              }
            />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
