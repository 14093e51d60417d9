/**
 * SV › 座席レイアウト (§10-7): the layouts — 名称, 端末数, オブジェクト数, 更新 — with a search by
 * name and, for seat_layouts.update, a new layout (then its editor).
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useWords } from '../../i18n';
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useFloorWords } from './words';
import './floor.css';

const PAGE = 50;

export function SeatLayoutsScreen() {
  const { t } = useWords();
  const w = useFloorWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [search, setSearch] = useState('');
  const [name, setName] = useState('');
  const [offset, setOffset] = useState(0);
  const [draft, setDraft] = useState({ name: '', width: '800', height: '500' });
  // The page is read again when any layout changes (the `seat_layouts` topic's summaries).
  const live = useTopic('seat_layouts').state.layouts;
  const { data } = useLoad(
    () =>
      api.call('get', '/api/v1/seat-layouts', {
        query: { limit: String(PAGE), offset: String(offset), ...(name !== '' && { name }) },
      }),
    [api, name, offset, live],
  );

  async function create(e: Event) {
    e.preventDefault();
    try {
      const layout = await api.call('post', '/api/v1/seat-layouts', {
        body: { name: draft.name, width: Number(draft.width), height: Number(draft.height) },
      });
      navigate(`/supervisor/seat-layouts/${layout.id}/edit`);
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen floor-layouts" data-testid="seat-layouts">
      <h2>{t('seatLayouts')}</h2>
      <form
        class="toolbar search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setName(search.trim());
        }}
      >
        <label>
          {w('name')}{' '}
          <input name="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <button type="submit">{t('search')}</button>
      </form>
      <table class="grid" data-testid="seat-layout-list">
        <thead>
          <tr>
            <th>{w('name')}</th>
            <th>{w('terminals')}</th>
            <th>{w('objects')}</th>
            <th>{w('updated')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(data?.items ?? []).map((l) => (
            <tr key={l.id} data-layout={l.id}>
              <td>
                <a href={`#/supervisor/seat-layouts/${l.id}`}>{l.name}</a>
              </td>
              <td data-col="terminals">{l.terminalCount}</td>
              <td data-col="objects">{l.objectCount}</td>
              <td>
                {new Date(l.updatedAt).toLocaleString()} {l.updatedBy}
              </td>
              <td>
                {can('seat_layouts.update') && (
                  <a href={`#/supervisor/seat-layouts/${l.id}/edit`}>{w('edit')}</a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {data?.total === 0 && <p class="notice">{w('noLayouts')}</p>}
      <Pager offset={offset} pageSize={PAGE} total={data?.total ?? 0} onOffset={setOffset} />
      {can('seat_layouts.update') && (
        <form class="toolbar card new-layout" onSubmit={(e) => void create(e)}>
          <strong>{w('newLayout')}</strong>
          <label>
            {w('name')}{' '}
            <input
              name="layoutName"
              required
              maxLength={64}
              value={draft.name}
              onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            />
          </label>
          <label>
            {w('width')}{' '}
            <input
              name="layoutWidth"
              type="number"
              min={1}
              max={10000}
              required
              value={draft.width}
              onInput={(e) => setDraft({ ...draft, width: e.currentTarget.value })}
            />
          </label>
          <label>
            {w('height')}{' '}
            <input
              name="layoutHeight"
              type="number"
              min={1}
              max={10000}
              required
              value={draft.height}
              onInput={(e) => setDraft({ ...draft, height: e.currentTarget.value })}
            />
          </label>
          <button type="submit" data-testid="create-layout">
            {w('create')}
          </button>
        </form>
      )}
    </section>
  );
}
