/** One form field of a resource's detail screen, by its descriptor. */
import { textOf, type Choices, type Field, type Row } from './descriptor';
import { useWords } from '../i18n';
import { useSession } from '../session';
import { useLoad } from '../ui/resource';
import { PermissionMatrix } from './PermissionMatrix';
import { useAdminWords } from './words';

function useChoices(choices: Choices): readonly { value: string; label: string }[] {
  const { api } = useSession();
  const say = useAdminWords();
  const loaded = useLoad(async () => {
    if (choices.kind === 'fixed') return choices.options;
    if (choices.kind === 'enum')
      return choices.values.map((value) => ({ value, label: say.e(choices.name, value) }));
    const answer = (await api.raw('get', choices.path, { query: { limit: '500' } })) as {
      items: Row[];
    };
    return answer.items.map((row) => ({
      value: textOf(row[choices.value] as string | number),
      label: choices.label(row),
    }));
  }, [api, choices, say.language]);
  return loaded.data ?? [];
}

const text = textOf;

/** A route (着信先) as the form edits it: its type and its target in one field each. */
const ROUTE_TARGET: Record<string, string> = {
  agent: 'agentId',
  group: 'groupId',
  extension: 'extension',
  external_transfer: 'externalTransferId',
  ivr: 'ivrId',
  audio: 'audioFileId',
  voicemail: 'audioFileId',
};

function RouteInput(props: { value: unknown; onChange: (v: unknown) => void; name: string }) {
  const { t } = useWords();
  const route = (props.value ?? null) as Row | null;
  const type = route === null ? '' : text(route.type);
  const agents = useChoices(ROUTE_CHOICES.agent);
  const groups = useChoices(ROUTE_CHOICES.group);
  const transfers = useChoices(ROUTE_CHOICES.external_transfer);
  const ivrs = useChoices(ROUTE_CHOICES.ivr);
  const audioFiles = useChoices(ROUTE_CHOICES.audio);
  const options: Record<string, readonly { value: string; label: string }[]> = {
    agent: agents,
    group: groups,
    external_transfer: transfers,
    ivr: ivrs,
    audio: audioFiles,
    voicemail: audioFiles,
  };
  const targetName = ROUTE_TARGET[type];
  return (
    <span class="route-input">
      <select
        name={`${props.name}.type`}
        value={type}
        onChange={(e) => {
          const next = e.currentTarget.value;
          props.onChange(next === '' ? null : { type: next });
        }}
      >
        <option value="">{t('none')}</option>
        <option value="group">{t('group')}</option>
        <option value="agent">{t('agent')}</option>
        <option value="extension">{t('extension')}</option>
        <option value="external_transfer">{t('externalTransfer')}</option>
        <option value="ivr">{t('dest_ivr')}</option>
        <option value="audio">{t('dest_audio')}</option>
        <option value="voicemail">{t('dest_voicemail')}</option>
      </select>
      {targetName === 'extension' && (
        <input
          name={`${props.name}.extension`}
          value={text(route?.extension)}
          onInput={(e) => props.onChange({ type, extension: e.currentTarget.value })}
        />
      )}
      {targetName !== undefined && targetName !== 'extension' && (
        <select
          name={`${props.name}.${targetName}`}
          value={text(route?.[targetName])}
          onChange={(e) => props.onChange({ type, [targetName]: Number(e.currentTarget.value) })}
        >
          <option value="" />
          {(options[type] ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </span>
  );
}

const ROUTE_CHOICES = {
  agent: {
    kind: 'resource',
    path: '/api/v1/agents',
    value: 'id',
    label: (r: Row) => text(r.name),
  },
  group: { kind: 'resource', path: '/api/v1/groups', value: 'id', label: (r: Row) => text(r.name) },
  external_transfer: {
    kind: 'resource',
    path: '/api/v1/external-transfers',
    value: 'id',
    label: (r: Row) => text(r.name),
  },
  ivr: { kind: 'resource', path: '/api/v1/ivrs', value: 'id', label: (r: Row) => text(r.name) },
  audio: {
    kind: 'resource',
    path: '/api/v1/audio-files',
    value: 'id',
    label: (r: Row) => text(r.name),
  },
} as const satisfies Record<string, Choices>;

function SelectInput(props: {
  field: Extract<Field, { type: 'select' }>;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { field } = props;
  const options = useChoices(field.choices);
  return (
    <select
      name={field.name}
      value={text(props.value)}
      onChange={(e) => {
        const raw = e.currentTarget.value;
        props.onChange(raw === '' ? null : field.numeric === true ? Number(raw) : raw);
      }}
    >
      {field.nullable === true && <option value="" />}
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

function MultiInput(props: {
  field: Extract<Field, { type: 'multi' }>;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { field } = props;
  const options = useChoices(field.choices);
  const chosen = new Set((Array.isArray(props.value) ? props.value : []).map(text));
  return (
    <span class="multi" data-field={field.name}>
      {options.map((o) => (
        <label key={o.value}>
          <input
            type="checkbox"
            name={`${field.name}.${o.value}`}
            checked={chosen.has(o.value)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.currentTarget.checked) next.add(o.value);
              else next.delete(o.value);
              props.onChange([...next].map((v) => (field.numeric === true ? Number(v) : v)));
            }}
          />
          {o.label}
        </label>
      ))}
    </span>
  );
}

/** Agents checked into a group, each with a skill level (1 is rung first). */
export function MembersInput(props: { value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useWords();
  const agents = useChoices(ROUTE_CHOICES.agent);
  const members = (Array.isArray(props.value) ? props.value : []) as {
    agentId: number;
    skillLevel?: number;
  }[];
  const byAgent = new Map(members.map((m) => [m.agentId, m]));
  const set = (agentId: number, member: { agentId: number; skillLevel: number } | null) =>
    props.onChange(
      member === null
        ? members.filter((m) => m.agentId !== agentId)
        : byAgent.has(agentId)
          ? members.map((m) => (m.agentId === agentId ? member : m))
          : [...members, member],
    );
  return (
    <table class="grid members" data-field="members">
      <tbody>
        {agents.map((a) => {
          const agentId = Number(a.value);
          const member = byAgent.get(agentId);
          return (
            <tr key={a.value} data-agent={a.value}>
              <td>
                <label>
                  <input
                    type="checkbox"
                    name={`member.${a.value}`}
                    checked={member !== undefined}
                    onChange={(e) =>
                      set(agentId, e.currentTarget.checked ? { agentId, skillLevel: 1 } : null)
                    }
                  />
                  {a.label}
                </label>
              </td>
              <td>
                {member !== undefined && (
                  <label>
                    {t('skillLevel')}
                    <input
                      type="number"
                      min={1}
                      max={99}
                      name={`skill.${a.value}`}
                      value={member.skillLevel ?? 1}
                      onInput={(e) =>
                        set(agentId, { agentId, skillLevel: Number(e.currentTarget.value) })
                      }
                    />
                  </label>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function FieldInput(props: {
  field: Field;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { field, value, onChange } = props;
  const say = useAdminWords();
  switch (field.type) {
    case 'text':
      return (
        <input
          name={field.name}
          value={text(value)}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'color':
      return (
        <input
          name={field.name}
          type="color"
          value={text(value)}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'secret':
      return (
        <input
          name={field.name}
          type="password"
          autocomplete="new-password"
          value={text(value)}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'textarea':
      return (
        <textarea
          name={field.name}
          value={text(value)}
          onInput={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
      return (
        <input
          name={field.name}
          type="number"
          min={field.min}
          max={field.max}
          value={text(value)}
          onInput={(e) =>
            onChange(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))
          }
        />
      );
    case 'checkbox':
      return (
        <input
          name={field.name}
          type="checkbox"
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      );
    case 'lines':
      return (
        <textarea
          name={field.name}
          value={(Array.isArray(value) ? value : []).map(text).join('\n')}
          onInput={(e) =>
            onChange(
              e.currentTarget.value
                .split('\n')
                .map((l) => l.trim())
                .filter((l) => l !== ''),
            )
          }
        />
      );
    case 'select':
      return <SelectInput field={field} value={value} onChange={onChange} />;
    case 'multi':
      return <MultiInput field={field} value={value} onChange={onChange} />;
    case 'route':
      return <RouteInput name={field.name} value={value} onChange={onChange} />;
    case 'members':
      return <MembersInput value={value} onChange={onChange} />;
    case 'permissions':
      return <PermissionMatrix name={field.name} value={value} onChange={onChange} />;
    case 'output':
      return (
        <output name={field.name} data-value={text(value)}>
          {field.enum === undefined ? text(value) : say.e(field.enum, value)}
        </output>
      );
  }
}
