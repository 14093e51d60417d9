/**
 * 一括編集 (§8-2) of the checked cases: ステータス, 担当, ワークフロー and the case custom fields
 * given (変更しない and blank ones are left as they are), tags added or taken off. The server
 * changes all of them or, naming the cases it could not change, none.
 */
import { useState } from 'preact/hooks';
import { ApiError, problemOf } from '../../api/client';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
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
  const toast = useToast();
  const { statuses, agents, workflows, customFields, tags } = props.choices;
  const [statusId, setStatusId] = useState<Choice>('');
  const [assignee, setAssignee] = useState<Choice>('');
  const [workflowId, setWorkflowId] = useState<Choice>('');
  const [custom, setCustom] = useState<Record<string, string>>({});
  const [addTags, setAddTags] = useState<Set<number>>(new Set());
  const [removeTags, setRemoveTags] = useState<Set<number>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const assignees = agents.some((a) => a.id === me.id)
    ? agents
    : [{ id: me.id, name: `${w('me')} (${me.name})` }, ...agents];

  async function apply(event: Event) {
    event.preventDefault();
    setProblem(null);
    const givenCustom = Object.fromEntries(Object.entries(custom).filter(([, v]) => v !== ''));
    const set = {
      ...(statusId !== '' && { statusId: Number(statusId) }),
      ...(assignee !== '' && { assigneeId: idOrNull(assignee) }),
      ...(workflowId !== '' && { workflowId: idOrNull(workflowId) }),
      ...(Object.keys(givenCustom).length > 0 && { custom: givenCustom }),
      ...(addTags.size > 0 && { addTags: [...addTags] }),
      ...(removeTags.size > 0 && { removeTags: [...removeTags] }),
    };
    try {
      const answer = await api.call('post', '/api/v1/cases/bulk-edit', {
        body: { ids: props.ids, set },
      });
      toast.done(w('updated', { count: answer.updated }));
      props.onDone();
    } catch (err) {
      const refused =
        err instanceof ApiError && Array.isArray(err.details)
          ? (err.details as { displayId?: string; message?: string }[])
              .map((d) => `${d.displayId ?? ''} ${d.message ?? ''}`)
              .join(' / ')
          : '';
      setProblem(`${problemOf(err)}${refused === '' ? '' : `: ${refused}`}`);
    }
  }

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

  const tagBoxes = (name: string, chosen: Set<number>, onChange: (s: Set<number>) => void) => (
    <span class="choices">
      {tags.map((t) => (
        <label key={t.id}>
          <input
            type="checkbox"
            name={`${name}.${t.id}`}
            checked={chosen.has(t.id)}
            onChange={(e) => {
              const next = new Set(chosen);
              if (e.currentTarget.checked) next.add(t.id);
              else next.delete(t.id);
              onChange(next);
            }}
          />
          {t.name}
        </label>
      ))}
    </span>
  );

  return (
    <div class="modal" role="dialog" aria-label={w('bulkEdit')} data-testid="bulk-dialog">
      <form class="card resource-form" onSubmit={(e) => void apply(e)}>
        <h3>{w('bulkEditOf', { count: props.ids.length })}</h3>
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
        {tags.length > 0 && (
          <>
            <label class="field">
              <span>{w('addTags')}</span>
              {tagBoxes('addTag', addTags, setAddTags)}
            </label>
            <label class="field">
              <span>{w('removeTags')}</span>
              {tagBoxes('removeTag', removeTags, setRemoveTags)}
            </label>
          </>
        )}
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        <div class="toolbar">
          <button type="button" onClick={props.onClose}>
            {w('close')}
          </button>
          <button type="submit" class="primary" data-testid="bulk-apply">
            {w('apply')}
          </button>
        </div>
      </form>
    </div>
  );
}
