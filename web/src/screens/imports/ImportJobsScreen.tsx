/**
 * アップロード履歴: the past CSV uploads (§10-13), newest first — one's own, everyone's with
 * csv_upload.view_all — with their counts; each opens its report (ImportJobScreen).
 */
import { useState } from 'preact/hooks';
import { problemOf } from '../../api/client';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { Pager } from '../../ui/pager';
import { useLoad } from '../../ui/resource';
import { useDateTime } from '../../ui/time';
import { ImportReport } from './ImportReport';
import { kindOf } from './kinds';
import { useImportWords } from './words';

const PAGE = 50;

/** A kind by its name on the screen (its own name when the screen does not know it). */
function useKindLabel(): (kind: string) => string {
  const { language } = useWords();
  return (kind) => kindOf(kind)?.label[language] ?? kind;
}

export function ImportJobsScreen() {
  const w = useImportWords();
  const { api, can } = useSession();
  const dateTime = useDateTime('short');
  const kindLabel = useKindLabel();
  const [offset, setOffset] = useState(0);
  const jobs = useLoad(
    () =>
      api.call('get', '/api/v1/imports', {
        query: { limit: String(PAGE), offset: String(offset) },
      }),
    [api, offset],
  );
  const rows = jobs.data?.items ?? [];
  return (
    <section class="screen import-jobs" data-testid="import-jobs">
      <h2>{w('jobs')}</h2>
      {can('csv_upload.upload') && (
        <div class="toolbar">
          <a href="#/crm/imports">{w('title')}</a>
        </div>
      )}
      {jobs.error !== undefined && (
        <p role="alert" class="problem">
          {problemOf(jobs.error)}
        </p>
      )}
      <table class="grid" data-testid="import-job-table">
        <thead>
          <tr>
            <th>{w('createdAt')}</th>
            <th>{w('kind')}</th>
            <th>{w('fileName')}</th>
            <th>{w('status')}</th>
            <th>{w('total')}</th>
            <th>{w('inserted')}</th>
            <th>{w('updated')}</th>
            <th>{w('unchanged')}</th>
            <th>{w('skipped')}</th>
            <th>{w('createdBy')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => (
            <tr key={j.id} data-id={j.id}>
              <td>{dateTime.format(new Date(j.createdAt))}</td>
              <td>{kindLabel(j.kind)}</td>
              <td>
                <a href={`#/crm/imports/jobs/${j.id}`}>
                  {j.fileName === '' ? w('noFile') : j.fileName}
                </a>
              </td>
              <td data-status={j.status}>{w(`status_${j.status}`)}</td>
              <td data-col="total">{j.total}</td>
              <td data-col="inserted">{j.inserted}</td>
              <td data-col="updated">{j.updated}</td>
              <td data-col="unchanged">{j.unchanged}</td>
              <td data-col="skipped">{j.skipped}</td>
              <td>{j.createdBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.data !== undefined && rows.length === 0 && <p class="notice">{w('noJobs')}</p>}
      <Pager offset={offset} pageSize={PAGE} total={jobs.data?.total ?? 0} onOffset={setOffset} />
    </section>
  );
}

/** One past upload's report. */
export function ImportJobScreen(props: { id: string }) {
  const w = useImportWords();
  const id = Number(props.id);
  return (
    <section class="screen import-job" data-testid="import-job">
      <h2>{w('report')}</h2>
      <div class="toolbar">
        <a href="#/crm/imports/jobs">{w('jobs')}</a>
      </div>
      {Number.isInteger(id) && id > 0 && <ImportReport jobId={id} />}
    </section>
  );
}
