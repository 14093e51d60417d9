/**
 * A business format's member checklist (§11-8 名称 / 内線, CRM権限 of §11-1): the agents who may
 * see its customers, saved at once with PUT …/agents.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import type { SectionProps } from '../../admin/descriptor';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useCrmWords } from './words';

export function FormatMembers(props: SectionProps) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const agents = useLoad(
    () => api.call('get', '/api/v1/agents', { query: { limit: '500' } }),
    [api],
  );
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  useEffect(() => {
    const ids = props.row.agentIds;
    setChosen(new Set(Array.isArray(ids) ? (ids as number[]) : []));
  }, [props.row]);

  async function save() {
    try {
      await api.call('put', '/api/v1/business-formats/{id}/agents', {
        path: { id: props.id },
        body: { agentIds: [...chosen] },
      });
      toast.done(w('saved'));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <div data-testid="format-members">
      <table class="grid">
        <thead>
          <tr>
            <th />
            <th>{w('memberName')}</th>
            <th>{w('extension')}</th>
          </tr>
        </thead>
        <tbody>
          {(agents.data?.items ?? []).map((a) => (
            <tr key={a.id} data-agent={a.id}>
              <td>
                <input
                  type="checkbox"
                  name={`member.${a.id}`}
                  aria-label={a.name}
                  checked={chosen.has(a.id)}
                  disabled={!can('business_formats.update')}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.currentTarget.checked) next.add(a.id);
                    else next.delete(a.id);
                    setChosen(next);
                  }}
                />
              </td>
              <td>{a.name}</td>
              <td>{a.extension}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {can('business_formats.update') && (
        <button type="button" data-testid="save-members" onClick={() => void save()}>
          {w('save')}
        </button>
      )}
    </div>
  );
}
