/**
 * A role's permissions as the matrix of §11-13 (権限設定): one row per area, one checkbox per
 * action, and one for the whole area. The areas and actions are the server's
 * (GET /roles/permissions), labelled in Japanese by the server and in English here.
 */
import { useSession } from '../session';
import { useLoad } from '../ui/resource';
import { PERMISSIONS_EN, useAdminWords } from './words';

export function PermissionMatrix(props: {
  name: string;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { api } = useSession();
  const say = useAdminWords();
  const matrix = useLoad(() => api.call('get', '/api/v1/roles/permissions'), [api]);
  const chosen = new Set(Array.isArray(props.value) ? (props.value as string[]) : []);
  const english = say.language === 'en';
  const set = (permissions: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const p of permissions) {
      if (on) next.add(p);
      else next.delete(p);
    }
    props.onChange([...next].sort());
  };
  return (
    <table class="grid matrix" data-field={props.name} style={{ gridColumn: '1 / -1' }}>
      <tbody>
        {matrix.data?.areas.map((area) => {
          const all = area.actions.map((a) => a.permission);
          const every = all.every((p) => chosen.has(p));
          return (
            <tr key={area.area} data-area={area.area}>
              <th>
                <label>
                  <input
                    type="checkbox"
                    name={`area.${area.area}`}
                    checked={every}
                    onChange={(e) => set(all, e.currentTarget.checked)}
                  />
                  {english ? (PERMISSIONS_EN.areas[area.area] ?? area.label) : area.label}
                </label>
              </th>
              <td>
                {area.actions.map((a) => (
                  <label key={a.permission} style={{ marginRight: '12px', whiteSpace: 'nowrap' }}>
                    <input
                      type="checkbox"
                      name={`permission.${a.permission}`}
                      checked={chosen.has(a.permission)}
                      onChange={(e) => set([a.permission], e.currentTarget.checked)}
                    />
                    {english
                      ? (PERMISSIONS_EN.actions[a.permission] ??
                        PERMISSIONS_EN.actions[a.action] ??
                        a.label)
                      : a.label}
                  </label>
                ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
