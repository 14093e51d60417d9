/** How a status shows: a custom status by its own name and colours, else the built-in's word. */
import { useWords, type Words } from '../../i18n';
import type { CustomStatus } from './custom-statuses';

const BUILT_IN = new Set([
  'offline',
  'available',
  'ringing',
  'on_call',
  'on_hold',
  'unknown',
  'paused',
]);

export function StatusLabel(props: {
  status: { status: string; customStatusId: number | null } | undefined;
  custom: CustomStatus[];
}) {
  const { t } = useWords();
  const status = props.status;
  const custom = props.custom.find((c) => c.id === status?.customStatusId);
  if (custom !== undefined)
    return (
      <span
        class="status status-custom"
        data-status="paused"
        style={{ color: custom.fontColor, background: custom.backgroundColor }}
      >
        {custom.name}
      </span>
    );
  const name = status !== undefined && BUILT_IN.has(status.status) ? status.status : 'offline';
  return (
    <span class={`status status-${name}`} data-status={name}>
      {t(`status_${name}` as keyof Words)}
    </span>
  );
}
