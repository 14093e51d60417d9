/**
 * 発信予約 (§9-2): the autodial entries with a reservation, soonest first, searched by
 * キャンペーン, コール数 and 結果 (checkboxes); columns 予約, キャンペーン, 顧客, 電話番号, 結果,
 * コール数, 発信日時, 担当, 備考; 一括編集 of the ticked ones (reservations.bulk_edit).
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { BulkEdit } from './BulkEdit';
import { ResultChecks } from './EntrySearch';
import {
  agentOptions,
  campaignOptions,
  minuteDateTime,
  resultChoices,
  shortDateTime,
} from './results';
import { useCampaignWords } from './words';
import './campaigns.css';

const PAGE = 100;

interface Filter {
  campaignId: string;
  callCount: string;
  results: string[];
}

const EMPTY: Filter = { campaignId: '', callCount: '', results: [] };

export function ReservationsScreen() {
  const w = useCampaignWords();
  const { api, can } = useSession();
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [applied, setApplied] = useState<Filter>(EMPTY);
  const [offset, setOffset] = useState(0);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const campaigns = useLoad(() => campaignOptions(api, can), [api]);
  const agents = useLoad(() => agentOptions(api, can), [api]);
  const chosen = useLoad(
    async () =>
      filter.campaignId === '' || !can('campaigns.view')
        ? undefined
        : api.call('get', '/api/v1/campaigns/{id}', { path: { id: filter.campaignId } }),
    [api, filter.campaignId],
  );
  const page = useLoad(
    () =>
      api.call('get', '/api/v1/reservations', {
        query: {
          ...(applied.campaignId !== '' && { campaignId: applied.campaignId }),
          ...(applied.callCount.trim() !== '' && { callCount: applied.callCount.trim() }),
          ...(applied.results.length > 0 && { results: applied.results.join(',') }),
          limit: String(PAGE),
          offset: String(offset),
        },
      }),
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];
  const choices = resultChoices(w, chosen.data);
  const editable = can('reservations.bulk_edit');
  const allChecked = rows.length > 0 && rows.every((r) => checked.has(r.id));

  return (
    <section class="screen reservations" data-testid="reservations">
      <h2>{w('reservations')}</h2>
      <form
        class="search"
        data-testid="reservation-search"
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setChecked(new Set());
          setApplied(filter);
        }}
      >
        <label>
          {w('campaign')}
          <select
            name="campaignId"
            value={filter.campaignId}
            onChange={(e) =>
              setFilter({
                ...filter,
                campaignId: e.currentTarget.value,
                results: filter.results.filter((k) => !/^[0-9]+$/.test(k)),
              })
            }
          >
            <option value="">{w('all')}</option>
            {(campaigns.data ?? []).map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('callCount')}
          <input
            type="number"
            name="callCount"
            min={0}
            value={filter.callCount}
            onInput={(e) => setFilter({ ...filter, callCount: e.currentTarget.value })}
          />
        </label>
        <ResultChecks
          choices={choices}
          checked={filter.results}
          onChange={(results) => setFilter({ ...filter, results })}
        />
        <div class="toolbar">
          <button type="submit" class="primary" data-testid="search">
            {w('search')}
          </button>
        </div>
      </form>
      {editable && (
        <BulkEdit
          ids={[...checked]}
          choices={choices}
          agents={agents.data ?? []}
          path="/api/v1/reservations/bulk"
          onDone={() => {
            setChecked(new Set());
            page.reload();
          }}
        />
      )}
      {page.error !== undefined && <p role="alert">{problemOf(page.error)}</p>}
      {page.data !== undefined && rows.length === 0 ? (
        <p data-testid="no-entries">{w('noEntries')}</p>
      ) : (
        <table class="grid" data-testid="reservation-table">
          <thead>
            <tr>
              {editable && (
                <th>
                  <input
                    type="checkbox"
                    aria-label={w('selectAll')}
                    data-testid="check-all"
                    checked={allChecked}
                    onChange={(e) =>
                      setChecked(
                        e.currentTarget.checked ? new Set(rows.map((r) => r.id)) : new Set(),
                      )
                    }
                  />
                </th>
              )}
              <th>{w('reserved')}</th>
              <th>{w('campaign')}</th>
              <th>{w('customer')}</th>
              <th>{w('phone')}</th>
              <th>{w('result')}</th>
              <th>{w('callCount')}</th>
              <th>{w('lastDialed')}</th>
              <th>{w('assignee')}</th>
              <th>{w('remarks')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-id={r.id} data-phone={r.phone}>
                {editable && (
                  <td>
                    <input
                      type="checkbox"
                      name={`entry.${r.id}`}
                      aria-label={r.phone}
                      checked={checked.has(r.id)}
                      onChange={(e) => {
                        const next = new Set(checked);
                        if (e.currentTarget.checked) next.add(r.id);
                        else next.delete(r.id);
                        setChecked(next);
                      }}
                    />
                  </td>
                )}
                <td data-col="reserved">{minuteDateTime(r.reservedAt)}</td>
                <td data-col="campaign">{r.campaign.name}</td>
                <td data-col="customer">{r.customer?.name ?? ''}</td>
                <td data-col="phone">
                  {can('autodial.view') ? (
                    <a href={`#/supervisor/autodial/${r.id}`}>{r.phone}</a>
                  ) : (
                    r.phone
                  )}
                </td>
                <td data-col="result">{r.result.label}</td>
                <td data-col="callCount">{r.callCount}</td>
                <td data-col="lastDialed">{shortDateTime(r.lastDialedAt)}</td>
                <td data-col="assignee">{r.assignee?.name ?? ''}</td>
                <td data-col="remarks">{r.remarks}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
