/**
 * 一括編集 (§8-1) of the checked customers: the values given (blank ones are left as they are)
 * — the custom fields, 備考, the fields of the searched 業務 — and tags added or taken off. The
 * server changes all of them or, naming the customers it could not change, none.
 */
import { useState } from 'preact/hooks';
import type { ItemOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { BulkEditDialog, type TagChanges } from './BulkEditDialog';
import { CustomFieldInput, type CustomField } from './CustomerDetail';
import { CustomerFieldInput, type FieldValue } from './CustomerFieldInput';
import { useCrmWords } from './words';

type Tag = ItemOf<'/api/v1/tags'>;

const given = <V,>(o: Record<string, V>) =>
  Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== '' && !(Array.isArray(v) && v.length === 0)),
  );

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
  const [custom, setCustom] = useState<Record<string, string>>({});
  const [fields, setFields] = useState<Record<string, FieldValue>>({});
  const [remarks, setRemarks] = useState('');
  const format = useLoad(
    async () =>
      props.formatId === null || !can('business_formats.view')
        ? null
        : api.call('get', '/api/v1/business-formats/{id}', { path: { id: props.formatId } }),
    [api, props.formatId],
  );

  const send = (tags: TagChanges) =>
    api.call('post', '/api/v1/customers/bulk-edit', {
      body: {
        ids: props.ids,
        set: {
          ...(Object.keys(given(custom)).length > 0 && { custom: given(custom) }),
          ...(Object.keys(given(fields)).length > 0 && { formatFields: given(fields) }),
          ...(remarks !== '' && { remarks }),
          ...tags,
        },
      },
    });

  return (
    <BulkEditDialog
      count={props.ids.length}
      tags={props.tags}
      send={send}
      onClose={props.onClose}
      onDone={props.onDone}
    >
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
    </BulkEditDialog>
  );
}
