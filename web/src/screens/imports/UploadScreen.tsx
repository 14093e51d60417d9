/**
 * CSVアップロード (§10-13) in three steps: (1) the file and how to read it — kind, 業務, 文字コード,
 * 区切り文字, 最初の行, タグ追加, 電話番号の重複を許可する — with a template to download;
 * アップロード asks the server for a preview; (2) the mapping screen: the first rows under 列1,
 * 列2 …, each column's dropdown of fields set to what its header suggests (`--` to ignore), 実行
 * refused while the mapping lacks a field the server requires; (3) the job's progress and report.
 * The `imports` topic is watched from the start, so no progress event of the job is missed.
 */
import { useState } from 'preact/hooks';
import { ApiError, problemOf } from '../../api/client';
import { useTopic } from '../../feed/use-topic';
import { useWords } from '../../i18n';
import { useSession } from '../../session';
import { useLoad } from '../../ui/resource';
import { useToast } from '../../ui/toast';
import { downloadFile } from '../stats/download';
import { ImportReport } from './ImportReport';
import { IMPORT_KINDS, kindOf, type KindOption } from './kinds';
import { MappingStep, type ServerProblem } from './MappingStep';
import { describeRefusal, problemsOfDetails, type ImportPreview } from './mapping';
import { useImportWords } from './words';

type Encoding = 'auto' | 'utf8' | 'shift_jis';
type Delimiter = ',' | '\t' | ';';
type HeaderChoice = 'auto' | 'true' | 'false';

export interface UploadSettings {
  kind: string;
  formatId: string;
  encoding: Encoding;
  delimiter: Delimiter;
  header: HeaderChoice;
  tagIds: number[];
  /** Undefined until chosen: the CRM setting's value is shown. */
  allowDuplicates: boolean | undefined;
  /** call_list: リスト名 of the new list. */
  listName: string;
  /** targets: the 発信先リスト. */
  targetListId: string;
}

const ENCODINGS: readonly Encoding[] = ['auto', 'utf8', 'shift_jis'];
const DELIMITERS: readonly { value: Delimiter; word: 'comma' | 'tab' | 'semicolon' }[] = [
  { value: ',', word: 'comma' },
  { value: '\t', word: 'tab' },
  { value: ';', word: 'semicolon' },
];
const HEADERS: readonly HeaderChoice[] = ['auto', 'true', 'false'];

type Step =
  | { step: 'file' }
  | { step: 'mapping'; preview: ImportPreview }
  | { step: 'result'; jobId: number };

export function UploadScreen() {
  const w = useImportWords();
  const { language } = useWords();
  const { api, can } = useSession();
  const toast = useToast();
  // Held from the first step: a job's first events come before POST /imports has answered.
  useTopic('imports');
  const kinds = IMPORT_KINDS.filter((k) => can(k.permission));
  const [settings, setSettings] = useState<UploadSettings>({
    kind: kinds[0]?.kind ?? '',
    formatId: '',
    encoding: 'auto',
    delimiter: ',',
    header: 'auto',
    tagIds: [],
    allowDuplicates: undefined,
    listName: '',
    targetListId: '',
  });
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>({ step: 'file' });
  const [problem, setProblem] = useState<string | null>(null);
  const [serverProblem, setServerProblem] = useState<ServerProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const kind = kindOf(settings.kind);
  const has = (option: KindOption) => kind?.options.includes(option) === true;

  const formats = useLoad(
    async () =>
      can('business_formats.view')
        ? (await api.call('get', '/api/v1/business-formats', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const tags = useLoad(
    async () =>
      can('tags.view')
        ? (await api.call('get', '/api/v1/tags', { query: { limit: '500' } })).items
        : [],
    [api],
  );
  const targetLists = useLoad(
    async () =>
      has('targetList') && can('target_lists.view')
        ? (await api.call('get', '/api/v1/target-lists', { query: { limit: '500' } })).items
        : [],
    [api, settings.kind],
  );
  const crmSettings = useLoad(
    async () => (can('customers.view') ? await api.call('get', '/api/v1/crm-settings') : null),
    [api],
  );
  const allowDuplicates =
    settings.allowDuplicates ?? crmSettings.data?.allowDuplicatePhones ?? false;
  const set = (patch: Partial<UploadSettings>) => setSettings({ ...settings, ...patch });

  /** The query of both the preview and the upload: the CSV options and the kind's own. */
  const query = (): Record<string, string> => ({
    kind: settings.kind,
    encoding: settings.encoding,
    delimiter: settings.delimiter,
    header: settings.header,
    ...(has('format') && settings.formatId !== '' && { formatId: settings.formatId }),
    ...(has('tags') && settings.tagIds.length > 0 && { tagIds: settings.tagIds.join(',') }),
    ...(has('allowDuplicates') && { allowDuplicates: String(allowDuplicates) }),
    ...(has('listName') &&
      settings.listName.trim() !== '' && { listName: settings.listName.trim() }),
    ...(has('targetList') &&
      settings.targetListId !== '' && { targetListId: settings.targetListId }),
  });

  async function previewFile() {
    if (file === null) return;
    setBusy(true);
    setProblem(null);
    try {
      const preview = (await api.raw('post', '/api/v1/imports/preview', {
        query: query(),
        file: { data: file, contentType: 'text/csv' },
      })) as ImportPreview;
      setServerProblem(null);
      setStep({ step: 'mapping', preview });
    } catch (err) {
      setProblem(describeRefusal(err, w));
    } finally {
      setBusy(false);
    }
  }

  async function run(mapping: readonly string[]) {
    if (file === null) return;
    setBusy(true);
    setServerProblem(null);
    try {
      const job = (await api.raw('post', '/api/v1/imports', {
        query: { ...query(), mapping: mapping.join(','), fileName: file.name },
        file: { data: file, contentType: 'text/csv' },
      })) as { id: number };
      setStep({ step: 'result', jobId: job.id });
    } catch (err) {
      setServerProblem({
        message: describeRefusal(err, w),
        problems: err instanceof ApiError ? problemsOfDetails(err.details) : [],
      });
    } finally {
      setBusy(false);
    }
  }

  async function template() {
    try {
      await downloadFile(
        api,
        `/api/v1/imports/templates/${encodeURIComponent(settings.kind)}`,
        {
          ...(has('format') && settings.formatId !== '' && { formatId: settings.formatId }),
          encoding: settings.encoding === 'shift_jis' ? 'shift_jis' : 'utf8',
        },
        `${settings.kind}.csv`,
      );
    } catch (err) {
      toast.problem(problemOf(err));
    }
  }

  const current = step.step;
  return (
    <section class="screen csv-upload" data-testid="csv-upload-screen">
      <h2>{w('title')}</h2>
      <div class="toolbar">
        <ol class="import-steps">
          {(['file', 'mapping', 'result'] as const).map((s, i) => (
            <li key={s} aria-current={current === s ? 'step' : undefined}>
              {w(`step${(i + 1) as 1 | 2 | 3}`)}
            </li>
          ))}
        </ol>
        {can('csv_upload.view') && (
          <a href="#/crm/imports/jobs" data-testid="import-jobs-link">
            {w('jobs')}
          </a>
        )}
      </div>

      {step.step === 'file' && (
        <form
          class="resource-form import-file"
          data-testid="import-file-form"
          onSubmit={(e) => {
            e.preventDefault();
            void previewFile();
          }}
        >
          <label class="field">
            <span>{w('kind')}</span>
            <select
              name="kind"
              value={settings.kind}
              onChange={(e) => set({ kind: e.currentTarget.value })}
            >
              {kinds.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label[language]}
                </option>
              ))}
            </select>
          </label>
          {has('format') && formats.data !== undefined && formats.data.length > 0 && (
            <label class="field">
              <span>{w('format')}</span>
              <select
                name="formatId"
                value={settings.formatId}
                onChange={(e) => set({ formatId: e.currentTarget.value })}
              >
                {/* The server's default format (デフォルト) when none is chosen. */}
                <option value="">—</option>
                {formats.data.map((f) => (
                  <option key={f.id} value={String(f.id)}>
                    {f.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {has('listName') && (
            <label class="field">
              <span>{w('listName')}</span>
              <input
                name="listName"
                required
                maxLength={100}
                value={settings.listName}
                onInput={(e) => set({ listName: e.currentTarget.value })}
              />
            </label>
          )}
          {has('targetList') && (
            <label class="field">
              <span>{w('targetList')}</span>
              <select
                name="targetListId"
                required
                value={settings.targetListId}
                onChange={(e) => set({ targetListId: e.currentTarget.value })}
              >
                <option value="">—</option>
                {(targetLists.data ?? []).map((l) => (
                  <option key={l.id} value={String(l.id)}>
                    {l.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label class="field">
            <span>{w('encoding')}</span>
            <select
              name="encoding"
              value={settings.encoding}
              onChange={(e) => set({ encoding: e.currentTarget.value as Encoding })}
            >
              {ENCODINGS.map((e) => (
                <option key={e} value={e}>
                  {w(`encoding_${e}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{w('delimiter')}</span>
            <select
              name="delimiter"
              value={settings.delimiter}
              onChange={(e) => set({ delimiter: e.currentTarget.value as Delimiter })}
            >
              {DELIMITERS.map((d) => (
                <option key={d.word} value={d.value}>
                  {w(`delimiter_${d.word}`)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span>{w('header')}</span>
            <select
              name="header"
              value={settings.header}
              onChange={(e) => set({ header: e.currentTarget.value as HeaderChoice })}
            >
              {HEADERS.map((h) => (
                <option key={h} value={h}>
                  {w(`header_${h}`)}
                </option>
              ))}
            </select>
          </label>
          {has('tags') && (
            <div class="field" data-field="tagIds">
              <span>{w('addTags')}</span>
              <div class="multi">
                {(tags.data ?? []).length === 0 && <span class="notice">{w('noTags')}</span>}
                {(tags.data ?? []).map((t) => (
                  <label key={t.id}>
                    <input
                      type="checkbox"
                      name={`tag.${t.id}`}
                      checked={settings.tagIds.includes(t.id)}
                      onChange={(e) =>
                        set({
                          tagIds: e.currentTarget.checked
                            ? [...settings.tagIds, t.id]
                            : settings.tagIds.filter((id) => id !== t.id),
                        })
                      }
                    />{' '}
                    {t.name}
                  </label>
                ))}
              </div>
            </div>
          )}
          {has('allowDuplicates') && (
            <div class="field">
              <span>{w('confirm')}</span>
              <label>
                <input
                  type="checkbox"
                  name="allowDuplicates"
                  checked={allowDuplicates}
                  onChange={(e) => set({ allowDuplicates: e.currentTarget.checked })}
                />{' '}
                {w('allowDuplicates')}
              </label>
            </div>
          )}
          <label class="field">
            <span>{w('file')}</span>
            <input
              type="file"
              name="csv"
              accept=".csv,.txt,text/csv"
              onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
            />
          </label>
          <p class="notice import-hint">{w('fileHint')}</p>
          {problem !== null && (
            <p role="alert" class="problem" data-testid="import-problem">
              {problem}
            </p>
          )}
          <div class="toolbar">
            <button
              type="submit"
              class="primary"
              data-testid="import-preview"
              disabled={file === null || kind === undefined || busy}
            >
              {w('upload')}
            </button>
            <button
              type="button"
              data-testid="import-template"
              disabled={kind === undefined}
              onClick={() => void template()}
            >
              {w('template')}
            </button>
          </div>
        </form>
      )}

      {step.step === 'mapping' && (
        <MappingStep
          preview={step.preview}
          serverProblem={serverProblem}
          busy={busy}
          onBack={() => setStep({ step: 'file' })}
          onRun={(mapping) => void run(mapping)}
        />
      )}

      {step.step === 'result' && (
        <>
          <ImportReport jobId={step.jobId} />
          <div class="toolbar">
            <button
              type="button"
              data-testid="import-another"
              onClick={() => {
                setFile(null);
                setStep({ step: 'file' });
              }}
            >
              {w('another')}
            </button>
            {kind?.listPath !== undefined && (
              <a href={`#${kind.listPath}`}>{kind.label[language]}</a>
            )}
          </div>
        </>
      )}
    </section>
  );
}
