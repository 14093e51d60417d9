/** How a status shows: a custom status by its own name and colours, else the built-in's word. */
import type { AgentStatus } from '../../feed/topics';
import { useWords } from '../../i18n';
import type { CustomStatus } from './custom-statuses';

export function StatusLabel(props: { status: AgentStatus | undefined; custom: CustomStatus[] }) {
  const { t } = useWords();
  const status = props.status;
  if (status === undefined) return <span class="status status-offline">{t('status_offline')}</span>;
  const custom = props.custom.find((c) => c.id === status.customStatusId);
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
  return (
    <span class={`status status-${status.status}`} data-status={status.status}>
      {t(`status_${status.status}`)}
    </span>
  );
}
