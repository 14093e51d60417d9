/**
 * Every agent with their live status and how long they have had it (the `agents` topic), and,
 * for supervisors allowed to (リアルタイム/エージェントステータス), the menu that changes it.
 */
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { clockText, secondsSince, useNow } from '../../ui/time';
import { useCustomStatuses } from '../desk/custom-statuses';
import { StatusLabel } from '../desk/status-label';
import { useAgents } from './agent-names';
import { StatusMenu } from './status-menu';

export function AgentBoard() {
  const { t } = useWords();
  const { state } = useTopic('agents');
  const names = useAgents();
  const custom = useCustomStatuses();
  const now = useNow();

  const rows = [...state.agents.values()].sort((a, b) => a.agentId - b.agentId);
  return (
    <table class="grid" data-testid="agent-board">
      <thead>
        <tr>
          <th>{t('status')}</th>
          <th>{t('name')}</th>
          <th>{t('extension')}</th>
          <th>{t('since')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.agentId} data-agent={a.agentId}>
            <td>
              <StatusLabel status={a} custom={custom} />
              <StatusMenu agentId={a.agentId} custom={custom} />
            </td>
            <td>{names.get(a.agentId)?.name ?? `#${a.agentId}`}</td>
            <td>{names.get(a.agentId)?.extension ?? ''}</td>
            <td>{clockText(secondsSince(a.since, now))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
