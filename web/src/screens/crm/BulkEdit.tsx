/**
 * 一括編集 (§8-1) of the checked customers: the values given (blank ones are left as they are)
 * — the custom fields, 備考, the fields of the searched 業務 — and tags added or taken off. The
 * server changes all of them or, naming the customers it could not change, none.
 */
import { useState } from 'preact/hooks';
import { ApiError, problemOf, type ItemOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { CustomFieldInput, type CustomField } from './CustomerDetail';
import { CustomerFieldInput, type FieldValue } from './CustomerFieldInput';
import { useCrmWords } from './words';

type Tag = ItemOf<'/api/v1/tags'>;

export function BulkEdit(props: {
  ids: number[];
  /** The 業務 searched for: its fields may be set too. */
  formatId: number | null;
  customFields: CustomField[];
  tags: Tag[];
  onClose: () => void;
  onDone: () => void;
}) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [custom, setCustom] = useState<Record<string, string>>({});
  const [fields, setFields] = useState<Record<string, FieldValue>>({});
  const [remarks, setRemarks] = useState('');
  const [addTags, setAddTags] = useState<Set<number>>(new Set());
  const [removeTags, setRemoveTags] = useState<Set<number>>(new Set());
  const [problem, setProblem] = useState<string | null>(null);
  const format = useLoad(
    async () =>
      props.formatId === null || !can('business_formats.view')
        ? null
        : api.call('get', '/api/v1/business-formats/{id}', { path: { id: props.formatId } }),
    [api, props.formatId],
  );

  async function apply(event: Event) {
    event.preventDefault();
    setProblem(null);
    const given = <V,>(o: Record<string, V>) =>
      Object.fromEntries(
        Object.entries(o).filter(([, v]) => v !== '' && !(Array.isArray(v) && v.length === 0)),
      );
    const set = {
      ...(Object.keys(given(custom)).length > 0 && { custom: given(custom) }),
      ...(Object.keys(given(fields)).length > 0 && { formatFields: given(fields) }),
      ...(remarks !== '' && { remarks }),
      ...(addTags.size > 0 && { addTags: [...addTags] }),
      ...(removeTags.size > 0 && { removeTags: [...removeTags] }),
    };
    try {
      const answer = await api.call('post', '/api/v1/customers/bulk-edit', {
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
        <h3>{w('bulkEditOf', { count: props.ids.length })}</h3>
        {(format.data?.fields ?? []).map((f) => (
          <label key={f.id} class="field">
            <span>{f.name}</span>
            <CustomerFieldInput
              field={f}
              value={fields[String(f.id)]}
              onChange={(v) => setFields({ ...fields, [f.id]: v })}
            />
          </label>
        ))}
        {props.customFields.map((cf) => (
          <label key={cf.id} class="field">
            <span>{cf.name}</span>
            <CustomFieldInput
              field={cf}
              value={custom[String(cf.id)] ?? ''}
              onChange={(v) => setCustom({ ...custom, [cf.id]: v })}
            />
          </label>
        ))}
        <label class="field">
          <span>{w('remarks')}</span>
          <textarea
            name="remarks"
            value={remarks}
            onInput={(e) => setRemarks(e.currentTarget.value)}
          />
        </label>
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
