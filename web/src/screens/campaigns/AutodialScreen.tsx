/**
 * 自動発信 (§10-9): the campaign call list. Search by キャンペーン, 業務, 結果 (checkboxes: the
 * system results, then the chosen campaign's), コール数 and the ステータス icons; the table —
 * キャンペーン, 顧客, 電話番号, 結果, 数, 発信日時 (MM-DD HH:MM), エージェント, 予約, 担当 — with a
 * checkbox per row for 一括編集; ダウンロード fetches the CSV of the same search (with the 業務's
 * customer fields when one is chosen). A row's phone opens its detail.
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { downloadFile } from '../stats/download';
import { BulkEdit } from './BulkEdit';
import { ResultChecks, StatusIcon } from './EntrySearch';
import {
  agentOptions,
  campaignOptions,
  ENTRY_STATUSES,
  resultChoices,
  shortDateTime,
  type EntryStatus,
} from './results';
import { useCampaignWords } from './words';
import './campaigns.css';

const PAGE = 100;

interface Filter {
  campaignId: string;
  formatId: string;
  results: string[];
  callCountMin: string;
  callCountMax: string;
  statuses: EntryStatus[];
}

const EMPTY: Filter = {
  campaignId: '',
  formatId: '',
  results: [],
  callCountMin: '',
  callCountMax: '',
  statuses: [],
};

/** The query of GET /campaigns/entries (and its CSV) for a search. */
function queryOf(f: Filter): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.campaignId !== '') q.campaignId = f.campaignId;
  if (f.formatId !== '') q.formatId = f.formatId;
  if (f.results.length > 0) q.results = f.results.join(',');
  if (f.callCountMin.trim() !== '') q.callCountMin = f.callCountMin.trim();
  if (f.callCountMax.trim() !== '') q.callCountMax = f.callCountMax.trim();
  if (f.statuses.length > 0) q.statuses = f.statuses.join(',');
  return q;
}

export function AutodialScreen() {
  const w = useCampaignWords();
  const { api, can } = useSession();
  const toast = useToast();
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [applied, setApplied] = useState<Filter>(EMPTY);
  const [offset, setOffset] = useState(0);
  const [checked, setChecked] = useState<Set<number>>(new Set());
  const campaigns = useLoad(() => campaignOptions(api, can), [api]);
  const formats = useLoad(
    async () =>
      can('business_formats.view')
        ? (await api.call('get', '/api/v1/business-formats', { query: { limit: '500' } })).items
        : [],
    [api],
  );
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
      api.call('get', '/api/v1/campaigns/entries', {
        query: { ...queryOf(applied), limit: String(PAGE), offset: String(offset) },
      }),
    [api, applied, offset],
  );
  const rows = page.data?.items ?? [];
  const choices = resultChoices(w, chosen.data);
  const editable = can('autodial.update');
  const allChecked = rows.length > 0 && rows.every((r) => checked.has(r.id));

  async function download() {
    try {
      await downloadFile(api, '/api/v1/campaigns/entries.csv', queryOf(applied), 'autodial.csv');
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen autodial" data-testid="autodial">
      <h2>{w('autodial')}</h2>
      <form
        class="search"
        data-testid="autodial-search"
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
              // A campaign's own results are not another's: its checks go with it.
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
          {w('format')}
          <select
            name="formatId"
            value={filter.formatId}
            onChange={(e) => setFilter({ ...filter, formatId: e.currentTarget.value })}
          >
            <option value="">{w('all')}</option>
            {(formats.data ?? []).map((f) => (
              <option key={f.id} value={String(f.id)}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('callCountMin')}
          <input
            type="number"
            name="callCountMin"
            min={0}
            value={filter.callCountMin}
            onInput={(e) => setFilter({ ...filter, callCountMin: e.currentTarget.value })}
          />
        </label>
        <label>
          {w('callCountMax')}
          <input
            type="number"
            name="callCountMax"
            min={0}
            value={filter.callCountMax}
            onInput={(e) => setFilter({ ...filter, callCountMax: e.currentTarget.value })}
          />
        </label>
        <ResultChecks
          choices={choices}
          checked={filter.results}
          onChange={(results) => setFilter({ ...filter, results })}
        />
        <fieldset class="status-checks" data-testid="status-checks">
          <legend>{w('status')}</legend>
          {ENTRY_STATUSES.map((s) => (
            <label key={s}>
              <input
                type="checkbox"
                name={`status.${s}`}
                checked={filter.statuses.includes(s)}
                onChange={(e) =>
                  setFilter({
                    ...filter,
                    statuses: e.currentTarget.checked
                      ? [...filter.statuses, s]
                      : filter.statuses.filter((x) => x !== s),
                  })
                }
              />
              <StatusIcon status={s} />
              {w(`estatus_${s}`)}
            </label>
          ))}
        </fieldset>
        <div class="toolbar">
          <button type="submit" class="primary" data-testid="search">
            {w('search')}
          </button>
          {can('autodial.download') && (
            <button type="button" data-testid="download" onClick={() => void download()}>
              {w('download')}
            </button>
          )}
        </div>
      </form>
      {editable && (
        <BulkEdit
          ids={[...checked]}
          choices={choices}
          agents={agents.data ?? []}
          path="/api/v1/campaigns/entries/bulk"
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
        <table class="grid" data-testid="entry-table">
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
              <th>{w('status')}</th>
              <th>{w('campaign')}</th>
              <th>{w('customer')}</th>
              <th>{w('phone')}</th>
              <th>{w('result')}</th>
              <th>{w('callCountShort')}</th>
              <th>{w('lastDialed')}</th>
              <th>{w('agent')}</th>
              <th>{w('reserved')}</th>
              <th>{w('assignee')}</th>
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
                <td data-col="status">
                  <StatusIcon status={r.status} />
                </td>
                <td data-col="campaign">{r.campaign.name}</td>
                <td data-col="customer">
                  {r.customer === null ? (
                    ''
                  ) : can('customers.view') ? (
                    <a href={`#/crm/customers/${r.customer.id}`}>{r.customer.name}</a>
                  ) : (
                    r.customer.name
                  )}
                </td>
                <td data-col="phone">
                  <a href={`#/supervisor/autodial/${r.id}`}>{r.phone}</a>
                </td>
                <td data-col="result">{r.result.label}</td>
                <td data-col="callCount">{r.callCount}</td>
                <td data-col="lastDialed">{shortDateTime(r.lastDialedAt)}</td>
                <td data-col="agent">{r.lastAgent?.name ?? ''}</td>
                <td data-col="reserved">{shortDateTime(r.reservedAt)}</td>
                <td data-col="assignee">{r.assignee?.name ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager offset={offset} pageSize={PAGE} total={page.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}
