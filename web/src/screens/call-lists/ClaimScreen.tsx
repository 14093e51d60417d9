/**
 * The operator's retrieval (A.9.4, A.10.3): the 配布中 lists they may use; [取得] takes the next
 * N customers (blank: as many as the setting says) from one list or any; the customers held, each
 * with its details and the result entry — 結果 (未架電 / 不応答 / 応答), 見込み, 再架電, 対応メモ,
 * 架電日時 — and [アップロード] of the ticked ones, after which they leave the held list. 自動発信
 * (AutocallPanel) dials them; each row's last call (autocall or click-to-call) fills in its 結果
 * and 架電日時 and shows 済 under 架電済対象, as MOT/Phone does (A.23); the operator still uploads.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type ItemOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { AutocallPanel } from './AutocallPanel';
import { localInputOf } from './format';
import { CALL_RESULTS, type CallResult } from './outcomes';
import { useCallListWords } from './words';

type Held = ItemOf<'/api/v1/call-lists/held'>;

interface Entry {
  upload: boolean;
  result: CallResult;
  prospect: boolean;
  recall: boolean;
  memo: string;
  /** A datetime-local value; blank for 未架電. */
  calledAt: string;
  /** The call whose result filled this entry in (a later call fills it in again). */
  callId: string | null;
}

const FRESH: Entry = {
  upload: true,
  result: 'not_called',
  prospect: false,
  recall: false,
  memo: '',
  calledAt: '',
  callId: null,
};

/** The entry after the customer's last call: its 結果 and 架電日時, once it has ended. */
function withLastCall(entry: Entry, lastCall: Held['lastCall']): Entry {
  if (lastCall === null || lastCall.result === null || lastCall.callId === entry.callId)
    return entry;
  return {
    ...entry,
    result: lastCall.result,
    calledAt: localInputOf(new Date(lastCall.at)),
    callId: lastCall.callId,
  };
}

export function ClaimScreen() {
  const w = useCallListWords();
  const { api, can } = useSession();
  const toast = useToast();
  const lists = useLoad(
    async () => (await api.call('get', '/api/v1/call-lists/mine')).items,
    [api],
  );
  const held = useLoad(async () => (await api.call('get', '/api/v1/call-lists/held')).items, [api]);
  const [listId, setListId] = useState('');
  const [count, setCount] = useState('');
  const [entries, setEntries] = useState<Record<number, Entry>>({});
  const [busy, setBusy] = useState(false);
  const rows = held.data ?? [];
  useEffect(() => {
    // A customer newly held starts as 未架電; what was entered for the others is kept, but a new
    // call fills in its result.
    setEntries((before) =>
      Object.fromEntries(rows.map((c) => [c.id, withLastCall(before[c.id] ?? FRESH, c.lastCall)])),
    );
  }, [held.data]);
  const entryOf = (id: number) => entries[id] ?? FRESH;
  const change = (id: number, patch: Partial<Entry>) =>
    setEntries({ ...entries, [id]: { ...entryOf(id), ...patch } });

  async function claim(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      const got = await api.call('post', '/api/v1/call-lists/claims', {
        body: {
          ...(listId !== '' && { listId: Number(listId) }),
          ...(count !== '' && { count: Number(count) }),
        },
      });
      toast.done(
        got.items.length === 0 ? w('claimedNone') : w('claimed', { count: got.items.length }),
      );
      held.reload();
      lists.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function upload() {
    const chosen = rows.filter((c) => entryOf(c.id).upload);
    if (chosen.length === 0) {
      toast.problem(w('nothingToUpload'));
      return;
    }
    setBusy(true);
    try {
      const done = await api.call('post', '/api/v1/call-lists/results', {
        body: {
          results: chosen.map((c) => {
            const e = entryOf(c.id);
            return {
              customerId: c.id,
              result: e.result,
              prospect: e.prospect,
              recall: e.recall,
              memo: e.memo,
              calledAt:
                e.result === 'not_called' || e.calledAt === ''
                  ? null
                  : new Date(e.calledAt).toISOString(),
            };
          }),
        },
      });
      toast.done(w('uploadedResults', { count: done.customers.length }));
      held.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="screen call-list-claim" data-testid="call-list-claim">
      <h2>{w('claim')}</h2>
      <h3>{w('myLists')}</h3>
      {lists.data !== undefined && lists.data.length === 0 ? (
        <p data-testid="no-lists">{w('noLists')}</p>
      ) : (
        <table class="grid" data-testid="my-lists">
          <thead>
            <tr>
              <th>{w('no')}</th>
              <th>{w('listName')}</th>
              <th>{w('customerCount')}</th>
            </tr>
          </thead>
          <tbody>
            {(lists.data ?? []).map((l) => (
              <tr key={l.id} data-id={l.id}>
                <td>{l.id}</td>
                <td>{l.name}</td>
                <td>{w('customerCountOf', { count: l.customerCount })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="search" onSubmit={(e) => void claim(e)}>
        <label>
          {w('list')}
          <select name="listId" value={listId} onChange={(e) => setListId(e.currentTarget.value)}>
            <option value="">{w('allLists')}</option>
            {(lists.data ?? []).map((l) => (
              <option key={l.id} value={String(l.id)}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('count')}
          <input
            type="number"
            name="count"
            min={1}
            max={500}
            value={count}
            onInput={(e) => setCount(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" data-testid="claim" disabled={busy}>
          {w('claimButton')}
        </button>
      </form>
      <AutocallPanel onChange={() => held.reload()} />
      <h3>{w('held')}</h3>
      {held.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-held">{w('noHeld')}</p>
      ) : (
        <div class="scroll-x">
          <table class="grid held" data-testid="held">
            <thead>
              <tr>
                <th>{w('include')}</th>
                <th>{w('position')}</th>
                <th>
                  {w('company')} / {w('contact')}
                </th>
                <th>{w('phone')}</th>
                <th>{w('callResult')}</th>
                <th>{w('prospect')}</th>
                <th>{w('recall')}</th>
                <th>
                  {w('handlingMemo')} / {w('calledAt')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c, i) => (
                <HeldRow
                  key={c.id}
                  number={i + 1}
                  customer={c}
                  entry={entryOf(c.id)}
                  onChange={(patch) => change(c.id, patch)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 && can('call_list_operator.upload') && (
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="upload"
            disabled={busy}
            onClick={() => void upload()}
          >
            {w('uploadResults')}
          </button>
        </div>
      )}
    </section>
  );
}

function HeldRow(props: {
  number: number;
  customer: Held;
  entry: Entry;
  onChange: (patch: Partial<Entry>) => void;
}) {
  const w = useCallListWords();
  const { customer: c, entry: e, onChange } = props;
  const dialled = e.result !== 'not_called';
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr data-id={c.id} data-phone={c.phone} class="held-row">
        <td>
          <input
            type="checkbox"
            name="upload"
            aria-label={w('include')}
            checked={e.upload}
            onChange={(ev) => onChange({ upload: ev.currentTarget.checked })}
          />
        </td>
        <td data-name="number">
          {props.number}
          {c.lastCall?.called === true && (
            <span class="done-mark" data-testid="done" title={w('calledMark')}>
              {' '}
              {w('done')}
            </span>
          )}
        </td>
        <td data-name="company">
          <button
            type="button"
            class="link"
            aria-expanded={open}
            data-testid="details"
            title={w('details')}
            onClick={() => setOpen(!open)}
          >
            {open ? '▼' : '▶'} {c.company}
          </button>
          <br />
          <small>{c.values.contactName === '' ? w('contactUnknown') : c.values.contactName}</small>
        </td>
        <td data-name="phone">{c.phone}</td>
        <td>
          <select
            name="result"
            value={e.result}
            onChange={(ev) => {
              const result = ev.currentTarget.value as CallResult;
              // A dialled call needs its time: now, unless one was entered.
              const calledAt =
                result === 'not_called'
                  ? ''
                  : e.calledAt === ''
                    ? localInputOf(new Date())
                    : e.calledAt;
              onChange({ result, calledAt });
            }}
          >
            {CALL_RESULTS.map((r) => (
              <option key={r} value={r}>
                {w(`result_${r}`)}
              </option>
            ))}
          </select>
        </td>
        <td>
          <input
            type="checkbox"
            name="prospect"
            aria-label={w('prospect')}
            checked={e.prospect}
            onChange={(ev) => onChange({ prospect: ev.currentTarget.checked })}
          />
        </td>
        <td>
          <input
            type="checkbox"
            name="recall"
            aria-label={w('recall')}
            checked={e.recall}
            onChange={(ev) => onChange({ recall: ev.currentTarget.checked })}
          />
        </td>
        <td>
          <input
            name="memo"
            maxLength={2000}
            value={e.memo}
            onInput={(ev) => onChange({ memo: ev.currentTarget.value })}
          />
          <br />
          <input
            type="datetime-local"
            name="calledAt"
            step={1}
            disabled={!dialled}
            required={dialled}
            value={e.calledAt}
            onInput={(ev) => onChange({ calledAt: ev.currentTarget.value })}
          />
        </td>
      </tr>
      {open && (
        <tr class="held-details-row" data-details={c.id}>
          <td colSpan={8}>
            <dl class="held-details">
              <dt>{w('companyKana')}</dt>
              <dd>{c.values.companyKana}</dd>
              <dt>{w('address')}</dt>
              <dd>{c.address}</dd>
              <dt>{w('email')}</dt>
              <dd>{c.email}</dd>
              <dt>{w('fax')}</dt>
              <dd>{c.values.fax}</dd>
              <dt>{w('remarks')}</dt>
              <dd>{c.remarks}</dd>
              <dt>{w('listName')}</dt>
              <dd>{c.lists.map((l) => l.name).join(', ')}</dd>
            </dl>
          </td>
        </tr>
      )}
    </>
  );
}
