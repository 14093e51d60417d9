/**
 * SV › 統計 (§10-2): a group's inbound calls by date, hour, agent or talk time, from
 * GET /stats/groups — the search form (グループ, 区分, From, To), the table with its 合計 row,
 * a chart of the outcomes with the answer rate, and ダウンロード: the server's CSV of the table
 * shown. The days are the server's calendar (its TIMEZONE); the search starts with today.
 */
import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { problemOf, type Answer } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { useReportCalendar } from './calendar';
import { downloadFile } from './download';
import { StatsChart } from './StatsChart';
import { statsWords, type StatsTranslate } from './words';
import './stats.css';

type Report = Answer<'/api/v1/stats/groups', 'get'>;
type Row = Report['rows'][number];
type Breakdown = 'date' | 'hour' | 'agent' | 'talk_duration';
const BREAKDOWNS: Breakdown[] = ['date', 'hour', 'agent', 'talk_duration'];

interface Criteria {
  groupId: string;
  breakdown: Breakdown;
  from: string;
  to: string;
}

const PATH = '/api/v1/stats/groups';

function queryOf(c: Criteria) {
  return {
    breakdown: c.breakdown,
    from: c.from,
    to: c.to,
    ...(c.groupId !== '' && { groupId: c.groupId }),
  };
}

/** A row's first cell: the manual's `03-15` for a day, the hour, the agent, the talk time band. */
function keyLabel(key: string, c: Criteria, w: StatsTranslate): string {
  switch (c.breakdown) {
    case 'date':
      return c.from.slice(0, 4) === c.to.slice(0, 4) ? key.slice(5) : key;
    case 'hour':
      return w('hourOf', { hour: key });
    case 'agent':
      return key === 'none' ? w('noAgent') : key;
    case 'talk_duration':
      return key === 'in_progress' ? w('inProgress') : key === 'unanswered' ? w('unanswered') : key;
  }
}

const percent = (v: number | null) => (v === null ? '-' : `${String(Number(v.toFixed(2)))}%`);
const seconds = (v: number | null) => (v === null ? '-' : `${String(v)}s`);

function Cells(props: { row: Row }) {
  const r = props.row;
  return (
    <>
      <td data-col="calls">{r.calls}</td>
      <td data-col="answered">{r.answered}</td>
      <td data-col="abandoned">{r.abandoned}</td>
      <td data-col="overflow">{r.overflow}</td>
      <td data-col="timedOut">{r.timedOut}</td>
      <td data-col="answerRate">{percent(r.answerRate)}</td>
      <td data-col="averageAnswerSeconds">{seconds(r.averageAnswerSeconds)}</td>
      <td data-col="maxAnswerSeconds">{seconds(r.maxAnswerSeconds)}</td>
      <td data-col="averageAbandonSeconds">{seconds(r.averageAbandonSeconds)}</td>
      <td data-col="maxAbandonSeconds">{seconds(r.maxAbandonSeconds)}</td>
    </>
  );
}

function chartOf(report: Report, c: Criteria, w: StatsTranslate): ChartConfiguration {
  const labels = report.rows.map((r) => keyLabel(r.key, c, w));
  const bar = (label: string, color: string, values: number[]) => ({
    type: 'bar' as const,
    label,
    data: values,
    backgroundColor: color,
    stack: 'calls',
    yAxisID: 'y',
  });
  return {
    type: 'bar',
    data: {
      labels,
      datasets: [
        bar(
          w('answered'),
          '#2e7d32',
          report.rows.map((r) => r.answered),
        ),
        bar(
          w('abandoned'),
          '#c62828',
          report.rows.map((r) => r.abandoned),
        ),
        bar(
          w('overflow'),
          '#ef6c00',
          report.rows.map((r) => r.overflow),
        ),
        bar(
          w('timedOut'),
          '#6a1b9a',
          report.rows.map((r) => r.timedOut),
        ),
        {
          type: 'line',
          label: `${w('answerRate')} (%)`,
          data: report.rows.map((r) => r.answerRate),
          borderColor: '#1565c0',
          backgroundColor: '#1565c0',
          spanGaps: true,
          yAxisID: 'rate',
        },
      ],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        rate: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
      },
    },
  };
}

export function GroupStatsScreen() {
  const { language, t } = useWords();
  const w = statsWords(language);
  const { api, can } = useSession();
  const toast = useToast();
  const calendar = useReportCalendar();
  const [form, setForm] = useState<Criteria | null>(null);
  const [applied, setApplied] = useState<Criteria | null>(null);
  useEffect(() => {
    if (calendar === undefined || form !== null) return;
    const today: Criteria = {
      groupId: '',
      breakdown: 'date',
      from: calendar.today,
      to: calendar.today,
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
  const report = useLoad(
    async () =>
      applied === null
        ? undefined
        : { criteria: applied, data: await api.call('get', PATH, { query: queryOf(applied) }) },
    [api, applied],
  );
  useEffect(() => {
    if (report.error !== undefined) toast.problem(problemOf(report.error));
  }, [report.error]);
  const data = report.data?.data;
  const shownFor = report.data?.criteria;
  const chart = useMemo(
    () => (data === undefined || shownFor === undefined ? null : chartOf(data, shownFor, w)),
    [data, language],
  );

  async function download() {
    const c = shownFor;
    if (c === undefined) return;
    const group = c.groupId === '' ? 'all' : `group${c.groupId}`;
    const name = `group-statistics_${group}_${c.breakdown}_${c.from}_${c.to}.csv`;
    try {
      await downloadFile(api, PATH, { ...queryOf(c), format: 'csv' }, name);
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const set = (patch: Partial<Criteria>) => form !== null && setForm({ ...form, ...patch });
  return (
    <section class="screen stats group-stats">
      <h2>{t('groupStats')}</h2>
      {form === null ? (
        <p class="notice">{w('loading')}</p>
      ) : (
        <form
          class="search"
          data-testid="group-stats-search"
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
            {w('breakdown')}
            <select
              name="breakdown"
              value={form.breakdown}
              onChange={(e) => set({ breakdown: e.currentTarget.value as Breakdown })}
            >
              {BREAKDOWNS.map((b) => (
                <option key={b} value={b}>
                  {w(`breakdown_${b}`)}
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
          <button type="submit">{w('search')}</button>
          {can('stats.download') && (
            <button
              type="button"
              data-testid="group-stats-download"
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
          <div class="table-scroll">
            <table class="grid" data-testid="group-stats">
              <thead>
                <tr>
                  <th>{w(`breakdown_${shownFor.breakdown}`)}</th>
                  <th>{w('calls')}</th>
                  <th>{w('answered')}</th>
                  <th>{w('abandoned')}</th>
                  <th>{w('overflow')}</th>
                  <th>{w('timedOut')}</th>
                  <th>{w('answerRate')}</th>
                  <th>{w('averageAnswer')}</th>
                  <th>{w('maxAnswer')}</th>
                  <th>{w('averageAbandon')}</th>
                  <th>{w('maxAbandon')}</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.key} data-key={r.key}>
                    <td>{keyLabel(r.key, shownFor, w)}</td>
                    <Cells row={r} />
                  </tr>
                ))}
                <tr class="total-row" data-key="total">
                  <td>{w('total')}</td>
                  <Cells row={data.total} />
                </tr>
              </tbody>
            </table>
          </div>
          {chart !== null && (
            <StatsChart config={chart} testid="group-stats-chart" failedText={w('chartFailed')} />
          )}
        </>
      )}
    </section>
  );
}
