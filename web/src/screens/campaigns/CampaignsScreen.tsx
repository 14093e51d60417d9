/**
 * キャンペーン (§10-8): the campaigns — ID, 名称, ステータス ON / OFF (switched here), 色 (the
 * status tag as agents see it), 更新 — searched by 名称 and by a member エージェント; + 新規 opens
 * an empty detail.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { dateTimeOf } from '../call-lists/format';
import { agentOptions } from './results';
import { ColourTag } from './StatusTag';
import { useCampaignWords } from './words';
import './campaigns.css';

const PAGE = 50;

export const displayIdOf = (id: number) => String(id).padStart(4, '0');

export function CampaignsScreen() {
  const w = useCampaignWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [filter, setFilter] = useState({ name: '', agentId: '' });
  const [applied, setApplied] = useState(filter);
  const [offset, setOffset] = useState(0);
  const agents = useLoad(() => agentOptions(api, can), [api]);
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/campaigns', {
        query: {
          ...(applied.name !== '' && { name: applied.name }),
          ...(applied.agentId !== '' && { agentId: applied.agentId }),
          limit: String(PAGE),
          offset: String(offset),
        },
      }),
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];
  const editable = can('campaigns.update');

  async function switchTo(id: number, name: string, enabled: boolean) {
    try {
      await api.call('put', '/api/v1/campaigns/{id}/status', {
        path: { id },
        body: { enabled },
      });
      toast.done(w(enabled ? 'switchedOn' : 'switchedOff', { name }));
      page.reload();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen campaigns" data-testid="campaigns">
      <h2>{w('campaigns')}</h2>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied({ ...filter, name: filter.name.trim() });
        }}
      >
        <label>
          {w('name')}
          <input
            name="name"
            maxLength={64}
            value={filter.name}
            onInput={(e) => setFilter({ ...filter, name: e.currentTarget.value })}
          />
        </label>
        <label>
          {w('agent')}
          <select
            name="agentId"
            value={filter.agentId}
            onChange={(e) => setFilter({ ...filter, agentId: e.currentTarget.value })}
          >
            <option value="">{w('all')}</option>
            {(agents.data ?? []).map((a) => (
              <option key={a.id} value={String(a.id)}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="search">
          {w('search')}
        </button>
        {editable && (
          <button
            type="button"
            class="primary"
            data-testid="create"
            onClick={() => navigate('/supervisor/campaigns/new')}
          >
            {w('create')}
          </button>
        )}
      </form>
      {page.error !== undefined && <p role="alert">{problemOf(page.error)}</p>}
      {page.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-campaigns">{w('noCampaigns')}</p>
      ) : (
        <table class="grid" data-testid="campaign-table">
          <thead>
            <tr>
              <th>{w('id')}</th>
              <th>{w('name')}</th>
              <th>{w('status')}</th>
              <th>{w('color')}</th>
              <th>{w('updated')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id} data-id={c.id} data-name={c.name}>
                <td data-col="id">{displayIdOf(c.id)}</td>
                <td data-col="name">
                  <a href={`#/supervisor/campaigns/${c.id}`}>{c.name}</a>
                </td>
                <td data-col="status">
                  <button
                    type="button"
                    role="switch"
                    aria-checked={c.enabled}
                    aria-label={`${c.name} ${w('status')}`}
                    class={`campaign-switch ${c.enabled ? 'on' : 'off'}`}
                    data-testid="switch"
                    disabled={!editable}
                    onClick={() => void switchTo(c.id, c.name, !c.enabled)}
                  >
                    {c.enabled ? w('on') : w('off')}
                  </button>
                </td>
                <td data-col="colour">
                  <ColourTag
                    name={c.name}
                    textColor={c.textColor}
                    backgroundColor={c.backgroundColor}
                  />
                </td>
                <td data-col="updated">{dateTimeOf(c.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
