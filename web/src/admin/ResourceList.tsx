/**
 * A resource's list (§11: 一覧): its search fields, a page of rows, a link to each row's detail,
 * new, and delete of the checked rows after a confirmation ("N件を削除します").
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../api/client';
import { useWords } from '../i18n';
import { useSession } from '../session';
import { useLoad } from '../ui/resource';
import { ConfirmDelete } from '../ui/confirm-delete';
import { Pager } from '../ui/pager';
import { useToast } from '../ui/toast';
import { navigate } from '../app/router';
import { CsvImport } from './CsvImport';
import { baseOf, textOf, type Column, type ResourceDescriptor, type Row } from './descriptor';
import { FieldInput } from './FieldInput';
import { useAdminWords } from './words';

const PAGE = 50;

const cell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '✓' : '';
  if (Array.isArray(v)) return v.map(cell).join(', ');
  return textOf(v);
};

export function ResourceList(props: { resource: ResourceDescriptor }) {
  const r = props.resource;
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const say = useAdminWords();
  const shown = (c: Column, row: Row) =>
    c.value?.(row, say) ?? (c.enum === undefined ? cell(row[c.name]) : say.e(c.enum, row[c.name]));
  const [filters, setFilters] = useState<Record<string, string | undefined>>({});
  const [applied, setApplied] = useState<Record<string, string | undefined>>({});
  const [offset, setOffset] = useState(0);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const page = useLoad(async () => {
    const query: Record<string, string | undefined> = { ...applied };
    if (r.paged) Object.assign(query, { limit: String(PAGE), offset: String(offset) });
    return (await api.raw('get', r.list, { query })) as { items: Row[]; total?: number };
  }, [api, r, applied, offset]);
  const rows = page.data?.items ?? [];
  const total = page.data?.total ?? rows.length;
  const mayDelete = r.permissions.delete !== undefined && can(r.permissions.delete);

  async function deleteChecked() {
    setConfirming(false);
    const ids = [...checked].map(Number);
    try {
      if (r.bulkDelete !== undefined) {
        await api.raw('post', r.bulkDelete, { body: { ids } });
      } else {
        for (const id of ids) await api.raw('delete', r.item, { path: { id } });
      }
      toast.done(t('deleted', { count: ids.length }));
      setChecked(new Set());
      page.reload();
    } catch (err) {
      toast.problem(problemOf(err));
      page.reload();
    }
  }

  return (
    <section class="screen resource-list" data-resource={r.key}>
      <h2>{t(r.title)}</h2>
      {r.search !== undefined && (
        <form
          class="search"
          onSubmit={(e) => {
            e.preventDefault();
            setOffset(0);
            setApplied({ ...filters });
          }}
        >
          {r.search.map((f) => (
            <label key={f.name}>
              {t(f.label)}
              <FieldInput
                field={f}
                value={filters[f.name]}
                onChange={(v) =>
                  setFilters({ ...filters, [f.name]: v === null ? undefined : textOf(v) })
                }
              />
            </label>
          ))}
          <button type="submit">{t('search')}</button>
        </form>
      )}
      <div class="toolbar">
        {r.create !== undefined && can(r.permissions.update) && (
          <button
            type="button"
            class="primary"
            data-testid="create"
            onClick={() => navigate(`${baseOf(r)}/new`)}
          >
            {t('create')}
          </button>
        )}
        {mayDelete && (
          <button
            type="button"
            class="danger"
            data-testid="delete-selected"
            disabled={checked.size === 0}
            onClick={() => setConfirming(true)}
          >
            {t('deleteSelected')}
          </button>
        )}
      </div>
      {r.csvImport !== undefined && can(r.csvImport.permission) && (
        <CsvImport path={r.csvImport.path} onImported={page.reload} />
      )}
      {confirming && (
        <ConfirmDelete
          count={checked.size}
          onDelete={() => void deleteChecked()}
          onCancel={() => setConfirming(false)}
        />
      )}
      <table class="grid" data-testid="resource-table">
        <thead>
          <tr>
            {mayDelete && <th />}
            {r.columns.map((c) => (
              <th key={c.name}>{t(c.label)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const id = cell(row.id);
            return (
              <tr key={id} data-id={id}>
                {mayDelete && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={id}
                      checked={checked.has(id)}
                      onChange={(e) => {
                        const next = new Set(checked);
                        if (e.currentTarget.checked) next.add(id);
                        else next.delete(id);
                        setChecked(next);
                      }}
                    />
                  </td>
                )}
                {r.columns.map((c, i) => (
                  <td key={c.name} data-name={c.name}>
                    {i === 0 ? <a href={`#${baseOf(r)}/${id}`}>{shown(c, row)}</a> : shown(c, row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {r.paged && <Pager offset={offset} pageSize={PAGE} total={total} onOffset={setOffset} />}
    </section>
  );
}
