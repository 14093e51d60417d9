/**
 * 顧客一覧 of the call lists (A.10): search by リスト名, 配布 (未配布 / 配布済), 登録日付 from–to,
 * 最終ステータス (several), 削除済みを表示, 会社名, 会社名フリガナ, 電話番号, 住所 (都道府県 and
 * text); the columns of A.10.2; [検索], [リスト再作成] (A.12: the search result becomes a new list,
 * after its name is asked), [クリア] and [顧客CSVダウンロード] of the search (A.14).
 */
import { useState } from 'preact/hooks';
import { problemOf, type BodyOf, type ItemOf } from '../../api/client';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { downloadFile } from '../stats/download';
import { FINAL_STATUSES, type FinalStatus } from './outcomes';
import { isGeneralUser } from './general-user';
import { useCallListWords } from './words';

const PAGE = 20;

type Customer = ItemOf<'/api/v1/call-lists/customers'>;
type RecreateBody = NonNullable<BodyOf<'/api/v1/call-lists/recreate', 'post'>>;

interface Criteria {
  listId: string;
  distributed: '' | 'undistributed' | 'distributed';
  registeredFrom: string;
  registeredTo: string;
  finalStatuses: FinalStatus[];
  includeDeleted: boolean;
  company: string;
  companyKana: string;
  phone: string;
  prefecture: string;
  address: string;
}

const EMPTY: Criteria = {
  listId: '',
  distributed: '',
  registeredFrom: '',
  registeredTo: '',
  finalStatuses: [],
  includeDeleted: false,
  company: '',
  companyKana: '',
  phone: '',
  prefecture: '',
  address: '',
};

/** `#/crm/call-list-customers?listId=3`, as the list's 顧客登録数 opens it. */
function addressCriteria(): Criteria {
  const listId = new URLSearchParams(location.hash.split('?')[1] ?? '').get('listId');
  return { ...EMPTY, listId: listId ?? '' };
}

const TEXTS = ['company', 'companyKana', 'phone', 'address'] as const;

/** The criteria as the search's query: blanks left out. */
function queryOf(c: Criteria): Record<string, string> {
  const query: Record<string, string> = {};
  if (c.listId !== '') query.listId = c.listId;
  if (c.distributed !== '') query.distributed = c.distributed;
  if (c.registeredFrom !== '') query.registeredFrom = c.registeredFrom;
  if (c.registeredTo !== '') query.registeredTo = c.registeredTo;
  if (c.finalStatuses.length > 0) query.finalStatus = c.finalStatuses.join(',');
  if (c.includeDeleted) query.includeDeleted = 'true';
  if (c.prefecture.trim() !== '') query.prefecture = c.prefecture.trim();
  for (const name of TEXTS) if (c[name].trim() !== '') query[name] = c[name].trim();
  return query;
}

/** The criteria as リスト再作成's filter (the live customers of the same search). */
function filterOf(c: Criteria): NonNullable<RecreateBody['filter']> {
  const q = queryOf({ ...c, includeDeleted: false });
  return {
    ...(q.listId !== undefined && { listId: Number(q.listId) }),
    ...(c.distributed !== '' && { distributed: c.distributed }),
    ...(q.registeredFrom !== undefined && { registeredFrom: q.registeredFrom }),
    ...(q.registeredTo !== undefined && { registeredTo: q.registeredTo }),
    ...(c.finalStatuses.length > 0 && { finalStatuses: c.finalStatuses }),
    ...(q.company !== undefined && { company: q.company }),
    ...(q.companyKana !== undefined && { companyKana: q.companyKana }),
    ...(q.phone !== undefined && { phone: q.phone.replace(/\D/g, '') }),
    ...(q.prefecture !== undefined && { prefecture: q.prefecture }),
    ...(q.address !== undefined && { address: q.address }),
  };
}

export function ListCustomersScreen() {
  const w = useCallListWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [criteria, setCriteria] = useState<Criteria>(addressCriteria);
  const [applied, setApplied] = useState<Criteria>(addressCriteria);
  const [offset, setOffset] = useState(0);
  const [encoding, setEncoding] = useState<'utf8' | 'shift_jis'>('utf8');
  const [recreating, setRecreating] = useState(false);
  const [newName, setNewName] = useState('');
  const [mode, setMode] = useState<'' | 'move' | 'add'>('');
  // A general user may have this screen without the list index (A.18): no list filter then.
  const lists = useLoad(
    async () =>
      can('call_lists.view')
        ? (
            await api.call('get', '/api/v1/call-lists', {
              query: { limit: '500', includeDeleted: 'false' },
            })
          ).items
        : [],
    [api],
  );
  const page = useLoad(
    async () =>
      (await api.raw('get', '/api/v1/call-lists/customers', {
        query: { ...queryOf(applied), limit: String(PAGE), offset },
      })) as { items: Customer[]; total: number },
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];
  const set = <K extends keyof Criteria>(name: K, value: Criteria[K]) =>
    setCriteria({ ...criteria, [name]: value });

  async function download() {
    try {
      await downloadFile(
        api,
        '/api/v1/call-lists/customers/export',
        { ...queryOf(applied), encoding },
        'call-list-customers.csv',
      );
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function recreate(e: Event) {
    e.preventDefault();
    try {
      const made = await api.call('post', '/api/v1/call-lists/recreate', {
        body: {
          name: newName.trim(),
          ...(mode !== '' && { mode }),
          filter: filterOf(applied),
        },
      });
      toast.done(w('recreateDone', { name: made.list.name, count: made.customers }));
      setRecreating(false);
      setNewName('');
      lists.reload();
      page.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const text = (name: (typeof TEXTS)[number], hint?: string) => (
    <label>
      {w(name)}
      <input
        name={name}
        placeholder={hint}
        value={criteria[name]}
        onInput={(e) => set(name, e.currentTarget.value)}
      />
    </label>
  );

  return (
    <section class="screen call-list-customers" data-testid="call-list-customers">
      <h2>{w('customers')}</h2>
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
            onChange={(e) => set('listId', e.currentTarget.value)}
          >
            <option value="">{w('choose')}</option>
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('distribution')}
          <select
            name="distributed"
            value={criteria.distributed}
            onChange={(e) => set('distributed', e.currentTarget.value as Criteria['distributed'])}
          >
            <option value="">{w('any')}</option>
            <option value="undistributed">{w('undistributed')}</option>
            <option value="distributed">{w('distributed')}</option>
          </select>
        </label>
        <label>
          {w('registeredOn')}
          <input
            type="date"
            name="registeredFrom"
            value={criteria.registeredFrom}
            onInput={(e) => set('registeredFrom', e.currentTarget.value)}
          />
          ~
          <input
            type="date"
            name="registeredTo"
            value={criteria.registeredTo}
            onInput={(e) => set('registeredTo', e.currentTarget.value)}
          />
        </label>
        <fieldset class="final-statuses">
          <legend>{w('finalStatus')}</legend>
          {FINAL_STATUSES.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                name={`finalStatus.${s}`}
                checked={criteria.finalStatuses.includes(s)}
                onChange={(e) =>
                  set(
                    'finalStatuses',
                    e.currentTarget.checked
                      ? [...criteria.finalStatuses, s]
                      : criteria.finalStatuses.filter((x) => x !== s),
                  )
                }
              />
              {w(`status_${s}`)}
            </label>
          ))}
        </fieldset>
        <label>
          <input
            type="checkbox"
            name="includeDeleted"
            checked={criteria.includeDeleted}
            onChange={(e) => set('includeDeleted', e.currentTarget.checked)}
          />
          {w('showDeleted')}
        </label>
        {text('company')}
        {text('companyKana')}
        {text('phone')}
        <label>
          {w('prefecture')}
          <input
            name="prefecture"
            value={criteria.prefecture}
            onInput={(e) => set('prefecture', e.currentTarget.value)}
          />
        </label>
        {text('address', w('addressHint'))}
        <button type="submit" data-testid="search">
          {w('search')}
        </button>
        <button
          type="button"
          data-testid="clear"
          onClick={() => {
            setCriteria(EMPTY);
            setApplied(EMPTY);
            setOffset(0);
          }}
        >
          {w('clear')}
        </button>
      </form>
      <div class="toolbar">
        {can('call_lists.update') && !isGeneralUser(can) && (
          <button
            type="button"
            data-testid="recreate"
            disabled={rows.length === 0}
            onClick={() => setRecreating(true)}
          >
            {w('recreate')}
          </button>
        )}
        {can('call_list_customers.download') && (
          <>
            <select
              name="encoding"
              aria-label={w('encoding')}
              value={encoding}
              onChange={(e) => setEncoding(e.currentTarget.value as 'utf8' | 'shift_jis')}
            >
              <option value="utf8">{w('encodingUtf8')}</option>
              <option value="shift_jis">{w('encodingSjis')}</option>
            </select>
            <button type="button" data-testid="download" onClick={() => void download()}>
              {w('csvDownload')}
            </button>
          </>
        )}
      </div>
      {recreating && (
        <form class="confirm card" data-testid="recreate-dialog" onSubmit={(e) => void recreate(e)}>
          <p>{w('recreateCaution')}</p>
          <label>
            {w('recreateName')}
            <input
              name="recreateName"
              required
              maxLength={200}
              value={newName}
              onInput={(e) => setNewName(e.currentTarget.value)}
            />
          </label>
          <label>
            {w('recreateMode')}
            <select
              name="recreateMode"
              value={mode}
              onChange={(e) => setMode(e.currentTarget.value as '' | 'move' | 'add')}
            >
              <option value="">{w('recreateDefault')}</option>
              <option value="move">{w('recreateMove')}</option>
              <option value="add">{w('recreateAdd')}</option>
            </select>
          </label>
          <button type="submit" class="primary" data-testid="recreate-ok">
            {w('ok')}
          </button>
          <button type="button" onClick={() => setRecreating(false)}>
            {w('cancel')}
          </button>
        </form>
      )}
      {page.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-data">{w('noData')}</p>
      ) : (
        <table class="grid" data-testid="customer-table">
          <thead>
            <tr>
              <th>{w('customerId')}</th>
              <th>{w('distributed')}</th>
              <th>{w('finalStatus')}</th>
              <th>{w('company')}</th>
              <th>{w('contact')}</th>
              <th>{w('address')}</th>
              <th>{w('phone')}</th>
              <th>{w('email')}</th>
              <th>{w('registeredOn')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-id={c.id} data-phone={c.phone}>
                <td>{c.id}</td>
                <td data-name="distributed">{c.distributed ? w('distributedMark') : ''}</td>
                <td data-name="finalStatus">
                  {c.finalStatus === null ? '' : w(`status_${c.finalStatus}`)}
                </td>
                <td data-name="company">{c.company}</td>
                <td>{c.values.contactName === '' ? w('contactUnknown') : c.values.contactName}</td>
                <td>{c.address}</td>
                <td>{c.phone}</td>
                <td>{c.email}</td>
                <td>{c.values.registeredOn.replaceAll('-', '/')}</td>
                <td>
                  <a href={`#/crm/call-list-customers/${c.id}`} data-testid="edit-customer">
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
