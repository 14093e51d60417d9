/**
 * 一括編集 of ticked entries (§10-9, §9-2): a result, a reservation (a date and time, or cleared)
 * and an assignee (an agent, 自分を設定, or nobody), each left as it is unless chosen. The server
 * changes all of them or none, and says which rows it refused.
 */
import { useState } from 'preact/hooks';
import { ApiError, problemOf, type BodyOf } from '../../api/client';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { instantOf, type ResultChoice } from './results';
import { useCampaignWords } from './words';

type EntrySet = BodyOf<'/api/v1/campaigns/entries/bulk', 'post'>['set'];
const UNCHANGED = '';

export function BulkEdit(props: {
  ids: number[];
  choices: ResultChoice[];
  agents: { id: number; name: string }[];
  path: '/api/v1/campaigns/entries/bulk' | '/api/v1/reservations/bulk';
  onDone: () => void;
}) {
  const w = useCampaignWords();
  const { api } = useSession();
  const toast = useToast();
  const [result, setResult] = useState(UNCHANGED);
  const [reserve, setReserve] = useState<'' | 'at' | 'clear'>('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [assignee, setAssignee] = useState(UNCHANGED);
  const [refusals, setRefusals] = useState<string[]>([]);

  const change = (): EntrySet => {
    const set: EntrySet = {};
    if (result !== UNCHANGED) set.result = result;
    if (reserve === 'clear') set.reservedAt = null;
    if (reserve === 'at') {
      const at = instantOf(date, time);
      if (at !== null) set.reservedAt = at;
    }
    if (assignee === 'none') set.assigneeId = null;
    else if (assignee === 'me') set.assigneeId = 'me';
    else if (assignee !== UNCHANGED) set.assigneeId = Number(assignee);
    return set;
  };
  const set = change();
  const nothing = Object.keys(set).length === 0;

  async function apply(e: Event) {
    e.preventDefault();
    setRefusals([]);
    try {
      const done = await api.call('post', props.path, { body: { ids: props.ids, set } });
      toast.done(w('bulkUpdated', { count: done.updated }));
      setResult(UNCHANGED);
      setReserve('');
      setAssignee(UNCHANGED);
      props.onDone();
    } catch (err) {
      if (err instanceof ApiError && Array.isArray(err.details))
        setRefusals(
          (err.details as { id?: number; message?: string }[]).map(
            (d) => `${d.id === undefined ? '' : `#${d.id}: `}${d.message ?? ''}`,
          ),
        );
      toast.problem(problemOf(err));
    }
  }

  return (
    <form class="bulk search" data-testid="bulk" onSubmit={(e) => void apply(e)}>
      <strong>{w('bulkEdit')}</strong>
      <span data-testid="bulk-count">{w('bulkSelected', { count: props.ids.length })}</span>
      <label>
        {w('result')}
        <select name="bulkResult" value={result} onChange={(e) => setResult(e.currentTarget.value)}>
          <option value={UNCHANGED}>{w('unchanged')}</option>
          {props.choices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        {w('reserved')}
        <select
          name="bulkReserve"
          value={reserve}
          onChange={(e) => setReserve(e.currentTarget.value as '' | 'at' | 'clear')}
        >
          <option value="">{w('unchanged')}</option>
          <option value="at">{w('reserveAt')}</option>
          <option value="clear">{w('reserveClear')}</option>
        </select>
      </label>
      {reserve === 'at' && (
        <>
          <label>
            {w('date')}
            <input
              type="date"
              name="bulkDate"
              required
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
          </label>
          <label>
            {w('time')}
            <input
              type="time"
              name="bulkTime"
              required
              value={time}
              onInput={(e) => setTime(e.currentTarget.value)}
            />
          </label>
        </>
      )}
      <label>
        {w('assignee')}
        <select
          name="bulkAssignee"
          value={assignee}
          onChange={(e) => setAssignee(e.currentTarget.value)}
        >
          <option value={UNCHANGED}>{w('unchanged')}</option>
          <option value="me">{w('me')}</option>
          <option value="none">{w('assigneeNone')}</option>
          {props.agents.map((a) => (
            <option key={a.id} value={String(a.id)}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" data-testid="bulk-apply" disabled={props.ids.length === 0 || nothing}>
        {w('bulkEdit')}
      </button>
      {refusals.length > 0 && (
        <ul class="problem" role="alert" data-testid="bulk-refusals">
          {refusals.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </form>
  );
}
