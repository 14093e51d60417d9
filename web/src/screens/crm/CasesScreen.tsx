/**
 * 案件 (§8-2): search by ID, 題名, ステータス, タグ, 顧客 (part of the customer's name), 担当,
 * ワークフロー, 詳細, 注記; 顧客連動検索 ON: the cases of one customer (#C12); under 詳細検索, by
 * the case custom fields. The list (題名, 顧客, ステータス, 担当, ワークフロー as
 * `TESTフロー-STEP1`, 更新); + 新規; 一括編集 of the checked cases; ダウンロード of the checked
 * ones (or of the search) as CSV. Cases of customers in formats hidden from one (CRM権限) are not
 * listed: the server decides.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { downloadFile } from '../stats/download';
import { CaseBulkEdit } from './CaseBulkEdit';
import { useCaseChoices, workflowCellOf, type Case } from './case-choices';
import { CustomFieldInput } from './CustomerDetail';
import { TagChip } from './TagChip';
import { useCrmWords } from './words';

const PAGE = 50;

type Criteria = Record<string, string>;

const TEXTS = ['id', 'title', 'customerName', 'details', 'notes'] as const;

/** Criteria given in the address (`#/crm/cases?customerId=12`, from a customer's 案件 tab). */
function addressCriteria(): Criteria {
  const query = location.hash.split('?')[1];
  return query === undefined ? {} : Object.fromEntries(new URLSearchParams(query));
}

/**
 * The criteria as the query sends them: blanks left out, 担当 = 自分 / 未設定 as their flags,
 * the customer only with 顧客連動検索 ON.
 */
function queryOf(c: Criteria, linked: boolean): Criteria {
  const query: Criteria = {};
  for (const [k, v] of Object.entries(c)) {
    if (v.trim() === '' || k === 'assignee' || k === 'customerId') continue;
    query[k] = v;
  }
  if (c.assignee === 'me') query.assignedToMe = 'true';
  else if (c.assignee === 'none') query.unassigned = 'true';
  else if (c.assignee !== undefined && c.assignee !== '') query.assigneeId = c.assignee;
  if (linked && (c.customerId ?? '').trim() !== '') query.customerId = (c.customerId ?? '').trim();
  return query;
}

export function CasesScreen() {
  const w = useCrmWords();
  const { api, can } = useSession();
  const toast = useToast();
  const choices = useCaseChoices();
  const [criteria, setCriteria] = useState<Criteria>(addressCriteria);
  const [linked, setLinked] = useState(() => addressCriteria().customerId !== undefined);
  const [applied, setApplied] = useState<Criteria>(() => queryOf(addressCriteria(), true));
  const [detailed, setDetailed] = useState(false);
  const [offset, setOffset] = useState(0);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [bulk, setBulk] = useState(false);

  const page = useLoad(
    async () =>
      (await api.raw('get', '/api/v1/cases', {
        query: { ...applied, limit: String(PAGE), offset: String(offset) },
      })) as { items: Case[]; total: number },
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];
  const set = (name: string, value: string) => setCriteria({ ...criteria, [name]: value });
  const mayCheck = can('cases.bulk_edit') || can('cases.download');
  const select = (name: string, options: { value: string; label: string }[], label: string) => (
    <label key={name}>
      {label}
      <select
        name={name}
        value={criteria[name] ?? ''}
        onChange={(e) => set(name, e.currentTarget.value)}
      >
        <option value="">{w('any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );

  async function download() {
    const query = checked.size > 0 ? { ids: [...checked].join(',') } : applied;
    try {
      await downloadFile(api, '/api/v1/cases/export', query, 'cases.csv');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen cases" data-testid="cases">
      <h2>{w('cases')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setChecked(new Set());
          setApplied(queryOf(criteria, linked));
        }}
      >
        {TEXTS.map((name) => (
          <label key={name}>
            {name === 'id'
              ? w('id')
              : name === 'title'
                ? w('caseTitle')
                : name === 'customerName'
                  ? w('customer')
                  : w(name)}
            <input
              name={name}
              value={criteria[name] ?? ''}
              onInput={(e) => set(name, e.currentTarget.value)}
            />
          </label>
        ))}
        {select(
          'statusId',
          choices.statuses.map((s) => ({ value: String(s.id), label: s.name })),
          w('status'),
        )}
        {choices.tags.length > 0 &&
          select(
            'tagId',
            choices.tags.map((t) => ({ value: String(t.id), label: t.name })),
            w('tags'),
          )}
        {select(
          'assignee',
          [
            { value: 'me', label: w('me') },
            { value: 'none', label: w('unassigned') },
            ...choices.agents.map((a) => ({ value: String(a.id), label: a.name })),
          ],
          w('assignee'),
        )}
        {choices.workflows.length > 0 &&
          select(
            'workflowId',
            choices.workflows.map((f) => ({ value: String(f.id), label: f.name })),
            w('workflow'),
          )}
        <label class="linked-search">
          <input
            type="checkbox"
            name="customerLinked"
            checked={linked}
            onChange={(e) => setLinked(e.currentTarget.checked)}
          />
          {w('customerLinked')} {linked ? w('on') : w('off')}
        </label>
        {linked && (
          <label>
            {w('customerId')}
            <input
              name="customerId"
              placeholder="#C1"
              value={criteria.customerId ?? ''}
              onInput={(e) => set('customerId', e.currentTarget.value)}
            />
          </label>
        )}
        {detailed &&
          choices.customFields.map((cf) => (
            <label key={cf.id} data-custom={cf.name}>
              {cf.name}
              <CustomFieldInput
                field={cf}
                value={criteria[`custom.${cf.id}`] ?? ''}
                onChange={(v) => set(`custom.${cf.id}`, v)}
              />
            </label>
          ))}
        <button type="submit" class="primary" data-testid="search">
          {w('search')}
        </button>
        {choices.customFields.length > 0 && (
          <button
            type="button"
            data-testid="detailed-search"
            aria-pressed={detailed}
            onClick={() => setDetailed(!detailed)}
          >
            {w('detailedSearch')}
          </button>
        )}
      </form>
      <div class="toolbar">
        {can('cases.update') && (
          <button
            type="button"
            class="primary"
            data-testid="create"
            onClick={() => navigate('/crm/cases/new')}
          >
            {w('create')}
          </button>
        )}
        {can('cases.bulk_edit') && (
          <button
            type="button"
            data-testid="bulk-edit"
            disabled={checked.size === 0}
            onClick={() => setBulk(true)}
          >
            {w('bulkEdit')}
          </button>
        )}
        {can('cases.download') && (
          <button type="button" data-testid="download" onClick={() => void download()}>
            {w('download')}
          </button>
        )}
        <span class="notice">{page.data?.total ?? ''}</span>
      </div>
      {bulk && (
        <CaseBulkEdit
          ids={[...checked]}
          choices={choices}
          onClose={() => setBulk(false)}
          onDone={() => {
            setBulk(false);
            setChecked(new Set());
            page.reload();
          }}
        />
      )}
      {page.error !== undefined && (
        <p role="alert" class="problem">
          {problemOf(page.error)}
        </p>
      )}
      <CaseTable rows={rows} checked={mayCheck ? checked : undefined} onChecked={setChecked} />
      {page.data !== undefined && rows.length === 0 && <p class="notice">{w('noCases')}</p>}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}

/** The case list's table (also a customer's 案件 tab); checkboxes when `checked` is given. */
export function CaseTable(props: {
  rows: Case[];
  checked?: Set<number> | undefined;
  onChecked?: (checked: Set<number>) => void;
  /** Without the 顧客 column (a customer's own cases). */
  noCustomer?: boolean;
}) {
  const w = useCrmWords();
  const { rows, checked } = props;
  return (
    <table class="grid" data-testid="case-table">
      <thead>
        <tr>
          {checked !== undefined && (
            <th>
              <input
                type="checkbox"
                aria-label="all"
                checked={rows.length > 0 && rows.every((r) => checked.has(r.id))}
                onChange={(e) =>
                  props.onChecked?.(
                    e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set(),
                  )
                }
              />
            </th>
          )}
          <th>{w('id')}</th>
          <th>{w('caseTitle')}</th>
          {props.noCustomer !== true && <th>{w('customer')}</th>}
          <th>{w('status')}</th>
          <th>{w('assignee')}</th>
          <th>{w('workflow')}</th>
          <th>{w('tags')}</th>
          <th>{w('updatedAt')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c) => (
          <tr key={c.id} data-id={c.id}>
            {checked !== undefined && (
              <td>
                <input
                  type="checkbox"
                  aria-label={c.displayId}
                  checked={checked.has(c.id)}
                  onChange={(e) => {
                    const next = new Set(checked);
                    if (e.currentTarget.checked) next.add(c.id);
                    else next.delete(c.id);
                    props.onChecked?.(next);
                  }}
                />
              </td>
            )}
            <td>{c.displayId}</td>
            <td data-name="title">
              <a href={`#/crm/cases/${c.id}`}>{c.title}</a>
            </td>
            {props.noCustomer !== true && (
              <td data-name="customer">
                {c.customer !== null && (
                  <a href={`#/crm/customers/${c.customer.id}`}>{c.customer.name}</a>
                )}
              </td>
            )}
            <td data-name="status">{c.statusName}</td>
            <td data-name="assignee">{c.assigneeName ?? ''}</td>
            <td data-name="workflow">{workflowCellOf(c)}</td>
            <td>
              {c.tags.map((t) => (
                <TagChip key={t.id} tag={t} />
              ))}
            </td>
            <td>{c.updatedAt.slice(0, 10)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
