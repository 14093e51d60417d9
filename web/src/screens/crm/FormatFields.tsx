/**
 * A business format's フィールド設定 table (§11-8): 名称, 属性, 必須, 表示位置, 選択項目 per
 * field, in order; a field is added or changed in the フィールド設定 dialog (閉じる / 実行). A
 * postal-code field, once saved, gets its auto-fill settings there: ON/OFF and the fields it fills.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type Answer } from '../../api/client';
import type { SectionProps } from '../../admin/descriptor';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { useCrmWords, type CrmWords } from './words';

export type BusinessFormat = Answer<'/api/v1/business-formats/{id}', 'get'>;
export type FormatField = BusinessFormat['fields'][number];
type FieldType = FormatField['type'];

export const FIELD_TYPES: readonly FieldType[] = [
  'text',
  'number',
  'date',
  'phone',
  'email',
  'long_text',
  'list',
  'radio',
  'checkbox',
  'postal_code',
];
export const CHOICE_TYPES: readonly FieldType[] = ['list', 'radio', 'checkbox'];
export const typeWord = (type: FieldType): keyof CrmWords => `type_${type}`;

interface Draft {
  fieldId: number | null;
  name: string;
  type: FieldType;
  required: boolean;
  side: 'left' | 'right';
  options: string;
  postalAutofill: boolean;
  postalPrefectureFieldId: number | null;
  postalCityFieldId: number | null;
  postalStreetFieldId: number | null;
  postalOtherFieldId: number | null;
}

const blank: Draft = {
  fieldId: null,
  name: '',
  type: 'text',
  required: false,
  side: 'left',
  options: '',
  postalAutofill: false,
  postalPrefectureFieldId: null,
  postalCityFieldId: null,
  postalStreetFieldId: null,
  postalOtherFieldId: null,
};

const draftOf = (f: FormatField): Draft => ({
  fieldId: f.id,
  name: f.name,
  type: f.type,
  required: f.required,
  side: f.side,
  options: f.options.join('\n'),
  postalAutofill: f.postalAutofill,
  postalPrefectureFieldId: f.postalPrefectureFieldId,
  postalCityFieldId: f.postalCityFieldId,
  postalStreetFieldId: f.postalStreetFieldId,
  postalOtherFieldId: f.postalOtherFieldId,
});

const optionsOf = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

const POSTAL_TARGETS = [
  ['postalPrefectureFieldId', 'postalPrefecture'],
  ['postalCityFieldId', 'postalCity'],
  ['postalStreetFieldId', 'postalStreet'],
  ['postalOtherFieldId', 'postalOther'],
] as const;

export function FormatFields(props: SectionProps) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [format, setFormat] = useState<BusinessFormat>(props.row as BusinessFormat);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => setFormat(props.row as BusinessFormat), [props.row]);
  const editable = can('business_formats.update');
  const fields = [...format.fields].sort((a, b) => a.position - b.position);
  const path = { id: props.id };

  async function run(action: () => Promise<BusinessFormat>) {
    setProblem(null);
    try {
      setFormat(await action());
      setDraft(null);
      toast.done(w('saved'));
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  function submit(d: Draft) {
    const base = {
      name: d.name,
      type: d.type,
      required: d.required,
      side: d.side,
      ...(CHOICE_TYPES.includes(d.type) && { options: optionsOf(d.options) }),
    };
    if (d.fieldId === null) {
      void run(() =>
        api.call('post', '/api/v1/business-formats/{id}/fields', { path, body: base }),
      );
      return;
    }
    const old = fields.find((f) => f.id === d.fieldId);
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(base))
      if (JSON.stringify(value) !== JSON.stringify(old?.[key as keyof FormatField]))
        body[key] = value;
    if (d.type === 'postal_code' && old?.type === 'postal_code') {
      if (d.postalAutofill !== old.postalAutofill) body.postalAutofill = d.postalAutofill;
      for (const [key] of POSTAL_TARGETS) if (d[key] !== old[key]) body[key] = d[key];
    }
    if (Object.keys(body).length === 0) {
      setDraft(null);
      return;
    }
    const fieldId = d.fieldId;
    void run(() =>
      api.call('patch', '/api/v1/business-formats/{id}/fields/{fieldId}', {
        path: { id: props.id, fieldId },
        body,
      }),
    );
  }

  const move = (f: FormatField, by: number) =>
    void run(() =>
      api.call('patch', '/api/v1/business-formats/{id}/fields/{fieldId}', {
        path: { id: props.id, fieldId: f.id },
        body: { position: Math.max(0, f.position + by) },
      }),
    );
  const remove = (f: FormatField) =>
    void run(() =>
      api.call('delete', '/api/v1/business-formats/{id}/fields/{fieldId}', {
        path: { id: props.id, fieldId: f.id },
      }),
    );

  return (
    <div data-testid="format-fields">
      <table class="grid">
        <thead>
          <tr>
            <th>{w('fieldName')}</th>
            <th>{w('fieldType')}</th>
            <th>{w('required')}</th>
            <th>{w('side')}</th>
            <th>{w('options')}</th>
            {editable && <th />}
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            <tr key={f.id} data-field={f.name}>
              <td>{f.name}</td>
              <td>{w(typeWord(f.type))}</td>
              <td>{f.required ? w('on') : w('off')}</td>
              <td>{w(f.side === 'left' ? 'side_left' : 'side_right')}</td>
              <td>
                {f.type === 'postal_code'
                  ? `${w('postalAutofill')}: ${f.postalAutofill ? w('on') : w('off')}`
                  : f.options.join(', ')}
              </td>
              {editable && (
                <td class="row-actions">
                  <button
                    type="button"
                    data-testid="edit-field"
                    onClick={() => setDraft(draftOf(f))}
                  >
                    {w('edit')}
                  </button>
                  <button type="button" disabled={i === 0} onClick={() => move(f, -1)}>
                    {w('moveUp')}
                  </button>
                  <button
                    type="button"
                    disabled={i === fields.length - 1}
                    onClick={() => move(f, 1)}
                  >
                    {w('moveDown')}
                  </button>
                  <button type="button" class="danger" onClick={() => remove(f)}>
                    {w('delete')}
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {editable && (
        <button type="button" data-testid="add-field" onClick={() => setDraft({ ...blank })}>
          {w('addField')}
        </button>
      )}
      {problem !== null && draft === null && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      {draft !== null && (
        <FieldDialog
          draft={draft}
          others={fields.filter((f) => f.id !== draft.fieldId)}
          problem={problem}
          onChange={setDraft}
          onSubmit={() => submit(draft)}
          onClose={() => {
            setDraft(null);
            setProblem(null);
          }}
        />
      )}
    </div>
  );
}

function FieldDialog(props: {
  draft: Draft;
  others: FormatField[];
  problem: string | null;
  onChange: (d: Draft) => void;
  onSubmit: () => void;
  onClose: () => void;
}) {
  const w = useCrmWords();
  const d = props.draft;
  const set = (change: Partial<Draft>) => props.onChange({ ...d, ...change });
  const savedPostal = d.fieldId !== null && d.type === 'postal_code';
  return (
    <div class="modal" role="dialog" aria-label={w('fieldDialog')} data-testid="field-dialog">
      <form
        class="card resource-form"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <h3 style={{ gridColumn: '1 / -1' }}>{w('fieldDialog')}</h3>
        <label class="field">
          <span>{w('fieldName')}</span>
          <input
            name="fieldName"
            value={d.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>{w('fieldType')}</span>
          <select
            name="fieldType"
            value={d.type}
            onChange={(e) => set({ type: e.currentTarget.value as FieldType })}
          >
            {FIELD_TYPES.map((type) => (
              <option key={type} value={type}>
                {w(typeWord(type))}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{w('required')}</span>
          <input
            type="checkbox"
            name="fieldRequired"
            checked={d.required}
            onChange={(e) => set({ required: e.currentTarget.checked })}
          />
        </label>
        <label class="field">
          <span>{w('side')}</span>
          <select
            name="fieldSide"
            value={d.side}
            onChange={(e) => set({ side: e.currentTarget.value === 'right' ? 'right' : 'left' })}
          >
            <option value="left">{w('side_left')}</option>
            <option value="right">{w('side_right')}</option>
          </select>
        </label>
        {CHOICE_TYPES.includes(d.type) && (
          <label class="field">
            <span>
              {w('options')} ({w('optionsHint')})
            </span>
            <textarea
              name="fieldOptions"
              value={d.options}
              onInput={(e) => set({ options: e.currentTarget.value })}
            />
          </label>
        )}
        {savedPostal && (
          <>
            <label class="field">
              <span>{w('postalAutofill')}</span>
              <input
                type="checkbox"
                name="postalAutofill"
                checked={d.postalAutofill}
                onChange={(e) => set({ postalAutofill: e.currentTarget.checked })}
              />
            </label>
            {d.postalAutofill &&
              POSTAL_TARGETS.map(([key, word]) => (
                <label key={key} class="field">
                  <span>{w(word)}</span>
                  <select
                    name={key}
                    value={d[key] === null ? '' : String(d[key])}
                    onChange={(e) =>
                      set({
                        [key]: e.currentTarget.value === '' ? null : Number(e.currentTarget.value),
                      })
                    }
                  >
                    <option value="">{w('noField')}</option>
                    {props.others.map((f) => (
                      <option key={f.id} value={String(f.id)}>
                        {f.name}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
          </>
        )}
        {props.problem !== null && (
          <p role="alert" class="problem" style={{ gridColumn: '1 / -1' }}>
            {props.problem}
          </p>
        )}
        <div class="toolbar" style={{ gridColumn: '1 / -1' }}>
          <button type="button" onClick={props.onClose}>
            {w('close')}
          </button>
          <button type="submit" class="primary" data-testid="field-submit">
            {w('apply')}
          </button>
        </div>
      </form>
    </div>
  );
}
