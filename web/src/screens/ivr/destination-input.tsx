/**
 * A destination picker (ルーティング, §11-3): the type (agent, extension, external transfer,
 * group, IVR, audio file, voicemail) and its target — an extension typed, the others chosen from
 * lists loaded once per screen (useDestinationChoices), however many pickers it has.
 */
import type { Answer } from '../../api/client';
import { useWords, type Words } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';

export type Destination = NonNullable<Answer<'/api/v1/ivrs/{id}', 'get'>['defaultRoute']>;
type DestinationType = Destination['type'];

export const DESTINATION_TYPES: readonly DestinationType[] = [
  'group',
  'agent',
  'extension',
  'external_transfer',
  'ivr',
  'audio',
  'voicemail',
];

/** The field of each type that holds its target. */
const TARGET = {
  agent: 'agentId',
  extension: 'extension',
  external_transfer: 'externalTransferId',
  group: 'groupId',
  ivr: 'ivrId',
  audio: 'audioFileId',
  voicemail: 'audioFileId',
} as const satisfies Record<DestinationType, string>;

interface Choice {
  id: number;
  name: string;
}

export type DestinationChoices = Record<Exclude<DestinationType, 'extension'>, Choice[]>;

const NO_CHOICES: DestinationChoices = {
  agent: [],
  external_transfer: [],
  group: [],
  ivr: [],
  audio: [],
  voicemail: [],
};

/** Everything a destination may name, for the pickers of one screen. */
export function useDestinationChoices(): DestinationChoices {
  const { api } = useSession();
  const list = async (path: string) =>
    (
      (await api.raw('get', path, { query: { limit: '500' } })) as {
        items: Choice[];
      }
    ).items.map((i) => ({ id: i.id, name: i.name }));
  const loaded = useLoad(async () => {
    const [agent, group, externalTransfer, ivr, audio] = await Promise.all([
      list('/api/v1/agents'),
      list('/api/v1/groups'),
      list('/api/v1/external-transfers'),
      list('/api/v1/ivrs'),
      list('/api/v1/audio-files'),
    ]);
    return { agent, group, external_transfer: externalTransfer, ivr, audio, voicemail: audio };
  }, [api]);
  return loaded.data ?? NO_CHOICES;
}

function targetOf(d: Destination | null): string {
  if (d === null) return '';
  const value = (d as Record<string, string | number | undefined>)[TARGET[d.type]];
  return value === undefined ? '' : String(value);
}

/** A destination as the form holds it: a type chosen, its target maybe not yet. */
export type DraftDestination = Destination | { type: DestinationType } | null;

export function DestinationInput(props: {
  name: string;
  value: DraftDestination;
  choices: DestinationChoices;
  onChange: (value: DraftDestination) => void;
  /** The IVR being edited, left out of the IVR targets (it cannot send calls to itself). */
  selfIvrId?: number;
}) {
  const { t } = useWords();
  const { value, choices } = props;
  const type = value?.type;
  const draft = (value ?? null) as Destination | null;
  const targets =
    type === undefined || type === 'extension'
      ? []
      : choices[type].filter((c) => type !== 'ivr' || c.id !== props.selfIvrId);
  return (
    <span class="route-input" data-destination={props.name}>
      <select
        name={`${props.name}.type`}
        value={type ?? ''}
        onChange={(e) => {
          const next = e.currentTarget.value as DestinationType | '';
          props.onChange(next === '' ? null : { type: next });
        }}
      >
        <option value="">{t('none')}</option>
        {DESTINATION_TYPES.map((d) => (
          <option key={d} value={d}>
            {t(`dest_${d}` as keyof Words)}
          </option>
        ))}
      </select>
      {type === 'extension' && (
        <input
          name={`${props.name}.extension`}
          inputMode="numeric"
          value={targetOf(draft)}
          onInput={(e) => props.onChange({ type, extension: e.currentTarget.value })}
        />
      )}
      {type !== undefined && type !== 'extension' && (
        <select
          name={`${props.name}.target`}
          value={targetOf(draft)}
          onChange={(e) => props.onChange({ type, [TARGET[type]]: Number(e.currentTarget.value) })}
        >
          <option value="" />
          {targets.map((c) => (
            <option key={c.id} value={String(c.id)}>
              {c.name}
            </option>
          ))}
        </select>
      )}
    </span>
  );
}
