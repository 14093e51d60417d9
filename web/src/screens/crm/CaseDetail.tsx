/**
 * 案件詳細 (§8-2): the case's ID (#T458, copied with a click; 新規 for a new one), 題名,
 * ステータス, 顧客 (its #C ID, linked to the customer), 担当 (自分 or an agent), タグ, 詳細, 注記,
 * the case custom fields (§11-9), 登録, 更新; and its workflow (§11-11/12): the current step's
 * 詳細 and 音声ファイル, its buttons — a press moves the case on (POST …/workflow-moves) — the
 * flowchart with the case's step highlighted, and the move log. `new` is the create form;
 * `#/crm/cases/new?customerId=12` starts it for a customer.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useCaseChoices, type Case } from './case-choices';
import { CustomFieldInput } from './CustomerDetail';
import { TagChip } from './TagChip';
import { inkOn, WorkflowDiagram } from './WorkflowDiagram';
import { useCrmWords } from './words';

interface Form {
  title: string;
  statusId: number | null;
  /** As typed: #C12 or 12. */
  customer: string;
  assigneeId: number | null;
  details: string;
  notes: string;
  custom: Record<string, string>;
  tags: Case['tags'];
  workflowId: number | null;
}

const formOf = (c: Case): Form => ({
  title: c.title,
  statusId: c.statusId,
  customer: c.customer?.displayId ?? '',
  assigneeId: c.assigneeId,
  details: c.details,
  notes: c.notes,
  custom: { ...c.custom },
  tags: c.tags,
  workflowId: c.workflowId,
});

function newForm(): Form {
  const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const customerId = query.get('customerId');
  return {
    title: '',
    statusId: null,
    customer: customerId === null ? '' : `#C${customerId}`,
    assigneeId: null,
    details: '',
    notes: '',
    custom: {},
    tags: [],
    workflowId: null,
  };
}

/** `#C12`, `c12` or `12` → 12; blank → null; anything else → undefined. */
function customerIdOf(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  const m = /^#?[cC]?([1-9][0-9]{0,14})$/.exec(text.trim());
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

const timeOf = (iso: string | null) => (iso === null ? '' : iso.slice(0, 16).replace('T', ' '));

export function CaseDetail(props: { id: string }) {
  const w = useCrmWords();
  const { api, can, me } = useSession();
  const toast = useToast();
  const choices = useCaseChoices();
  const creating = props.id === 'new';
  const id = Number(props.id);
  const [row, setRow] = useState<Case | null>(null);
  const [form, setForm] = useState<Form | null>(creating ? newForm : null);
  const [problem, setProblem] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (creating) return;
    api.call('get', '/api/v1/cases/{id}', { path: { id } }).then(
      (c) => {
        setRow(c);
        setForm(formOf(c));
      },
      (err: unknown) => setProblem(problemOf(err)),
    );
  }, [api, id, creating]);

  if (form === null)
    return (
      <p class={problem === null ? 'notice' : 'problem'} data-testid="case-problem">
        {problem ?? w('loading')}
      </p>
    );
  const editable = can('cases.update');
  const set = (change: Partial<Form>) => setForm({ ...form, ...change });
  const assignees = choices.agents.some((a) => a.id === me.id)
    ? choices.agents
    : [
        { id: me.id, name: `${w('me')} (${me.name})` },
        ...choices.agents,
        ...(row?.assigneeId !== null && row?.assigneeId !== undefined && row.assigneeId !== me.id
          ? [{ id: row.assigneeId, name: row.assigneeName ?? `#${row.assigneeId}` }]
          : []),
      ];
  const untagged = choices.tags.filter((t) => !form.tags.some((x) => x.id === t.id));

  async function save(event: Event) {
    event.preventDefault();
    if (form === null) return;
    setProblem(null);
    setProblems({});
    const customerId = customerIdOf(form.customer);
    if (customerId === undefined) {
      setProblems({ customerId: w('customerId') + ': #C1' });
      return;
    }
    const custom: Record<string, string | null> = {};
    for (const [fid, v] of Object.entries(form.custom))
      if (v !== '') custom[fid] = v;
      else if (!creating) custom[fid] = null;
    const body = {
      title: form.title,
      ...(form.statusId !== null && { statusId: form.statusId }),
      customerId,
      assigneeId: form.assigneeId,
      details: form.details,
      notes: form.notes,
      custom,
      tagIds: form.tags.map((t) => t.id),
      // The same workflow again would not restart it; only a change is sent.
      ...((creating ? form.workflowId !== null : form.workflowId !== row?.workflowId) && {
        workflowId: form.workflowId,
      }),
    };
    try {
      if (creating) {
        const created = await api.call('post', '/api/v1/cases', { body });
        toast.done(w('saved'));
        navigate(`/crm/cases/${created.id}`);
      } else {
        const saved = await api.call('patch', '/api/v1/cases/{id}', { path: { id }, body });
        setRow(saved);
        setForm(formOf(saved));
        toast.done(w('saved'));
      }
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.details)) {
        const byField: Record<string, string> = {};
        for (const d of err.details as { field?: string; path?: string; message?: string }[])
          byField[d.field ?? d.path ?? ''] = d.message ?? '';
        setProblems(byField);
      }
      setProblem(problemOf(err));
    }
  }

  async function remove() {
    setConfirming(false);
    try {
      await api.call('delete', '/api/v1/cases/{id}', { path: { id } });
      toast.done(w('deleted'));
      navigate('/crm/cases');
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  const text = (name: 'title' | 'details' | 'notes', label: string, long: boolean) => (
    <label class="field" key={name}>
      <span>{label}</span>
      <span class="field-value">
        {long ? (
          <textarea
            name={name}
            rows={4}
            value={form[name]}
            disabled={!editable}
            onInput={(e) => set({ [name]: e.currentTarget.value })}
          />
        ) : (
          <input
            name={name}
            value={form[name]}
            disabled={!editable}
            onInput={(e) => set({ [name]: e.currentTarget.value })}
          />
        )}
        {problems[name] !== undefined && <em class="problem">{problems[name]}</em>}
      </span>
    </label>
  );
  const linkedCustomer = customerIdOf(form.customer);

  return (
    <section class="screen case-detail" data-testid="case-detail">
      <h2>
        <a href="#/crm/cases">{w('cases')}</a> ›{' '}
        {creating ? (
          w('newCase')
        ) : (
          <button
            type="button"
            class="link"
            data-testid="case-id"
            title={w('copyId')}
            onClick={() => {
              // No clipboard outside a secure context (plain http on a LAN).
              const clipboard = navigator.clipboard as Clipboard | undefined;
              void clipboard?.writeText(row?.displayId ?? '');
              toast.done(w('copied'));
            }}
          >
            {row?.displayId}
          </button>
        )}
      </h2>
      <form class="customer-form" onSubmit={(e) => void save(e)}>
        <div class="customer-columns">
          <div class="customer-column resource-form" data-side="left">
            {text('title', w('caseTitle'), false)}
            <label class="field">
              <span>{w('status')}</span>
              <select
                name="statusId"
                disabled={!editable}
                value={form.statusId === null ? '' : String(form.statusId)}
                onChange={(e) =>
                  set({
                    statusId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
                  })
                }
              >
                {creating && <option value="" />}
                {choices.statuses.map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>{w('customer')}</span>
              <span class="field-value">
                <input
                  name="customer"
                  placeholder="#C1"
                  value={form.customer}
                  disabled={!editable}
                  onInput={(e) => set({ customer: e.currentTarget.value })}
                />
                {row?.customer !== null &&
                  row?.customer !== undefined &&
                  linkedCustomer === row.customer.id && (
                    <a href={`#/crm/customers/${row.customer.id}`} data-testid="case-customer">
                      {row.customer.displayId} {row.customer.name}
                    </a>
                  )}
                {(problems.customerId ?? problems.customer) !== undefined && (
                  <em class="problem">{problems.customerId ?? problems.customer}</em>
                )}
              </span>
            </label>
            <label class="field">
              <span>{w('assignee')}</span>
              <select
                name="assigneeId"
                disabled={!editable}
                value={form.assigneeId === null ? '' : String(form.assigneeId)}
                onChange={(e) =>
                  set({
                    assigneeId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
                  })
                }
              >
                <option value="">{w('unassigned')}</option>
                {assignees.map((a) => (
                  <option key={a.id} value={String(a.id)}>
                    {a.id === me.id && !a.name.startsWith(w('me'))
                      ? `${a.name} (${w('me')})`
                      : a.name}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>{w('tags')}</span>
              <span class="tag-list" data-testid="case-tags">
                {form.tags.map((t) => (
                  <TagChip
                    key={t.id}
                    tag={t}
                    {...(editable && {
                      onRemove: () => set({ tags: form.tags.filter((x) => x.id !== t.id) }),
                    })}
                  />
                ))}
                {editable && untagged.length > 0 && (
                  <select
                    name="addTag"
                    value=""
                    onChange={(e) => {
                      const tag = untagged.find((t) => String(t.id) === e.currentTarget.value);
                      if (tag !== undefined) set({ tags: [...form.tags, tag] });
                    }}
                  >
                    <option value="">+</option>
                    {untagged.map((t) => (
                      <option key={t.id} value={String(t.id)}>
                        {t.name}
                      </option>
                    ))}
                  </select>
                )}
              </span>
            </label>
            <label class="field">
              <span>{w('workflow')}</span>
              <select
                name="workflowId"
                disabled={!editable}
                value={form.workflowId === null ? '' : String(form.workflowId)}
                onChange={(e) =>
                  set({
                    workflowId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
                  })
                }
              >
                <option value="">{w('noWorkflow')}</option>
                {choices.workflows.map((f) => (
                  <option key={f.id} value={String(f.id)}>
                    {f.name}
                  </option>
                ))}
                {row?.workflowId !== null &&
                  row?.workflowId !== undefined &&
                  !choices.workflows.some((f) => f.id === row.workflowId) && (
                    <option value={String(row.workflowId)}>{row.workflowName}</option>
                  )}
              </select>
            </label>
          </div>
          <div class="customer-column resource-form" data-side="right">
            {text('details', w('details'), true)}
            {text('notes', w('notes'), true)}
            {choices.customFields.map((cf) => (
              <label key={cf.id} class="field" data-custom={cf.name}>
                <span>{cf.name}</span>
                <span class="field-value">
                  <CustomFieldInput
                    field={cf}
                    value={form.custom[String(cf.id)] ?? ''}
                    disabled={!editable}
                    onChange={(v) => set({ custom: { ...form.custom, [cf.id]: v } })}
                  />
                  {problems[`custom.${cf.id}`] !== undefined && (
                    <em class="problem">{problems[`custom.${cf.id}`]}</em>
                  )}
                </span>
              </label>
            ))}
            {row !== null && (
              <>
                <label class="field">
                  <span>{w('createdAt')}</span>
                  <output>{timeOf(row.createdAt)}</output>
                </label>
                <label class="field">
                  <span>{w('updatedAt')}</span>
                  <output>{timeOf(row.updatedAt)}</output>
                </label>
              </>
            )}
          </div>
        </div>
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        {editable && (
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="save">
              {w('save')}
            </button>
            {!creating && can('cases.delete') && (
              <button
                type="button"
                class="danger"
                data-testid="delete"
                onClick={() => setConfirming(true)}
              >
                {w('delete')}
              </button>
            )}
          </div>
        )}
        {confirming && (
          <div class="confirm card" role="alertdialog" data-testid="confirm">
            <p>{w('confirmDeleteCase')}</p>
            <button
              type="button"
              class="danger"
              data-testid="confirm-yes"
              onClick={() => void remove()}
            >
              {w('yes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {w('no')}
            </button>
          </div>
        )}
      </form>
      {row !== null && row.workflowId !== null && (
        <CaseWorkflow
          key={`${row.workflowId}`}
          row={row}
          onMoved={(moved) => {
            setRow(moved);
            setForm((f) => (f === null ? f : { ...f, workflowId: moved.workflowId }));
          }}
        />
      )}
    </section>
  );
}

/** The case's workflow: its current step with its buttons, the flowchart and the move log. */
function CaseWorkflow(props: { row: Case; onMoved: (moved: Case) => void }) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const { row } = props;
  const workflowId = row.workflowId ?? 0;
  const [pressing, setPressing] = useState(false);
  const [audioUrl, setAudioUrl] = useState<string | null>(null);
  const workflow = useLoad(
    async () =>
      can('workflows.view')
        ? api.call('get', '/api/v1/workflows/{id}', { path: { id: workflowId } })
        : null,
    [api, workflowId],
  );
  const moves = useLoad(
    () =>
      api.call('get', '/api/v1/cases/{id}/workflow-moves', {
        path: { id: row.id },
        query: { limit: '500' },
      }),
    [api, row.id, row.stepId, row.stepEnteredAt],
  );
  const step = workflow.data?.steps.find((s) => s.id === row.stepId);

  async function press(button: number) {
    setPressing(true);
    try {
      const moved = await api.call('post', '/api/v1/cases/{id}/workflow-moves', {
        path: { id: row.id },
        body: { buttonId: button, ...(row.stepId !== null && { fromStepId: row.stepId }) },
      });
      toast.done(moved.stepName === null ? w('movedToEnd') : w('moved', { step: moved.stepName }));
      setAudioUrl(null);
      props.onMoved(moved);
    } catch (err) {
      toast.problem(problemOf(err));
    } finally {
      setPressing(false);
    }
  }

  async function play(audioFileId: number) {
    try {
      setAudioUrl(await api.objectUrl(`/api/v1/audio-files/${audioFileId}/audio`));
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="detail-section case-workflow" data-testid="case-workflow">
      <h3>
        {w('workflow')}: {row.workflowName}
      </h3>
      <div class="case-step" data-testid="current-step">
        {row.stepId === null ? (
          <p class="notice">{w('workflowEnded')}</p>
        ) : (
          <>
            <p>
              {w('currentStep')}: <strong data-testid="current-step-name">{row.stepName}</strong>
              {row.stepEnteredAt !== null && (
                <span class="notice"> ({timeOf(row.stepEnteredAt)})</span>
              )}
            </p>
            {step !== undefined && step.details !== '' && (
              <p class="step-details" data-testid="step-details">
                {step.details}
              </p>
            )}
            {step?.audioFileId !== null && step?.audioFileId !== undefined && (
              <p>
                {can('audio_files.view') && (
                  <button type="button" onClick={() => void play(step.audioFileId ?? 0)}>
                    ▶ {w('audioFile')}
                  </button>
                )}
                {audioUrl !== null && <audio src={audioUrl} controls autoPlay />}
              </p>
            )}
            {can('cases.update') && step !== undefined && (
              <div class="toolbar step-buttons" data-testid="step-buttons">
                {step.buttons.map((b, i) => (
                  <button
                    key={i}
                    type="button"
                    class="primary"
                    style={{
                      background: step.color,
                      borderColor: step.color,
                      color: inkOn(step.color),
                    }}
                    data-button={i + 1}
                    disabled={pressing}
                    onClick={() => void press(i + 1)}
                  >
                    {b.label}
                  </button>
                ))}
              </div>
            )}
          </>
        )}
      </div>
      {workflow.data !== undefined && workflow.data !== null && (
        <div class="diagram-box">
          <WorkflowDiagram
            steps={workflow.data.steps}
            firstStepId={workflow.data.firstStepId}
            currentStepId={row.stepId}
          />
        </div>
      )}
      <h3>{w('moveLog')}</h3>
      <table class="grid" data-testid="move-log">
        <thead>
          <tr>
            <th>{w('movedAt')}</th>
            <th>{w('fromStep')}</th>
            <th>{w('button')}</th>
            <th>{w('toStep')}</th>
            <th>{w('movedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {(moves.data?.items ?? []).map((m) => (
            <tr key={m.id} data-move={m.id}>
              <td>{timeOf(m.at)}</td>
              <td data-name="from">{m.fromStepName ?? w('workflowStart')}</td>
              <td data-name="button">{m.buttonLabel ?? ''}</td>
              <td data-name="to">{m.toStepName ?? w('end')}</td>
              <td>{m.by}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
