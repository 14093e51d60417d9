/**
 * 一括編集 (§8-2) of the checked cases: ステータス, 担当, ワークフロー and the case custom fields
 * given (変更しない and blank ones are left as they are), tags added or taken off. The server
 * changes all of them or, naming the cases it could not change, none.
 */
import { useState } from 'preact/hooks';
import { useSession } from '../../session';
import { BulkEditDialog, type TagChanges } from './BulkEditDialog';
import type { CaseChoices } from './case-choices';
import { CustomFieldInput } from './CustomerDetail';
import { useCrmWords } from './words';

/** A select's value: '' — unchanged, 'none' — cleared, else an id. */
type Choice = string;

const idOrNull = (v: Choice) => (v === 'none' ? null : Number(v));

export function CaseBulkEdit(props: {
  ids: number[];
  choices: CaseChoices;
  onClose: () => void;
  onDone: () => void;
}) {
  const w = useCrmWords();
  const { api, me } = useSession();
  const { statuses, agents, workflows, customFields, tags } = props.choices;
  const [statusId, setStatusId] = useState<Choice>('');
  const [assignee, setAssignee] = useState<Choice>('');
  const [workflowId, setWorkflowId] = useState<Choice>('');
  const [custom, setCustom] = useState<Record<string, string>>({});
  const assignees = agents.some((a) => a.id === me.id)
    ? agents
    : [{ id: me.id, name: `${w('me')} (${me.name})` }, ...agents];

  const send = (tagChanges: TagChanges) => {
    const givenCustom = Object.fromEntries(Object.entries(custom).filter(([, v]) => v !== ''));
    return api.call('post', '/api/v1/cases/bulk-edit', {
      body: {
        ids: props.ids,
        set: {
          ...(statusId !== '' && { statusId: Number(statusId) }),
          ...(assignee !== '' && { assigneeId: idOrNull(assignee) }),
          ...(workflowId !== '' && { workflowId: idOrNull(workflowId) }),
          ...(Object.keys(givenCustom).length > 0 && { custom: givenCustom }),
          ...tagChanges,
        },
      },
    });
  };

  const choice = (
    name: string,
    label: string,
    value: Choice,
    onChange: (v: Choice) => void,
    options: { id: number; name: string }[],
    clearable: boolean,
  ) => (
    <label class="field">
      <span>{label}</span>
      <select name={name} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{w('unchanged')}</option>
        {clearable && <option value="none">{w('unassigned')}</option>}
        {options.map((o) => (
          <option key={o.id} value={String(o.id)}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <BulkEditDialog
      count={props.ids.length}
      tags={tags}
      send={send}
      onClose={props.onClose}
      onDone={props.onDone}
    >
      {choice('statusId', w('status'), statusId, setStatusId, statuses, false)}
      {choice('assigneeId', w('assignee'), assignee, setAssignee, assignees, true)}
      {workflows.length > 0 &&
        choice('workflowId', w('workflow'), workflowId, setWorkflowId, workflows, true)}
      {customFields.map((cf) => (
        <label key={cf.id} class="field">
          <span>{cf.name}</span>
          <CustomFieldInput
            field={cf}
            value={custom[String(cf.id)] ?? ''}
            onChange={(v) => setCustom({ ...custom, [cf.id]: v })}
          />
        </label>
      ))}
    </BulkEditDialog>
  );
}
