/**
 * A workflow's steps (§11-11 detail, §11-12): the flowchart (a click on a step opens it), the
 * step list (名称, 色, ボタン), + ステップ追加, the first step chosen, and the step dialog — 名称,
 * 詳細, 音声ファイル, 色 and ボタン1–4, each with its 次のステップ (a step of this workflow, or
 * 未設定/終了). A section of the workflow's detail (admin/ResourceDetail).
 */
import { useState } from 'preact/hooks';
import { ApiError, problemOf, type Answer } from '../../api/client';
import type { SectionProps } from '../../admin/descriptor';
import { useSession } from '../../session';
import { ConfirmDelete } from '../../ui/confirm-delete';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { WorkflowDiagram } from './WorkflowDiagram';
import { useCrmWords } from './words';

export type Workflow = Answer<'/api/v1/workflows/{id}', 'get'>;
type Step = Workflow['steps'][number];

const BUTTONS = 4;

const timeOf = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const DEFAULT_COLOR = '#56afe8';

interface StepForm {
  name: string;
  details: string;
  audioFileId: number | null;
  color: string;
  /** Four rows, blank labels left out on saving. */
  buttons: { label: string; nextStepId: number | null }[];
}

const formOf = (s: Step | null): StepForm => ({
  name: s?.name ?? '',
  details: s?.details ?? '',
  audioFileId: s?.audioFileId ?? null,
  color: s?.color ?? DEFAULT_COLOR,
  buttons: Array.from({ length: BUTTONS }, (_, i) => ({
    label: s?.buttons[i]?.label ?? '',
    nextStepId: s?.buttons[i]?.nextStepId ?? null,
  })),
});

export function WorkflowSteps(props: SectionProps) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const workflow = useLoad(
    () => api.call('get', '/api/v1/workflows/{id}', { path: { id: props.id } }),
    [api, props.id, props.revision],
  );
  // null: a new step; undefined: no dialog.
  const [editing, setEditing] = useState<Step | null | undefined>(undefined);
  const [removing, setRemoving] = useState<Step | null>(null);
  const editable = can('workflows.update');
  const flow = workflow.data;
  if (flow === undefined)
    return (
      <p class="notice">
        {workflow.error === undefined ? w('loading') : problemOf(workflow.error)}
      </p>
    );

  async function makeFirst(step: Step) {
    try {
      await api.call('patch', '/api/v1/workflows/{id}', {
        path: { id: props.id },
        body: { firstStepId: step.id },
      });
      toast.done(w('saved'));
      workflow.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function remove(step: Step) {
    setRemoving(null);
    try {
      await api.call('delete', '/api/v1/workflows/{id}/steps/{stepId}', {
        path: { id: props.id, stepId: step.id },
      });
      toast.done(w('deleted'));
      workflow.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const nameOf = (id: number | null) =>
    id === null ? w('end') : (flow.steps.find((s) => s.id === id)?.name ?? `#${id}`);

  return (
    <div class="workflow-steps" data-testid="workflow-steps">
      <p>
        {w('firstMark')}: <output data-testid="first-step">{flow.firstStepName ?? '-'}</output>
        <span class="notice">
          {' '}
          {w('createdAt')} {timeOf(flow.createdAt)} / {w('updatedAt')} {timeOf(flow.updatedAt)}
        </span>
      </p>
      <div class="diagram-box">
        <WorkflowDiagram
          steps={flow.steps}
          firstStepId={flow.firstStepId}
          {...(editable && {
            onStep: (id: number) => setEditing(flow.steps.find((s) => s.id === id) ?? null),
          })}
        />
      </div>
      {editable && (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="add-step"
            onClick={() => setEditing(null)}
          >
            {w('addStep')}
          </button>
        </div>
      )}
      {flow.steps.length === 0 ? (
        <p class="notice">{w('noSteps')}</p>
      ) : (
        <table class="grid" data-testid="step-table">
          <thead>
            <tr>
              <th>{w('name')}</th>
              <th>{w('color')}</th>
              <th>{w('button')}</th>
              {editable && <th />}
            </tr>
          </thead>
          <tbody>
            {flow.steps.map((s) => (
              <tr key={s.id} data-step={s.name}>
                <td>{s.name}</td>
                <td>
                  <span class="swatch" style={{ background: s.color }} /> {s.color}
                </td>
                <td>{s.buttons.map((b) => `${b.label} → ${nameOf(b.nextStepId)}`).join(' / ')}</td>
                {editable && (
                  <td class="row-actions">
                    <button type="button" data-testid="edit-step" onClick={() => setEditing(s)}>
                      {w('edit')}
                    </button>
                    {flow.firstStepId !== s.id && (
                      <button
                        type="button"
                        data-testid="make-first"
                        onClick={() => void makeFirst(s)}
                      >
                        {w('makeFirst')}
                      </button>
                    )}
                    {can('workflows.update') && (
                      <button
                        type="button"
                        class="danger"
                        data-testid="delete-step"
                        onClick={() => setRemoving(s)}
                      >
                        {w('delete')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing !== undefined && (
        <StepDialog
          workflowId={props.id}
          step={editing}
          steps={flow.steps}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            workflow.reload();
          }}
        />
      )}
      {removing !== null && (
        <ConfirmDelete
          count={1}
          onDelete={() => void remove(removing)}
          onCancel={() => setRemoving(null)}
        />
      )}
    </div>
  );
}

function StepDialog(props: {
  workflowId: number;
  step: Step | null;
  steps: readonly Step[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [form, setForm] = useState<StepForm>(() => formOf(props.step));
  const [problem, setProblem] = useState<string | null>(null);
  const audioFiles = useLoad(
    async () =>
      can('audio_files.view')
        ? (await api.call('get', '/api/v1/audio-files', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const setButton = (i: number, change: Partial<StepForm['buttons'][number]>) =>
    setForm({
      ...form,
      buttons: form.buttons.map((b, n) => (n === i ? { ...b, ...change } : b)),
    });

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    const body = {
      name: form.name,
      details: form.details,
      audioFileId: form.audioFileId,
      color: form.color,
      buttons: form.buttons.filter((b) => b.label.trim() !== ''),
    };
    try {
      if (props.step === null)
        await api.call('post', '/api/v1/workflows/{id}/steps', {
          path: { id: props.workflowId },
          body,
        });
      else
        await api.call('patch', '/api/v1/workflows/{id}/steps/{stepId}', {
          path: { id: props.workflowId, stepId: props.step.id },
          body,
        });
      toast.done(w('saved'));
      props.onSaved();
    } catch (err) {
      const details =
        err instanceof ApiError && Array.isArray(err.details)
          ? (err.details as { message?: string }[]).map((d) => d.message ?? '').join(' / ')
          : '';
      setProblem(`${problemOf(err)}${details === '' ? '' : `: ${details}`}`);
    }
  }

  return (
    <div class="modal" role="dialog" aria-label={w('stepDialog')} data-testid="step-dialog">
      <form class="card resource-form" onSubmit={(e) => void save(e)}>
        <h3>{w('stepDialog')}</h3>
        <label class="field">
          <span>{w('name')}</span>
          <input
            name="stepName"
            value={form.name}
            onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>{w('details')}</span>
          <textarea
            name="stepDetails"
            value={form.details}
            onInput={(e) => setForm({ ...form, details: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>{w('audioFile')}</span>
          <select
            name="stepAudioFileId"
            value={form.audioFileId === null ? '' : String(form.audioFileId)}
            onChange={(e) =>
              setForm({
                ...form,
                audioFileId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
              })
            }
          >
            <option value="">{w('noWorkflow')}</option>
            {(audioFiles.data ?? []).map((a) => (
              <option key={a.id} value={String(a.id)}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{w('color')}</span>
          <input
            name="stepColor"
            type="color"
            value={form.color}
            onInput={(e) => setForm({ ...form, color: e.currentTarget.value })}
          />
        </label>
        {form.buttons.map((b, i) => (
          <div key={i} class="field step-button" data-button={i + 1}>
            <span>{w('buttonN', { n: i + 1 })}</span>
            <span class="step-button-inputs">
              <input
                name={`buttonLabel${i + 1}`}
                aria-label={w('buttonN', { n: i + 1 })}
                value={b.label}
                onInput={(e) => setButton(i, { label: e.currentTarget.value })}
              />
              <select
                name={`buttonNext${i + 1}`}
                aria-label={w('nextStepN', { n: i + 1 })}
                value={b.nextStepId === null ? '' : String(b.nextStepId)}
                onChange={(e) =>
                  setButton(i, {
                    nextStepId: e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
                  })
                }
              >
                <option value="">{w('endOrUnset')}</option>
                {props.steps.map((s) => (
                  <option key={s.id} value={String(s.id)}>
                    {s.name}
                  </option>
                ))}
              </select>
            </span>
          </div>
        ))}
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        <div class="toolbar">
          <button type="button" onClick={props.onClose}>
            {w('close')}
          </button>
          <button type="submit" class="primary" data-testid="step-submit">
            {w('apply')}
          </button>
        </div>
      </form>
    </div>
  );
}
