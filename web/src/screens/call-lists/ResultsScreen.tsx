/**
 * 通話一覧 of the call lists (A.11): the results operators uploaded, newest first — No, 内線番号
 * (UserName(ext)), 会社名, 電話番号, 通話日付 (blank for 未架電), 架電ステータス, 架電メモ, 再架電,
 * 見込み. Search by リスト名, operator and 削除済みを表示; "データがありません" means nothing is
 * uploaded yet.
 */
import { useState } from 'preact/hooks';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { dateTimeOf } from './format';
import { useCallListWords } from './words';

const PAGE = 20;

interface Criteria {
  listId: string;
  agentId: string;
  includeDeleted: boolean;
}

const EMPTY: Criteria = { listId: '', agentId: '', includeDeleted: false };

export function ResultsScreen() {
  const w = useCallListWords();
  const { api, can } = useSession();
  const [criteria, setCriteria] = useState<Criteria>(EMPTY);
  const [applied, setApplied] = useState<Criteria>(EMPTY);
  const [offset, setOffset] = useState(0);
  // A general user may have this screen without the list index (A.18): no list filter then.
  const lists = useLoad(
    async () =>
      can('call_lists.view')
        ? (
            await api.call('get', '/api/v1/call-lists', {
              query: { limit: '500', includeDeleted: 'true' },
            })
          ).items
        : [],
    [api],
  );
  const agents = useLoad(
    async () =>
      can('agents.view')
        ? (await api.call('get', '/api/v1/agents', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/call-lists/results', {
        query: {
          ...(applied.listId !== '' && { listId: applied.listId }),
          ...(applied.agentId !== '' && { agentId: applied.agentId }),
          includeDeleted: applied.includeDeleted ? 'true' : 'false',
          limit: String(PAGE),
          offset: String(offset),
        },
      }),
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];
  return (
    <section class="screen call-list-results" data-testid="call-list-results">
      <h2>{w('results')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied({ ...criteria });
        }}
      >
        <label>
          {w('listName')}
          <select
            name="listId"
            value={criteria.listId}
            onChange={(e) => setCriteria({ ...criteria, listId: e.currentTarget.value })}
          >
            <option value="">{w('choose')}</option>
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        {(agents.data ?? []).length > 0 && (
          <label>
            {w('extension')}
            <select
              name="agentId"
              value={criteria.agentId}
              onChange={(e) => setCriteria({ ...criteria, agentId: e.currentTarget.value })}
            >
              <option value="">{w('allOperators')}</option>
              {(agents.data ?? []).map((a) => (
                <option key={a.id} value={String(a.id)}>
                  {a.name}
                  {a.extension === null ? '' : `(${a.extension})`}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          <input
            type="checkbox"
            name="includeDeleted"
            checked={criteria.includeDeleted}
            onChange={(e) => setCriteria({ ...criteria, includeDeleted: e.currentTarget.checked })}
          />
          {w('showDeleted')}
        </label>
        <button type="submit" data-testid="search">
          {w('search')}
        </button>
        <button
          type="button"
          onClick={() => {
            setCriteria(EMPTY);
            setApplied(EMPTY);
            setOffset(0);
          }}
        >
          {w('clear')}
        </button>
      </form>
      {page.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-data">{w('noData')}</p>
      ) : (
        <table class="grid" data-testid="result-table">
          <thead>
            <tr>
              <th>{w('no')}</th>
              <th>{w('extension')}</th>
              <th>{w('company')}</th>
              <th>{w('phone')}</th>
              <th>{w('callDate')}</th>
              <th>{w('callStatus')}</th>
              <th>{w('callMemo')}</th>
              <th>{w('recall')}</th>
              <th>{w('prospect')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-id={r.id} data-customer={r.customerId}>
                <td>{r.id}</td>
                <td data-name="agent">{r.agentLabel}</td>
                <td data-name="company">{r.company}</td>
                <td data-name="phone">{r.phone}</td>
                <td data-name="calledAt">{dateTimeOf(r.calledAt)}</td>
                <td data-name="result">{w(`status_${r.result}`)}</td>
                <td data-name="memo">{r.memo}</td>
                <td data-name="recall">{r.recall ? w('recall') : ''}</td>
                <td data-name="prospect">{r.prospect ? w('prospectMark') : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
