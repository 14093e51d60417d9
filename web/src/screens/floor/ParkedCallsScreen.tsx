/**
 * SV › パーク保留 (§5-3 for supervisors): every parked call, live from the `parked` topic — slot,
 * caller, who parked it, how long it has waited — with the pickup to the supervisor's own phone.
 * The table is the phone panel's park list with a "parked by" column.
 */
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { ParkedTable } from '../phone/ParkList';
import { useAgents } from '../supervisor/agent-names';
import { useFloorWords } from './words';
import './floor.css';

export function ParkedCallsScreen() {
  const { t } = useWords();
  const w = useFloorWords();
  const names = useAgents();
  const { state } = useTopic('parked');
  const parker = (agentId: number | null) => {
    if (agentId === null) return '';
    const agent = names.get(agentId);
    return agent === undefined ? `#${agentId}` : `${agent.extension ?? ''} ${agent.name}`.trim();
  };
  return (
    <section class="screen floor-parked" data-testid="parked-calls">
      <h2>{t('parkedCalls')}</h2>
      <p class="notice">{w('pickUpHint')}</p>
      <ParkedTable
        columns={[
          {
            title: w('parkedBy'),
            cell: (p) => <span class="parker">{parker(p.parkerAgentId)}</span>,
          },
        ]}
      />
      {state.parked.length === 0 && <p class="notice">{w('noParked')}</p>}
    </section>
  );
}
