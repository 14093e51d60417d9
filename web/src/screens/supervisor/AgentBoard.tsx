/**
 * Every agent with their live status and how long they have had it (the `agents` topic), and,
 * for supervisors allowed to (リアルタイム/エージェントステータス), the menu that changes it.
 */
import { problemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { clockText, secondsSince, useNow } from '../../ui/time';
import { useCustomStatuses } from '../desk/custom-statuses';
import { StatusLabel } from '../desk/status-label';
import { useAgents } from './agent-names';
import { useToast } from '../../ui/toast';

export function AgentBoard() {
  const { t } = useWords();
  const { api, can } = useSession();
  const { state } = useTopic('agents');
  const names = useAgents();
  const custom = useCustomStatuses();
  const now = useNow();
  const toast = useToast();

  async function force(agentId: number, value: string) {
    const body =
      value === 'available'
        ? { status: 'available' as const }
        : { status: 'paused' as const, customStatusId: value === 'paused' ? null : Number(value) };
    try {
      await api.call('put', '/api/v1/agents/{id}/status', { path: { id: agentId }, body });
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

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
              {can('realtime.agent_status') && (
                <select
                  aria-label={t('statusFor')}
                  value=""
                  onChange={(e) => void force(a.agentId, e.currentTarget.value)}
                >
                  <option value="">…</option>
                  <option value="available">{t('status_available')}</option>
                  <option value="paused">{t('status_paused')}</option>
                  {custom.map((c) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
                </select>
              )}
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
