/**
 * 自動発信詳細 (§10-9): one entry — キャンペーン, 顧客, 電話番号, コール数, 発信日時, エージェント —
 * with its 結果 as buttons (the campaign's own, then the system results), 予約 by a date and time
 * or 10分後 / 1時間後 / 1日後 (the result goes back to 発信待機中), 担当 (an agent, 自分を設定) and
 * 備考. Each change is saved as it is made; an entry in a call is refused by the server.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type BodyOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { dateTimeOf } from '../call-lists/format';
import { StatusIcon } from './EntrySearch';
import { agentOptions, instantOf, localInputOf } from './results';
import { useCampaignWords } from './words';
import './campaigns.css';

type Patch = BodyOf<'/api/v1/campaigns/entries/{id}', 'patch'>;

export function EntryDetail(props: { id: string }) {
  const w = useCampaignWords();
  const { api, can } = useSession();
  const toast = useToast();
  const id = Number(props.id);
  const editable = can('autodial.update');
  const entry = useLoad(
    () => api.call('get', '/api/v1/campaigns/entries/{id}', { path: { id } }),
    [api, id],
  );
  const agents = useLoad(() => agentOptions(api, can), [api]);
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [remarks, setRemarks] = useState('');
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    if (entry.data === undefined) return;
    const at = localInputOf(entry.data.reservedAt);
    setDate(at.date);
    setTime(at.time);
    setRemarks(entry.data.remarks);
  }, [entry.data]);

  async function change(body: Patch) {
    try {
      await api.call('patch', '/api/v1/campaigns/entries/{id}', { path: { id }, body });
      toast.done(w('saved'));
      entry.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function reserveIn(later: '10m' | '1h' | '1d') {
    try {
      await api.call('post', '/api/v1/campaigns/entries/{id}/reserve', {
        path: { id },
        body: { in: later },
      });
      toast.done(w('saved'));
      entry.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  async function remove() {
    setDeleting(false);
    try {
      await api.call('delete', '/api/v1/campaigns/entries/{id}', { path: { id } });
      toast.done(w('deleted'));
      navigate('/supervisor/autodial');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  if (entry.data === undefined)
    return <p>{entry.error === undefined ? w('loading') : problemOf(entry.error)}</p>;
  const e = entry.data;

  return (
    <section class="screen entry-detail" data-testid="entry-detail">
      <h2>
        <a href="#/supervisor/autodial">{w('backToList')}</a> › {w('entryDetail')}
      </h2>
      <dl class="facts" data-testid="entry-facts">
        <dt>{w('status')}</dt>
        <dd data-name="status">
          <StatusIcon status={e.status} /> {w(`estatus_${e.status}`)}
        </dd>
        <dt>{w('campaign')}</dt>
        <dd data-name="campaign">{e.campaign.name}</dd>
        <dt>{w('customer')}</dt>
        <dd data-name="customer">
          {e.customer === null ? '' : `${e.customer.displayId} ${e.customer.name}`}
        </dd>
        <dt>{w('phone')}</dt>
        <dd data-name="phone">{e.phone}</dd>
        <dt>{w('callCount')}</dt>
        <dd data-name="callCount">{e.callCount}</dd>
        <dt>{w('lastDialed')}</dt>
        <dd data-name="lastDialed">{dateTimeOf(e.lastDialedAt)}</dd>
        <dt>{w('agent')}</dt>
        <dd data-name="agent">{e.lastAgent?.name ?? ''}</dd>
        <dt>{w('reserved')}</dt>
        <dd data-name="reserved">{dateTimeOf(e.reservedAt)}</dd>
        <dt>{w('assignee')}</dt>
        <dd data-name="assignee">{e.assignee?.name ?? ''}</dd>
      </dl>
      <h3>{w('result')}</h3>
      <div
        class="result-buttons"
        role="group"
        aria-label={w('result')}
        data-testid="result-buttons"
      >
        {e.choices.map((c) => (
          <button
            key={c.key}
            type="button"
            class={c.key === e.result.key ? 'primary' : c.kind}
            aria-pressed={c.key === e.result.key}
            data-result={c.key}
            disabled={!editable}
            onClick={() => void change({ result: c.key })}
          >
            {c.label}
          </button>
        ))}
      </div>
      <h3>{w('reserve')}</h3>
      <form
        class="toolbar"
        data-testid="reserve"
        onSubmit={(ev) => {
          ev.preventDefault();
          void change({ reservedAt: instantOf(date, time) });
        }}
      >
        <input
          type="date"
          name="reserveDate"
          aria-label={w('date')}
          disabled={!editable}
          value={date}
          onInput={(ev) => setDate(ev.currentTarget.value)}
        />
        <input
          type="time"
          name="reserveTime"
          aria-label={w('time')}
          disabled={!editable}
          value={time}
          onInput={(ev) => setTime(ev.currentTarget.value)}
        />
        <button type="submit" disabled={!editable} data-testid="reserve-at">
          {w('setReservation')}
        </button>
        {(['10m', '1h', '1d'] as const).map((later) => (
          <button
            key={later}
            type="button"
            disabled={!editable}
            data-testid={`reserve-${later}`}
            onClick={() => void reserveIn(later)}
          >
            {w(later === '10m' ? 'in10m' : later === '1h' ? 'in1h' : 'in1d')}
          </button>
        ))}
        <button
          type="button"
          disabled={!editable || e.reservedAt === null}
          data-testid="reserve-clear"
          onClick={() => void change({ reservedAt: null })}
        >
          {w('reserveClear')}
        </button>
      </form>
      <h3>{w('assignee')}</h3>
      <div class="toolbar" data-testid="assignee">
        <select
          name="assigneeId"
          aria-label={w('assignee')}
          disabled={!editable}
          value={e.assignee === null ? '' : String(e.assignee.id)}
          onChange={(ev) =>
            void change({
              assigneeId: ev.currentTarget.value === '' ? null : Number(ev.currentTarget.value),
            })
          }
        >
          <option value="">{w('assigneeNone')}</option>
          {(agents.data ?? []).map((a) => (
            <option key={a.id} value={String(a.id)}>
              {a.name}
            </option>
          ))}
          {e.assignee !== null && !(agents.data ?? []).some((a) => a.id === e.assignee?.id) && (
            <option value={String(e.assignee.id)}>{e.assignee.name}</option>
          )}
        </select>
        <button
          type="button"
          disabled={!editable}
          data-testid="assign-me"
          onClick={() => void change({ assigneeId: 'me' })}
        >
          {w('me')}
        </button>
      </div>
      <h3>{w('remarks')}</h3>
      <form
        data-testid="remarks"
        onSubmit={(ev) => {
          ev.preventDefault();
          void change({ remarks });
        }}
      >
        <textarea
          name="remarks"
          rows={4}
          maxLength={1000}
          disabled={!editable}
          value={remarks}
          onInput={(ev) => setRemarks(ev.currentTarget.value)}
        />
        {editable && (
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="save-remarks">
              {w('save')}
            </button>
            <button
              type="button"
              class="danger"
              data-testid="delete"
              onClick={() => setDeleting(true)}
            >
              {w('deleteEntry')}
            </button>
          </div>
        )}
      </form>
      {deleting && (
        <div class="confirm card" role="alertdialog" data-testid="confirm">
          <p>{w('confirmDeleteEntry')}</p>
          <button
            type="button"
            class="danger"
            data-testid="confirm-yes"
            onClick={() => void remove()}
          >
            {w('delete')}
          </button>
          <button type="button" onClick={() => setDeleting(false)}>
            {w('cancel')}
          </button>
        </div>
      )}
    </section>
  );
}
