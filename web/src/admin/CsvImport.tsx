/**
 * A CSV upload on a resource's list (§10-12: アップロード): the file is sent as it is (text/csv)
 * and the server's report shown — how many rows were added, and every bad row with its reason.
 */
import { useState } from 'preact/hooks';
import { problemOf, type PathOf } from '../api/client';
import { useSession } from '../session';
import { useToast } from '../ui/toast';
import { useAdminWords } from './words';

interface Report {
  total: number;
  applied: number;
  skipped: number;
  errors: { row: number; message: string }[];
}

export function CsvImport(props: { path: PathOf<'post'>; onImported: () => void }) {
  const { api } = useSession();
  const say = useAdminWords();
  const toast = useToast();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);

  async function upload() {
    if (file === null) return;
    setReport(null);
    try {
      const report = (await api.raw('post', props.path, {
        file: { data: file, contentType: 'text/csv' },
      })) as Report;
      setReport(report);
      props.onImported();
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  return (
    <div class="csv-import toolbar" data-testid="csv-import">
      <strong>{say.w('csvImport')}</strong>{' '}
      <input
        type="file"
        name="csv"
        accept=".csv,text/csv"
        onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
      />
      <button
        type="button"
        data-testid="csv-upload"
        disabled={file === null}
        onClick={() => void upload()}
      >
        {say.w('csvUpload')}
      </button>
      {report !== null && (
        <div role="status" data-testid="csv-report">
          <p>
            {say.w('csvReport', {
              total: report.total,
              applied: report.applied,
              skipped: report.skipped,
            })}
          </p>
          {report.errors.length > 0 && (
            <ul class="problem">
              {report.errors.map((e, i) => (
                <li key={i} data-row={e.row}>
                  {say.w('csvRow', { row: e.row, message: e.message })}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
