/**
 * SV › ステータス統計 (§10-5): how the agents spent a window of time, per status, from
 * GET /stats/agent-statuses — the search form (グループ, エージェント, 区分, 表示, 日付, 時間, 範囲),
 * the table (a column per built-in and custom status), stacked bars of the shown measure per
 * agent, and ダウンロード: the server's CSV. 日付 and 時間 are the server's calendar (TIMEZONE);
 * the search starts with the whole of today.
 */
import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { problemOf, type Answer } from '../../api/client';
import { useWords, type Translate, type Words } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useCustomStatuses, type CustomStatus } from '../desk/custom-statuses';
import { useReportCalendar, zonedInstant } from './calendar';
import { downloadFile } from './download';
import { StatsChart } from './StatsChart';
import { statsWords, type StatsTranslate } from './words';
import './stats.css';

type Report = Answer<'/api/v1/stats/agent-statuses', 'get'>;
type Row = Report['rows'][number];
type Cell = Row['statuses'][string];
type Breakdown = 'agent' | 'hour';
type Display = 'share' | 'seconds' | 'count' | 'average';
const DISPLAYS: Display[] = ['share', 'seconds', 'count', 'average'];
const RANGES = [1, 2, 4, 8, 12, 24];

interface Criteria {
  groupId: string;
  agent: string;
  breakdown: Breakdown;
  date: string;
  hour: number;
  hours: number;
}

const PATH = '/api/v1/stats/agent-statuses';

/** The built-in statuses in the manual's column order, with their colours in the chart. */
const BUILT_IN: { key: string; color: string }[] = [
  { key: 'available', color: '#2e7d32' },
  { key: 'ringing', color: '#f9a825' },
  { key: 'on_call', color: '#c62828' },
  { key: 'on_hold', color: '#ef6c00' },
  { key: 'offline', color: '#9e9e9e' },
  { key: 'paused', color: '#5d4037' },
  { key: 'unknown', color: '#bdbdbd' },
];

interface Column {
  key: string;
  label: string;
  color: string;
}

/** Every built-in status (未確認 only when someone was in it), then each custom status. */
function columnsOf(rows: Row[], custom: CustomStatus[], t: Translate): Column[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r.statuses)));
  const columns: Column[] = BUILT_IN.filter((b) => b.key !== 'unknown' || present.has(b.key)).map(
    (b) => ({ key: b.key, label: t(`status_${b.key}` as keyof Words), color: b.color }),
  );
  for (const c of custom) {
    columns.push({ key: `custom:${String(c.id)}`, label: c.name, color: c.backgroundColor });
  }
  const known = new Set(columns.map((c) => c.key));
  for (const key of [...present].sort()) {
    // A custom status deleted since: its number.
    if (!known.has(key)) columns.push({ key, label: `#${key.slice(7)}`, color: '#757575' });
  }
  return columns;
}

function valueOf(cell: Cell | undefined, display: Display): number {
  if (cell === undefined) return 0;
  switch (display) {
    case 'share':
      return cell.share;
    case 'seconds':
      return Math.round(cell.seconds);
    case 'count':
      return cell.count;
    case 'average':
      return cell.averageSeconds;
  }
}

function shown(cell: Cell | undefined, display: Display): string {
  const v = valueOf(cell, display);
  return display === 'share' ? `${String(v)}%` : display === 'count' ? String(v) : `${String(v)}s`;
}

function rowLabel(r: Row, w: StatsTranslate): string {
  return r.hour === null ? r.agent : `${r.agent} ${w('hourOf', { hour: r.hour })}`;
}

function chartOf(
  rows: Row[],
  columns: Column[],
  display: Display,
  w: StatsTranslate,
): ChartConfiguration {
  const stacked = display === 'share' || display === 'seconds';
  return {
    type: 'bar',
    data: {
      labels: rows.map((r) => rowLabel(r, w)),
      datasets: columns.map((c) => ({
        label: c.label,
        data: rows.map((r) => valueOf(r.statuses[c.key], display)),
        backgroundColor: c.color,
      })),
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: {
          stacked,
          beginAtZero: true,
          ...(display === 'share' && { max: 100 }),
          title: { display: true, text: w(`display_${display}`) },
        },
        y: { stacked },
      },
    },
  };
}

function queryOf(c: Criteria, timeZone: string) {
  return {
    from: zonedInstant(c.date, c.hour, timeZone),
    hours: String(c.hours),
    breakdown: c.breakdown,
    ...(c.groupId !== '' && { groupId: c.groupId }),
    ...(c.agent.trim() !== '' && { agent: c.agent.trim() }),
  };
}

export function StatusStatsScreen() {
  const { language, t } = useWords();
  const w = statsWords(language);
  const { api, can } = useSession();
  const toast = useToast();
  const calendar = useReportCalendar();
  const custom = useCustomStatuses();
  const [form, setForm] = useState<Criteria | null>(null);
  const [applied, setApplied] = useState<Criteria | null>(null);
  const [display, setDisplay] = useState<Display>('share');
  useEffect(() => {
    if (calendar === undefined || form !== null) return;
    const today: Criteria = {
      groupId: '',
      agent: '',
      breakdown: 'agent',
      date: calendar.today,
      hour: 0,
      hours: 24,
    };
    setForm(today);
    setApplied(today);
  }, [calendar]);

  const groups = useLoad(
    () =>
      can('groups.view')
        ? api.call('get', '/api/v1/groups', { query: { limit: '500' } })
        : Promise.resolve({ items: [], total: 0 }),
    [api],
  );
  // The table shows the criteria it was searched with, not the form's edits since.
  const report = useLoad(async () => {
    if (applied === null || calendar === undefined) return undefined;
    const query = queryOf(applied, calendar.timeZone);
    return { criteria: applied, query, data: await api.call('get', PATH, { query }) };
  }, [api, applied]);
  useEffect(() => {
    if (report.error !== undefined) toast.problem(problemOf(report.error));
  }, [report.error]);
  const rows = report.data?.data.rows;
  const shownFor = report.data;
  const columns = useMemo(
    () => (rows === undefined ? [] : columnsOf(rows, custom, t)),
    [rows, custom, language],
  );
  const chart = useMemo(
    () => (rows === undefined ? null : chartOf(rows, columns, display, w)),
    [rows, columns, display, language],
  );

  async function download() {
    if (shownFor === undefined) return;
    const { criteria: c, query } = shownFor;
    const hour = String(c.hour).padStart(2, '0');
    const name = `status-statistics_${c.date}_${hour}00_${String(c.hours)}h_${c.breakdown}.csv`;
    try {
      await downloadFile(api, PATH, { ...query, format: 'csv' }, name);
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const set = (patch: Partial<Criteria>) => form !== null && setForm({ ...form, ...patch });
  return (
    <section class="screen stats status-stats">
      <h2>{t('statusStats')}</h2>
      {form === null ? (
        <p class="notice">{w('loading')}</p>
      ) : (
        <form
          class="search"
          data-testid="status-stats-search"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied({ ...form });
          }}
        >
          <label>
            {w('group')}
            <select
              name="groupId"
              value={form.groupId}
              onChange={(e) => set({ groupId: e.currentTarget.value })}
            >
              <option value="">{w('allGroups')}</option>
              {(groups.data?.items ?? []).map((g) => (
                <option key={g.id} value={String(g.id)}>
                  {`${g.extension ?? ''}${g.name}`}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w('agent')}
            <input
              name="agent"
              placeholder={w('agentHint')}
              value={form.agent}
              onInput={(e) => set({ agent: e.currentTarget.value })}
            />
          </label>
          <label>
            {w('breakdown')}
            <select
              name="breakdown"
              value={form.breakdown}
              onChange={(e) => set({ breakdown: e.currentTarget.value as Breakdown })}
            >
              <option value="agent">{w('breakdown_agent')}</option>
              <option value="hour">{w('breakdown_hour')}</option>
            </select>
          </label>
          <label>
            {w('display')}
            <select
              name="display"
              value={display}
              onChange={(e) => setDisplay(e.currentTarget.value as Display)}
            >
              {DISPLAYS.map((d) => (
                <option key={d} value={d}>
                  {w(`display_${d}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w('date')}
            <input
              type="date"
              name="date"
              required
              value={form.date}
              onInput={(e) => set({ date: e.currentTarget.value })}
            />
          </label>
          <label>
            {w('startHour')}
            <select
              name="hour"
              value={String(form.hour)}
              onChange={(e) => set({ hour: Number(e.currentTarget.value) })}
            >
              {Array.from({ length: 24 }, (_, h) => (
                <option key={h} value={String(h)}>
                  {`${String(h).padStart(2, '0')}:00`}
                </option>
              ))}
            </select>
          </label>
          <label>
            {w('range')}
            <select
              name="hours"
              value={String(form.hours)}
              onChange={(e) => set({ hours: Number(e.currentTarget.value) })}
            >
              {RANGES.map((h) => (
                <option key={h} value={String(h)}>
                  {w('hours', { hours: h })}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{w('search')}</button>
          {can('status_stats.download') && (
            <button
              type="button"
              data-testid="status-stats-download"
              disabled={rows === undefined}
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
      {rows !== undefined && shownFor !== undefined && (
        <>
          {rows.length === 0 && <p class="notice">{w('noRows')}</p>}
          <div class="table-scroll">
            <table class="grid" data-testid="status-stats" data-display={display}>
              <thead>
                <tr>
                  <th>{w('agent')}</th>
                  {shownFor.criteria.breakdown === 'hour' && <th>{w('hour')}</th>}
                  {columns.map((c) => (
                    <th key={c.key} data-status={c.key}>
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={`${String(r.agentId)}-${r.hour ?? ''}`}
                    data-agent={r.agentId}
                    data-hour={r.hour ?? undefined}
                  >
                    <td>{r.agent}</td>
                    {r.hour !== null && <td>{w('hourOf', { hour: r.hour })}</td>}
                    {columns.map((c) => (
                      <td key={c.key} data-col={c.key}>
                        {shown(r.statuses[c.key], display)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {chart !== null && rows.length > 0 && (
            <StatsChart config={chart} testid="status-stats-chart" failedText={w('chartFailed')} />
          )}
        </>
      )}
    </section>
  );
}
