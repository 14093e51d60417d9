/**
 * コールリスト作成 (A.8): リスト名 (required), グループ, and the customers' CSV file
 * ("コールリストとして登録するファイルのインポートを行います"). [アップロード] sends the file as it is
 * to the CSV importer (kind `call_list`, which makes the list of that name) and shows its
 * 処理結果 — 入力 (title row included) / 反映 / 空行スキップ / エラー with each bad row (A.8.3);
 * [登録] without a file makes the list empty. [テンプレートダウンロード] gives the importer's
 * header row.
 */
import { useState } from 'preact/hooks';
import { ApiError, problemOf } from '../../api/client';
import { navigate } from '../../app/router';
import { useSession } from '../../session';
import { useToast } from '../../ui/toast';
import { downloadFile } from '../stats/download';
import { GroupChoice } from './GroupChoice';
import { FormRow } from './FormRow';
import { useCallListWords } from './words';

const IMPORT_KIND = 'call_list';
const POLL_MS = 500;

interface ImportReport {
  status: 'queued' | 'running' | 'finished' | 'failed';
  total: number;
  applied: number;
  skipped: number;
  failure: string | null;
  errors: { row: number; message: string }[];
  errorsOmitted: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function CallListCreate() {
  const w = useCallListWords();
  const { api } = useSession();
  const toast = useToast();
  const [name, setName] = useState('');
  const [groupIds, setGroupIds] = useState<number[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function createEmpty(e: Event) {
    e.preventDefault();
    setProblem(null);
    try {
      const created = await api.call('post', '/api/v1/call-lists', {
        body: { name: name.trim(), groupIds, customers: [] },
      });
      toast.done(w('createdEmpty'));
      navigate(`/crm/call-lists/${created.list.id}`);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }

  async function upload() {
    if (file === null) return;
    setProblem(null);
    setReport(null);
    setBusy(true);
    try {
      const job = (await api.raw('post', '/api/v1/imports', {
        query: {
          kind: IMPORT_KIND,
          listName: name.trim(),
          groupIds: groupIds.join(','),
          fileName: file.name,
        },
        file: { data: file, contentType: 'text/csv' },
      })) as { id: number };
      for (;;) {
        const got = (await api.raw('get', '/api/v1/imports/{id}', {
          path: { id: job.id },
        })) as ImportReport;
        if (got.status === 'finished' || got.status === 'failed') {
          setReport(got);
          break;
        }
        await pause(POLL_MS);
      }
    } catch (err) {
      setProblem(
        w('uploadFailed', {
          reason: err instanceof ApiError ? `${err.message} (${err.code})` : problemOf(err),
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  async function template() {
    try {
      await downloadFile(
        api,
        `/api/v1/imports/templates/${IMPORT_KIND}`,
        {},
        'call-list-template.csv',
      );
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const errorCount = (r: ImportReport) => r.errors.length + r.errorsOmitted;

  return (
    <section class="screen call-list-create" data-testid="call-list-create">
      <h2>
        <a href="#/crm/call-lists">{w('callLists')}</a> › {w('createList')}
      </h2>
      <form class="resource-form" onSubmit={(e) => void createEmpty(e)}>
        <label class="field">
          <span>{w('listName')}</span>
          <input
            name="name"
            required
            maxLength={200}
            placeholder={w('listNameHint')}
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <FormRow label={w('groups')}>
          <GroupChoice value={groupIds} onChange={setGroupIds} />
          <small>{w('groupsHint')}</small>
        </FormRow>
        <FormRow label={w('importFile')}>
          <input
            type="file"
            name="csv"
            accept=".csv,text/csv"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
          />
        </FormRow>
        {problem !== null && (
          <p role="alert" class="problem">
            {problem}
          </p>
        )}
        <div class="toolbar">
          <button
            type="button"
            class="primary"
            data-testid="upload"
            disabled={file === null || name.trim() === '' || busy}
            onClick={() => void upload()}
          >
            {busy ? w('uploading') : w('upload')}
          </button>
          <button type="submit" data-testid="save" disabled={name.trim() === '' || busy}>
            {w('register')}
          </button>
          <button type="button" data-testid="template" onClick={() => void template()}>
            {w('templateDownload')}
          </button>
        </div>
      </form>
      {report !== null && (
        <div role="status" class="card" data-testid="import-report">
          <p>
            <strong>{report.status === 'finished' ? w('uploadDone') : report.failure}</strong>
          </p>
          <h3>{w('result')}</h3>
          <ul>
            <li>{w('resultInput', { count: report.total + 1 })}</li>
            <li>{w('resultApplied', { count: report.applied })}</li>
            <li>
              {w('resultBlank', {
                count: Math.max(0, report.total - report.applied - report.skipped),
              })}
            </li>
            <li>{w('resultErrors', { count: errorCount(report) })}</li>
          </ul>
          {report.errors.length > 0 && (
            <ul class="problem">
              {report.errors.map((e) => (
                <li key={e.row} data-row={e.row}>
                  {e.message}
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={() => navigate('/crm/call-lists')}>
            {w('back')}
          </button>
        </div>
      )}
    </section>
  );
}
