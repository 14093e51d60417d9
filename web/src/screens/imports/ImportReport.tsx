/**
 * One upload's progress and its report (§10-13 処理結果): a bar of rows done of the total fed by
 * the `imports` feed topic while the job runs, then the counts and every bad row in the server's
 * `N行目: …` wording. The report is GET /imports/{id}, read again when the feed says the job
 * ended (and when the topic's snapshot arrives, in case the job ended before it).
 */
import { useEffect } from 'preact/hooks';
import { problemOf, type Answer } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useImportWords, type ImportTranslate } from './words';

export type ImportJobReport = Answer<'/api/v1/imports/{id}', 'get'>;

const POLL_MS = 2000;

const ended = (status: ImportJobReport['status']) => status === 'finished' || status === 'failed';

export function ImportReport(props: { jobId: number }) {
  const w = useImportWords();
  const { api } = useSession();
  const { state, readiness } = useTopic('imports');
  const finished = state.finished.get(props.jobId);
  const report = useLoad(
    () => api.call('get', '/api/v1/imports/{id}', { path: { id: props.jobId } }),
    [api, props.jobId, readiness, finished?.status],
  );
  const job = report.data;
  const waiting = job !== undefined && !ended(job.status) && readiness !== 'ready';
  // Without the feed (refused, or reconnecting) the report is asked for again until it ends.
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(report.reload, POLL_MS);
    return () => window.clearInterval(timer);
  }, [waiting, report.reload]);
  if (report.error !== undefined)
    return (
      <p role="alert" class="problem">
        {problemOf(report.error)}
      </p>
    );
  // Until the report says the job ended, the bar follows the feed (even before the first read).
  return (
    <div
      class="import-report"
      data-testid="import-report"
      data-status={job?.status ?? 'queued'}
      data-updates={state.updates.get(props.jobId) ?? 0}
    >
      {job !== undefined && ended(job.status) ? (
        <ImportResult job={job} w={w} />
      ) : (
        <ImportProgressBar jobId={props.jobId} total={job?.total ?? 0} w={w} />
      )}
    </div>
  );
}

/**
 * The bar while the job runs: rows read of the total, then (all read) the write. `data-done`
 * holds the rows done the feed last told, for whoever watches the bar move.
 */
function ImportProgressBar(props: { jobId: number; total: number; w: ImportTranslate }) {
  const { w } = props;
  const { state } = useTopic('imports');
  const progress = state.progress.get(props.jobId);
  const total = progress?.total ?? props.total;
  const done = progress === undefined ? 0 : progress.phase === 'reading' ? progress.done : total;
  return (
    <div class="import-progress" role="status">
      <progress
        data-testid="import-progress"
        data-done={done}
        data-phase={progress?.phase ?? 'queued'}
        max={Math.max(total, 1)}
        value={done}
      />
      <span>
        {progress === undefined ? w('status_queued') : w(`phase_${progress.phase}`)}{' '}
        {w('progress', { done, total })}
      </span>
    </div>
  );
}

function ImportResult(props: { job: ImportJobReport; w: ImportTranslate }) {
  const { job, w } = props;
  return (
    <>
      <div class="import-progress">
        <progress
          data-testid="import-progress"
          data-done={job.total}
          data-phase={job.status}
          max={Math.max(job.total, 1)}
          value={job.total}
        />
        <strong data-testid="import-status">{w(`status_${job.status}`)}</strong>
      </div>
      {job.status === 'failed' ? (
        <p role="alert" class="problem">
          {w('failed', { failure: job.failure ?? '' })}
        </p>
      ) : (
        <p data-testid="import-counts">
          {w('counts', {
            total: job.total,
            inserted: job.inserted,
            updated: job.updated,
            unchanged: job.unchanged,
            skipped: job.skipped,
          })}
        </p>
      )}
      {job.errors.length > 0 ? (
        <>
          <h3>{w('errorsTitle')}</h3>
          <ul class="problem import-errors" data-testid="import-errors">
            {job.errors.map((e, i) => (
              <li key={i} data-row={e.row}>
                {e.message}
              </li>
            ))}
            {job.errorsOmitted > 0 && <li>{w('errorsOmitted', { count: job.errorsOmitted })}</li>}
          </ul>
        </>
      ) : (
        job.status === 'finished' && <p class="notice">{w('noErrors')}</p>
      )}
    </>
  );
}
