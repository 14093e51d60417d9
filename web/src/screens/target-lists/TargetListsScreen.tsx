/**
 * 発信先リスト (B.2, B.7): the lists — リスト名, 発信担当者, the number of targets and of those
 * 発信対象外, 更新日時 — searched by name; 新規作成 makes an empty list by its name. An operator
 * sees only the lists with targets assigned to them (B.8): the server decides.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { dateTimeOf } from '../call-lists/format';
import { useTargetListWords } from './words';

const PAGE = 50;

export function TargetListsScreen() {
  const w = useTargetListWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [name, setName] = useState('');
  const [applied, setApplied] = useState('');
  const [offset, setOffset] = useState(0);
  const [newName, setNewName] = useState('');
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/target-lists', {
        query: {
          ...(applied !== '' && { name: applied }),
          limit: String(PAGE),
          offset: String(offset),
        },
      }),
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];

  async function create(e: Event) {
    e.preventDefault();
    try {
      const made = await api.call('post', '/api/v1/target-lists', {
        body: { name: newName.trim() },
      });
      toast.done(w('created'));
      navigate(`/crm/target-lists/${made.id}`);
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen target-lists" data-testid="target-lists">
      <h2>{w('targetLists')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied(name.trim());
        }}
      >
        <label>
          {w('listName')}
          <input name="name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="submit" data-testid="search">
          {w('search')}
        </button>
      </form>
      {can('target_lists.update') && (
        <form class="toolbar" data-testid="create-form" onSubmit={(e) => void create(e)}>
          <input
            name="newName"
            required
            maxLength={100}
            aria-label={w('listName')}
            placeholder={w('listName')}
            value={newName}
            onInput={(e) => setNewName(e.currentTarget.value)}
          />
          <button type="submit" class="primary" data-testid="create">
            {w('create')}
          </button>
        </form>
      )}
      {page.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-lists">{w('noLists')}</p>
      ) : (
        <table class="grid" data-testid="target-list-table">
          <thead>
            <tr>
              <th>{w('listName')}</th>
              <th>{w('assignees')}</th>
              <th>{w('targetCount')}</th>
              <th>{w('excludedCount')}</th>
              <th>{w('updatedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((l) => (
              <tr key={l.id} data-id={l.id}>
                <td data-name="name">
                  <a href={`#/crm/target-lists/${l.id}`}>{l.name}</a>
                </td>
                <td data-name="assignees">{l.assignees.map((a) => a.name).join(', ')}</td>
                <td data-name="targets">{w('countOf', { count: l.targets })}</td>
                <td data-name="excluded">{w('countOf', { count: l.excluded })}</td>
                <td>{dateTimeOf(l.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
