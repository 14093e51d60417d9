/** A call list's グループ (A.9.2): the groups, several may be ticked. */
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export function GroupChoice(props: {
  value: readonly number[];
  onChange: (ids: number[]) => void;
  disabled?: boolean;
}) {
  const { api } = useSession();
  const groups = useLoad(
    async () => (await api.call('get', '/api/v1/groups', { query: { limit: '500' } })).items,
    [api],
  );
  return (
    <span class="group-choice" data-testid="groups">
      {(groups.data ?? []).map((g) => (
        <label key={g.id}>
          <input
            type="checkbox"
            name={`group.${g.id}`}
            disabled={props.disabled === true}
            checked={props.value.includes(g.id)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked
                  ? [...props.value, g.id]
                  : props.value.filter((id) => id !== g.id),
              )
            }
          />
          {g.name}
        </label>
      ))}
    </span>
  );
}
