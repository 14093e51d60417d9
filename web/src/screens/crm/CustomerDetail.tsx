/**
 * 顧客詳細 (§8-1): the customer's ID (#C1, copied with a click, for the chat), and its fields laid
 * out as its business format says (表示位置 左 / 右, §11-8) — the core fields on the left, the
 * customer custom fields (§11-9), 備考 and タグ on the right — with the postal-code auto-fill;
 * and the 案件 and 通話履歴 tabs. `new` is the create form (the 業務 chosen first).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, problemOf, type Answer, type ItemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { CustomerCallHistory } from './CustomerCallHistory';
import { CustomerDialLists } from './CustomerDialLists';
import { CustomerCases } from './CustomerCases';
import { CustomerFieldInput, type FieldValue } from './CustomerFieldInput';
import type { FormatField } from './FormatFields';
import { PostalFill, type PostalMatch } from './PostalFill';
import { TagChip } from './TagChip';
import { useCrmWords } from './words';

export type Customer = Answer<'/api/v1/customers/{id}', 'get'>;
/** A customer custom field as a form needs it (GET /customers/forms; /custom-fields has more). */
export type CustomField = Answer<'/api/v1/customers/forms', 'get'>['customFields'][number];
type Tag = ItemOf<'/api/v1/tags'>;

interface Form {
  formatId: number | null;
  code: string;
  name: string;
  phones: string;
  email: string;
  remarks: string;
  fields: Record<string, FieldValue>;
  custom: Record<string, string>;
  tags: Customer['tags'];
}

const formOf = (c: Customer): Form => ({
  formatId: c.formatId,
  code: c.code ?? '',
  name: c.name,
  phones: c.phones.join('\n'),
  email: c.email,
  remarks: c.remarks,
  fields: { ...c.fields },
  custom: { ...c.custom },
  tags: c.tags,
});

const emptyForm = (formatId: number | null): Form => ({
  formatId,
  code: '',
  name: '',
  phones: '',
  email: '',
  remarks: '',
  fields: {},
  custom: {},
  tags: [],
});

const isEmpty = (v: FieldValue | undefined) =>
  v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** The request body of a save: empty values cleared (null) on a change, left out on a create. */
function bodyOf(form: Form, creating: boolean) {
  const fields: Record<string, FieldValue | null> = {};
  for (const [id, v] of Object.entries(form.fields))
    if (!isEmpty(v)) fields[id] = v;
    else if (!creating) fields[id] = null;
  const custom: Record<string, string | null> = {};
  for (const [id, v] of Object.entries(form.custom))
    if (v !== '') custom[id] = v;
    else if (!creating) custom[id] = null;
  return {
    ...(form.formatId !== null && { formatId: form.formatId }),
    code: form.code === '' ? null : form.code,
    name: form.name,
    phones: form.phones
      .split('\n')
      .map((p) => p.trim())
      .filter((p) => p !== ''),
    email: form.email,
    remarks: form.remarks,
    fields,
    custom,
    tagIds: form.tags.map((t) => t.id),
  };
}

export function CustomerDetail(props: { id: string }) {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const creating = props.id === 'new';
  const id = Number(props.id);
  const [tab, setTab] = useState<'info' | 'cases' | 'dial' | 'calls'>('info');
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [form, setForm] = useState<Form | null>(creating ? emptyForm(null) : null);
  const [problem, setProblem] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState(false);
  const [choices, setChoices] = useState<PostalMatch[] | null>(null);

  useEffect(() => {
    if (creating) return;
    api.call('get', '/api/v1/customers/{id}', { path: { id } }).then(
      (c) => {
        setCustomer(c);
        setForm(formOf(c));
      },
      (err: unknown) => setProblem(problemOf(err)),
    );
  }, [api, id, creating]);

  // The formats this user may fill (their fields too) and the custom fields, without the
  // administration permissions business_formats.view / custom_fields.view.
  const forms = useLoad(() => api.call('get', '/api/v1/customers/forms'), [api]);
  const formats = { data: forms.data?.formats };
  // The default format for a new customer: デフォルト.
  useEffect(() => {
    if (!creating || form?.formatId !== null) return;
    const first = formats.data?.find((f) => f.builtIn === 'default') ?? formats.data?.[0];
    if (first !== undefined) setForm((f) => (f === null ? f : { ...f, formatId: first.id }));
  }, [formats.data, creating, form?.formatId]);

  const formatId = form?.formatId ?? null;
  const format = {
    data: formatId === null ? null : (forms.data?.formats.find((f) => f.id === formatId) ?? null),
  };
  const customFields = { data: forms.data?.customFields };
  const tags = useLoad(
    async () =>
      can('tags.view')
        ? (await api.call('get', '/api/v1/tags', { query: { limit: '500' } })).items
        : ([] as Tag[]),
    [api],
  );

  if (form === null)
    return (
      <p class={problem === null ? 'notice' : 'problem'} data-testid="customer-problem">
        {problem ?? w('loading')}
      </p>
    );
  const editable = can('customers.update');
  const fields = [...(format.data?.fields ?? [])].sort((a, b) => a.position - b.position);
  const knownIds = new Set(fields.map((f) => String(f.id)));
  const unknownValues = Object.entries(form.fields).filter(([fid]) => !knownIds.has(fid));
  const set = (change: Partial<Form>) => setForm({ ...form, ...change });
  const setField = (f: FormatField, v: FieldValue) =>
    setForm((cur) => (cur === null ? cur : { ...cur, fields: { ...cur.fields, [f.id]: v } }));

  async function postal(f: FormatField, code: string) {
    if (!f.postalAutofill || formatId === null || code.replace(/\D/g, '').length !== 7) return;
    try {
      const answer = await api.call('get', '/api/v1/business-formats/{id}/postal-fill', {
        path: { id: formatId },
        query: { fieldId: String(f.id), code },
      });
      if (answer.matches.length === 0) toast.problem(w('postalUnknown'));
      else if (answer.matches.length === 1) fill(answer.matches[0]?.fields ?? {});
      else setChoices(answer.matches);
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }
  function fill(values: Record<string, string>) {
    setChoices(null);
    setForm((cur) => (cur === null ? cur : { ...cur, fields: { ...cur.fields, ...values } }));
    toast.done(w('postalFilled'));
  }

  async function save(event: Event) {
    event.preventDefault();
    if (form === null) return;
    setProblem(null);
    setProblems({});
    try {
      const body = bodyOf(form, creating);
      if (creating) {
        const created = await api.call('post', '/api/v1/customers', { body });
        toast.done(w('saved'));
        navigate(`/crm/customers/${created.id}`);
      } else {
        const saved = await api.call('patch', '/api/v1/customers/{id}', { path: { id }, body });
        setCustomer(saved);
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
      await api.call('delete', '/api/v1/customers/{id}', { path: { id } });
      toast.done(w('deleted'));
      navigate('/crm/customers');
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  const fieldRow = (f: FormatField) => (
    <label key={f.id} class="field" data-field={f.name}>
      <span>
        {f.name}
        {f.required && <b class="required"> *</b>}
      </span>
      <span class="field-value">
        <CustomerFieldInput
          field={f}
          value={form.fields[String(f.id)]}
          disabled={!editable}
          onChange={(v) => {
            setField(f, v);
            if (f.type === 'postal_code' && typeof v === 'string') void postal(f, v);
          }}
        />
        {problems[`fields.${f.id}`] !== undefined && (
          <em class="problem">{problems[`fields.${f.id}`]}</em>
        )}
      </span>
    </label>
  );
  const core = (name: 'code' | 'name' | 'email') => (
    <label class="field" key={name}>
      <span>{w(name)}</span>
      <span class="field-value">
        <input
          name={name}
          value={form[name]}
          disabled={!editable}
          onInput={(e) => set({ [name]: e.currentTarget.value })}
        />
        {problems[name] !== undefined && <em class="problem">{problems[name]}</em>}
      </span>
    </label>
  );
  const untagged = (tags.data ?? []).filter((t) => !form.tags.some((x) => x.id === t.id));

  return (
    <section class="screen customer-detail" data-testid="customer-detail">
      <h2>
        <a href="#/crm/customers">{w('customers')}</a> ›{' '}
        {creating ? (
          w('newCustomer')
        ) : (
          <button
            type="button"
            class="link"
            data-testid="customer-id"
            title={w('copyId')}
            onClick={() => {
              // No clipboard outside a secure context (plain http on a LAN).
              const clipboard = navigator.clipboard as Clipboard | undefined;
              void clipboard?.writeText(customer?.displayId ?? '');
              toast.done(w('copied'));
            }}
          >
            {customer?.displayId}
          </button>
        )}
      </h2>
      {!creating && (
        <nav class="subtabs">
          <button
            type="button"
            class={tab === 'info' ? 'active' : ''}
            onClick={() => setTab('info')}
          >
            {w('customerInfo')}
          </button>
          {can('customer_cases.view') && can('cases.view') && (
            <button
              type="button"
              class={tab === 'cases' ? 'active' : ''}
              data-testid="tab-cases"
              onClick={() => setTab('cases')}
            >
              {w('cases')}
            </button>
          )}
          {can('customer_autodial.view') && (
            <button
              type="button"
              class={tab === 'dial' ? 'active' : ''}
              data-testid="tab-dial-lists"
              onClick={() => setTab('dial')}
            >
              {w('dialLists')}
            </button>
          )}
          {can('customer_call_history.view') && (
            <button
              type="button"
              class={tab === 'calls' ? 'active' : ''}
              data-testid="tab-calls"
              onClick={() => setTab('calls')}
            >
              {w('callHistory')}
            </button>
          )}
        </nav>
      )}
      {tab === 'calls' && !creating ? (
        <CustomerCallHistory id={id} />
      ) : tab === 'cases' && !creating ? (
        <CustomerCases id={id} />
      ) : tab === 'dial' && !creating ? (
        <CustomerDialLists id={id} />
      ) : (
        <form class="customer-form" onSubmit={(e) => void save(e)}>
          <div class="customer-columns">
            <div class="customer-column resource-form" data-side="left">
              <label class="field">
                <span>{w('format')}</span>
                {creating ? (
                  <select
                    name="formatId"
                    value={formatId === null ? '' : String(formatId)}
                    onChange={(e) =>
                      setForm({
                        ...form,
                        formatId: Number(e.currentTarget.value),
                        fields: {},
                      })
                    }
                  >
                    {(formats.data ?? []).map((f) => (
                      <option key={f.id} value={String(f.id)}>
                        {f.name}
                      </option>
                    ))}
                  </select>
                ) : (
                  <output name="formatName">{customer?.formatName}</output>
                )}
              </label>
              {core('code')}
              {core('name')}
              <label class="field">
                <span>
                  {w('phones')} ({w('phonesHint')})
                </span>
                <textarea
                  name="phones"
                  rows={2}
                  value={form.phones}
                  disabled={!editable}
                  onInput={(e) => set({ phones: e.currentTarget.value })}
                />
              </label>
              {core('email')}
              {fields.filter((f) => f.side === 'left').map(fieldRow)}
            </div>
            <div class="customer-column resource-form" data-side="right">
              {fields.filter((f) => f.side === 'right').map(fieldRow)}
              {unknownValues.map(([fid, v]) => (
                <label key={fid} class="field">
                  <span>#{fid}</span>
                  <output>{Array.isArray(v) ? v.join(', ') : v}</output>
                </label>
              ))}
              {(customFields.data ?? []).map((cf) => (
                <CustomFieldRow
                  key={cf.id}
                  field={cf}
                  value={form.custom[String(cf.id)] ?? ''}
                  disabled={!editable}
                  problem={problems[`custom.${cf.id}`]}
                  onChange={(v) => set({ custom: { ...form.custom, [cf.id]: v } })}
                />
              ))}
              <label class="field">
                <span>{w('remarks')}</span>
                <textarea
                  name="remarks"
                  value={form.remarks}
                  disabled={!editable}
                  onInput={(e) => set({ remarks: e.currentTarget.value })}
                />
              </label>
              <label class="field">
                <span>{w('tags')}</span>
                <span class="tag-list" data-testid="customer-tags">
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
              {customer !== null && (
                <>
                  <label class="field">
                    <span>{w('createdAt')}</span>
                    <output>{customer.createdAt.slice(0, 16).replace('T', ' ')}</output>
                  </label>
                  <label class="field">
                    <span>{w('updatedAt')}</span>
                    <output>{customer.updatedAt.slice(0, 16).replace('T', ' ')}</output>
                  </label>
                </>
              )}
            </div>
          </div>
          {choices !== null && (
            <PostalFill matches={choices} onChoose={fill} onClose={() => setChoices(null)} />
          )}
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
              {!creating && can('customers.delete') && (
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
              <p>{w('confirmDeleteCustomer')}</p>
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
      )}
    </section>
  );
}

/** A customer custom field (§11-9 区分): text, number, date, or one of its options. */
export function CustomFieldInput(props: {
  field: CustomField;
  value: string;
  onChange: (v: string) => void;
  disabled?: boolean;
}) {
  const { field } = props;
  const name = `custom.${field.id}`;
  if (field.type === 'list')
    return (
      <select
        name={name}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="" />
        {field.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  if (field.type === 'date')
    return (
      <input
        name={name}
        type="date"
        value={props.value}
        disabled={props.disabled}
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
    );
  return (
    <input
      name={name}
      type="text"
      {...(field.type === 'number' && { inputMode: 'decimal' })}
      value={props.value}
      disabled={props.disabled}
      onInput={(e) => props.onChange(e.currentTarget.value)}
    />
  );
}

function CustomFieldRow(props: {
  field: CustomField;
  value: string;
  disabled: boolean;
  problem: string | undefined;
  onChange: (v: string) => void;
}) {
  return (
    <label class="field" data-custom={props.field.name}>
      <span>{props.field.name}</span>
      <span class="field-value">
        <CustomFieldInput
          field={props.field}
          value={props.value}
          disabled={props.disabled}
          onChange={props.onChange}
        />
        {props.problem !== undefined && <em class="problem">{props.problem}</em>}
      </span>
    </label>
  );
}
