/**
 * コールリスト編集 (A.9.2): No, リスト名, グループ (multi-select), 配布 (配布する / 配布しない),
 * [登録] and [削除] (soft, after a question); a deleted list shows [再表示] (A.19) instead.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type Answer } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { GroupChoice } from './GroupChoice';
import { dateTimeOf } from './format';
import { FormRow } from './FormRow';
import { useCallListWords } from './words';

type CallList = Answer<'/api/v1/call-lists/{id}', 'get'>;

export function CallListEdit(props: { id: string }) {
  const w = useCallListWords();
  const { api, can } = useSession();
  const toast = useToast();
  const id = Number(props.id);
  const list = useLoad(() => api.call('get', '/api/v1/call-lists/{id}', { path: { id } }), [api]);
  const [name, setName] = useState('');
  const [groupIds, setGroupIds] = useState<number[]>([]);
  const [distribute, setDistribute] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const show = (l: CallList) => {
    setName(l.name);
    setGroupIds(l.groupIds);
    setDistribute(l.distribute);
  };
  useEffect(() => {
    if (list.data !== undefined) show(list.data);
  }, [list.data]);

  if (list.data === undefined)
    return <p>{list.error === undefined ? w('loading') : problemOf(list.error)}</p>;
  const l = list.data;
  const deleted = l.deletedAt !== null;
  const editable = can('call_lists.update') && !deleted;

  async function save(e: Event) {
    e.preventDefault();
    setProblem(null);
    try {
      show(
        await api.call('patch', '/api/v1/call-lists/{id}', {
          path: { id },
          body: { name: name.trim(), groupIds, distribute },
        }),
      );
      toast.done(w('saved'));
      list.reload();
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  async function remove() {
    setConfirming(false);
    try {
      await api.call('delete', '/api/v1/call-lists/{id}', { path: { id } });
      toast.done(w('deletedList'));
      navigate('/crm/call-lists');
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  async function restore() {
    try {
      await api.call('post', '/api/v1/call-lists/{id}/restore', { path: { id } });
      toast.done(w('restored'));
      list.reload();
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  return (
    <section class="screen call-list-edit" data-testid="call-list-edit">
      <h2>
        <a href="#/crm/call-lists">{w('callLists')}</a> › {w('editList')}
      </h2>
      <form class="resource-form" onSubmit={(e) => void save(e)}>
        <label class="field">
          <span>{w('no')}</span>
          <output name="id">{l.id}</output>
        </label>
        <label class="field">
          <span>{w('listName')}</span>
          <input
            name="name"
            required
            maxLength={200}
            disabled={!editable}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <FormRow label={w('groups')}>
          <GroupChoice value={groupIds} onChange={setGroupIds} disabled={!editable} />
          <small>{w('groupsHint')}</small>
        </FormRow>
        <FormRow label={w('distribution')} role="radiogroup">
          <label>
            <input
              type="radio"
              name="distribute"
              value="true"
              disabled={!editable}
              checked={distribute}
              onChange={() => setDistribute(true)}
            />
            {w('distribute')}
          </label>
          <label>
            <input
              type="radio"
              name="distribute"
              value="false"
              disabled={!editable}
              checked={!distribute}
              onChange={() => setDistribute(false)}
            />
            {w('doNotDistribute')}
          </label>
        </FormRow>
        <label class="field">
          <span>{w('customerCount')}</span>
          <a href={`#/crm/call-list-customers?listId=${l.id}`}>
            {w('customerCountOf', { count: l.customerCount })}
          </a>
        </label>
        <label class="field">
          <span>{w('updatedAt')}</span>
          <output>{dateTimeOf(l.updatedAt)}</output>
        </label>
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        <div class="toolbar">
          {editable && (
            <button type="submit" class="primary" data-testid="save">
              {w('register')}
            </button>
          )}
          {!deleted && can('call_lists.delete') && (
            <button
              type="button"
              class="danger"
              data-testid="delete"
              onClick={() => setConfirming(true)}
            >
              {w('delete')}
            </button>
          )}
          {deleted && can('call_lists.delete') && (
            <button type="button" data-testid="restore" onClick={() => void restore()}>
              {w('restore')}
            </button>
          )}
        </div>
      </form>
      {confirming && (
        <div class="confirm card" role="alertdialog" data-testid="confirm">
          <p>{w('confirmDeleteList')}</p>
          <button
            type="button"
            class="danger"
            data-testid="confirm-yes"
            onClick={() => void remove()}
          >
            {w('delete')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {w('cancel')}
          </button>
        </div>
      )}
    </section>
  );
}
