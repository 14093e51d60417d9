/** The custom statuses (§11-10) the status menu offers, read once per screen. */
import type { ItemOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export type CustomStatus = ItemOf<'/api/v1/agent-statuses'>;

export function useCustomStatuses(): CustomStatus[] {
  const { api } = useSession();
  const { data } = useLoad(() => api.call('get', '/api/v1/agent-statuses'), [api]);
  return data?.items ?? [];
}
