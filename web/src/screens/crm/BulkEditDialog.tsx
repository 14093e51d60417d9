/**
 * The frame of a CRM 一括編集 (§8-1 customers, §8-2 cases): the dialog, the record's own fields
 * (children), tags added or taken off, and the server's answer — all of the checked records
 * changed, or none, with each refusal named by its #C / #T ID.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, problemOf, type ItemOf } from '../../api/client';
import { useToast } from '../../ui/toast';
import { useCrmWords } from './words';

type Tag = ItemOf<'/api/v1/tags'>;

export interface TagChanges {
  addTags?: number[];
  removeTags?: number[];
}

/** The refusals of an all-or-none bulk edit, as its 422 details list them. */
function refusalsOf(err: unknown): string {
  if (!(err instanceof ApiError) || !Array.isArray(err.details)) return '';
  return (err.details as { displayId?: string; message?: string }[])
    .map((d) => `${d.displayId ?? ''} ${d.message ?? ''}`)
    .join(' / ');
}

export function BulkEditDialog(props: {
  count: number;
  tags: Tag[];
  /** Sends the edit with the tag changes chosen; answers how many records changed. */
  send: (tags: TagChanges) => Promise<{ updated: number }>;
  onClose: () => void;
  onDone: () => void;
  children: ComponentChildren;
}) {
  const w = useCrmWords();
  const toast = useToast();
  const [addTags, setAddTags] = useState<Set<number>>(new Set());
  const [removeTags, setRemoveTags] = useState<Set<number>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);

  async function apply(event: Event) {
    event.preventDefault();
    setProblem(null);
    try {
      const answer = await props.send({
        ...(addTags.size > 0 && { addTags: [...addTags] }),
        ...(removeTags.size > 0 && { removeTags: [...removeTags] }),
      });
      toast.done(w('updated', { count: answer.updated }));
      props.onDone();
    } catch (err) {
      const refused = refusalsOf(err);
      setProblem(`${problemOf(err)}${refused === '' ? '' : `: ${refused}`}`);
    }
  }

  const tagBoxes = (name: string, chosen: Set<number>, onChange: (s: Set<number>) => void) => (
    <span class="choices">
      {props.tags.map((t) => (
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
        <h3>{w('bulkEditOf', { count: props.count })}</h3>
        {props.children}
        {props.tags.length > 0 && (
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
