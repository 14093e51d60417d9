/**
 * コールリスト一覧 (A.9.1): search by リスト名 (part) and 削除済みを表示; No, リスト名, 顧客登録数
 * (a link to the 顧客一覧 of the list), 配布 (○：配布中 / ×：未配布), 更新日付 and 編集.
 */
import { useState } from 'preact/hooks';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { navigate } from '../../app/router';
import { dateTimeOf } from './format';
import { useCallListWords } from './words';

const PAGE = 10;

export function CallListsScreen() {
  const w = useCallListWords();
  const { api, can } = useSession();
  const [name, setName] = useState('');
  const [showDeleted, setShowDeleted] = useState(false);
  const [applied, setApplied] = useState({ name: '', showDeleted: false });
  const [offset, setOffset] = useState(0);
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/call-lists', {
        query: {
          ...(applied.name !== '' && { name: applied.name }),
          includeDeleted: String(applied.showDeleted) as 'true' | 'false',
          limit: String(PAGE),
          offset: String(offset),
        },
      }),
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];
  return (
    <section class="screen call-lists" data-testid="call-lists">
      <h2>{w('callLists')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied({ name: name.trim(), showDeleted });
        }}
      >
        <label>
          {w('listName')}
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          <input
            type="checkbox"
            name="includeDeleted"
            checked={showDeleted}
            onChange={(e) => setShowDeleted(e.currentTarget.checked)}
          />
          {w('showDeleted')}
        </label>
        <button type="submit" data-testid="search">
          {w('search')}
        </button>
      </form>
      {can('call_lists.update') && (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="create"
            onClick={() => navigate('/crm/call-lists/new')}
          >
            {w('create')}
          </button>
        </div>
      )}
      {page.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-data">{w('noData')}</p>
      ) : (
        <table class="grid" data-testid="call-list-table">
          <thead>
            <tr>
              <th>{w('no')}</th>
              <th>{w('listName')}</th>
              <th>{w('customerCount')}</th>
              <th>{w('distribution')}</th>
              <th>{w('updatedAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l.id} data-id={l.id} class={l.deletedAt === null ? '' : 'deleted'}>
                <td>{l.id}</td>
                <td data-name="name">
                  {l.name}
                  {l.deletedAt !== null && ` (${w('deleted')})`}
                </td>
                <td data-name="customerCount">
                  <a href={`#/crm/call-list-customers?listId=${l.id}`}>
                    {w('customerCountOf', { count: l.customerCount })}
                  </a>
                </td>
                <td data-name="distribution">
                  {l.distribute ? w('distributing') : w('notDistributing')}
                </td>
                <td>{dateTimeOf(l.updatedAt)}</td>
                <td>
                  <a href={`#/crm/call-lists/${l.id}`} data-testid="edit">
                    {w('edit')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
