/** Who the agents are (name, extension), for screens whose live data carries only their ids. */
import type { ItemOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export type AgentRow = ItemOf<'/api/v1/agents'>;

export function useAgents(): Map<number, AgentRow> {
  const { api, can } = useSession();
  const { data } = useLoad(
    async () =>
      can('agents.view')
        ? (await api.call('get', '/api/v1/agents', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  return new Map((data ?? []).map((a) => [a.id, a]));
}
