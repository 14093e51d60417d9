/**
 * A supervisor's menu that changes an agent's status (リアルタイム/エージェントステータス): available,
 * paused or a custom status, for all the agent's groups (PUT /agents/{id}/status), as the agent's
 * own status buttons do. Shown only with the permission.
 */
import { problemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import type { CustomStatus } from '../desk/custom-statuses';

export function StatusMenu(props: { agentId: number; custom: CustomStatus[] }) {
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  if (!can('realtime.agent_status')) return null;

  async function force(value: string) {
    const body =
      value === 'available'
        ? { status: 'available' as const }
        : { status: 'paused' as const, customStatusId: value === 'paused' ? null : Number(value) };
    try {
      await api.call('put', '/api/v1/agents/{id}/status', { path: { id: props.agentId }, body });
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <select
      aria-label={t('statusFor')}
      value=""
      onChange={(e) => void force(e.currentTarget.value)}
    >
      <option value="">…</option>
      <option value="available">{t('status_available')}</option>
      <option value="paused">{t('status_paused')}</option>
      {props.custom.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  );
}
