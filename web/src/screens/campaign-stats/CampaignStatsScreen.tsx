/**
 * SV › キャンペーン統計 (§10-3): a campaign's entries by final result, by date, hour or agent, as
 * counts or as % of 件数, from GET /stats/campaigns — the search form (キャンペーン, 区分, 表示,
 * From, To), the table (件数, コール数, one column per result, 合計), a stacked bar chart of the
 * results per row, and ダウンロード: the server's CSV (GET /stats/campaigns/export) of the table
 * shown. The days are the server's calendar (its TIMEZONE); the search starts with today and the
 * first campaign.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useReportCalendar } from '../stats/calendar';
import { downloadFile } from '../stats/download';
import { StatsChart } from '../stats/StatsChart';
import { campaignChartOf, type CampaignColumn, type CampaignReport } from './campaign-chart';
import { campaignStatsWords, known, type CampaignStatsTranslate } from './words';
import '../stats/stats.css';
import './campaign-stats.css';

type Breakdown = 'date' | 'hour' | 'agent';
type Display = 'count' | 'percent';
type Row = CampaignReport['rows'][number];
const BREAKDOWNS: Breakdown[] = ['date', 'hour', 'agent'];
const DISPLAYS: Display[] = ['percent', 'count'];

interface Criteria {
  campaignId: string;
  by: Breakdown;
  display: Display;
  from: string;
  to: string;
}

const PATH = '/api/v1/stats/campaigns';
const EXPORT_PATH = '/api/v1/stats/campaigns/export';

const queryOf = (c: Criteria) => ({
  campaignId: c.campaignId,
  by: c.by,
  display: c.display,
  from: c.from,
  to: c.to,
});

/** A system result in the interface's language; a campaign's own result as it was written. */
function columnLabel(column: CampaignColumn, w: CampaignStatsTranslate): string {
  const key = `result_${column.result}`;
  return column.kind === 'system' && known(key) ? w(key) : column.label;
}

/** The row's first cell: the server's label, with 合計 and なし in the interface's language. */
function rowLabel(row: Row, by: Breakdown, w: CampaignStatsTranslate): string {
  if (row.key === 'total') return w('total');
  if (by === 'agent' && row.key === 'none') return w('noAgent');
  return row.label;
}

function cellText(value: number | null | undefined, display: Display): string {
  if (value === null || value === undefined) return '-';
  return display === 'percent' ? `${String(Number(value.toFixed(2)))}%` : String(value);
}

function Cells(props: { row: Row; columns: CampaignColumn[]; display: Display }) {
  const r = props.row;
  return (
    <>
      <td data-col="entries">{r.entries}</td>
      <td data-col="calls">{r.calls}</td>
      {props.columns.map((c) => (
        <td key={c.result} data-col={c.result}>
          {cellText(r.results[c.result], props.display)}
        </td>
      ))}
    </>
  );
}

export function CampaignStatsScreen() {
  const { language, t } = useWords();
  const w = campaignStatsWords(language);
  const { api, can } = useSession();
  const toast = useToast();
  const calendar = useReportCalendar();
  const listed = can('campaigns.view');
  const campaigns = useLoad(
    async () =>
      listed ? (await api.call('get', '/api/v1/campaigns', { query: { limit: '500' } })).items : [],
    [api],
  );
  const [form, setForm] = useState<Criteria | null>(null);
  const [applied, setApplied] = useState<Criteria | null>(null);
  useEffect(() => {
    if (calendar === undefined || campaigns.data === undefined || form !== null) return;
    const first = campaigns.data[0];
    const today: Criteria = {
      campaignId: first === undefined ? '' : String(first.id),
      by: 'date',
      display: 'count',
      from: calendar.today,
      to: calendar.today,
    };
    setForm(today);
    if (first !== undefined) setApplied(today);
  }, [calendar, campaigns.data]);

  // The table shows the criteria it was searched with, not the form's edits since.
  const report = useLoad(
    async () =>
      applied === null
        ? undefined
        : { criteria: applied, data: await api.call('get', PATH, { query: queryOf(applied) }) },
    [api, applied],
  );
  useEffect(() => {
    const error = report.error ?? campaigns.error;
    if (error !== undefined) toast.problem(problemOf(error));
  }, [report.error, campaigns.error]);
  const data = report.data?.data;
  const shownFor = report.data?.criteria;
  const chart = useMemo(
    () =>
      data === undefined || shownFor === undefined
        ? null
        : campaignChartOf(
            data,
            shownFor.display === 'percent',
            (c) => columnLabel(c, w),
            (r) => rowLabel(r, shownFor.by, w),
          ),
    [data, language],
  );

  async function download() {
    const c = shownFor;
    if (c === undefined) return;
    const name = `campaign-statistics_${c.campaignId}_${c.by}_${c.display}_${c.from}_${c.to}.csv`;
    try {
      await downloadFile(api, EXPORT_PATH, queryOf(c), name);
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const set = (patch: Partial<Criteria>) => form !== null && setForm({ ...form, ...patch });
  const choices = campaigns.data ?? [];
  return (
    <section class="screen stats campaign-stats">
      <h2>{t('campaignStats')}</h2>
      {form === null ? (
        <p class="notice">{w('loading')}</p>
      ) : (
        <form
          class="search"
          data-testid="campaign-stats-search"
          onSubmit={(e) => {
            e.preventDefault();
            if (form.campaignId !== '') setApplied({ ...form });
          }}
        >
          <label>
            {w('campaign')}
            {listed ? (
              <select
                name="campaignId"
                required
                value={form.campaignId}
                onChange={(e) => set({ campaignId: e.currentTarget.value })}
              >
                {choices.length === 0 && <option value="">{w('noCampaigns')}</option>}
                {choices.map((c) => (
                  <option key={c.id} value={String(c.id)}>
                    {c.name}
                  </option>
                ))}
              </select>
            ) : (
              <input
                type="number"
                name="campaignId"
                min={1}
                required
                placeholder={w('campaignId')}
                value={form.campaignId}
                onInput={(e) => set({ campaignId: e.currentTarget.value })}
              />
            )}
          </label>
          <label>
            {w('breakdown')}
            <select
              name="by"
              value={form.by}
              onChange={(e) => set({ by: e.currentTarget.value as Breakdown })}
            >
              {BREAKDOWNS.map((b) => (
                <option key={b} value={b}>
                  {w(`breakdown_${b}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w('display')}
            <select
              name="display"
              value={form.display}
              onChange={(e) => set({ display: e.currentTarget.value as Display })}
            >
              {DISPLAYS.map((d) => (
                <option key={d} value={d}>
                  {w(`display_${d}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w('from')}
            <input
              type="date"
              name="from"
              required
              value={form.from}
              onInput={(e) => set({ from: e.currentTarget.value })}
            />
          </label>
          <label>
            {w('to')}
            <input
              type="date"
              name="to"
              required
              value={form.to}
              onInput={(e) => set({ to: e.currentTarget.value })}
            />
          </label>
          <button type="submit" disabled={form.campaignId === ''}>
            {w('search')}
          </button>
          {can('campaign_stats.download') && (
            <button
              type="button"
              data-testid="campaign-stats-download"
              disabled={data === undefined}
              onClick={() => void download()}
            >
              {w('download')}
            </button>
          )}
          {calendar !== undefined && (
            <span class="zone">{w('timeZone', { zone: calendar.timeZone })}</span>
          )}
        </form>
      )}
      {data !== undefined && shownFor !== undefined && (
        <>
          <p class="notice">{w('finalResultNote')}</p>
          <div class="table-scroll">
            <table
              class="grid"
              data-testid="campaign-stats"
              data-campaign={String(data.campaign.id)}
              data-display={shownFor.display}
            >
              <thead>
                <tr>
                  <th>{w(`breakdown_${shownFor.by}`)}</th>
                  <th data-col="entries">{w('entries')}</th>
                  <th data-col="calls">{w('calls')}</th>
                  {data.columns.map((c) => (
                    <th key={c.result} data-col={c.result} class={`result-${c.kind}`}>
                      {columnLabel(c, w)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.key} data-key={r.key}>
                    <td>{rowLabel(r, shownFor.by, w)}</td>
                    <Cells row={r} columns={data.columns} display={shownFor.display} />
                  </tr>
                ))}
                <tr class="total-row" data-key="total">
                  <td>{rowLabel(data.total, shownFor.by, w)}</td>
                  <Cells row={data.total} columns={data.columns} display={shownFor.display} />
                </tr>
              </tbody>
            </table>
          </div>
          {chart !== null && (
            <StatsChart
              config={chart}
              testid="campaign-stats-chart"
              failedText={w('chartFailed')}
            />
          )}
        </>
      )}
    </section>
  );
}
