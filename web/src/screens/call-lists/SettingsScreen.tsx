/**
 * 設定 of the call lists (A.18): コールリストの設定 (グループ未関連リストの配布, 再作成時に顧客重複を
 * 許可, 1回の取得時に配布する顧客数 and the retrieval order), 一般権限の操作許可設定 (four
 * switches) and MOT/Phoneの設定 (リストの自動取得, 切断時のオートコール, 架電済対象); [登録] saves
 * what changed.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type Answer, type BodyOf } from '../../api/client';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { FormRow } from './FormRow';
import { useCallListWords, type CallListWords } from './words';

type Settings = Answer<'/api/v1/call-lists/settings', 'get'>;
type Change = NonNullable<BodyOf<'/api/v1/call-lists/settings', 'patch'>>;
type Switch = {
  [K in keyof Change]-?: NonNullable<Change[K]> extends boolean ? K : never;
}[keyof Change];

export function SettingsScreen() {
  const w = useCallListWords();
  const { api, can } = useSession();
  const toast = useToast();
  const loaded = useLoad(() => api.call('get', '/api/v1/call-lists/settings'), [api]);
  const [values, setValues] = useState<Settings | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (loaded.data !== undefined) setValues(loaded.data);
  }, [loaded.data]);
  if (values === null)
    return <p>{loaded.error === undefined ? w('loading') : problemOf(loaded.error)}</p>;
  const editable = can('call_list_settings.update');
  const set = (change: Partial<Settings>) => setValues({ ...values, ...change });

  async function save(e: Event) {
    e.preventDefault();
    if (values === null || loaded.data === undefined) return;
    setProblem(null);
    const before = loaded.data;
    const body = Object.fromEntries(
      (Object.keys(values) as (keyof Settings)[])
        .filter((k) => k !== 'updatedAt' && k !== 'updatedBy' && values[k] !== before[k])
        .map((k) => [k, values[k]]),
    ) as Change;
    if (Object.keys(body).length === 0) {
      toast.done(w('saved'));
      return;
    }
    try {
      await api.call('patch', '/api/v1/call-lists/settings', { body });
      toast.done(w('saved'));
      loaded.reload();
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  /** A two-way switch as the manual's radios: 許可 / 許可しない, or する / しない. */
  const toggle = (name: Switch, yes: keyof CallListWords, no: keyof CallListWords) => (
    <FormRow label={w(name)} role="radiogroup" setting={name}>
      {[true, false].map((v) => (
        <label key={String(v)}>
          <input
            type="radio"
            name={name}
            value={String(v)}
            disabled={!editable}
            checked={values[name] === v}
            onChange={() => set({ [name]: v })}
          />
          {w(v ? yes : no)}
        </label>
      ))}
    </FormRow>
  );

  const choice = <K extends 'claimOrder' | 'calledCounts' | 'autocallOnHangup'>(
    name: K,
    options: readonly Settings[K][],
    labelOf: (v: Settings[K]) => keyof CallListWords,
  ) => (
    <FormRow label={w(name)} role="radiogroup" setting={name}>
      {options.map((v) => (
        <label key={v}>
          <input
            type="radio"
            name={name}
            value={v}
            disabled={!editable}
            checked={values[name] === v}
            onChange={() => set({ [name]: v })}
          />
          {w(labelOf(v))}
        </label>
      ))}
    </FormRow>
  );

  return (
    <section class="screen call-list-settings" data-testid="call-list-settings">
      <h2>{w('settings')}</h2>
      <form class="resource-form" onSubmit={(e) => void save(e)}>
        <h3>{w('listSettings')}</h3>
        {toggle('ungroupedToAll', 'allow', 'deny')}
        {toggle('recreateKeepsMembership', 'allow', 'deny')}
        <FormRow label={w('claimSize')}>
          <input
            type="number"
            name="claimSize"
            aria-label={w('claimSize')}
            min={1}
            max={500}
            disabled={!editable}
            value={values.claimSize}
            onInput={(e) => set({ claimSize: Number(e.currentTarget.value) })}
          />{' '}
          <small>{w('claimSizeHint')}</small>
        </FormRow>
        {choice('claimOrder', ['list_position', 'customer_id'], (v) => `order_${v}`)}
        <h3>{w('generalSettings')}</h3>
        {toggle('generalMayEditCustomers', 'allow', 'deny')}
        {toggle('generalMayExportCustomers', 'allow', 'deny')}
        {toggle('generalMayEditLists', 'allow', 'deny')}
        {toggle('generalSeesAllCustomers', 'allow', 'deny')}
        <h3>{w('phoneSettings')}</h3>
        {toggle('autoRetrieve', 'doIt', 'doNot')}
        {choice('autocallOnHangup', ['all_calls', 'no_answer_only', 'off'], (v) => `autocall_${v}`)}
        {choice('calledCounts', ['all_calls', 'answered_only'], (v) => `counts_${v}`)}
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        {editable && (
          <div class="toolbar">
            <button type="submit" class="primary" data-testid="save">
              {w('register')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
