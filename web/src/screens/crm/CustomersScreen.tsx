/**
 * 顧客 (§8-1): search by ID, 顧客コード, 名称, 業務, 電話番号, タグ, 備考 — and, under 詳細検索,
 * by the customer custom fields; the list (ID #C7, 業務, 名称, 電話番号, 登録, 更新); + 新規;
 * 一括編集 of the checked customers; ダウンロード of the checked ones (or of the search) as CSV.
 * Only the customers of the formats one may see are listed (CRM権限): the server decides.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { downloadFile } from '../stats/download';
import { BulkEdit } from './BulkEdit';
import { CustomFieldInput, type Customer } from './CustomerDetail';
import { TagChip } from './TagChip';
import { useCrmWords } from './words';

const PAGE = 50;

type Criteria = Record<string, string>;

const BASIC = ['id', 'code', 'name', 'phone', 'remarks'] as const;

/** Criteria given in the address (`#/crm/customers?phone=…`, as CRM自動検索 opens it). */
function addressCriteria(): Criteria {
  const query = location.hash.split('?')[1];
  return query === undefined ? {} : Object.fromEntries(new URLSearchParams(query));
}

/** The criteria as the query sends them: blanks left out. */
const queryOf = (c: Criteria): Criteria =>
  Object.fromEntries(Object.entries(c).filter(([, v]) => v.trim() !== ''));

export function CustomersScreen() {
  const w = useCrmWords();
  const { api, can } = useSession();
  const { t } = useWords();
  const toast = useToast();
  const [criteria, setCriteria] = useState<Criteria>(addressCriteria);
  const [applied, setApplied] = useState<Criteria>(addressCriteria);
  const [detailed, setDetailed] = useState(false);
  const [offset, setOffset] = useState(0);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [bulk, setBulk] = useState(false);

  const page = useLoad(
    async () =>
      (await api.raw('get', '/api/v1/customers', {
        query: { ...queryOf(applied), limit: String(PAGE), offset: String(offset) },
      })) as { items: Customer[]; total: number },
    [api, applied, offset],
  );
  // The formats and custom fields this user's customers have (no administration permission).
  const forms = useLoad(() => api.call('get', '/api/v1/customers/forms'), [api]);
  const formats = { data: forms.data?.formats };
  const customFields = { data: forms.data?.customFields };
  const tags = useLoad(
    async () =>
      can('tags.view')
        ? (await api.call('get', '/api/v1/tags', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const rows = page.data?.items ?? [];
  const set = (name: string, value: string) => setCriteria({ ...criteria, [name]: value });
  const mayCheck = can('customers.bulk_edit') || can('customers.download');

  async function download() {
    const query = checked.size > 0 ? { ids: [...checked].join(',') } : queryOf(applied);
    try {
      await downloadFile(api, '/api/v1/customers/export', query, 'customers.csv');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen customers" data-testid="customers">
      <h2>{w('customers')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setChecked(new Set());
          setApplied({ ...criteria });
        }}
      >
        {BASIC.map((name) => (
          <label key={name}>
            {w(name)}
            <input
              name={name}
              value={criteria[name] ?? ''}
              onInput={(e) => set(name, e.currentTarget.value)}
            />
          </label>
        ))}
        {formats.data !== undefined && formats.data.length > 0 && (
          <label>
            {w('format')}
            <select
              name="formatId"
              value={criteria.formatId ?? ''}
              onChange={(e) => set('formatId', e.currentTarget.value)}
            >
              <option value="">{w('any')}</option>
              {formats.data.map((f) => (
                <option key={f.id} value={String(f.id)}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {tags.data !== undefined && tags.data.length > 0 && (
          <label>
            {w('tags')}
            <select
              name="tagId"
              value={criteria.tagId ?? ''}
              onChange={(e) => set('tagId', e.currentTarget.value)}
            >
              <option value="">{w('any')}</option>
              {tags.data.map((t) => (
                <option key={t.id} value={String(t.id)}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {detailed &&
          (customFields.data ?? []).map((cf) => (
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
        {(customFields.data ?? []).length > 0 && (
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
        {can('customers.update') && (
          <button
            type="button"
            class="primary"
            data-testid="create"
            onClick={() => navigate('/crm/customers/new')}
          >
            {w('create')}
          </button>
        )}
        {can('customers.bulk_edit') && (
          <button
            type="button"
            data-testid="bulk-edit"
            disabled={checked.size === 0}
            onClick={() => setBulk(true)}
          >
            {w('bulkEdit')}
          </button>
        )}
        {can('customers.download') && (
          <button type="button" data-testid="download" onClick={() => void download()}>
            {w('download')}
          </button>
        )}
        {can('csv_upload.upload') && (
          <a href="#/crm/imports" data-testid="csv-upload">
            {t('crmCsvUpload')}
          </a>
        )}
        <span class="notice">{page.data?.total ?? ''}</span>
      </div>
      {bulk && (
        <BulkEdit
          ids={[...checked]}
          formatId={applied.formatId === undefined ? null : Number(applied.formatId)}
          customFields={customFields.data ?? []}
          tags={tags.data ?? []}
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
      <table class="grid" data-testid="customer-table">
        <thead>
          <tr>
            {mayCheck && (
              <th>
                <input
                  type="checkbox"
                  aria-label="all"
                  checked={rows.length > 0 && rows.every((r) => checked.has(r.id))}
                  onChange={(e) =>
                    setChecked(e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set())
                  }
                />
              </th>
            )}
            <th>{w('id')}</th>
            <th>{w('format')}</th>
            <th>{w('name')}</th>
            <th>{w('phone')}</th>
            <th>{w('tags')}</th>
            <th>{w('createdAt')}</th>
            <th>{w('updatedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-id={c.id}>
              {mayCheck && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={c.displayId}
                    checked={checked.has(c.id)}
                    onChange={(e) => {
                      const next = new Set(checked);
                      if (e.currentTarget.checked) next.add(c.id);
                      else next.delete(c.id);
                      setChecked(next);
                    }}
                  />
                </td>
              )}
              <td>
                <a href={`#/crm/customers/${c.id}`}>{c.displayId}</a>
              </td>
              <td>{c.formatName}</td>
              <td data-name="name">{c.name}</td>
              <td>{c.phones.join(', ')}</td>
              <td>
                {c.tags.map((t) => (
                  <TagChip key={t.id} tag={t} />
                ))}
              </td>
              <td>{c.createdAt.slice(0, 10)}</td>
              <td>{c.updatedAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data !== undefined && rows.length === 0 && <p class="notice">{w('noCustomers')}</p>}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
