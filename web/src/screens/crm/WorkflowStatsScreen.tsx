/**
 * ワークフロー統計 (§10-6): a workflow and a period (From, To: days of the server's calendar, To
 * included), 検索, and per step 件数, 平均時間, 最大時間, 最小時間, 時間合計 with the 合計 row, from
 * GET /stats/workflows; ダウンロード gives the server's CSV of the same search.
 */
import { useEffect, useState } from 'preact/hooks';
import { problemOf, type Answer } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { useReportCalendar, zonedInstant } from '../stats/calendar';
import { downloadFile } from '../stats/download';
import { useCaseChoices } from './case-choices';
import { useCrmWords, type CrmTranslate } from './words';

type Report = Answer<'/api/v1/stats/workflows', 'get'>;
type Statistics = Exclude<Report, string>;
type Figures = Statistics['total'];

/** The day after a YYYY-MM-DD. */
function dayAfter(date: string): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

const secondsOf = (w: CrmTranslate, n: number | null) => (n === null ? '-' : w('seconds', { n }));

function FigureCells(props: { f: Figures }) {
  const w = useCrmWords();
  const { f } = props;
  return (
    <>
      <td data-name="count">{f.count}</td>
      <td data-name="average">{secondsOf(w, f.averageSeconds)}</td>
      <td data-name="max">{secondsOf(w, f.maxSeconds)}</td>
      <td data-name="min">{secondsOf(w, f.minSeconds)}</td>
      <td data-name="total">{secondsOf(w, f.totalSeconds)}</td>
    </>
  );
}

export function WorkflowStatsScreen() {
  const w = useCrmWords();
  const { t } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  const calendar = useReportCalendar();
  const { workflows } = useCaseChoices();
  const [workflowId, setWorkflowId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [report, setReport] = useState<Statistics | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (calendar === undefined) return;
    setFrom((f) => (f === '' ? calendar.today : f));
    setTo((t) => (t === '' ? calendar.today : t));
  }, [calendar]);
  useEffect(() => {
    if (workflowId === '' && workflows[0] !== undefined) setWorkflowId(String(workflows[0].id));
  }, [workflows, workflowId]);

  const query = () =>
    calendar === undefined || workflowId === '' || from === '' || to === ''
      ? null
      : {
          workflowId,
          from: zonedInstant(from, 0, calendar.timeZone),
          to: zonedInstant(dayAfter(to), 0, calendar.timeZone),
        };

  async function search(event: Event) {
    event.preventDefault();
    setProblem(null);
    const q = query();
    if (q === null) {
      setProblem(w('chooseWorkflow'));
      return;
    }
    try {
      const answer = await api.call('get', '/api/v1/stats/workflows', {
        query: { ...q, format: 'json' },
      });
      // format=json answers the table, never the CSV text.
      if (typeof answer !== 'string') setReport(answer);
    } catch (err) {
      setReport(null);
      setProblem(problemOf(err));
    }
  }

  async function download() {
    const q = query();
    if (q === null) return;
    try {
      await downloadFile(
        api,
        '/api/v1/stats/workflows',
        { ...q, format: 'csv' },
        'workflow-statistics.csv',
      );
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <section class="screen workflow-stats" data-testid="workflow-stats">
      <h2>{t('crmWorkflowStats')}</h2>
      <form class="search" onSubmit={(e) => void search(e)}>
        <label>
          {w('workflow')}
          <select
            name="workflowId"
            value={workflowId}
            onChange={(e) => setWorkflowId(e.currentTarget.value)}
          >
            {workflows.map((f) => (
              <option key={f.id} value={String(f.id)}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w('periodFrom')}
          <input
            type="date"
            name="from"
            value={from}
            onInput={(e) => setFrom(e.currentTarget.value)}
          />
        </label>
        <label>
          {w('periodTo')}
          <input type="date" name="to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" data-testid="search">
          {w('search')}
        </button>
        {can('workflow_stats.download') && (
          <button type="button" data-testid="download" onClick={() => void download()}>
            {w('download')}
          </button>
        )}
      </form>
      {problem !== null && (
        <p role="alert" class="problem">
          {problem}
        </p>
      )}
      {report !== null && (
        <table class="grid" data-testid="workflow-stats-table">
          <thead>
            <tr>
              <th>{w('step')}</th>
              <th>{w('count')}</th>
              <th>{w('averageTime')}</th>
              <th>{w('maxTime')}</th>
              <th>{w('minTime')}</th>
              <th>{w('totalTime')}</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={r.stepId} data-step={r.stepName}>
                <td>{r.stepName}</td>
                <FigureCells f={r} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-step="total">
              <th>{w('total')}</th>
              <FigureCells f={report.total} />
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
