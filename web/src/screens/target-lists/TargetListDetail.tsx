/**
 * One 発信先リスト (B.2–B.7): its name (保存, 削除), 発信先を追加 (the call-target CSV sent as it
 * is, with the server's report), the targets from the top — 発信担当者, 取引先会社名, 取引先担当者名,
 * 電話番号, カテゴリー, 最終通話種別, 最終担当者, 最終通話日時, 発信対象 — filtered by 発信対象外を表示,
 * カテゴリー and a name or phone; 操作 on the ticked ones (担当者を変更, 発信対象外にする, 発信対象に
 * する, 削除 after a question); CSV ファイルの作成 in the 文字コード chosen. An operator sees their
 * own targets only, and none of the managing controls.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type PathOf } from '../../api/client';
import { CsvImport } from '../../admin/CsvImport';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { dateTimeOf } from '../call-lists/format';
import { downloadFile } from '../stats/download';
import { useTargetListWords } from './words';

const PAGE = 100;

type Excluded = 'hide' | 'show' | 'only';
type Action = 'assign' | 'exclude' | 'include' | 'remove';

export function TargetListDetail(props: { id: string }) {
  const w = useTargetListWords();
  const { api, can } = useSession();
  const toast = useToast();
  const id = Number(props.id);
  const manager = can('target_lists.update');
  const list = useLoad(() => api.call('get', '/api/v1/target-lists/{id}', { path: { id } }), [api]);
  const [name, setName] = useState('');
  const [filter, setFilter] = useState({ excluded: 'hide' as Excluded, category: '', q: '' });
  const [applied, setApplied] = useState(filter);
  const [offset, setOffset] = useState(0);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const [action, setAction] = useState<Action>('exclude');
  const [assigneeId, setAssigneeId] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [encoding, setEncoding] = useState<'utf8' | 'shift_jis'>('utf8');
  const [deleting, setDeleting] = useState(false);
  const targets = useLoad(
    () =>
      api.call('get', '/api/v1/target-lists/{id}/targets', {
        path: { id },
        query: {
          excluded: applied.excluded,
          ...(applied.category !== '' && { category: applied.category }),
          ...(applied.q !== '' && { q: applied.q }),
          limit: String(PAGE),
          offset: String(offset),
        },
      }),
    [api, applied, offset],
  );
  const agents = useLoad(
    async () =>
      manager && can('agents.view')
        ? (await api.call('get', '/api/v1/agents', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  useEffect(() => {
    if (list.data !== undefined) setName(list.data.name);
  }, [list.data]);
  const rows = targets.data?.items ?? [];
  const reload = () => {
    setChecked(new Set());
    targets.reload();
    list.reload();
  };

  async function rename(e: Event) {
    e.preventDefault();
    try {
      await api.call('patch', '/api/v1/target-lists/{id}', {
        path: { id },
        body: { name: name.trim() },
      });
      toast.done(w('saved'));
      list.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function removeList() {
    setDeleting(false);
    try {
      await api.call('delete', '/api/v1/target-lists/{id}', { path: { id } });
      toast.done(w('deleted'));
      navigate('/crm/target-lists');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function act() {
    setConfirming(false);
    const customerIds = [...checked];
    try {
      const done = await api.call('post', '/api/v1/target-lists/{id}/targets/bulk', {
        path: { id },
        body:
          action === 'assign'
            ? {
                action,
                customerIds,
                assigneeId: assigneeId === '' ? null : Number(assigneeId),
              }
            : { action, customerIds },
      });
      toast.done(w('updated', { count: done.updated }));
      reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function download() {
    try {
      await downloadFile(
        api,
        `/api/v1/target-lists/${id}/export`,
        { encoding },
        `${list.data?.name ?? 'targets'}.csv`,
      );
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  if (list.data === undefined)
    return <p>{list.error === undefined ? w('loading') : problemOf(list.error)}</p>;
  const l = list.data;
  const allChecked = rows.length > 0 && rows.every((t) => checked.has(t.customerId));

  return (
    <section class="screen target-list-detail" data-testid="target-list-detail">
      <h2>
        <a href="#/crm/target-lists">{w('back')}</a> › {l.name}
      </h2>
      {manager ? (
        <form class="toolbar" onSubmit={(e) => void rename(e)}>
          <label>
            {w('listName')}{' '}
            <input
              name="name"
              required
              maxLength={100}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
          <button type="submit" data-testid="save">
            {w('save')}
          </button>
          {can('target_lists.delete') && (
            <button
              type="button"
              class="danger"
              data-testid="delete"
              onClick={() => setDeleting(true)}
            >
              {w('delete')}
            </button>
          )}
        </form>
      ) : null}
      {deleting && (
        <div class="confirm card" role="alertdialog" data-testid="confirm">
          <p>{w('confirmDeleteList')}</p>
          <button
            type="button"
            class="danger"
            data-testid="confirm-yes"
            onClick={() => void removeList()}
          >
            {w('delete')}
          </button>
          <button type="button" onClick={() => setDeleting(false)}>
            {w('cancel')}
          </button>
        </div>
      )}
      <p data-testid="counts">
        {w('targetCount')}: {w('countOf', { count: l.targets })} / {w('excludedCount')}:{' '}
        {w('countOf', { count: l.excluded })} / {w('assignees')}:{' '}
        {l.assignees.map((a) => a.name).join(', ')}
      </p>
      {manager && (
        <>
          <h3>{w('addTargets')}</h3>
          <CsvImport
            // The list's own address: CsvImport posts to a path with no blanks to fill.
            path={`/api/v1/target-lists/${id}/targets` as PathOf<'post'>}
            onImported={reload}
          />
          <div class="toolbar" data-testid="export">
            <strong>{w('exportCsv')}</strong>
            <label>
              {w('encoding')}{' '}
              <select
                name="encoding"
                value={encoding}
                onChange={(e) => setEncoding(e.currentTarget.value as 'utf8' | 'shift_jis')}
              >
                <option value="utf8">{w('encodingUtf8')}</option>
                <option value="shift_jis">{w('encodingSjis')}</option>
              </select>
            </label>
            <button type="button" data-testid="download" onClick={() => void download()}>
              {w('exportButton')}
            </button>
          </div>
        </>
      )}
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setChecked(new Set());
          setApplied({ ...filter, category: filter.category.trim(), q: filter.q.trim() });
        }}
      >
        <label>
          {w('showExcluded')}
          <select
            name="excluded"
            value={filter.excluded}
            onChange={(e) => setFilter({ ...filter, excluded: e.currentTarget.value as Excluded })}
          >
            {(['hide', 'show', 'only'] as const).map((v) => (
              <option key={v} value={v}>
                {w(`excluded_${v}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('category')}
          <input
            name="category"
            value={filter.category}
            onInput={(e) => setFilter({ ...filter, category: e.currentTarget.value })}
          />
        </label>
        <label>
          {w('query')}
          <input
            name="q"
            value={filter.q}
            onInput={(e) => setFilter({ ...filter, q: e.currentTarget.value })}
          />
        </label>
        <button type="submit" data-testid="filter">
          {w('search')}
        </button>
      </form>
      {manager && (
        <div class="bulk" data-testid="bulk">
          <strong>{w('actions')}</strong>
          <span>{w('selected', { count: checked.size })}</span>
          <select
            name="action"
            value={action}
            onChange={(e) => setAction(e.currentTarget.value as Action)}
          >
            <option value="assign">{w('actAssign')}</option>
            <option value="exclude">{w('actExclude')}</option>
            <option value="include">{w('actInclude')}</option>
            <option value="remove">{w('actRemove')}</option>
          </select>
          {action === 'assign' && (
            <select
              name="assigneeId"
              aria-label={w('assignees')}
              value={assigneeId}
              onChange={(e) => setAssigneeId(e.currentTarget.value)}
            >
              <option value="">{w('none')}</option>
              {(agents.data ?? []).map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {a.name}
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            data-testid="bulk-apply"
            disabled={checked.size === 0}
            onClick={() => (action === 'remove' ? setConfirming(true) : void act())}
          >
            {action === 'assign' ? w('changeAssignee') : w('apply')}
          </button>
        </div>
      )}
      {confirming && (
        <div class="confirm card" role="alertdialog" data-testid="confirm">
          <p>{w('confirmRemove', { count: checked.size })}</p>
          <button type="button" class="danger" data-testid="confirm-yes" onClick={() => void act()}>
            {w('delete')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {w('cancel')}
          </button>
        </div>
      )}
      {targets.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-targets">{w('noTargets')}</p>
      ) : (
        <table class="grid" data-testid="target-table">
          <thead>
            <tr>
              {manager && (
                <th>
                  <input
                    type="checkbox"
                    aria-label={w('selected', { count: rows.length })}
                    checked={allChecked}
                    onChange={(e) =>
                      setChecked(
                        e.currentTarget.checked
                          ? new Set(rows.map((t) => t.customerId))
                          : new Set(),
                      )
                    }
                  />
                </th>
              )}
              <th>{w('assignees')}</th>
              <th>{w('company')}</th>
              <th>{w('contact')}</th>
              <th>{w('phone')}</th>
              <th>{w('category')}</th>
              <th>{w('lastCallType')}</th>
              <th>{w('lastAgent')}</th>
              <th>{w('lastCallAt')}</th>
              <th>{w('callable')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.customerId} data-id={t.customerId} data-phone={t.phone}>
                {manager && (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t.phone}
                      checked={checked.has(t.customerId)}
                      onChange={(e) => {
                        const next = new Set(checked);
                        if (e.currentTarget.checked) next.add(t.customerId);
                        else next.delete(t.customerId);
                        setChecked(next);
                      }}
                    />
                  </td>
                )}
                <td data-name="assignee">{t.assignee?.name ?? ''}</td>
                <td data-name="company">{t.company}</td>
                <td data-name="contact">{t.contact}</td>
                <td data-name="phone">{t.phone}</td>
                <td data-name="categories">{t.categories.join(' | ')}</td>
                <td>{t.lastCall?.type ?? ''}</td>
                <td>{t.lastCall?.agent?.name ?? ''}</td>
                <td>{t.lastCall === null ? '' : dateTimeOf(t.lastCall.at)}</td>
                <td data-name="callable">{t.excluded ? w('callableNo') : w('callableYes')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        offset={offset}
        pageSize={PAGE}
        total={targets.data?.total ?? 0}
        onOffset={setOffset}
      />
    </section>
  );
}
