/**
 * 顧客編集 (A.13) of a call-list customer: 顧客ID, 区分 (法人 / 個人), 業種, 会社名 and its
 * フリガナ (both required for a 法人), 〒郵便番号, 都道府県, 住所 1 / 2, (顧客)担当者名, メール,
 * 電話番号, FAX番号, URL, 従業員数, 年商, 顧客備考, (自社)担当者, リスト名, 取得元, and the 架電履歴
 * table. [登録] with call_list_customers.update — a general user has it when 顧客情報の編集 is 許可,
 * for the customers in their charge (A.18); only an administrator changes the (自社)担当者.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type Answer, type BodyOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { dateTimeOf } from './format';
import { FormRow } from './FormRow';
import { isGeneralUser } from './general-user';
import { useCallListWords, type CallListWords } from './words';

type Customer = Answer<'/api/v1/call-lists/customers/{id}', 'get'>;
type Patch = NonNullable<BodyOf<'/api/v1/call-lists/customers/{id}', 'patch'>>;

/** The text fields of the form, in A.13's order, each with its word and input size. */
const TEXT_FIELDS: [Exclude<keyof Patch, 'assigneeId'>, keyof CallListWords, number][] = [
  ['industry', 'industry', 100],
  ['company', 'company', 200],
  ['companyKana', 'companyKana', 200],
  ['postalCode', 'postalCode', 10],
  ['prefecture', 'prefecture', 10],
  ['address1', 'address1', 200],
  ['address2', 'address2', 200],
  ['contactName', 'contactName', 100],
  ['email', 'email', 254],
  ['phone', 'phone', 40],
  ['fax', 'fax', 40],
  ['url', 'url', 500],
  ['employees', 'employees', 100],
  ['annualSales', 'annualSales', 100],
];

type Form = Record<string, string>;

function formOf(c: Customer): Form {
  return {
    ...c.values,
    company: c.company,
    phone: c.phone,
    email: c.email,
    remarks: c.remarks,
    assigneeId: c.assigneeId === null ? '' : String(c.assigneeId),
  };
}

export function CallListCustomerEdit(props: { id: string }) {
  const w = useCallListWords();
  const { api, can } = useSession();
  const toast = useToast();
  const id = Number(props.id);
  const customer = useLoad(
    () => api.call('get', '/api/v1/call-lists/customers/{id}', { path: { id } }),
    [api, id],
  );
  const history = useLoad(
    () =>
      api.call('get', '/api/v1/call-lists/results', {
        query: { customerId: String(id), limit: '100' },
      }),
    [api, id],
  );
  const admin = !isGeneralUser(can);
  const agents = useLoad(
    async () =>
      admin && can('agents.view')
        ? (await api.call('get', '/api/v1/agents', { query: { limit: '500' } })).items
        : [],
    [api, admin],
  );
  const [form, setForm] = useState<Form | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (customer.data !== undefined) setForm(formOf(customer.data));
  }, [customer.data]);

  if (customer.data === undefined || form === null)
    return (
      <p data-testid="customer-problem">
        {customer.error === undefined ? w('loading') : problemOf(customer.error)}
      </p>
    );
  const c = customer.data;
  const editable = can('call_list_customers.update') && c.deletedAt === null;
  const set = (name: string, value: string) => setForm({ ...form, [name]: value });

  async function save(e: Event) {
    e.preventDefault();
    if (form === null || customer.data === undefined) return;
    setProblem(null);
    const before = formOf(customer.data);
    // Only what changed is sent: a general user's form holds the 担当者 they may not set.
    const changed = Object.fromEntries(
      Object.entries(form).filter(([k, v]) => v !== before[k] && k !== 'assigneeId'),
    ) as Patch;
    const assignee =
      admin && form.assigneeId !== before.assigneeId
        ? { assigneeId: form.assigneeId === '' ? null : Number(form.assigneeId) }
        : {};
    try {
      await api.call('patch', '/api/v1/call-lists/customers/{id}', {
        path: { id },
        body: { ...changed, ...assignee },
      });
      toast.done(w('saved'));
      customer.reload();
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  return (
    <section class="screen call-list-customer" data-testid="call-list-customer">
      <h2>
        <a href="#/crm/call-list-customers">{w('customers')}</a> › {w('customerEdit')}
      </h2>
      <form class="resource-form" onSubmit={(e) => void save(e)}>
        <label class="field">
          <span>{w('customerId')}</span>
          <output name="id">{c.id}</output>
        </label>
        <FormRow label={w('kind')} role="radiogroup">
          {['法人', '個人'].map((kind) => (
            <label key={kind}>
              <input
                type="radio"
                name="kind"
                value={kind}
                disabled={!editable}
                checked={form.kind === kind}
                onChange={() => set('kind', kind)}
              />
              {kind}
            </label>
          ))}
        </FormRow>
        {TEXT_FIELDS.map(([name, word, max]) => (
          <label key={name} class="field">
            <span>{w(word)}</span>
            <input
              name={name}
              maxLength={max}
              disabled={!editable}
              value={form[name] ?? ''}
              onInput={(e) => set(name, e.currentTarget.value)}
            />
          </label>
        ))}
        <label class="field">
          <span>{w('remarks')}</span>
          <textarea
            name="remarks"
            disabled={!editable}
            value={form.remarks ?? ''}
            onInput={(e) => set('remarks', e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>{w('assignee')}</span>
          {admin && editable && agents.data !== undefined && agents.data.length > 0 ? (
            <select
              name="assigneeId"
              value={form.assigneeId}
              onChange={(e) => set('assigneeId', e.currentTarget.value)}
            >
              <option value="">{w('noAssignee')}</option>
              {agents.data.map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {a.name}
                </option>
              ))}
            </select>
          ) : (
            <output name="assignee">{c.assigneeName ?? ''}</output>
          )}
        </label>
        <label class="field">
          <span>{w('listName')}</span>
          <output>{c.lists.map((l) => l.name).join(' / ')}</output>
        </label>
        <label class="field">
          <span>{w('source')}</span>
          <output>{c.values.source}</output>
        </label>
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        {editable && (
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="save">
              {w('register')}
            </button>
          </div>
        )}
      </form>
      <h3>{w('callHistory')}</h3>
      <table class="grid" data-testid="customer-history">
        <thead>
          <tr>
            <th>{w('listName')}</th>
            <th>{w('calledAt')}</th>
            <th>{w('calledResult')}</th>
            <th>{w('callStatus')}</th>
            <th>{w('caller')}</th>
            <th>{w('memo')}</th>
          </tr>
        </thead>
        <tbody>
          {(history.data?.items ?? []).map((r) => (
            <tr key={r.id}>
              <td>{c.lists.find((l) => l.id === r.listId)?.name ?? ''}</td>
              <td>{dateTimeOf(r.calledAt)}</td>
              <td>{r.called ? w('calledMark') : w('status_not_called')}</td>
              <td>{w(`status_${r.result}`)}</td>
              <td>{r.agentLabel}</td>
              <td>{r.memo}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
