/**
 * One seat layout, live (§10-7): each seat shows its terminal, the agent on it (hot-desked on
 * it, else linked to it) and that agent's status from the `agents` topic, in the status's
 * colours (a custom status's own); walls, pillars, desks and labels drawn where they stand.
 */
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useCustomStatuses } from '../desk/custom-statuses';
import { StatusLabel } from '../desk/status-label';
import { Plan, placeStyle, seatLook, useFit, type LayoutItem } from './seat-plan';
import { useFloorWords } from './words';
import type { ScreenProps } from '../../app/screens';
import './floor.css';

export function SeatLayoutScreen({ params }: ScreenProps) {
  const w = useFloorWords();
  const { api, can } = useSession();
  const id = Number(params.id);
  // Read again whenever someone saves this layout (the `seat_layouts` topic says so).
  const changes = useTopic('seat_layouts').state.changes.get(id) ?? 0;
  const { data: layout } = useLoad(
    () => api.call('get', '/api/v1/seat-layouts/{id}', { path: { id } }),
    [api, id, changes],
  );
  const { state } = useTopic('agents');
  const custom = useCustomStatuses();
  const { frame, scale } = useFit(layout?.width ?? 1);
  if (layout === undefined) return <section class="screen" />;

  const item = (it: LayoutItem, index: number) => {
    const style = placeStyle(it, scale);
    if (it.kind !== 'seat')
      return (
        <div key={index} class={`plan-item object kind-${it.kind}`} style={style}>
          {it.kind === 'label' ? it.label : ''}
        </div>
      );
    const status = it.agent === null ? undefined : state.agents.get(it.agent.id);
    const look = seatLook(status, custom);
    return (
      <div
        key={index}
        class={`plan-item seat seat-${look.status}`}
        data-terminal={it.terminalId}
        data-agent={it.agent?.id}
        style={{ ...style, ...look.style }}
      >
        <span class="seat-terminal">{it.terminal.name}</span>
        <span class="seat-agent">
          {it.agent === null
            ? w('vacant')
            : `${it.agent.extension ?? ''} ${it.agent.nickname || it.agent.name}`.trim()}
        </span>
        {it.agent !== null && <StatusLabel status={status} custom={custom} />}
      </div>
    );
  };

  return (
    <section class="screen floor-layout" data-testid="seat-layout">
      <div class="toolbar">
        <h2>{layout.name}</h2>
        <a href="#/supervisor/seat-layouts">{w('back')}</a>
        {can('seat_layouts.update') && (
          <a href={`#/supervisor/seat-layouts/${layout.id}/edit`} data-testid="edit-layout">
            {w('edit')}
          </a>
        )}
      </div>
      <div class="plan-frame" ref={frame}>
        <Plan width={layout.width} height={layout.height} scale={scale} testid="seat-plan">
          {layout.items.map(item)}
        </Plan>
      </div>
    </section>
  );
}
