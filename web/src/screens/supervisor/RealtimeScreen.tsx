/** SV › リアルタイム (§10-1): the group table, the agents, and everyone back to available. */
import { problemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { AgentBoard } from './AgentBoard';
import { GroupTable } from './GroupTable';

export function RealtimeScreen() {
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();

  async function everyoneAvailable() {
    try {
      const { changed } = await api.call('post', '/api/v1/agents/status/available');
      toast.done(t('changedToAvailable', { count: changed }));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen realtime">
      <h2>{t('realtime')}</h2>
      <GroupTable />
      <div class="toolbar">
        <h3>{t('agents')}</h3>
        {can('realtime.agent_status') && (
          <button type="button" onClick={() => void everyoneAvailable()}>
            {t('backToAvailable')}
          </button>
        )}
      </div>
      <AgentBoard />
    </section>
  );
}
